//! Instants as stored text: UTC with exactly six fractional digits,
//! `YYYY-MM-DDTHH:MM:SS.ffffffZ`, so that comparing or sorting the text compares the instants,
//! on SQLite and on PostgreSQL alike.

use homeward_domain::FieldError;
use jiff::Timestamp;
use jiff::fmt::temporal::DateTimePrinter;

/// The printer for stored instants: always six fractional digits, truncating anything finer.
static PRINTER: DateTimePrinter = DateTimePrinter::new().precision(Some(6));

/// `at` as stored: `2026-11-25T09:30:00.123456Z`. Nanoseconds beyond the microsecond are
/// dropped, so an instant read back is `at` truncated to the microsecond.
///
/// The text has a fixed width, and so sorts as the instants do, for years 0000 to 9999; jiff
/// instants before the year 0 (written with a sign) are not expected here.
pub(crate) fn stored_timestamp(at: Timestamp) -> String {
    PRINTER.timestamp_to_string(&at)
}

/// Reads a stored instant for `field`; also reads the shorter forms audit rows written before
/// the fixed width was adopted hold.
pub(crate) fn parse_timestamp(text: &str, field: &str) -> Result<Timestamp, FieldError> {
    text.parse::<Timestamp>()
        .map_err(|error| FieldError::new(field, format!("'{text}' is not a UTC instant: {error}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_have_a_fixed_width_and_sort_as_text() {
        let whole = Timestamp::from_second(1_764_063_000).unwrap();
        assert_eq!(stored_timestamp(whole), "2025-11-25T09:30:00.000000Z");
        let fine = Timestamp::new(1_764_063_000, 123_456_789).unwrap();
        assert_eq!(stored_timestamp(fine), "2025-11-25T09:30:00.123456Z");
        let early = Timestamp::from_second(-1).unwrap();
        assert_eq!(stored_timestamp(early), "1969-12-31T23:59:59.000000Z");
        let mut instants = [
            fine,
            early,
            whole,
            Timestamp::new(1_764_063_000, 1_000).unwrap(),
        ];
        let mut texts: Vec<String> = instants.iter().copied().map(stored_timestamp).collect();
        texts.sort();
        instants.sort();
        assert_eq!(
            texts,
            instants
                .iter()
                .copied()
                .map(stored_timestamp)
                .collect::<Vec<_>>()
        );
        assert!(texts.iter().all(|text| text.len() == 27));
    }

    #[test]
    fn stored_instants_read_back_truncated_to_the_microsecond() {
        let fine = Timestamp::new(1_764_063_000, 123_456_789).unwrap();
        let read = parse_timestamp(&stored_timestamp(fine), "at").unwrap();
        assert_eq!(read, Timestamp::new(1_764_063_000, 123_456_000).unwrap());
        assert_eq!(
            parse_timestamp("2025-11-25T09:30:00.5Z", "at").unwrap(),
            Timestamp::new(1_764_063_000, 500_000_000).unwrap()
        );
        assert_eq!(parse_timestamp("yesterday", "at").unwrap_err().field, "at");
    }
}
