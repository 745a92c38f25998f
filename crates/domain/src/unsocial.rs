//! Unsocial hours, which carry a contract's unsocial hours enhancement: evenings, nights,
//! weekends and bank holidays in England and Wales.
//!
//! A visit is in unsocial hours when it *starts*, by the Europe/London clock, before
//! [`DAY_STARTS`] (07:00) or at or after [`EVENING_STARTS`] (20:00), on a Saturday or a Sunday,
//! or on a bank holiday. The whole visit then carries the enhancement: a visit is charged as one
//! line, at one rate.
//!
//! Bank holidays follow the regular rules (New Year's Day, Good Friday, Easter Monday, the first
//! and last Mondays of May, the last Monday of August, Christmas Day and Boxing Day, with a
//! weekday in lieu of one that falls at a weekend) and the changes announced for particular
//! years since 1995 (moved and extra days: jubilees, royal weddings, the Queen's funeral, the
//! coronation). Days announced after this was written are not known to it.

use jiff::civil::{Date, Time, Weekday};

/// Care from this time of the morning is in social hours.
pub const DAY_STARTS: Time = Time::constant(7, 0, 0, 0);
/// Care from this time of the evening is in unsocial hours.
pub const EVENING_STARTS: Time = Time::constant(20, 0, 0, 0);

/// Whether a visit starting at `local_start` on `date` (Europe/London) is in unsocial hours.
pub fn is_unsocial(date: Date, local_start: Time) -> bool {
    local_start < DAY_STARTS
        || local_start >= EVENING_STARTS
        || matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday)
        || is_bank_holiday(date)
}

/// Regular bank holidays moved in a particular year: (the regular day, the day instead).
const MOVED: &[(Date, Date)] = &[
    // VE Day's 50th and 75th anniversaries: the early May holiday moved to Friday 8 May.
    (Date::constant(1995, 5, 1), Date::constant(1995, 5, 8)),
    (Date::constant(2020, 5, 4), Date::constant(2020, 5, 8)),
    // The Golden, Diamond and Platinum Jubilees: the spring holiday moved to early June.
    (Date::constant(2002, 5, 27), Date::constant(2002, 6, 4)),
    (Date::constant(2012, 5, 28), Date::constant(2012, 6, 4)),
    (Date::constant(2022, 5, 30), Date::constant(2022, 6, 2)),
];

/// Bank holidays of one year only.
const EXTRA: &[Date] = &[
    // The millennium.
    Date::constant(1999, 12, 31),
    // The Golden, Diamond and Platinum Jubilees.
    Date::constant(2002, 6, 3),
    Date::constant(2012, 6, 5),
    Date::constant(2022, 6, 3),
    // The royal wedding of 2011, the Queen's state funeral and the coronation.
    Date::constant(2011, 4, 29),
    Date::constant(2022, 9, 19),
    Date::constant(2023, 5, 8),
];

/// Whether `date` is a bank holiday in England and Wales.
pub fn is_bank_holiday(date: Date) -> bool {
    bank_holidays(date.year()).contains(&date)
}

/// Every bank holiday of `year` in England and Wales, in order.
pub fn bank_holidays(year: i16) -> Vec<Date> {
    let easter = easter_sunday(year);
    let mut days = vec![
        // New Year's Day, or the Monday after when it falls at a weekend.
        next_weekday(Date::constant(year, 1, 1), &[]),
        easter
            .checked_sub(jiff::Span::new().days(2))
            .expect("Easter is in March or April"),
        easter.tomorrow().expect("Easter is in March or April"),
        nth_monday(year, 5, 1),
        last_monday(year, 5),
        last_monday(year, 8),
    ];
    // Christmas Day and Boxing Day, each moved to the next weekday not already a holiday.
    let christmas = next_weekday(Date::constant(year, 12, 25), &[]);
    let boxing_day = next_weekday(Date::constant(year, 12, 26), &[christmas]);
    days.extend([christmas, boxing_day]);
    for (regular, instead) in MOVED {
        if let Some(day) = days.iter_mut().find(|day| *day == regular) {
            *day = *instead;
        }
    }
    days.extend(EXTRA.iter().copied().filter(|day| day.year() == year));
    days.sort();
    days
}

/// `date`, or the first weekday after it that is not in `taken`.
fn next_weekday(date: Date, taken: &[Date]) -> Date {
    let mut day = date;
    while matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday) || taken.contains(&day) {
        day = day.tomorrow().expect("within the calendar");
    }
    day
}

