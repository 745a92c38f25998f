//! What a provider's answer to an offer may say: care that starts on a real day soon after the
//! answer, at a rate a council could pay.

use super::{OfferResponse, StepKind};
use crate::{FieldError, Invalid, Pence};
use jiff::civil::Date;

/// How far ahead of its answer a provider may say care starts.
pub const MAX_START_DAYS: i32 = 90;

/// The highest hourly rate a provider may quote: £200 an hour, over six times the Homecare
/// Association's minimum price for 2025/26 (£32.14), so beyond any rate a council pays; a quote
/// above it is a slip of the keyboard, not a price.
pub const MAX_HOURLY_RATE: Pence = Pence(20_000);

impl OfferResponse {
    /// Checks an answer given on `answered_on` (a UK date): an acceptance starts care on that
    /// day or within [`MAX_START_DAYS`] of it — never before it, since care cannot start in
    /// the past — and quotes, if anything, from 1p to [`MAX_HOURLY_RATE`] an hour.
    pub fn validate_on(&self, answered_on: Date) -> Result<(), Invalid> {
        let OfferResponse::Accept {
            start_on,
            hourly_rate,
        } = self
        else {
            return Ok(());
        };
        let mut errors = Vec::new();
        let latest = answered_on.saturating_add(jiff::Span::new().days(MAX_START_DAYS));
        if *start_on < answered_on {
            errors.push(FieldError::new(
                "start_on",
                format!("Care cannot start before today ({answered_on})"),
            ));
        } else if *start_on > latest {
            errors.push(FieldError::new(
                "start_on",
                format!("Care must start within {MAX_START_DAYS} days (by {latest})"),
            ));
        }
        if let Some(rate) = hourly_rate
            && !(1..=MAX_HOURLY_RATE.0).contains(&rate.0)
        {
            errors.push(FieldError::new(
                "hourly_rate_pence",
                format!(
                    "The hourly rate must be from 1 to {} pence (£{}.00 an hour)",
                    MAX_HOURLY_RATE.0,
                    MAX_HOURLY_RATE.0 / 100
                ),
            ));
        }
        Invalid::check(errors)
    }

    /// Checks an answer to an offer made at `step`, given on `answered_on`: as
    /// [`OfferResponse::validate_on`], and an acceptance at a broadcast step quotes an hourly
    /// rate, since the quote is both what the award weighs and what the package is paid.
    pub fn validate_at(&self, step: StepKind, answered_on: Date) -> Result<(), Invalid> {
        let mut errors = match self.validate_on(answered_on) {
            Ok(()) => Vec::new(),
            Err(Invalid(errors)) => errors,
        };
        if step.is_broadcast()
            && matches!(
                self,
                OfferResponse::Accept {
                    hourly_rate: None,
                    ..
                }
            )
        {
            errors.push(FieldError::new(
                "hourly_rate_pence",
                format!(
                    "Quote an hourly rate in pence to accept a {} offer: it is the rate that will \
                     be paid",
                    step.label().to_lowercase()
                ),
            ));
        }
        Invalid::check(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::brokerage::DeclineReason;

    fn accept(start_on: Date, pence: Option<i64>) -> OfferResponse {
        OfferResponse::Accept {
            start_on,
            hourly_rate: pence.map(Pence),
        }
    }

    fn fields(response: &OfferResponse, answered_on: Date) -> Vec<String> {
        response
            .validate_on(answered_on)
            .err()
            .map(|invalid| invalid.0.into_iter().map(|error| error.field).collect())
            .unwrap_or_default()
    }

    #[test]
    fn care_starts_from_the_day_of_the_answer_to_ninety_days_on() {
        // Answered on Monday 7 December 2026; 7 December + 90 days = 7 March 2027.
        let today = Date::constant(2026, 12, 7);
        assert!(fields(&accept(today, None), today).is_empty());
        assert!(fields(&accept(Date::constant(2027, 3, 7), None), today).is_empty());
        assert_eq!(
            fields(&accept(Date::constant(2027, 3, 8), None), today),
            ["start_on"]
        );
        assert_eq!(
            fields(&accept(Date::constant(2026, 12, 6), None), today),
            ["start_on"]
        );
        assert_eq!(
            fields(&accept(Date::constant(1900, 1, 1), None), today),
            ["start_on"]
        );
    }

    #[test]
    fn a_quote_is_a_price_a_council_could_pay() {
        let today = Date::constant(2026, 12, 7);
        assert!(fields(&accept(today, Some(1)), today).is_empty());
        assert!(fields(&accept(today, Some(20_000)), today).is_empty());
        assert_eq!(
            fields(&accept(today, Some(20_001)), today),
            ["hourly_rate_pence"]
        );
        assert_eq!(
            fields(&accept(today, Some(0)), today),
            ["hourly_rate_pence"]
        );
        assert_eq!(
            fields(&accept(today, Some(-5)), today),
            ["hourly_rate_pence"]
        );
    }

    #[test]
    fn an_acceptance_at_a_broadcast_step_quotes_a_rate() {
        let today = Date::constant(2026, 12, 7);
        let unquoted = accept(today, None);
        for step in [StepKind::DynamicMarket, StepKind::Spot] {
            let errors = unquoted.validate_at(step, today).unwrap_err().0;
            assert_eq!(errors[0].field, "hourly_rate_pence", "{step:?}");
        }
        assert!(unquoted.validate_at(StepKind::Lead, today).is_ok());
        assert!(
            accept(today, Some(1_800))
                .validate_at(StepKind::Spot, today)
                .is_ok()
        );
        let decline = OfferResponse::Decline(DeclineReason::Other);
        assert!(decline.validate_at(StepKind::Spot, today).is_ok());
    }

    #[test]
    fn a_decline_has_no_dates_to_check() {
        let decline = OfferResponse::Decline(DeclineReason::NoCapacity);
        assert!(fields(&decline, Date::constant(2026, 12, 7)).is_empty());
    }
}
