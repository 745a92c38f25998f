//! Errors that name the field and the problem.

use std::fmt;

/// One problem with one field of a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field's name as users see it in files and forms (`weekly_hours`, `nhs_number`).
    pub field: String,
    /// What is wrong, as a sentence fragment a person can act on.
    pub message: String,
}

impl FieldError {
    /// A problem with `field`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for FieldError {}

/// Every problem found with a record; never empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid(pub Vec<FieldError>);

impl Invalid {
    /// Collects problems; returns `Ok(())` when there are none.
    pub fn check(errors: Vec<FieldError>) -> Result<(), Invalid> {
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Invalid(errors))
        }
    }
}

impl From<FieldError> for Invalid {
    fn from(error: FieldError) -> Self {
        Invalid(vec![error])
    }
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, error) in self.0.iter().enumerate() {
            if index > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Invalid {}

/// The first year a date from outside may fall in: before any person now living was born.
pub const FIRST_DATE_YEAR: i16 = 1900;
/// The last year a date from outside may fall in: beyond any contract, package or plan.
pub const LAST_DATE_YEAR: i16 = 2199;

/// Parses an ISO 8601 calendar date (`2019-08-07`) for `field`, from 1900-01-01 to 2199-12-31:
/// every date Homeward takes from outside (forms, the API, imports) is a date a record of care
/// could hold, so no later sum of days starts from the year 1 or 9999.
pub fn parse_date(text: &str, field: &str) -> Result<jiff::civil::Date, FieldError> {
    let text = text.trim();
    let date = text.parse::<jiff::civil::Date>().map_err(|_| {
        FieldError::new(
            field,
            format!("'{text}' is not a date in the form YYYY-MM-DD"),
        )
    })?;
    if !(FIRST_DATE_YEAR..=LAST_DATE_YEAR).contains(&date.year()) {
        return Err(FieldError::new(
            field,
            format!(
                "'{text}' must be a date from {FIRST_DATE_YEAR}-01-01 to {LAST_DATE_YEAR}-12-31"
            ),
        ));
    }
    Ok(date)
}

/// Requires a non-blank text of at most `max_chars` characters, trimmed.
pub(crate) fn required_text(
    text: &str,
    field: &str,
    max_chars: usize,
) -> Result<String, FieldError> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(FieldError::new(field, "is required"));
    }
    if trimmed.chars().count() > max_chars {
        return Err(FieldError::new(
            field,
            format!("must be at most {max_chars} characters"),
        ));
    }
    if trimmed.chars().any(char::is_control) {
        return Err(FieldError::new(
            field,
            "must not contain control characters",
        ));
    }
    if starts_like_a_formula(trimmed) {
        return Err(FieldError::new(
            field,
            "must not begin with =, +, - or @ (a spreadsheet opening an export would run it as a formula)",
        ));
    }
    Ok(trimmed.to_owned())
}

/// Whether a spreadsheet would take `text` in a cell for a formula: it begins with `=`, `+`,
/// `-` or `@` (or a tab or carriage return, which some spreadsheets skip before one). Names and
/// references never do, so the register refuses them; exports written only for spreadsheets
/// neutralise any that reach them.
pub fn starts_like_a_formula(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_from_outside_fall_between_1900_and_2199() {
        assert_eq!(
            parse_date(" 2019-08-07 ", "starts_on").unwrap(),
            jiff::civil::date(2019, 8, 7)
        );
        for edge in ["1900-01-01", "2199-12-31"] {
            assert!(parse_date(edge, "starts_on").is_ok(), "{edge}");
        }
        for far in ["1899-12-31", "2200-01-01", "0001-01-01", "9999-12-31"] {
            let error = parse_date(far, "starts_on").unwrap_err();
            assert_eq!(error.field, "starts_on");
            assert_eq!(
                error.message,
                format!("'{far}' must be a date from 1900-01-01 to 2199-12-31")
            );
        }
        assert!(
            parse_date("7 August 2019", "starts_on")
                .unwrap_err()
                .message
                .contains("YYYY-MM-DD")
        );
    }

    #[test]
    fn dates_are_iso() {
        assert_eq!(
            parse_date("2019-08-07", "starts_on").unwrap().to_string(),
            "2019-08-07"
        );
        let error = parse_date("07/08/2019", "starts_on").unwrap_err();
        assert_eq!(error.field, "starts_on");
        assert!(error.message.contains("YYYY-MM-DD"));
    }

    #[test]
    fn required_text_rejects_blank_long_and_control() {
        assert_eq!(
            required_text("  Bognor East ", "name", 20).unwrap(),
            "Bognor East"
        );
        assert_eq!(
            required_text(" ", "name", 10).unwrap_err().message,
            "is required"
        );
        assert!(required_text("abcdefghijk", "name", 10).is_err());
        assert!(required_text("a\u{7}b", "name", 10).is_err());
    }

    #[test]
    fn names_that_a_spreadsheet_would_run_are_refused() {
        for formula in ["=1+1", "+44 care", "-2+3", "@SUM(A1)", " =HYPERLINK(\"x\")"] {
            let error = required_text(formula, "name", 40).unwrap_err();
            assert_eq!(error.field, "name", "{formula}");
            assert!(error.message.contains("formula"), "{formula}");
        }
        // Inside a name they are only characters.
        assert_eq!(
            required_text("Smith-Jones & Co = best", "name", 40).unwrap(),
            "Smith-Jones & Co = best"
        );
    }
}
