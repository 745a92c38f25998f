//! Call events: a care worker checking in to or out of a visit, from the phone page or a
//! provider's own monitoring system. Each carries an idempotency key chosen by the sender, so a
//! retried or duplicated event is stored once.

use jiff::Timestamp;

use crate::{Coordinates, FieldError, VisitId, WorkerId};

/// The sender's key for one event: 8 to 100 of `A-Z a-z 0-9 - _ .` (a UUID fits).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EventKey(String);

impl EventKey {
    /// Parses a key for `field`.
    pub fn parse(text: &str, field: &str) -> Result<Self, FieldError> {
        let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
        if !(8..=100).contains(&text.len()) || !text.chars().all(allowed) {
            return Err(FieldError::new(
                field,
                "must be 8 to 100 of A-Z, a-z, 0-9, '-', '_' and '.' (a UUID will do)",
            ));
        }
        Ok(Self(text.to_owned()))
    }

    /// The key as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Checking in or out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CallEventKind {
    /// Arrived and started the visit.
    CheckIn,
    /// Finished and left.
    CheckOut,
}

impl CallEventKind {
    /// The name stored and sent.
    pub fn code(self) -> &'static str {
        match self {
            CallEventKind::CheckIn => "check_in",
            CallEventKind::CheckOut => "check_out",
        }
    }

    /// Parses a name for `field`.
    pub fn parse(text: &str, field: &str) -> Result<Self, FieldError> {
        match text {
            "check_in" => Ok(CallEventKind::CheckIn),
            "check_out" => Ok(CallEventKind::CheckOut),
            _ => Err(FieldError::new(
                field,
                format!("'{text}' is not check_in or check_out"),
            )),
        }
    }
}

/// One check-in or check-out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallEvent {
    /// The sender's idempotency key.
    pub key: EventKey,
    /// The visit.
    pub visit_id: VisitId,
    /// The care worker.
    pub worker_id: WorkerId,
    /// In or out.
    pub kind: CallEventKind,
    /// When it happened, by the phone's clock (it may arrive much later, after being offline).
    pub at: Timestamp,
    /// Where the phone was, when it could tell.
    pub location: Option<Coordinates>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_checked() {
        assert!(EventKey::parse("0b8f3f2e-6d7c-4f43-9d4c-2b1e5a7c9e10", "key").is_ok());
        for bad in ["short", "has space in it", &"x".repeat(101), "semi;colon!"] {
            assert_eq!(
                EventKey::parse(bad, "key").unwrap_err().field,
                "key",
                "{bad}"
            );
        }
    }

    #[test]
    fn kinds_round_trip() {
        for kind in [CallEventKind::CheckIn, CallEventKind::CheckOut] {
            assert_eq!(CallEventKind::parse(kind.code(), "kind").unwrap(), kind);
        }
        assert_eq!(
            CallEventKind::parse("arrive", "kind").unwrap_err().field,
            "kind"
        );
    }
}
