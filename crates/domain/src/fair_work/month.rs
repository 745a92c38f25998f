//! Calendar months, the period fair work figures are read over ("distinct carers per person
//! per month" is the Ethical Care Charter's measure of continuity).

use crate::FieldError;
use jiff::civil::Date;
use std::fmt;

/// The first year a month may be named in.
pub const FIRST_YEAR: i16 = 1900;
/// The last year a month may be named in.
pub const LAST_YEAR: i16 = 2199;

/// One calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CalendarMonth {
    first_day: Date,
}

impl CalendarMonth {
    /// The month `date` falls in.
    pub fn containing(date: Date) -> CalendarMonth {
        CalendarMonth {
            first_day: date.first_of_month(),
        }
    }

    /// The last month that has ended by `today`: the one before today's.
    pub fn last_full_before(today: Date) -> CalendarMonth {
        CalendarMonth::containing(today).previous()
    }

    /// Reads `YYYY-MM` (`2026-06`) for `field`; years from [`FIRST_YEAR`] to [`LAST_YEAR`].
    pub fn parse(text: &str, field: &str) -> Result<CalendarMonth, FieldError> {
        let text = text.trim();
        let refused = || {
            FieldError::new(
                field,
                format!("'{text}' is not a month in the form YYYY-MM, for example 2026-06"),
            )
        };
        let (year, month) = text.split_once('-').ok_or_else(refused)?;
        if year.len() != 4 || month.len() != 2 {
            return Err(refused());
        }
        let year: i16 = year.parse().map_err(|_| refused())?;
        let month: i8 = month.parse().map_err(|_| refused())?;
        if !(FIRST_YEAR..=LAST_YEAR).contains(&year) {
            return Err(FieldError::new(
                field,
                format!("'{text}' must be a month from {FIRST_YEAR}-01 to {LAST_YEAR}-12"),
            ));
        }
        let first_day = Date::new(year, month, 1).map_err(|_| refused())?;
        Ok(CalendarMonth { first_day })
    }

    /// Its first day.
    pub fn first_day(&self) -> Date {
        self.first_day
    }

    /// Its last day.
    pub fn last_day(&self) -> Date {
        self.first_day.last_of_month()
    }

    /// The month before.
    pub fn previous(&self) -> CalendarMonth {
        match self.first_day.yesterday() {
            Ok(day) => CalendarMonth::containing(day),
            Err(_) => *self,
        }
    }

    /// The month after.
    pub fn next(&self) -> CalendarMonth {
        match self.last_day().tomorrow() {
            Ok(day) => CalendarMonth::containing(day),
            Err(_) => *self,
        }
    }

    /// Whether it is over on `today`.
    pub fn has_ended_by(&self, today: Date) -> bool {
        today > self.last_day()
    }

    /// "June 2026".
    pub fn label(&self) -> String {
        self.first_day.strftime("%B %Y").to_string()
    }
}

impl fmt::Display for CalendarMonth {
    /// `2026-06`, as [`CalendarMonth::parse`] reads it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}",
            self.first_day.year(),
            self.first_day.month()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_is_named_and_bounded() {
        let june = CalendarMonth::parse(" 2026-06 ", "month").unwrap();
        assert_eq!(june.to_string(), "2026-06");
        assert_eq!(june.label(), "June 2026");
        assert_eq!(june.first_day(), Date::constant(2026, 6, 1));
        assert_eq!(june.last_day(), Date::constant(2026, 6, 30));
        assert_eq!(june.previous().to_string(), "2026-05");
        assert_eq!(june.next().to_string(), "2026-07");
        assert_eq!(
            CalendarMonth::parse("2024-02", "month").unwrap().last_day(),
            Date::constant(2024, 2, 29),
            "a leap year's February"
        );
        assert_eq!(
            CalendarMonth::containing(Date::constant(2026, 12, 31))
                .next()
                .to_string(),
            "2027-01"
        );
    }

    #[test]
    fn the_default_is_the_last_month_that_has_ended() {
        let today = Date::constant(2026, 7, 1);
        let month = CalendarMonth::last_full_before(today);
        assert_eq!(month.to_string(), "2026-06");
        assert!(month.has_ended_by(today));
        assert!(!CalendarMonth::containing(today).has_ended_by(today));
        assert_eq!(
            CalendarMonth::last_full_before(Date::constant(2027, 1, 15)).to_string(),
            "2026-12"
        );
    }

    #[test]
    fn bad_months_are_refused_naming_the_field() {
        for text in [
            "",
            "2026",
            "2026-6",
            "2026-13",
            "2026-00",
            "26-06",
            "June",
            "2026-06-01",
        ] {
            let error = CalendarMonth::parse(text, "month").unwrap_err();
            assert_eq!(error.field, "month", "{text}");
            assert!(
                error.message.contains("YYYY-MM"),
                "{text}: {}",
                error.message
            );
        }
        let error = CalendarMonth::parse("1899-12", "month").unwrap_err();
        assert!(
            error.message.contains("from 1900-01 to 2199-12"),
            "{}",
            error.message
        );
        assert!(CalendarMonth::parse("2200-01", "month").is_err());
    }
}
