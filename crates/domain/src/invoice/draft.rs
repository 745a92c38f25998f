//! The lines of a provider's invoice for a period, from the period's visits with their
//! check-ins and check-outs, the provider's contracts, the people and the incentives earned.
//!
//! Each visit gives one line, in order of start:
//! - not the council's to pay ([`LineKind::NotCouncilFunded`]: its planned and verified
//!   minutes are in the note only, so they stay out of the reconciliation), or no contract
//!   covers it ([`LineKind::Uncovered`]): nothing charged, the reason in the note;
//! - no check-in: [`LineKind::NotDelivered`], nothing charged, on either basis;
//! - on actual time with no check-out (or one before the check-in):
//!   [`LineKind::Unverified`], nothing charged until it is verified;
//! - otherwise its chargeable minutes under the contract's terms (planned or actual time per
//!   carer, rounded up to the increment, never below the minimum, times the carers):
//!   - spot: a [`LineKind::Visit`] charged at the base rate with the contract's enhancements
//!     that apply (unsocial hours by [`crate::is_unsocial`], a rural area, complex needs); the
//!     base rate is the one agreed for the visit's package when it was placed on a quote at a
//!     broadcast step, else the contract's;
//!   - block or group service fund: a [`LineKind::GuaranteedVisit`], counted against the
//!     contract's guarantee;
//!   - individual service fund: a [`LineKind::FundVisit`], counted against the person's week.
//!
//! Then, for each block and group fund in contract id order, its [`LineKind::Guarantee`] (the
//! guaranteed hours of the weeks of the period wholly within the contract, at the base rate,
//! whatever was used) and its [`LineKind::BeyondGuarantee`] (counted minutes beyond it, at the
//! base rate), as [`crate::charge_block`] reckons them. Blocks and funds are priced all-in at
//! their base rate: enhancements apply to spot visits.
//!
//! Then, for each person on an individual service fund, week by week (Monday to Sunday), a
//! [`LineKind::FundWeek`] paying what the week's budget and the bank cover, at the fund
//! contract's base rate, and an [`LineKind::OverBudget`] line for what neither covers (shown,
//! not paid), as [`crate::settle_fund_week`] settles them. The bank starts empty at the period's
//! first Monday and what is left in it at the end lapses, so each invoice stands on its own.
//!
//! Last, the early-start incentives for care that started during the period.

use super::{Invoice, InvoiceLine, InvoicePeriod, LineKind};
use crate::invoice::cover::{Cover, Covered, cover};
use crate::{
    AreaId, ChargeBasis, ChargedVisit, Contract, ContractId, ContractKind, FundingRoute,
    OVERRUN_ALLOWANCE_MINUTES, PackageId, Pence, PersonId, ProviderId, ReferralId, Visit,
    amount_for, charge_block, charge_visit, chargeable_minutes, is_unsocial,
    payable_actual_minutes, settle_fund_week,
};
use jiff::Timestamp;
use jiff::civil::Date;
use std::collections::{BTreeMap, HashMap};

/// A visit with the check-in and check-out call monitoring holds for it.
#[derive(Debug, Clone, Copy)]
pub struct VisitTimes<'a> {
    /// The visit.
    pub visit: &'a Visit,
    /// When the care worker checked in, if they did.
    pub check_in: Option<Timestamp>,
    /// When they checked out, if they did.
    pub check_out: Option<Timestamp>,
}

/// What charging needs to know of a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonTerms {
    /// Where they live.
    pub area_id: AreaId,
    /// Whether the area is rural (the rural enhancement).
    pub rural: bool,
    /// Whether they have complex needs (the complexity enhancement).
    pub complex: bool,
    /// Who pays for their care.
    pub funding_route: FundingRoute,
}

/// An early-start incentive earned by a placement with this provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EarnedIncentive {
    /// The referral placed.
    pub referral_id: ReferralId,
    /// The person placed, when known.
    pub person_id: Option<PersonId>,
    /// The amount.
    pub amount: Pence,
    /// The day care started: the incentive falls in the period holding this day.
    pub starts_on: Date,
    /// Days from referral to the first visit.
    pub pickup_days: i32,
}

