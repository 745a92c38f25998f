//! Contracts between the council and a provider, and how they are priced.

use crate::codes::{code_enum, impl_code_list};
use crate::{AreaId, ChargeTerms, ContractId, FieldError, Invalid, Pence, ProviderId};
use jiff::civil::Date;

code_enum! {
    /// How a contract buys care.
    pub enum ContractKind {
        /// A geographic block: guaranteed hours in an area, paid whether used or not.
        Block => "block", "Block";
        /// Spot purchase, package by package, at an hourly rate.
        Spot => "spot", "Spot";
        /// An individual service fund: a person's budget held by the provider.
        IndividualServiceFund => "isf", "Individual service fund";
        /// A group service fund: a budget for a group of people in an area.
        GroupServiceFund => "gsf", "Group service fund";
    }
}

impl_code_list!(ContractKind);

/// Percentage uplifts on the hourly rate, in basis points (1 000 = 10%).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Enhancements {
    /// Evenings, nights, weekends and bank holidays.
    pub unsocial_hours_bp: u32,
    /// Visits in rural areas.
    pub rural_bp: u32,
    /// People with complex needs.
    pub complexity_bp: u32,
}

/// A contract with a provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contract {
    /// Stable id.
    pub id: ContractId,
    /// The provider.
    pub provider_id: ProviderId,
    /// The area a block or group fund covers; spot and ISF contracts cover the whole council.
    pub area_id: Option<AreaId>,
    /// How it buys care.
    pub kind: ContractKind,
    /// The base hourly rate.
    pub hourly_rate: Pence,
    /// Uplifts on the base rate.
    pub enhancements: Enhancements,
    /// Weekly minutes the council pays for whether used or not (blocks); 0 otherwise.
    pub guaranteed_weekly_minutes: u32,
    /// How visits' time becomes chargeable minutes: planned or actual, the rounding increment
    /// and the minimum charge.
    pub charge_terms: ChargeTerms,
    /// First day.
    pub starts_on: Date,
    /// Last day, when fixed.
    pub ends_on: Option<Date>,
}

/// Uplifts above this are surely a typing mistake: 100% doubles the rate.
const MAX_ENHANCEMENT_BP: u32 = 10_000;

