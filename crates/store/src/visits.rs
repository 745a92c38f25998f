//! What the store offers for dated visits (which to list, changes made together) and for their
//! call events.

use crate::{CallEventResult, CallTiming, SentCallEvent, StoreError};
use async_trait::async_trait;
use homeward_domain::{CallEvent, Correction, EventKey, RosterStop};
use homeward_domain::{PackageId, PersonId, ProviderId, Visit, VisitId, WorkerId};
use jiff::Timestamp;
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

/// What [`VisitStore::change_visits`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct VisitChangeOutcome {
    /// Visits added.
    pub added: usize,
    /// Visits cancelled (a visit already cancelled, or already started, is left as it is and
    /// not counted).
    pub cancelled: usize,
}

/// What [`VisitStore::record_call_event`] did.
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

/// Dated visits, the check-ins and check-outs made at them, and coordinators' corrections of
/// their times.
#[async_trait]
pub trait VisitStore: Send + Sync + 'static {
    /// The visits `filter` picks, in order of start.
    async fn visits(&self, filter: &VisitFilter) -> Result<Vec<Visit>, StoreError>;

    /// One visit, if stored.
    async fn visit(&self, id: &VisitId) -> Result<Option<Visit>, StoreError>;

    /// Cancels and adds visits in one transaction, audited as one event. Only planned visits
    /// that start at or after `now` are cancelled: history is never rewritten. Every visit
    /// added must be planned and start at or after `now`; a package has one planned visit at
    /// most at a local date and time.
    async fn change_visits(
        &self,
        changes: &VisitChanges,
        now: Timestamp,
        actor: &str,
    ) -> Result<VisitChangeOutcome, StoreError>;

    /// Stores a check-in or check-out once per idempotency key, audited, received at
    /// `received_at`. Keys are the provider's own: an event's key is looked up among the events
    /// of its visit's provider, and the audit trail names it `provider/key`. The same event
    /// again is [`CallEventOutcome::AlreadyStored`]; another event with a key already used is
    /// [`StoreError::Duplicate`]; an unknown visit or worker is
    /// [`StoreError::MissingReference`]; a new event for a visit on an issued invoice is
    /// [`StoreError::Locked`] (checked under the writer lock that issuing takes too).
    async fn record_call_event(
        &self,
        event: &CallEvent,
        received_at: Timestamp,
        actor: &str,
    ) -> Result<CallEventOutcome, StoreError>;

    /// A visit's check-ins and check-outs, in the order they happened.
    async fn call_events(&self, visit_id: &VisitId) -> Result<Vec<CallEvent>, StoreError>;

    /// The check-ins and check-outs of the visits `filter` picks, in the order they happened.
    async fn call_events_of(&self, filter: &VisitFilter) -> Result<Vec<CallEvent>, StoreError>;

    /// The timing of the same events as [`VisitStore::call_events_of`], in the same order, without
    /// what reckonings over many visits do not need.
    async fn call_timings_of(&self, filter: &VisitFilter) -> Result<Vec<CallTiming>, StoreError>;

    /// Stores many check-ins and check-outs in ONE transaction, received at `received_at`,
    /// each with its own audit event (`create`, kind `call-event`, by its sender) and its own
    /// outcome, in the order sent: one event refused does not stop the others. Each is taken as
    /// [`VisitStore::record_call_event`] takes one; a key repeated within the batch is taken once,
    /// its repeats being [`CallEventOutcome::AlreadyStored`] (received at `received_at`) when
    /// they are the same event and [`StoreError::Duplicate`] when not.
    ///
    /// The outer error is the database failing: then nothing of the batch is stored. When this
    /// returns, the batch is committed as durably as the backend is set to keep it (see
    /// ARCHITECTURE.md: SQLite `synchronous = FULL` in WAL, PostgreSQL `synchronous_commit`
    /// on).
    async fn record_call_events(
        &self,
        events: &[SentCallEvent],
        received_at: Timestamp,
    ) -> Result<Vec<CallEventResult>, StoreError>;

    /// Stores a coordinator's correction of a visit's times in one transaction, audited as
    /// `correct` (kind `correction`) with the times it replaces as `before`: the visit's
    /// standing correction's stored columns, or without one its first check-in's and last
    /// check-out's times (`visit_id`, `check_in_at`, `check_out_at`, null when none). Broken rules of [`Correction::validate`] are
    /// [`StoreError::Invalid`]; a visit on an issued invoice is [`StoreError::Locked`] and
    /// nothing changes; a visit that is not stored is [`StoreError::MissingReference`].
    async fn correct_visit(&self, correction: &Correction, actor: &str) -> Result<(), StoreError>;

    /// Every correction of the visits `filter` picks, by visit, oldest first (the last of a
    /// visit is the one that stands).
    async fn corrections_of(&self, filter: &VisitFilter) -> Result<Vec<Correction>, StoreError>;

    /// Imports past check-ins and check-outs in bulk, each received at the time given with it,
    /// in one transaction with one audit event (`import`, kind `call-events`): for a history
    /// made elsewhere (the demo's). A key already stored, or twice in the batch, in the key
    /// space of its visit's provider is [`StoreError::Duplicate`]; a visit or worker not stored
    /// is [`StoreError::MissingReference`]; a visit on an issued invoice is
    /// [`StoreError::Locked`]; nothing is stored then. Returns how many were stored.
    async fn import_call_events(
        &self,
        events: &[(CallEvent, Timestamp)],
        actor: &str,
    ) -> Result<usize, StoreError>;

    /// One visit, if stored, with its stops (any part) on published rosters: the care workers
    /// given it to make, whose check-ins and check-outs alone are taken. One lookup, since
    /// every call event's checks need both.
    async fn visit_with_published_stops(
        &self,
        id: &VisitId,
    ) -> Result<Option<(Visit, Vec<RosterStop>)>, StoreError>;

    /// The event stored under `key` in `provider`'s key space (the events of its visits), and
    /// when it was received: what a sender's retry of it is answered with.
    async fn stored_call_event(
        &self,
        provider: &ProviderId,
        key: &EventKey,
    ) -> Result<Option<(CallEvent, Timestamp)>, StoreError>;
}