/// Everything one provider's invoice for one period is made from.
#[derive(Debug, Clone, Copy)]
pub struct DraftInputs<'a> {
    /// The provider.
    pub provider_id: &'a ProviderId,
    /// The period.
    pub period: InvoicePeriod,
    /// The provider's contracts (others' are ignored).
    pub contracts: &'a [Contract],
    /// The provider's visits of the period that were not cancelled.
    pub visits: &'a [VisitTimes<'a>],
    /// The people those visits are for.
    pub people: &'a HashMap<PersonId, PersonTerms>,
    /// Each fund person's weekly budget in carer minutes, one figure per week of the period
    /// (the weekly minutes of their packages with this provider running that week).
    pub fund_budgets: &'a BTreeMap<PersonId, Vec<u32>>,
    /// The provider's incentives (those starting outside the period are ignored).
    pub incentives: &'a [EarnedIncentive],
    /// The hourly rates agreed for the provider's packages placed on a quote (dynamic market
    /// or spot): their visits are charged at them in place of the contract's base rate. A
    /// package not here pays the contract's rate.
    pub agreed_rates: &'a HashMap<PackageId, Pence>,
}

/// Whole minutes from check-in to check-out, rounded down; `None` until both are known, or
/// when the check-out is before the check-in.
pub fn call_minutes(check_in: Option<Timestamp>, check_out: Option<Timestamp>) -> Option<u32> {
    match (check_in, check_out) {
        (Some(arrived), Some(left)) if left >= arrived => {
            u32::try_from(arrived.duration_until(left).as_mins()).ok()
        }
        _ => None,
    }
}

/// The invoice of `inputs.provider_id` for `inputs.period`, as the module describes.
pub fn draft_invoice(inputs: &DraftInputs<'_>) -> Invoice {
    let own: Vec<Contract> = inputs
        .contracts
        .iter()
        .filter(|contract| &contract.provider_id == inputs.provider_id)
        .cloned()
        .collect();
    let weeks = inputs.period.week_starts();
    let mut visits: Vec<&VisitTimes<'_>> = inputs
        .visits
        .iter()
        .filter(|times| {
            &times.visit.provider_id == inputs.provider_id
                && inputs.period.contains(times.visit.dated.date)
        })
        .collect();
    visits.sort_by(|a, b| {
        (a.visit.dated.starts_at, &a.visit.id).cmp(&(b.visit.dated.starts_at, &b.visit.id))
    });

    let mut lines = Vec::new();
    let mut guaranteed_use: BTreeMap<ContractId, u32> = BTreeMap::new();
    let mut fund_use: BTreeMap<PersonId, (ContractId, Vec<u32>)> = BTreeMap::new();
    for times in visits {
        let line = visit_line(times, &own, inputs.people, inputs.agreed_rates);
        if let Some(contract_id) = &line.contract_id {
            match line.kind {
                LineKind::GuaranteedVisit => {
                    *guaranteed_use.entry(contract_id.clone()).or_default() += line.counted_minutes;
                }
                LineKind::FundVisit => {
                    let person = times.visit.dated.person_id.clone();
                    let (_, used) = fund_use
                        .entry(person)
                        .or_insert_with(|| (contract_id.clone(), vec![0; weeks.len()]));
                    let week = weeks
                        .iter()
                        .rposition(|monday| *monday <= times.visit.dated.date)
                        .unwrap_or(0);
                    used[week] += line.counted_minutes;
                }
                _ => {}
            }
        }
        lines.push(line);
    }
    let mut guarantors: Vec<&Contract> = own
        .iter()
        .filter(|contract| {
            matches!(
                contract.kind,
                ContractKind::Block | ContractKind::GroupServiceFund
            )
        })
        .collect();
    guarantors.sort_by(|a, b| a.id.cmp(&b.id));
    for contract in guarantors {
        lines.extend(guarantee_lines(
            contract,
            inputs.period,
            guaranteed_use.get(&contract.id).copied().unwrap_or(0),
        ));
    }
    for (person, (contract_id, used)) in &fund_use {
        let Some(contract) = own.iter().find(|contract| &contract.id == contract_id) else {
            continue;
        };
        let budgets = inputs.fund_budgets.get(person);
        lines.extend(fund_lines(contract, person, &weeks, budgets, used));
    }
    let mut incentives: Vec<&EarnedIncentive> = inputs
        .incentives
        .iter()
        .filter(|incentive| inputs.period.contains(incentive.starts_on))
        .collect();
    incentives.sort_by(|a, b| a.referral_id.cmp(&b.referral_id));
    for incentive in incentives {
        lines.push(InvoiceLine {
            referral_id: Some(incentive.referral_id.clone()),
            person_id: incentive.person_id.clone(),
            amount: incentive.amount,
            note: format!(
                "care started on {}, {} days after the referral",
                incentive.starts_on, incentive.pickup_days
            ),
            ..blank(LineKind::Incentive, incentive.starts_on)
        });
    }
    for (index, line) in lines.iter_mut().enumerate() {
        line.number = index as u32 + 1;
    }
    Invoice {
        provider_id: inputs.provider_id.clone(),
        period: inputs.period,
        lines,
    }
}