/// The `n`th Monday (from 1) of `month`.
fn nth_monday(year: i16, month: i8, n: i8) -> Date {
    Date::constant(year, month, 1)
        .nth_weekday_of_month(n, Weekday::Monday)
        .expect("every month has a first Monday")
}

/// The last Monday of `month`.
fn last_monday(year: i16, month: i8) -> Date {
    Date::constant(year, month, 1)
        .nth_weekday_of_month(-1, Weekday::Monday)
        .expect("every month has a last Monday")
}

/// Easter Sunday in the Gregorian calendar (the anonymous algorithm of 1876, as Meeus gives it).
pub fn easter_sunday(year: i16) -> Date {
    let y = i32::from(year);
    let a = y % 19;
    let b = y / 100;
    let c = y % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    Date::new(year, month as i8, day as i8).expect("the algorithm gives a day of March or April")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Date {
        text.parse().unwrap()
    }

    #[test]
    fn easter_falls_where_the_almanac_says() {
        for (year, easter) in [
            (2019, "2019-04-21"),
            (2024, "2024-03-31"),
            (2026, "2026-04-05"),
            (2027, "2027-03-28"),
            (2038, "2038-04-25"),
        ] {
            assert_eq!(easter_sunday(year), day(easter), "{year}");
        }
    }

    #[test]
    fn the_bank_holidays_of_2026_are_the_eight_regular_ones() {
        // New Year's Day is a Thursday; Easter is 5 April; Christmas is a Friday, so Boxing
        // Day (a Saturday) is taken on Monday 28 December.
        let expected = [
            "2026-01-01",
            "2026-04-03",
            "2026-04-06",
            "2026-05-04",
            "2026-05-25",
            "2026-08-31",
            "2026-12-25",
            "2026-12-28",
        ];
        assert_eq!(bank_holidays(2026), expected.map(day));
    }

    #[test]
    fn christmas_at_a_weekend_is_taken_on_the_next_free_weekdays() {
        // 2022: Christmas is a Sunday; Boxing Day is Monday 26 and Christmas is taken on Tuesday 27.
        let holidays = bank_holidays(2022);
        assert!(holidays.contains(&day("2022-12-26")) && holidays.contains(&day("2022-12-27")));
        // 2021: Christmas is a Saturday, Boxing Day a Sunday: Monday 27 and Tuesday 28.
        let holidays = bank_holidays(2021);
        assert!(holidays.contains(&day("2021-12-27")) && holidays.contains(&day("2021-12-28")));
        // 2027 (New Year's Day a Friday; 2028's is a Saturday, taken on Monday 3 January).
        assert!(is_bank_holiday(day("2028-01-03")));
        assert!(!is_bank_holiday(day("2028-01-01")));
    }

    #[test]
    fn announced_changes_move_and_add_days() {
        // 2022: the spring holiday moved to Thursday 2 June, the jubilee added Friday 3 June,
        // and the Queen's funeral Monday 19 September; Monday 30 May was a working day.
        assert!(is_bank_holiday(day("2022-06-02")));
        assert!(is_bank_holiday(day("2022-06-03")));
        assert!(is_bank_holiday(day("2022-09-19")));
        assert!(!is_bank_holiday(day("2022-05-30")));
        // 2020: the early May holiday was Friday 8 May, not Monday 4 May.
        assert!(is_bank_holiday(day("2020-05-08")));
        assert!(!is_bank_holiday(day("2020-05-04")));
        assert_eq!(bank_holidays(2023).len(), 9, "the coronation's extra day");
    }

    #[test]
    fn evenings_nights_weekends_and_bank_holidays_are_unsocial() {
        let tuesday = day("2026-06-02");
        let at = |hour, minute| Time::new(hour, minute, 0, 0).unwrap();
        assert!(is_unsocial(tuesday, at(6, 59)), "before 07:00");
        assert!(!is_unsocial(tuesday, at(7, 0)), "07:00 is the day");
        assert!(!is_unsocial(tuesday, at(19, 59)));
        assert!(is_unsocial(tuesday, at(20, 0)), "from 20:00");
        assert!(is_unsocial(day("2026-06-06"), at(12, 0)), "a Saturday");
        assert!(is_unsocial(day("2026-06-07"), at(12, 0)), "a Sunday");
        assert!(
            is_unsocial(day("2026-05-25"), at(12, 0)),
            "the spring bank holiday"
        );
    }
}
