//! People receiving care.

use crate::codes::{code_enum, impl_code_list};
use crate::validation::required_text;
use crate::{AreaId, Coordinates, FieldError, Invalid, PersonId};
use std::fmt;

/// An NHS number: ten digits whose last is a modulus 11 check digit.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NhsNumber(String);

impl NhsNumber {
    /// Parses ten digits, with or without spaces, and checks the check digit, for `field`.
    pub fn parse(text: &str, field: &str) -> Result<Self, FieldError> {
        let digits: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        if digits.len() != 10 || !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(FieldError::new(field, "must be ten digits"));
        }
        let values: Vec<u32> = digits.chars().filter_map(|c| c.to_digit(10)).collect();
        if Self::check_digit(&values[..9]) != Some(values[9]) {
            return Err(FieldError::new(field, "has a wrong check digit"));
        }
        Ok(Self(digits))
    }

    /// The modulus 11 check digit of nine digits; `None` when the number cannot have one.
    pub fn check_digit(first_nine: &[u32]) -> Option<u32> {
        let sum: u32 = first_nine
            .iter()
            .zip((2..=10).rev())
            .map(|(digit, weight)| digit * weight)
            .sum();
        match 11 - sum % 11 {
            11 => Some(0),
            10 => None,
            digit => Some(digit),
        }
    }

    /// The ten digits without spaces.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for NhsNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", &self.0[..3], &self.0[3..6], &self.0[6..])
    }
}

code_enum! {
    /// Who pays for a person's care, and so who arranges it.
    pub enum FundingRoute {
        /// The council arranges and pays (a managed service).
        CouncilArranged => "council-arranged", "Council-arranged";
        /// An individual service fund: the council's budget, held by the provider for the person.
        IndividualServiceFund => "isf", "Individual service fund";
        /// A direct payment: the person holds the budget and buys their own care.
        DirectPayment => "direct-payment", "Direct payment";
        /// NHS continuing health care.
        ContinuingHealthCare => "chc", "NHS continuing health care";
        /// The person pays for themselves.
        SelfFunder => "self-funder", "Self-funder";
    }
}

code_enum! {
    /// The primary support reason, as the DHSC client level data return lists them.
    pub enum SupportReason {
        /// Physical support: access and mobility, or personal care.
        PhysicalSupport => "physical", "Physical support";
        /// Sensory support.
        SensorySupport => "sensory", "Sensory support";
        /// Support with memory and cognition.
        MemoryAndCognition => "memory-cognition", "Support with memory and cognition";
        /// Learning disability support.
        LearningDisability => "learning-disability", "Learning disability support";
        /// Mental health support.
        MentalHealth => "mental-health", "Mental health support";
        /// Social support.
        SocialSupport => "social", "Social support";
    }
}

impl_code_list!(FundingRoute, SupportReason);

/// A person receiving care. Special category data: every reader is checked for scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// Stable id.
    pub id: PersonId,
    /// The council's case reference.
    pub council_reference: String,
    /// NHS number, when known.
    pub nhs_number: Option<NhsNumber>,
    /// Name as the person wants it used.
    pub name: String,
    /// The area they live in.
    pub area_id: AreaId,
    /// Where care is delivered.
    pub location: Coordinates,
    /// Who pays.
    pub funding_route: FundingRoute,
    /// Primary support reason.
    pub support_reason: SupportReason,
    /// Complex needs, which carry the complexity enhancement.
    pub complex_needs: bool,
}

impl Person {
    /// Checks the rules a stored person must meet.
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut errors = Vec::new();
        if let Err(error) = required_text(&self.council_reference, "council_reference", 40) {
            errors.push(error);
        }
        if let Err(error) = required_text(&self.name, "name", 120) {
            errors.push(error);
        }
        Invalid::check(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nhs_numbers_check_their_last_digit() {
        // 943 476 5919: the NHS's own published example; weights 10..2 give 299, 299 mod 11 = 2, 11 − 2 = 9.
        let number = NhsNumber::parse("943 476 5919", "nhs_number").unwrap();
        assert_eq!(number.as_str(), "9434765919");
        assert_eq!(number.to_string(), "943 476 5919");
        assert_eq!(
            NhsNumber::parse("9434765918", "nhs_number")
                .unwrap_err()
                .message,
            "has a wrong check digit"
        );
        assert_eq!(
            NhsNumber::parse("94347659", "nhs_number")
                .unwrap_err()
                .message,
            "must be ten digits"
        );
    }

    #[test]
    fn a_remainder_of_one_has_no_valid_check_digit() {
        // Nine digits whose weighted sum leaves 1 mod 11 would need a check digit of 10.
        assert_eq!(NhsNumber::check_digit(&[0, 0, 0, 0, 0, 0, 0, 0, 6]), None); // 6 × 2 = 12, 12 mod 11 = 1
        assert_eq!(
            NhsNumber::check_digit(&[0, 0, 0, 0, 0, 0, 0, 0, 0]),
            Some(0)
        );
    }
}
