//! Invoice periods: four weeks, Monday to Sunday, from the first Monday of the financial year.
//!
//! The financial year starts on 1 April. Its first period starts on the first Monday on or
//! after 1 April, and twelve more follow it four weeks apart. The thirteenth runs to the day
//! before the next year's first Monday, so in a year whose first Mondays are 53 weeks apart it
//! has five weeks (2019–20: 2 March to 5 April 2020). Days of April before the year's first
//! Monday belong to the previous year's thirteenth period.

use crate::{FieldError, parse_date};
use jiff::Span;
use jiff::civil::Date;

/// The first year a period may be named in.
pub const FIRST_YEAR: i16 = 1900;
/// The last year a period may be named in (the calendar's own end is 9999).
pub const LAST_YEAR: i16 = 2199;

/// Days in an ordinary period.
const PERIOD_DAYS: i32 = 28;
/// Periods in a financial year.
const PERIODS_A_YEAR: i32 = 13;

/// One invoice period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct InvoicePeriod {
    starts_on: Date,
    ends_on: Date,
}

impl InvoicePeriod {
    /// The period `date` falls in.
    pub fn containing(date: Date) -> InvoicePeriod {
        let year = if date >= first_monday(date.year()) {
            date.year()
        } else {
            date.year() - 1
        };
        let year_starts = first_monday(year);
        let next_year_starts = first_monday(year + 1);
        let index = ((date - year_starts).get_days() / PERIOD_DAYS).min(PERIODS_A_YEAR - 1);
        let starts_on = add_days(year_starts, index * PERIOD_DAYS);
        let ends_on = if index == PERIODS_A_YEAR - 1 {
            add_days(next_year_starts, -1)
        } else {
            add_days(starts_on, PERIOD_DAYS - 1)
        };
        InvoicePeriod { starts_on, ends_on }
    }

    /// Reads a date (`2026-04-06`) for `field` and gives the period it falls in, so any day of
    /// a period names it. Dates from [`FIRST_YEAR`] to [`LAST_YEAR`] are taken.
    pub fn parse(text: &str, field: &str) -> Result<InvoicePeriod, FieldError> {
        let date = parse_date(text, field)?;
        if !(FIRST_YEAR..=LAST_YEAR).contains(&date.year()) {
            return Err(FieldError::new(
                field,
                format!("'{date}' must be a date from {FIRST_YEAR}-01-01 to {LAST_YEAR}-12-31"),
            ));
        }
        Ok(InvoicePeriod::containing(date))
    }

    /// Its first day, a Monday.
    pub fn starts_on(&self) -> Date {
        self.starts_on
    }

    /// Its last day, a Sunday.
    pub fn ends_on(&self) -> Date {
        self.ends_on
    }

    /// Whether `date` is one of its days.
    pub fn contains(&self, date: Date) -> bool {
        self.starts_on <= date && date <= self.ends_on
    }

    /// Its weeks: four, or five for a long thirteenth period.
    pub fn weeks(&self) -> u32 {
        ((self.ends_on - self.starts_on).get_days() + 1) as u32 / 7
    }

    /// The Monday of each of its weeks, in order.
    pub fn week_starts(&self) -> Vec<Date> {
        (0..self.weeks() as i32)
            .map(|week| add_days(self.starts_on, week * 7))
            .collect()
    }

    /// Whether it is over on `today`: its last day has passed.
    pub fn has_ended_by(&self, today: Date) -> bool {
        today > self.ends_on
    }

    /// The period after it.
    pub fn next(&self) -> InvoicePeriod {
        InvoicePeriod::containing(add_days(self.ends_on, 1))
    }

    /// The period before it.
    pub fn previous(&self) -> InvoicePeriod {
        InvoicePeriod::containing(add_days(self.starts_on, -1))
    }

    /// The financial year it belongs to, named by the year it starts in (2026 for 2026–27).
    pub fn financial_year(&self) -> i16 {
        let year = self.starts_on.year();
        if self.starts_on >= first_monday(year) {
            year
        } else {
            year - 1
        }
    }

    /// Its number in the financial year, 1 to 13.
    pub fn number(&self) -> u32 {
        let days = (self.starts_on - first_monday(self.financial_year())).get_days();
        (days / PERIOD_DAYS) as u32 + 1
    }
}