/// A line of `kind` on `date` with nothing in it yet.
fn blank(kind: LineKind, date: Date) -> InvoiceLine {
    InvoiceLine {
        number: 0,
        kind,
        contract_id: None,
        contract_kind: None,
        visit_id: None,
        person_id: None,
        referral_id: None,
        date,
        planned_minutes: 0,
        verified_minutes: 0,
        counted_minutes: 0,
        charged_minutes: 0,
        rate: Pence(0),
        amount: Pence(0),
        note: String::new(),
    }
}

/// The one line of one visit.
fn visit_line(
    times: &VisitTimes<'_>,
    contracts: &[Contract],
    people: &HashMap<PersonId, PersonTerms>,
    agreed_rates: &HashMap<PackageId, Pence>,
) -> InvoiceLine {
    let visit = times.visit;
    let carers = u32::from(visit.dated.carers);
    let per_carer = call_minutes(times.check_in, times.check_out);
    let base = InvoiceLine {
        visit_id: Some(visit.id.clone()),
        person_id: Some(visit.dated.person_id.clone()),
        planned_minutes: u32::from(visit.dated.duration_minutes) * carers,
        verified_minutes: per_carer.unwrap_or(0) * carers,
        ..blank(LineKind::Uncovered, visit.dated.date)
    };
    let Some(person) = people.get(&visit.dated.person_id) else {
        return InvoiceLine {
            note: "the person is not in the register".into(),
            ..base
        };
    };
    let covered = Covered {
        area_id: &person.area_id,
        funding_route: person.funding_route,
    };
    let contract = match cover(contracts, covered, visit.dated.date) {
        Cover::Contract(contract) => contract,
        Cover::NotCouncilFunded(route) => {
            // Not the council's care: its minutes stay out of the reconciliation's figures.
            return InvoiceLine {
                kind: LineKind::NotCouncilFunded,
                note: format!(
                    "paid for by the person ({}); planned {} min, verified {} min",
                    route.label().to_lowercase(),
                    base.planned_minutes,
                    base.verified_minutes
                ),
                planned_minutes: 0,
                verified_minutes: 0,
                ..base
            };
        }
        Cover::Uncovered(reason) => {
            return InvoiceLine {
                note: reason.to_owned(),
                ..base
            };
        }
    };
    let base = InvoiceLine {
        contract_id: Some(contract.id.clone()),
        contract_kind: Some(contract.kind),
        ..base
    };
    let terms = &contract.charge_terms;
    if times.check_in.is_none() {
        return InvoiceLine {
            kind: LineKind::NotDelivered,
            note: "no check-in".into(),
            ..base
        };
    }
    if terms.basis == ChargeBasis::Actual && per_carer.is_none() {
        let why = if times.check_out.is_some() {
            "the check-out is before the check-in"
        } else {
            "no check-out yet"
        };
        return InvoiceLine {
            kind: LineKind::Unverified,
            note: format!("charged on actual time: {why}"),
            ..base
        };
    }
    let charged = ChargedVisit {
        planned_minutes: u32::from(visit.dated.duration_minutes),
        actual_minutes: per_carer,
        carers: visit.dated.carers,
        unsocial: is_unsocial(visit.dated.date, visit.dated.local_start),
        rural: person.rural,
        complex: person.complex,
        agreed_rate: agreed_rates.get(&visit.dated.package_id).copied(),
    };
    let minutes = chargeable_minutes(terms, &charged);
    let timing = describe_time(contract, &charged, minutes);
    match contract.kind {
        ContractKind::Spot => {
            let charge = charge_visit(contract, terms, &charged);
            InvoiceLine {
                kind: LineKind::Visit,
                charged_minutes: charge.minutes,
                rate: charge.hourly_rate,
                amount: charge.amount,
                note: format!(
                    "{timing}; {}{}",
                    describe_agreed_rate(&charged),
                    describe_enhancements(contract, &charged)
                ),
                ..base
            }
        }
        ContractKind::Block | ContractKind::GroupServiceFund => InvoiceLine {
            kind: LineKind::GuaranteedVisit,
            counted_minutes: minutes,
            note: format!("{timing}; counted against the guarantee"),
            ..base
        },
        ContractKind::IndividualServiceFund => InvoiceLine {
            kind: LineKind::FundVisit,
            counted_minutes: minutes,
            note: format!("{timing}; drawn on the fund"),
            ..base
        },
    }
}

