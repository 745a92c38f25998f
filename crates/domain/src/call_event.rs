//! Call events: a care worker checking in to or out of a visit, from the phone page or a
//! provider's own monitoring system. Each carries an idempotency key chosen by the sender, so a
//! retried or duplicated event is stored once. A check-out also records the tasks done; either
//! may carry a short note.

use std::collections::BTreeSet;

use jiff::Timestamp;

use crate::{CareTask, Coordinates, FieldError, Invalid, RosterStop, VisitId, WorkerId};

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

/// A care worker's short note on a visit: trimmed, 1 to [`CallNote::MAX_CHARS`] characters,
/// line breaks kept (as `\n`), no other control characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CallNote(String);

impl CallNote {
    /// The most characters a note may have.
    pub const MAX_CHARS: usize = 1_000;

    /// Parses a note for `field`: blank text is no note (`None`). Line breaks of any kind
    /// (`\r\n` from a browser's text box, `\r`) become `\n`, so the same note sent from a
    /// form and from a system compares equal.
    pub fn parse(text: &str, field: &str) -> Result<Option<Self>, FieldError> {
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Ok(None);
        }
        let length = trimmed.chars().count();
        if length > Self::MAX_CHARS {
            return Err(FieldError::new(
                field,
                format!(
                    "must be at most {} characters (this one has {length})",
                    Self::MAX_CHARS
                ),
            ));
        }
        if trimmed
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\t'))
        {
            return Err(FieldError::new(
                field,
                "must not contain control characters other than line breaks and tabs",
            ));
        }
        Ok(Some(Self(trimmed.to_owned())))
    }

    /// The note as text.
    pub fn as_str(&self) -> &str {
        &self.0
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
    /// The tasks done, recorded on a check-out only (a set: order and repeats do not matter,
    /// so the same event sent again compares equal).
    pub tasks: BTreeSet<CareTask>,
    /// The worker's note, if any.
    pub note: Option<CallNote>,
}

impl CallEvent {
    /// The rules across fields: tasks are recorded on a check-out, never a check-in.
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut errors = Vec::new();
        if self.kind == CallEventKind::CheckIn && !self.tasks.is_empty() {
            errors.push(FieldError::new(
                "tasks",
                "tasks done are recorded when checking out, not on a check-in",
            ));
        }
        Invalid::check(errors)
    }

    /// Money follows only care that was rostered: the event is taken only when its worker
    /// makes a part of its visit on a published roster. `published` holds the visit's stops on
    /// published rosters (any part). Anything else is a coordinator's correction to make.
    pub fn check_rostered(&self, published: &[RosterStop]) -> Result<(), FieldError> {
        let rostered = published
            .iter()
            .any(|stop| stop.visit_id == self.visit_id && stop.worker_id == self.worker_id);
        if rostered {
            return Ok(());
        }
        Err(FieldError::new(
            "worker_id",
            format!(
                "{} is not rostered to {} on a published roster: only the rostered care \
                 worker's check-ins and check-outs are taken (a coordinator corrects the \
                 visit's times otherwise)",
                self.worker_id, self.visit_id
            ),
        ))
    }
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
    fn notes_are_trimmed_with_line_breaks_kept_and_limited() {
        assert_eq!(CallNote::parse("  \n ", "note").unwrap(), None);
        let note = CallNote::parse("  Ate well.\r\nAsked about Tuesday.\t ", "note")
            .unwrap()
            .unwrap();
        assert_eq!(note.as_str(), "Ate well.\nAsked about Tuesday.");
        assert_eq!(
            CallNote::parse("Ate well.\nAsked about Tuesday.", "note").unwrap(),
            Some(note)
        );
        // Characters, not bytes: 1,000 letters with accents are fine, one more is not.
        let longest = "é".repeat(CallNote::MAX_CHARS);
        assert!(CallNote::parse(&format!(" {longest} "), "note").is_ok());
        let error = CallNote::parse(&format!("{longest}e"), "note").unwrap_err();
        assert_eq!(error.field, "note");
        assert!(error.message.contains("1000"), "{}", error.message);
        assert_eq!(
            CallNote::parse("bell\u{7}", "note").unwrap_err().field,
            "note"
        );
    }

    fn event(kind: CallEventKind, tasks: &[CareTask]) -> CallEvent {
        CallEvent {
            key: EventKey::parse("0b8f3f2e-6d7c-4f43", "key").unwrap(),
            visit_id: VisitId::from_suffix("first").unwrap(),
            worker_id: WorkerId::from_suffix("sam1").unwrap(),
            kind,
            at: Timestamp::UNIX_EPOCH,
            location: None,
            tasks: tasks.iter().copied().collect(),
            note: None,
        }
    }

    #[test]
    fn tasks_belong_to_a_check_out() {
        let tasks = [CareTask::Medication, CareTask::PersonalCare];
        assert!(event(CallEventKind::CheckOut, &tasks).validate().is_ok());
        assert!(event(CallEventKind::CheckIn, &[]).validate().is_ok());
        let error = event(CallEventKind::CheckIn, &tasks)
            .validate()
            .unwrap_err();
        assert_eq!(error.0[0].field, "tasks");
        // Order and repeats do not make another event.
        assert_eq!(
            event(CallEventKind::CheckOut, &tasks),
            event(
                CallEventKind::CheckOut,
                &[
                    CareTask::PersonalCare,
                    CareTask::Medication,
                    CareTask::PersonalCare
                ]
            )
        );
    }

    #[test]
    fn only_the_rostered_worker_is_taken() {
        let stop = |visit: &str, part, worker: &str| RosterStop {
            visit_id: VisitId::from_suffix(visit).unwrap(),
            part,
            worker_id: WorkerId::from_suffix(worker).unwrap(),
            starts_at: Timestamp::UNIX_EPOCH,
            travel_minutes: 5,
        };
        let check_in = event(CallEventKind::CheckIn, &[]);
        // Sam makes the second part of the visit: any part will do.
        assert!(
            check_in
                .check_rostered(&[stop("first", 0, "kim1"), stop("first", 1, "sam1")])
                .is_ok()
        );
        for published in [
            vec![],
            vec![stop("first", 0, "kim1")],
            vec![stop("other", 0, "sam1")],
        ] {
            let error = check_in.check_rostered(&published).unwrap_err();
            assert_eq!(error.field, "worker_id");
            assert!(
                error.message.contains("published roster"),
                "{}",
                error.message
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
