//! Invoices: what the council owes a provider for one four-weekly period, line by line, and
//! how the period's planned, delivered and invoiced care compare.
//!
//! - [`period`]: the periods themselves, from the first Monday of the financial year.
//! - [`cover`]: which of the provider's contracts charges a visit ([`cover::cover`]).
//! - [`draft`]: the lines of a provider's invoice from the period's visits, their check-ins
//!   and check-outs, the contracts, the people and the early-start incentives
//!   ([`draft::draft_invoice`]).
//! - [`reconcile`]: planned, delivered and invoiced minutes, and block utilisation, read from
//!   the lines alone, so that a draft and an issued invoice reconcile the same way.
//!
//! Every visit of the period gives exactly one line, charged or not: a visit no contract covers
//! is a line that says so, never left out. Amounts are integer pence; the total is the sum of
//! the lines.

pub mod cover;
pub mod draft;
pub mod period;
pub mod reconcile;

use crate::codes::code_enum;
use crate::{ContractId, ContractKind, FieldError, Invalid, Pence, PersonId, ProviderId};
use crate::{ReferralId, VisitId};
use jiff::civil::Date;

pub use period::InvoicePeriod;

code_enum! {
    /// What a line of an invoice is.
    pub enum LineKind {
        /// A visit charged on its own, under a spot contract.
        Visit => "visit", "Visit";
        /// A visit counted against a block's or group fund's guarantee (paid by the guarantee).
        GuaranteedVisit => "guaranteed-visit", "Visit within a guarantee";
        /// A block's or group fund's guaranteed hours for the period, paid whatever was used.
        Guarantee => "guarantee", "Guaranteed hours";
        /// Time delivered beyond a guarantee, paid at the contract's rate.
        BeyondGuarantee => "beyond-guarantee", "Time beyond the guarantee";
        /// A visit drawn on an individual service fund (paid by the fund's week).
        FundVisit => "fund-visit", "Visit drawn on an individual service fund";
        /// One week of an individual service fund: time paid from the budget and the bank.
        FundWeek => "fund-week", "Individual service fund week";
        /// Time over a fund's budget and bank in a week: shown, not paid.
        OverBudget => "over-budget", "Over the fund's budget";
        /// An early-start incentive earned by a placement.
        Incentive => "incentive", "Early-start incentive";
        /// A visit charged on actual time with no check-out yet: nothing until it is verified.
        Unverified => "unverified", "Not yet verified";
        /// A visit with no check-in: nothing is charged.
        NotDelivered => "not-delivered", "Not delivered";
        /// A visit for someone whose care the council does not pay for (a direct payment or a
        /// self-funder): not on the council's bill.
        NotCouncilFunded => "not-council-funded", "Not funded by the council";
        /// A visit none of the provider's contracts covers: an exception to resolve.
        Uncovered => "uncovered", "No contract covers it";
    }
}

impl LineKind {
    /// Whether the line is about one visit.
    pub fn is_visit(self) -> bool {
        !matches!(
            self,
            LineKind::Guarantee
                | LineKind::BeyondGuarantee
                | LineKind::FundWeek
                | LineKind::OverBudget
                | LineKind::Incentive
        )
    }

    /// Whether the line is an exception someone must look at: a visit no contract covers.
    pub fn is_exception(self) -> bool {
        self == LineKind::Uncovered
    }
}

/// One line of an invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceLine {
    /// Its number on the invoice, from 1.
    pub number: u32,
    /// What it is.
    pub kind: LineKind,
    /// The contract it is charged under, if any.
    pub contract_id: Option<ContractId>,
    /// That contract's kind.
    pub contract_kind: Option<ContractKind>,
    /// The visit, for a line about one visit.
    pub visit_id: Option<VisitId>,
    /// The person cared for, when the line is about one person.
    pub person_id: Option<PersonId>,
    /// The placement's referral, for an incentive.
    pub referral_id: Option<ReferralId>,
    /// The day: a visit's date, a fund week's Monday, the period's first day for a guarantee.
    pub date: Date,
    /// Carer minutes planned (visit lines).
    pub planned_minutes: u32,
    /// Carer minutes between check-in and check-out, once both are known (visit lines).
    pub verified_minutes: u32,
    /// Chargeable minutes counted against a guarantee or a fund, or over a fund's budget, that
    /// this line does not charge itself.
    pub counted_minutes: u32,
    /// Minutes this line charges.
    pub charged_minutes: u32,
    /// The hourly rate the minutes are charged at (0 when nothing is charged).
    pub rate: Pence,
    /// The amount, in pence.
    pub amount: Pence,
    /// Why it is charged as it is, for people reading the invoice.
    pub note: String,
}

/// A provider's invoice for a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invoice {
    /// Who is paid.
    pub provider_id: ProviderId,
    /// For when.
    pub period: InvoicePeriod,
    /// Its lines, numbered from 1 in order.
    pub lines: Vec<InvoiceLine>,
}

impl Invoice {
    /// What it comes to: the sum of its lines.
    pub fn total(&self) -> Pence {
        Pence(self.lines.iter().map(|line| line.amount.0).sum())
    }

    /// Checks the rules an invoice must meet before it is issued: lines numbered 1, 2, … in
    /// order, no negative amount, and charged minutes only where a rate is.
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut errors = Vec::new();
        for (index, line) in self.lines.iter().enumerate() {
            let field = |name: &str| format!("lines[{index}].{name}");
            if line.number as usize != index + 1 {
                errors.push(FieldError::new(
                    field("number"),
                    format!("must be {} (lines are numbered in order)", index + 1),
                ));
            }
            if line.amount.0 < 0 {
                errors.push(FieldError::new(field("amount"), "must not be negative"));
            }
            if line.rate.0 < 0 {
                errors.push(FieldError::new(field("rate"), "must not be negative"));
            }
            if line.kind.is_visit() && line.visit_id.is_none() {
                errors.push(FieldError::new(
                    field("visit_id"),
                    "a visit line names its visit",
                ));
            }
        }
        Invalid::check(errors)
    }
}