/// "actual time 32 min, 35 chargeable": the time charged on and what it comes to.
fn describe_time(contract: &Contract, visit: &ChargedVisit, chargeable: u32) -> String {
    let terms = &contract.charge_terms;
    let minutes = match terms.basis {
        ChargeBasis::Planned => visit.planned_minutes,
        ChargeBasis::Actual => visit.actual_minutes.unwrap_or(0),
    };
    let carers = if visit.carers > 1 {
        format!(" × {} carers", visit.carers)
    } else {
        String::new()
    };
    let over = match (terms.basis, visit.actual_minutes) {
        (ChargeBasis::Actual, Some(actual))
            if payable_actual_minutes(visit.planned_minutes, actual) < actual =>
        {
            format!(
                " ({} min past the plan's {} and {OVERRUN_ALLOWANCE_MINUTES} more not charged)",
                actual - payable_actual_minutes(visit.planned_minutes, actual),
                visit.planned_minutes,
            )
        }
        _ => String::new(),
    };
    format!(
        "{} {minutes} min{carers}, {chargeable} chargeable{over}",
        terms.basis.label().to_lowercase()
    )
}

/// "rate agreed at placement £18.00; " for a package placed on a quote, else nothing.
fn describe_agreed_rate(visit: &ChargedVisit) -> String {
    visit.agreed_rate.map_or_else(String::new, |rate| {
        format!("rate agreed at placement {rate}; ")
    })
}

/// "unsocial hours +10%, rural +15%", or "no enhancement".
fn describe_enhancements(contract: &Contract, visit: &ChargedVisit) -> String {
    let enhancements = &contract.enhancements;
    let applying: Vec<String> = [
        (
            visit.unsocial,
            "unsocial hours",
            enhancements.unsocial_hours_bp,
        ),
        (visit.rural, "rural", enhancements.rural_bp),
        (visit.complex, "complex needs", enhancements.complexity_bp),
    ]
    .into_iter()
    .filter(|(applies, _, basis_points)| *applies && *basis_points > 0)
    .map(|(_, name, basis_points)| format!("{name} +{}", percent(basis_points)))
    .collect();
    if applying.is_empty() {
        "no enhancement".into()
    } else {
        applying.join(", ")
    }
}

/// Basis points as a percentage: 1000 → "10%", 1250 → "12.5%".
fn percent(basis_points: u32) -> String {
    let whole = basis_points / 100;
    let hundredths = basis_points % 100;
    if hundredths == 0 {
        format!("{whole}%")
    } else {
        format!("{whole}.{hundredths:02}%")
            .trim_end_matches('0')
            .to_owned()
    }
}

