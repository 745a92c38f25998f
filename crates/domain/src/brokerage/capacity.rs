//! Capacity returns: each week, a provider's branches say how many hours they can take on.

use jiff::civil::{Date, Weekday};

/// The week a capacity return on `day` belongs to, named by its Monday (returns are weekly,
/// Monday to Sunday).
pub fn capacity_week_of(day: Date) -> Date {
    let back = i64::from(day.weekday().to_monday_zero_offset());
    day.checked_sub(jiff::Span::new().days(back)).unwrap_or(day)
}

/// Whether `day` can name a capacity return's week.
pub fn starts_a_capacity_week(day: Date) -> bool {
    day.weekday() == Weekday::Monday
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn a_week_is_named_by_its_monday() {
        // Monday 7 December 2026 to Sunday 13 December.
        assert_eq!(capacity_week_of(date(2026, 12, 7)), date(2026, 12, 7));
        assert_eq!(capacity_week_of(date(2026, 12, 9)), date(2026, 12, 7));
        assert_eq!(capacity_week_of(date(2026, 12, 13)), date(2026, 12, 7));
        assert_eq!(capacity_week_of(date(2026, 12, 14)), date(2026, 12, 14));
        assert!(starts_a_capacity_week(date(2026, 12, 7)));
        assert!(!starts_a_capacity_week(date(2026, 12, 13)));
    }
}