impl std::fmt::Display for InvoicePeriod {
    /// `2026–27 period 1 (2026-04-06 to 2026-05-03)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let year = self.financial_year();
        write!(
            f,
            "{year}–{:02} period {} ({} to {})",
            (year + 1) % 100,
            self.number(),
            self.starts_on,
            self.ends_on
        )
    }
}

/// The first Monday on or after 1 April of `year`: the start of its financial year's periods.
fn first_monday(year: i16) -> Date {
    let first_of_april = Date::constant(year, 4, 1);
    let days_to_monday = (7 - first_of_april.weekday().to_monday_zero_offset()) % 7;
    add_days(first_of_april, i32::from(days_to_monday))
}

fn add_days(date: Date, days: i32) -> Date {
    date.checked_add(Span::new().days(days))
        .expect("invoice periods stay within jiff's calendar")
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::Weekday;

    fn day(text: &str) -> Date {
        text.parse().unwrap()
    }

    #[test]
    fn periods_start_on_the_first_monday_of_april() {
        // 1 April 2026 is a Wednesday: the year's first period is Monday 6 April to Sunday 3 May.
        let first = InvoicePeriod::containing(day("2026-04-06"));
        assert_eq!(
            (first.starts_on(), first.ends_on()),
            (day("2026-04-06"), day("2026-05-03"))
        );
        assert_eq!((first.number(), first.weeks()), (1, 4));
        assert_eq!(first.starts_on().weekday(), Weekday::Monday);
        // Any day of it names it; the next starts on 4 May.
        assert_eq!(InvoicePeriod::containing(day("2026-05-03")), first);
        assert_eq!(first.next().starts_on(), day("2026-05-04"));
        assert_eq!(first.next().previous(), first);
        assert_eq!(
            first.to_string(),
            "2026–27 period 1 (2026-04-06 to 2026-05-03)"
        );
        assert_eq!(
            first.week_starts(),
            ["2026-04-06", "2026-04-13", "2026-04-20", "2026-04-27"].map(day)
        );
    }

    #[test]
    fn days_before_the_first_monday_belong_to_the_year_before() {
        // 1 to 5 April 2026 fall in 2025–26's thirteenth period. 1 April 2025 is a Tuesday, so
        // 2025–26 starts on Monday 7 April 2025 and its thirteenth period on 7 April 2025 + 12 ×
        // 28 days = 9 March 2026, running to Sunday 5 April 2026: four weeks (364 days a year).
        let last = InvoicePeriod::containing(day("2026-04-01"));
        assert_eq!(
            (last.starts_on(), last.ends_on()),
            (day("2026-03-09"), day("2026-04-05"))
        );
        assert_eq!(
            (last.financial_year(), last.number(), last.weeks()),
            (2025, 13, 4)
        );
    }

    #[test]
    fn a_year_of_53_weeks_has_a_five_week_thirteenth_period() {
        // 2019–20 starts on Monday 1 April 2019 and 2020–21 on Monday 6 April 2020, 371 days
        // later: the thirteenth period runs from 1 April 2019 + 336 days = 2 March 2020 to
        // 5 April 2020, five weeks.
        let long = InvoicePeriod::containing(day("2020-04-05"));
        assert_eq!(
            (long.starts_on(), long.ends_on()),
            (day("2020-03-02"), day("2020-04-05"))
        );
        assert_eq!((long.number(), long.weeks()), (13, 5));
        assert_eq!(long.next().starts_on(), day("2020-04-06"));
    }

    #[test]
    fn a_period_has_ended_the_day_after_its_last_day() {
        let period = InvoicePeriod::containing(day("2026-04-06"));
        assert!(!period.has_ended_by(day("2026-05-03")));
        assert!(period.has_ended_by(day("2026-05-04")));
    }

    #[test]
    fn a_period_is_named_by_a_date() {
        assert_eq!(
            InvoicePeriod::parse("2026-04-20", "period")
                .unwrap()
                .starts_on(),
            day("2026-04-06")
        );
        let error = InvoicePeriod::parse("April", "period").unwrap_err();
        assert_eq!(error.field, "period");
        assert!(error.message.contains("YYYY-MM-DD"), "{}", error.message);
        let error = InvoicePeriod::parse("9999-12-31", "period").unwrap_err();
        assert_eq!(
            error.message,
            "'9999-12-31' must be a date from 1900-01-01 to 2199-12-31"
        );
        for edge in ["1900-01-01", "2199-12-31"] {
            assert!(InvoicePeriod::parse(edge, "period").is_ok(), "{edge}");
        }
    }
}