impl Contract {
    /// Checks the rules a stored contract must meet.
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut errors = Vec::new();
        let most = crate::brokerage::MAX_HOURLY_RATE.0;
        if !(1..=most).contains(&self.hourly_rate.0) {
            errors.push(FieldError::new(
                "hourly_rate_pence",
                format!("must be more than zero and at most {most} (£200 an hour)"),
            ));
        }
        let area_based = matches!(
            self.kind,
            ContractKind::Block | ContractKind::GroupServiceFund
        );
        if area_based && self.area_id.is_none() {
            errors.push(FieldError::new(
                "area_id",
                format!(
                    "a {} contract must name its area",
                    self.kind.label().to_lowercase()
                ),
            ));
        }
        match (self.kind, self.guaranteed_weekly_minutes) {
            (ContractKind::Block, 0) => errors.push(FieldError::new(
                "guaranteed_weekly_hours",
                "a block contract guarantees some hours",
            )),
            (ContractKind::Spot | ContractKind::IndividualServiceFund, minutes) if minutes > 0 => {
                errors.push(FieldError::new(
                    "guaranteed_weekly_hours",
                    "only block and group contracts guarantee hours",
                ))
            }
            _ => {}
        }
        let enhancements = [
            (
                "unsocial_hours_enhancement_bp",
                self.enhancements.unsocial_hours_bp,
            ),
            ("rural_enhancement_bp", self.enhancements.rural_bp),
            ("complexity_enhancement_bp", self.enhancements.complexity_bp),
        ];
        for (field, basis_points) in enhancements {
            if basis_points > MAX_ENHANCEMENT_BP {
                errors.push(FieldError::new(field, "must be at most 10000 (100%)"));
            }
        }
        errors.extend(self.charge_terms.problems());
        if self.ends_on.is_some_and(|ends_on| ends_on < self.starts_on) {
            errors.push(FieldError::new("ends_on", "must not be before starts_on"));
        }
        Invalid::check(errors)
    }

    /// Whether the contract is in force on `date`.
    pub fn is_in_force_on(&self, date: Date) -> bool {
        self.starts_on <= date && self.ends_on.is_none_or(|ends_on| ends_on >= date)
    }

    /// The hourly rate with the enhancements that apply to one hour of care added.
    pub fn enhanced_rate(&self, unsocial: bool, rural: bool, complex: bool) -> Pence {
        self.enhance(self.hourly_rate, unsocial, rural, complex)
    }

    /// `base` with this contract's enhancements that apply added: how a rate agreed for one
    /// package (a quote) is uplifted, as the contract's own rate would be.
    pub fn enhance(&self, base: Pence, unsocial: bool, rural: bool, complex: bool) -> Pence {
        let uplift_bp = [
            (unsocial, self.enhancements.unsocial_hours_bp),
            (rural, self.enhancements.rural_bp),
            (complex, self.enhancements.complexity_bp),
        ]
        .iter()
        .filter(|(applies, _)| *applies)
        .map(|(_, basis_points)| basis_points)
        .sum::<u32>();
        Pence(base.0 + base.scaled_by_basis_points(uplift_bp).0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block() -> Contract {
        Contract {
            id: ContractId::from_suffix("test").unwrap(),
            provider_id: ProviderId::from_suffix("test").unwrap(),
            area_id: Some(AreaId::from_suffix("test").unwrap()),
            kind: ContractKind::Block,
            hourly_rate: Pence(1_527),
            enhancements: Enhancements {
                unsocial_hours_bp: 1_000,
                rural_bp: 1_500,
                complexity_bp: 0,
            },
            guaranteed_weekly_minutes: 150 * 60,
            charge_terms: ChargeTerms::default(),
            starts_on: Date::constant(2015, 11, 1),
            ends_on: Some(Date::constant(2019, 10, 31)),
        }
    }

    #[test]
    fn a_block_contract_is_valid() {
        assert!(block().validate().is_ok());
    }

    #[test]
    fn enhancements_add_up_on_the_base_rate() {
        // £15.27 + 10% (152.7p) + 15% (229.05p) = 15.27 × 1.25 = £19.0875, rounded to £19.09.
        assert_eq!(block().enhanced_rate(true, true, false), Pence(1_909));
        assert_eq!(block().enhanced_rate(false, false, true), Pence(1_527));
    }

    #[test]
    fn broken_rules_name_their_fields() {
        let mut contract = block();
        contract.area_id = None;
        contract.guaranteed_weekly_minutes = 0;
        contract.enhancements.rural_bp = 20_000;
        contract.charge_terms.increment_minutes = 0;
        contract.charge_terms.minimum_minutes = 600;
        contract.ends_on = Some(Date::constant(2015, 1, 1));
        contract.hourly_rate = Pence(152_700);
        let Invalid(errors) = contract.validate().unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|error| error.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "hourly_rate_pence",
                "area_id",
                "guaranteed_weekly_hours",
                "rural_enhancement_bp",
                "charge_increment_minutes",
                "minimum_charge_minutes",
                "ends_on"
            ]
        );
    }

    #[test]
    fn charge_terms_take_an_increment_up_to_an_hour_and_a_minimum_up_to_two() {
        let mut contract = block();
        contract.charge_terms.increment_minutes = 60;
        contract.charge_terms.minimum_minutes = 120;
        assert!(contract.validate().is_ok());
        contract.charge_terms.increment_minutes = 61;
        let Invalid(errors) = contract.validate().unwrap_err();
        assert_eq!(errors[0].field, "charge_increment_minutes");
        assert!(
            errors[0].message.contains("1 to 60"),
            "{}",
            errors[0].message
        );
    }

    #[test]
    fn a_contract_is_in_force_from_its_first_to_its_last_day() {
        let contract = block();
        assert!(contract.is_in_force_on(Date::constant(2015, 11, 1)));
        assert!(contract.is_in_force_on(Date::constant(2019, 10, 31)));
        assert!(!contract.is_in_force_on(Date::constant(2015, 10, 31)));
        assert!(!contract.is_in_force_on(Date::constant(2019, 11, 1)));
    }

    #[test]
    fn spot_contracts_guarantee_nothing() {
        let mut contract = block();
        contract.kind = ContractKind::Spot;
        assert_eq!(
            contract.validate().unwrap_err().0[0].field,
            "guaranteed_weekly_hours"
        );
    }
}
