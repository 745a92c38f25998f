//! Money in integer pence.

use crate::FieldError;
use std::fmt;

/// An amount of money in pence; never a float.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Pence(pub i64);

impl Pence {
    /// Parses a positive amount in pence (`1699`) for `field`.
    pub fn parse_positive(text: &str, field: &str) -> Result<Self, FieldError> {
        match text.trim().parse::<i64>() {
            Ok(pence) if pence > 0 && pence <= 100_000_000 => Ok(Pence(pence)),
            _ => Err(FieldError::new(
                field,
                format!(
                    "'{}' is not a whole number of pence between 1 and 100000000",
                    text.trim()
                ),
            )),
        }
    }

    /// This amount scaled by `basis_points` / 10 000, rounded half away from zero.
    pub fn scaled_by_basis_points(self, basis_points: u32) -> Pence {
        let product = i128::from(self.0) * i128::from(basis_points);
        let rounded = (product + product.signum() * 5_000) / 10_000;
        Pence(rounded as i64)
    }
}

impl fmt::Display for Pence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let magnitude = self.0.unsigned_abs();
        write!(f, "{sign}£{}.{:02}", magnitude / 100, magnitude % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_pounds_and_pence() {
        assert_eq!(Pence(1527).to_string(), "£15.27");
        assert_eq!(Pence(-5).to_string(), "-£0.05");
    }

    #[test]
    fn scales_by_basis_points_with_half_up_rounding() {
        assert_eq!(Pence(1699).scaled_by_basis_points(1_000), Pence(170));
        assert_eq!(Pence(1_005).scaled_by_basis_points(5_000), Pence(503));
    }

    #[test]
    fn parses_positive_pence_only() {
        assert_eq!(
            Pence::parse_positive("1527", "hourly_rate_pence").unwrap(),
            Pence(1527)
        );
        assert_eq!(
            Pence::parse_positive("15.27", "hourly_rate_pence")
                .unwrap_err()
                .field,
            "hourly_rate_pence"
        );
        assert!(Pence::parse_positive("0", "x").is_err());
    }
}
