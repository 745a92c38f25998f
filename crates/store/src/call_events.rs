//! What the store takes for a batch of call events ([`crate::Store::record_call_events`]): each
//! event with the account that sent it, since one batch gathers many senders' events.

use crate::{CallEventOutcome, StoreError};
use homeward_domain::CallEvent;

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
/// under its key, stored before or earlier in the batch) or [`StoreError::MissingReference`]
/// (an unknown visit or worker).
pub type CallEventResult = Result<CallEventOutcome, StoreError>;
