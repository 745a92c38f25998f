//! What the store offers for dated visits (which to list, changes made together) and for their
//! call events.

use homeward_domain::{PackageId, PersonId, ProviderId, Roster, Visit, VisitId, WorkerId};
use jiff::civil::Date;

/// Which visits to list: those on local dates `from` to `until` (both included), narrowed by
/// the other fields that are set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitFilter {
    /// First local date.
    pub from: Date,
    /// Last local date.
    pub until: Date,
    /// Only this provider's.
    pub provider_id: Option<ProviderId>,
    /// Only this person's.
    pub person_id: Option<PersonId>,
    /// Only this package's.
    pub package_id: Option<PackageId>,
    /// Only those on this care worker's runs of published rosters.
    pub worker_id: Option<WorkerId>,
    /// Leave out cancelled visits.
    pub planned_only: bool,
}

impl VisitFilter {
    /// Every visit, planned or cancelled, from `from` to `until`.
    pub fn between(from: Date, until: Date) -> Self {
        Self {
            from,
            until,
            provider_id: None,
            person_id: None,
            package_id: None,
            worker_id: None,
            planned_only: false,
        }
    }
}

/// Visits to cancel and visits to add, made together in one transaction.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct VisitChanges {
    /// Planned visits no longer wanted.
    pub cancel: Vec<VisitId>,
    /// New planned visits.
    pub add: Vec<Visit>,
}

impl VisitChanges {
    /// Whether there is nothing to do.
    pub fn is_empty(&self) -> bool {
        self.cancel.is_empty() && self.add.is_empty()
    }
}

/// What [`crate::Store::change_visits`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct VisitChangeOutcome {
    /// Visits added.
    pub added: usize,
    /// Visits cancelled (a visit already cancelled, or already started, is left as it is and
    /// not counted).
    pub cancelled: usize,
}

/// What [`crate::Store::record_call_event`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallEventOutcome {
    /// Stored now.
    Stored,
    /// The same event was stored before (a retry); nothing changed.
    AlreadyStored {
        /// When it was first received.
        received_at: jiff::Timestamp,
    },
}

/// A roster without its stops, with how many it holds (for lists of a branch's days).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterSummary {
    /// The roster; its `stops` and `unmade` are left empty.
    pub roster: Roster,
    /// How many stops its runs hold.
    pub stops: usize,
    /// How many of the day's visits no run holds.
    pub unmade: usize,
}
