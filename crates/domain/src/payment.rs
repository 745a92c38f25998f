//! What a provider is paid for care, under each payment model: money in integer pence, time in
//! whole minutes, every rounding stated.
//!
//! - **Spot, hourly**: each visit is charged on its planned or its actual time (the contract
//!   says which), per carer, rounded up to the contract's increment, never below its minimum
//!   charge, at the hourly rate with the enhancements that apply to the visit.
//! - **Block**: the guaranteed hours are paid whether used or not; time beyond them is paid as
//!   spot; utilisation is delivered time over guaranteed time.
//! - **Individual service fund**: a person's weekly budget of hours; time not used is banked,
//!   and a week that needs more draws on the bank first; what neither covers is over budget.
//!
//! Amounts are `rate × minutes ÷ 60`, rounded half up to the penny once per visit line.

use crate::codes::code_enum;
use crate::{Contract, FieldError, Pence};

code_enum! {
    /// Which time a visit is charged on.
    pub enum ChargeBasis {
        /// The time planned, whatever happened (as long as the visit was made).
        Planned => "planned", "Planned time";
        /// The time between check-in and check-out.
        Actual => "actual", "Actual time";
    }
}

/// How a contract turns a visit's time into chargeable minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChargeTerms {
    /// Planned or actual time.
    pub basis: ChargeBasis,
    /// Chargeable minutes are rounded up to a multiple of this (1 for none).
    pub increment_minutes: u16,
    /// No visit is charged at fewer minutes than this, per carer.
    pub minimum_minutes: u16,
}

/// The longest rounding increment a contract may set: an hour.
const MAX_INCREMENT_MINUTES: u16 = 60;
/// The longest minimum charge a contract may set: two hours a carer.
const MAX_MINIMUM_MINUTES: u16 = 120;

impl ChargeTerms {
    /// The rules charge terms must meet, each broken one naming its field
    /// (`charge_increment_minutes`, `minimum_charge_minutes`).
    pub fn problems(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if !(1..=MAX_INCREMENT_MINUTES).contains(&self.increment_minutes) {
            errors.push(FieldError::new(
                "charge_increment_minutes",
                format!("must be from 1 to {MAX_INCREMENT_MINUTES} minutes (1 for no rounding)"),
            ));
        }
        if self.minimum_minutes > MAX_MINIMUM_MINUTES {
            errors.push(FieldError::new(
                "minimum_charge_minutes",
                format!("must be at most {MAX_MINIMUM_MINUTES} minutes"),
            ));
        }
        errors
    }
}

impl Default for ChargeTerms {
    /// Actual time, to the next 5 minutes, at least 15 minutes a carer.
    fn default() -> Self {
        Self {
            basis: ChargeBasis::Actual,
            increment_minutes: 5,
            minimum_minutes: 15,
        }
    }
}

/// A visit as payment sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChargedVisit {
    /// Minutes planned.
    pub planned_minutes: u32,
    /// Minutes between check-in and check-out, once known.
    pub actual_minutes: Option<u32>,
    /// Carers on the visit: each is charged.
    pub carers: u8,
    /// Whether it falls in unsocial hours (the contract's enhancement applies).
    pub unsocial: bool,
    /// Whether the person lives in a rural area.
    pub rural: bool,
    /// Whether the person has complex needs.
    pub complex: bool,
    /// The hourly rate agreed for the visit's package when it was placed on a quote: the base
    /// rate in place of the contract's. None pays the contract's base rate.
    pub agreed_rate: Option<Pence>,
}

impl ChargedVisit {
    /// The hourly rate before enhancements: the package's agreed rate when it has one, else
    /// the contract's. The contract's enhancements apply on top of either, as it states them.
    pub fn base_rate(&self, contract: &Contract) -> Pence {
        self.agreed_rate.unwrap_or(contract.hourly_rate)
    }
}

/// One visit's charge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VisitCharge {
    /// Chargeable minutes, all carers together.
    pub minutes: u32,
    /// Hourly rate with enhancements.
    pub hourly_rate: Pence,
    /// The amount.
    pub amount: Pence,
}

/// How far past its plan a visit charged on actual time is paid, per carer: a visit that runs
/// on (a fall, a wait for the doctor) is paid for up to half an hour more than planned, and
/// anything beyond is shown on the invoice, not charged, for the council to agree separately.
/// Without a ceiling, a check-out or a correction hours after the plan would bill hours of care
/// nobody commissioned.
pub const OVERRUN_ALLOWANCE_MINUTES: u32 = 30;

