//! Rosters: a branch-day's runs of care workers, stored whole and replaced whole, read by
//! branch, by day and by care worker through [`RosterStore`].

use crate::{StoreError, VisitFilter};
use async_trait::async_trait;
use homeward_domain::{BranchId, Roster, RosterId, RosterStop, WorkerId};
use jiff::civil::Date;

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

/// Rosters and their stops.
#[async_trait]
pub trait RosterStore: Send + Sync + 'static {
    /// Stores `roster` whole under its id — replacing its stops and unmade visits if it was
    /// stored before — in one transaction, audited as `action` (`plan`, `move`, `publish`)
    /// with the stops before and after.
    ///
    /// Broken rules of [`Roster::validate`] are [`StoreError::Invalid`]; another roster stored
    /// for the same branch and date, or a visit part already on another roster, is
    /// [`StoreError::Duplicate`] (named `branch/date`, or `visit part N`); a branch, visit or
    /// worker that is not stored is [`StoreError::MissingReference`].
    async fn save_roster(
        &self,
        roster: &Roster,
        action: &str,
        actor: &str,
    ) -> Result<(), StoreError>;

    /// The roster with this id, with its stops and unmade visits.
    async fn roster(&self, id: &RosterId) -> Result<Option<Roster>, StoreError>;

    /// A branch's roster for a local date, with its stops and unmade visits.
    async fn branch_roster(
        &self,
        branch: &BranchId,
        date: Date,
    ) -> Result<Option<Roster>, StoreError>;

    /// A branch's rosters dated `from` to `until`, by date, without their stops.
    async fn branch_rosters(
        &self,
        branch: &BranchId,
        from: Date,
        until: Date,
    ) -> Result<Vec<RosterSummary>, StoreError>;

    /// A care worker's stops on rosters dated `from` to `until`, in order of start; only those
    /// of published rosters when `published_only`.
    async fn worker_stops(
        &self,
        worker: &WorkerId,
        from: Date,
        until: Date,
        published_only: bool,
    ) -> Result<Vec<RosterStop>, StoreError>;

    /// The stops of the visits `filter` picks, by worker and start: on any roster, or only on
    /// published ones when `published_only`.
    async fn roster_stops_of(
        &self,
        filter: &VisitFilter,
        published_only: bool,
    ) -> Result<Vec<RosterStop>, StoreError>;
}
