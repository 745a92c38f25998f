//! Reconciliation: a provider's period as planned, as delivered and as invoiced, read from the
//! invoice's lines alone (a draft's or an issued invoice's), so the figures and the lines can
//! never disagree.
//!
//! - planned: carer minutes of the planned visits (every visit line's `planned_minutes`);
//! - delivered: verified carer minutes, from check-in to check-out (`verified_minutes`);
//! - invoiced: the minutes charged and the amount (`charged_minutes`, `amount`), guarantees,
//!   time beyond them and fund weeks included;
//! - each guarantee's utilisation: the chargeable minutes counted against it over its
//!   guaranteed minutes, in basis points, as [`crate::charge_block`] computes it.

use super::{InvoiceLine, LineKind};
use crate::{ContractId, Pence};
use std::collections::BTreeMap;

/// One block's or group fund's guarantee and its use in the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuaranteeUse {
    /// The contract.
    pub contract_id: ContractId,
    /// Minutes guaranteed in the period.
    pub guaranteed_minutes: u64,
    /// Chargeable minutes delivered under it.
    pub counted_minutes: u64,
    /// Counted over guaranteed, in basis points (10 000 = fully used); `None` with no guarantee.
    pub utilisation_bp: Option<u64>,
}

/// A provider's period, planned, delivered and invoiced.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Reconciliation {
    /// Carer minutes planned.
    pub planned_minutes: u64,
    /// Carer minutes verified by check-in and check-out.
    pub delivered_minutes: u64,
    /// Minutes charged.
    pub invoiced_minutes: u64,
    /// The amount invoiced.
    pub invoiced_amount: Pence,
    /// Visits in the period.
    pub visits: u64,
    /// Of those, charged on actual time and not yet verified.
    pub unverified: u64,
    /// Of those, with no check-in.
    pub not_delivered: u64,
    /// Of those, not the council's to pay.
    pub not_council_funded: u64,
    /// Of those, covered by no contract: exceptions to resolve.
    pub exceptions: u64,
    /// Minutes over individual service funds' budgets and banks (not paid).
    pub over_budget_minutes: u64,
    /// Each guarantee's use, by contract id.
    pub guarantees: Vec<GuaranteeUse>,
}

impl Reconciliation {
    /// Delivered less planned: negative when less care was verified than planned.
    pub fn delivered_less_planned(&self) -> i64 {
        self.delivered_minutes as i64 - self.planned_minutes as i64
    }

    /// Invoiced less delivered: positive when more is charged than was verified (planned-time
    /// terms, rounding, minimum charges, guarantees paid unused).
    pub fn invoiced_less_delivered(&self) -> i64 {
        self.invoiced_minutes as i64 - self.delivered_minutes as i64
    }
}

/// The reconciliation of an invoice's lines.
pub fn reconcile(lines: &[InvoiceLine]) -> Reconciliation {
    let mut figures = Reconciliation::default();
    let mut guarantees: BTreeMap<&ContractId, (u64, u64)> = BTreeMap::new();
    for line in lines {
        figures.planned_minutes += u64::from(line.planned_minutes);
        figures.delivered_minutes += u64::from(line.verified_minutes);
        figures.invoiced_minutes += u64::from(line.charged_minutes);
        figures.invoiced_amount.0 += line.amount.0;
        if line.kind.is_visit() {
            figures.visits += 1;
        }
        match (line.kind, &line.contract_id) {
            (LineKind::Unverified, _) => figures.unverified += 1,
            (LineKind::NotDelivered, _) => figures.not_delivered += 1,
            (LineKind::NotCouncilFunded, _) => figures.not_council_funded += 1,
            (LineKind::Uncovered, _) => figures.exceptions += 1,
            (LineKind::OverBudget, _) => {
                figures.over_budget_minutes += u64::from(line.counted_minutes)
            }
            (LineKind::Guarantee, Some(contract)) => {
                guarantees.entry(contract).or_default().0 += u64::from(line.charged_minutes);
            }
            (LineKind::GuaranteedVisit, Some(contract)) => {
                guarantees.entry(contract).or_default().1 += u64::from(line.counted_minutes);
            }
            _ => {}
        }
    }
    figures.guarantees = guarantees
        .into_iter()
        .map(|(contract_id, (guaranteed, counted))| GuaranteeUse {
            contract_id: contract_id.clone(),
            guaranteed_minutes: guaranteed,
            counted_minutes: counted,
            utilisation_bp: (guaranteed > 0).then(|| counted * 10_000 / guaranteed),
        })
        .collect();
    figures
}