/// The actual minutes a carer's visit is charged for: what was recorded, up to the plan and
/// [`OVERRUN_ALLOWANCE_MINUTES`].
pub fn payable_actual_minutes(planned_minutes: u32, actual_minutes: u32) -> u32 {
    actual_minutes.min(planned_minutes + OVERRUN_ALLOWANCE_MINUTES)
}

/// Chargeable minutes of one visit under `terms`, all carers together. A visit charged on
/// actual time that has no check-out yet charges nothing (it is not yet verified), and one
/// that ran on is charged up to [`payable_actual_minutes`].
pub fn chargeable_minutes(terms: &ChargeTerms, visit: &ChargedVisit) -> u32 {
    let per_carer = match terms.basis {
        ChargeBasis::Planned => visit.planned_minutes,
        ChargeBasis::Actual => match visit.actual_minutes {
            Some(minutes) => payable_actual_minutes(visit.planned_minutes, minutes),
            None => return 0,
        },
    };
    let increment = u32::from(terms.increment_minutes.max(1));
    let rounded = per_carer.div_ceil(increment) * increment;
    rounded.max(u32::from(terms.minimum_minutes)) * u32::from(visit.carers)
}

/// `hourly_rate × minutes ÷ 60`, rounded half up to the penny.
pub fn amount_for(hourly_rate: Pence, minutes: u32) -> Pence {
    let product = i128::from(hourly_rate.0) * i128::from(minutes);
    Pence(((product + 30) / 60) as i64)
}

/// One visit's charge under `contract` and `terms`, at its [`ChargedVisit::base_rate`] with
/// the contract's enhancements that apply.
pub fn charge_visit(contract: &Contract, terms: &ChargeTerms, visit: &ChargedVisit) -> VisitCharge {
    let minutes = chargeable_minutes(terms, visit);
    let hourly_rate = contract.enhance(
        visit.base_rate(contract),
        visit.unsocial,
        visit.rural,
        visit.complex,
    );
    VisitCharge {
        minutes,
        hourly_rate,
        amount: amount_for(hourly_rate, minutes),
    }
}

/// A block contract's period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlockCharge {
    /// Guaranteed minutes in the period.
    pub guaranteed_minutes: u32,
    /// Chargeable minutes delivered.
    pub delivered_minutes: u32,
    /// The guarantee, paid whatever was used, at the base rate.
    pub guaranteed_amount: Pence,
    /// Minutes beyond the guarantee, paid as spot.
    pub extra_minutes: u32,
    /// Their amount, at the base rate.
    pub extra_amount: Pence,
    /// Delivered over guaranteed, in basis points (10 000 = fully used).
    pub utilisation_bp: u32,
}

impl BlockCharge {
    /// What the period costs.
    pub fn total(&self) -> Pence {
        Pence(self.guaranteed_amount.0 + self.extra_amount.0)
    }
}

/// A block contract's charge over `weeks` weeks in which `delivered_minutes` chargeable
/// minutes were delivered.
pub fn charge_block(contract: &Contract, weeks: u32, delivered_minutes: u32) -> BlockCharge {
    let guaranteed_minutes = contract.guaranteed_weekly_minutes * weeks;
    let extra_minutes = delivered_minutes.saturating_sub(guaranteed_minutes);
    let utilisation_bp = if guaranteed_minutes == 0 {
        0
    } else {
        (u64::from(delivered_minutes) * 10_000 / u64::from(guaranteed_minutes)) as u32
    };
    BlockCharge {
        guaranteed_minutes,
        delivered_minutes,
        guaranteed_amount: amount_for(contract.hourly_rate, guaranteed_minutes),
        extra_minutes,
        extra_amount: amount_for(contract.hourly_rate, extra_minutes),
        utilisation_bp,
    }
}

/// A week of an individual service fund.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FundWeek {
    /// Minutes used this week.
    pub used_minutes: u32,
    /// Of those, covered by this week's budget.
    pub from_budget: u32,
    /// Of those, drawn from the bank.
    pub from_bank: u32,
    /// Of those, covered by neither.
    pub over_budget: u32,
    /// Minutes banked this week (budget not used).
    pub banked: u32,
    /// The bank after the week.
    pub bank_after: u32,
}