/// The weeks of `period` wholly within `contract`'s dates.
fn weeks_in_force(contract: &Contract, period: InvoicePeriod) -> u32 {
    period
        .week_starts()
        .into_iter()
        .filter(|monday| {
            let sunday = monday
                .checked_add(jiff::Span::new().days(6))
                .expect("within the calendar");
            contract.is_in_force_on(*monday) && contract.is_in_force_on(sunday)
        })
        .count() as u32
}

/// A block's or group fund's guarantee and the time beyond it, for `counted` chargeable
/// minutes delivered under it in `period`.
fn guarantee_lines(contract: &Contract, period: InvoicePeriod, counted: u32) -> Vec<InvoiceLine> {
    let weeks = weeks_in_force(contract, period);
    if weeks == 0 && counted == 0 {
        return Vec::new();
    }
    let charge = charge_block(contract, weeks, counted);
    let base = InvoiceLine {
        contract_id: Some(contract.id.clone()),
        contract_kind: Some(contract.kind),
        rate: contract.hourly_rate,
        ..blank(LineKind::Guarantee, period.starts_on())
    };
    let mut lines = Vec::new();
    if charge.guaranteed_minutes > 0 {
        lines.push(InvoiceLine {
            charged_minutes: charge.guaranteed_minutes,
            amount: charge.guaranteed_amount,
            note: format!(
                "{} a week for {weeks} weeks; {} used, {}",
                hours(contract.guaranteed_weekly_minutes),
                hours(counted),
                utilisation(charge.utilisation_bp)
            ),
            ..base.clone()
        });
    }
    if charge.extra_minutes > 0 {
        lines.push(InvoiceLine {
            kind: LineKind::BeyondGuarantee,
            charged_minutes: charge.extra_minutes,
            amount: charge.extra_amount,
            note: format!(
                "{} delivered beyond the {} guaranteed",
                hours(charge.extra_minutes),
                hours(charge.guaranteed_minutes)
            ),
            ..base
        });
    }
    lines
}

/// A fund person's weeks: what each pays and what goes over budget.
fn fund_lines(
    contract: &Contract,
    person: &PersonId,
    weeks: &[Date],
    budgets: Option<&Vec<u32>>,
    used: &[u32],
) -> Vec<InvoiceLine> {
    let mut lines = Vec::new();
    let mut bank = 0;
    for (index, monday) in weeks.iter().enumerate() {
        let budget = budgets
            .and_then(|budgets| budgets.get(index))
            .copied()
            .unwrap_or(0);
        if budget == 0 && used[index] == 0 {
            continue;
        }
        let week = settle_fund_week(budget, bank, used[index]);
        bank = week.bank_after;
        let base = InvoiceLine {
            contract_id: Some(contract.id.clone()),
            contract_kind: Some(contract.kind),
            person_id: Some(person.clone()),
            ..blank(LineKind::FundWeek, *monday)
        };
        let paid = week.from_budget + week.from_bank;
        lines.push(InvoiceLine {
            charged_minutes: paid,
            rate: contract.hourly_rate,
            amount: amount_for(contract.hourly_rate, paid),
            note: format!(
                "budget {budget} min, used {}: {} from the budget, {} from the bank, {} banked; bank now {}",
                week.used_minutes, week.from_budget, week.from_bank, week.banked, week.bank_after
            ),
            ..base.clone()
        });
        if week.over_budget > 0 {
            lines.push(InvoiceLine {
                kind: LineKind::OverBudget,
                counted_minutes: week.over_budget,
                note: format!(
                    "{} min over the week's budget and the bank: not paid",
                    week.over_budget
                ),
                ..base
            });
        }
    }
    lines
}

/// Minutes as hours for notes: "150 h", "12 h 30 min".
fn hours(minutes: u32) -> String {
    match minutes % 60 {
        0 => format!("{} h", minutes / 60),
        rest => format!("{} h {rest} min", minutes / 60),
    }
}

/// Basis points of use as "90.00% of it".
fn utilisation(basis_points: u32) -> String {
    format!("{}.{:02}% of it", basis_points / 100, basis_points % 100)
}

#[cfg(test)]
mod tests;
