//! What the store takes for a batch of call events
//! ([`crate::VisitStore::record_call_events`]): each event with the account that sent it, since
//! one batch gathers many senders' events; and the timing of call events, as reckonings over many
//! visits read them.

use crate::{CallEventOutcome, StoreError};
use homeward_domain::{CallEvent, CallEventKind, VisitId, WorkerId};
use jiff::Timestamp;

/// A call event as sent, and who sent it (audited as the event's actor).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentCallEvent {
    /// The event.
    pub event: CallEvent,
    /// Who sent it, as the audit trail names them.
    pub actor: String,
}

/// What became of one event of a batch: [`CallEventOutcome::Stored`] or
/// [`CallEventOutcome::AlreadyStored`], or why it was refused, naming it by its index in the
/// batch: [`StoreError::Invalid`] (its own rules), [`StoreError::Duplicate`] (another event
/// under its key in its provider's key space, stored before or earlier in the batch),
/// [`StoreError::MissingReference`] (an unknown visit or worker) or [`StoreError::Locked`] (a
/// visit on an issued invoice).
pub type CallEventResult = Result<CallEventOutcome, StoreError>;

/// Who checked in or out of which visit, and when: what monitoring, payment and fair work read
/// of a call event ([`crate::VisitStore::call_timings_of`]). Leaving out the key, location,
/// tasks and note makes a period's hundreds of thousands of events quicker to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallTiming {
    /// The visit.
    pub visit_id: VisitId,
    /// The care worker whose phone (or monitoring system) sent it.
    pub worker_id: WorkerId,
    /// Check-in or check-out.
    pub kind: CallEventKind,
    /// When it happened.
    pub at: Timestamp,
}

impl From<&CallEvent> for CallTiming {
    fn from(event: &CallEvent) -> Self {
        CallTiming {
            visit_id: event.visit_id.clone(),
            worker_id: event.worker_id.clone(),
            kind: event.kind,
            at: event.at,
        }
    }
}