/// Settles one week of an individual service fund with `weekly_budget_minutes`, a bank of
/// `bank_before` minutes and `used_minutes` delivered.
pub fn settle_fund_week(
    weekly_budget_minutes: u32,
    bank_before: u32,
    used_minutes: u32,
) -> FundWeek {
    let from_budget = used_minutes.min(weekly_budget_minutes);
    let banked = weekly_budget_minutes - from_budget;
    let wanted = used_minutes - from_budget;
    let from_bank = wanted.min(bank_before);
    FundWeek {
        used_minutes,
        from_budget,
        from_bank,
        over_budget: wanted - from_bank,
        banked,
        bank_after: bank_before - from_bank + banked,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AreaId, ContractId, ContractKind, Enhancements, ProviderId};
    use jiff::civil::Date;

    /// £18.00 an hour; unsocial hours +10%, rural +15%, complexity +20%.
    fn contract(kind: ContractKind, guaranteed_weekly_minutes: u32) -> Contract {
        Contract {
            id: ContractId::from_suffix("paid").unwrap(),
            provider_id: ProviderId::from_suffix("paid").unwrap(),
            area_id: Some(AreaId::from_suffix("paid").unwrap()),
            kind,
            hourly_rate: Pence(1_800),
            enhancements: Enhancements {
                unsocial_hours_bp: 1_000,
                rural_bp: 1_500,
                complexity_bp: 2_000,
            },
            guaranteed_weekly_minutes,
            charge_terms: ChargeTerms::default(),
            starts_on: Date::constant(2026, 4, 1),
            ends_on: None,
        }
    }

    fn visit(planned: u32, actual: Option<u32>) -> ChargedVisit {
        ChargedVisit {
            planned_minutes: planned,
            actual_minutes: actual,
            carers: 1,
            unsocial: false,
            rural: false,
            complex: false,
            agreed_rate: None,
        }
    }

    #[test]
    fn spot_on_actual_time_rounds_up_to_the_increment() {
        // 32 minutes actual → 35 chargeable; £18.00 × 35 ÷ 60 = £10.50.
        let charge = charge_visit(
            &contract(ContractKind::Spot, 0),
            &ChargeTerms::default(),
            &visit(30, Some(32)),
        );
        assert_eq!((charge.minutes, charge.amount), (35, Pence(1_050)));
    }

    #[test]
    fn a_visit_that_runs_on_is_paid_up_to_half_an_hour_past_its_plan() {
        // 45 planned, 70 actual: within 45 + 30 = 75, so 70 is charged.
        let terms = ChargeTerms {
            increment_minutes: 1,
            ..ChargeTerms::default()
        };
        assert_eq!(chargeable_minutes(&terms, &visit(45, Some(70))), 70);
        // 45 planned, 600 actual (a check-out ten hours on): 75 charged, 525 not.
        assert_eq!(chargeable_minutes(&terms, &visit(45, Some(600))), 75);
        // Two carers: each is paid up to 75.
        let double = ChargedVisit {
            carers: 2,
            ..visit(45, Some(600))
        };
        assert_eq!(chargeable_minutes(&terms, &double), 150);
        // £18.00 an hour × 75 ÷ 60 = £22.50, not £180.00.
        let charge = charge_visit(
            &contract(ContractKind::Spot, 0),
            &terms,
            &visit(45, Some(600)),
        );
        assert_eq!(charge.amount, Pence(2_250));
    }

    #[test]
    fn spot_on_planned_time_ignores_the_actual() {
        // Planned 45, stayed 38: 45 chargeable; £18.00 × 45 ÷ 60 = £13.50.
        let terms = ChargeTerms {
            basis: ChargeBasis::Planned,
            increment_minutes: 15,
            minimum_minutes: 30,
        };
        let charge = charge_visit(
            &contract(ContractKind::Spot, 0),
            &terms,
            &visit(45, Some(38)),
        );
        assert_eq!((charge.minutes, charge.amount), (45, Pence(1_350)));
    }

    #[test]
    fn the_minimum_charge_applies_per_carer() {
        // A double-handed visit of 9 minutes actual: 10 rounded, 15 minimum, × 2 carers = 30;
        // £18.00 × 30 ÷ 60 = £9.00.
        let mut double = visit(30, Some(9));
        double.carers = 2;
        let charge = charge_visit(
            &contract(ContractKind::Spot, 0),
            &ChargeTerms::default(),
            &double,
        );
        assert_eq!((charge.minutes, charge.amount), (30, Pence(900)));
    }

    #[test]
    fn an_unverified_visit_charges_nothing_on_actual_time() {
        let charge = charge_visit(
            &contract(ContractKind::Spot, 0),
            &ChargeTerms::default(),
            &visit(30, None),
        );
        assert_eq!((charge.minutes, charge.amount), (0, Pence(0)));
    }

    #[test]
    fn enhancements_add_to_the_base_rate() {
        // Unsocial + rural: £18.00 + 10% + 15% = £22.50 an hour; 60 minutes → £22.50.
        let mut evening = visit(60, Some(60));
        evening.unsocial = true;
        evening.rural = true;
        let charge = charge_visit(
            &contract(ContractKind::Spot, 0),
            &ChargeTerms::default(),
            &evening,
        );
        assert_eq!(
            (charge.hourly_rate, charge.amount),
            (Pence(2_250), Pence(2_250))
        );
        // Complex needs alone: £21.60 an hour; 25 minutes → £9.00.
        let mut complex = visit(25, Some(23));
        complex.complex = true;
        let charge = charge_visit(
            &contract(ContractKind::Spot, 0),
            &ChargeTerms::default(),
            &complex,
        );
        assert_eq!(
            (charge.hourly_rate, charge.minutes, charge.amount),
            (Pence(2_160), 25, Pence(900))
        );
    }

    #[test]
    fn a_quote_agreed_at_placement_is_charged_in_place_of_the_contract_rate() {
        // The provider's contract pays £25.00 an hour; it won this package quoting £18.00.
        let mut dear = contract(ContractKind::Spot, 0);
        dear.hourly_rate = Pence(2_500);
        let terms = ChargeTerms {
            increment_minutes: 1,
            minimum_minutes: 0,
            ..ChargeTerms::default()
        };
        let quoted = ChargedVisit {
            agreed_rate: Some(Pence(1_800)),
            ..visit(60, Some(60))
        };
        // An hour at £18.00 = £18.00, not £25.00.
        let charge = charge_visit(&dear, &terms, &quoted);
        assert_eq!(
            (charge.hourly_rate, charge.amount),
            (Pence(1_800), Pence(1_800))
        );
        // The same package without a quote pays the contract's £25.00.
        let unquoted = charge_visit(&dear, &terms, &visit(60, Some(60)));
        assert_eq!(unquoted.amount, Pence(2_500));
        // The contract's enhancements still apply, on the quote: an evening in a rural area is
        // £18.00 + 10% + 15% = £22.50 an hour; 30 minutes → £11.25.
        let evening = ChargedVisit {
            unsocial: true,
            rural: true,
            ..ChargedVisit {
                agreed_rate: Some(Pence(1_800)),
                ..visit(30, Some(30))
            }
        };
        let charge = charge_visit(&dear, &terms, &evening);
        assert_eq!(
            (charge.hourly_rate, charge.amount),
            (Pence(2_250), Pence(1_125))
        );
    }

    #[test]
    fn amounts_round_half_up_to_the_penny() {
        // £15.27 × 7 ÷ 60 = 178.15p → £1.78; × 10 ÷ 60 = 254.5p → £2.55.
        assert_eq!(amount_for(Pence(1_527), 7), Pence(178));
        assert_eq!(amount_for(Pence(1_527), 10), Pence(255));
    }

    #[test]
    fn a_block_pays_its_guarantee_and_spot_beyond_it() {
        // 150 hours a week guaranteed over a 4-week period: 600 hours = £10,800.00.
        let block = contract(ContractKind::Block, 150 * 60);
        // Under-used: 540 hours delivered, utilisation 90%, nothing extra.
        let under = charge_block(&block, 4, 540 * 60);
        assert_eq!(under.guaranteed_amount, Pence(1_080_000));
        assert_eq!((under.extra_minutes, under.extra_amount), (0, Pence(0)));
        assert_eq!(under.utilisation_bp, 9_000);
        assert_eq!(under.total(), Pence(1_080_000));
        // Over: 612.5 hours, 12.5 beyond the guarantee = £225.00 more, utilisation 102.08%.
        let over = charge_block(&block, 4, 612 * 60 + 30);
        assert_eq!(
            (over.extra_minutes, over.extra_amount),
            (750, Pence(22_500))
        );
        assert_eq!(over.utilisation_bp, 10_208);
        assert_eq!(over.total(), Pence(1_102_500));
    }

    #[test]
    fn a_fund_banks_unused_hours_and_draws_on_them_later() {
        // A budget of 10 hours a week.
        let budget = 600;
        // Week 1: 8 hours used, 2 banked.
        let first = settle_fund_week(budget, 0, 480);
        assert_eq!(
            (first.from_budget, first.banked, first.bank_after),
            (480, 120, 120)
        );
        // Week 2: 11 hours: 10 from the budget, 1 from the bank, 1 left in it.
        let second = settle_fund_week(budget, first.bank_after, 660);
        assert_eq!(
            (
                second.from_budget,
                second.from_bank,
                second.over_budget,
                second.bank_after
            ),
            (600, 60, 0, 60)
        );
        // Week 3: 12 hours: 10 + the last hour banked, 1 over budget.
        let third = settle_fund_week(budget, second.bank_after, 720);
        assert_eq!(
            (third.from_bank, third.over_budget, third.bank_after),
            (60, 60, 0)
        );
    }
}
