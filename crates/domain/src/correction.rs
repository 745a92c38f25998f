//! Manual corrections of call monitoring: a provider's coordinator says when a visit really
//! began and ended (or that it was not made) when the care worker's phone could not, with a
//! reason. The latest correction of a visit stands in for its check-in and check-out wherever
//! monitoring and payment read them; the call events themselves are never changed.

use jiff::Timestamp;

use crate::codes::{code_enum, impl_code_list};
use crate::{CallNote, CorrectionId, FieldError, Invalid, VisitId};

code_enum! {
    /// Why a visit's times were corrected by hand.
    pub enum CorrectionReason {
        /// The phone, its battery or the signal failed.
        PhoneFailed => "phone-failed", "The phone did not work";
        /// The care worker forgot to check in.
        ForgotCheckIn => "forgot-check-in", "The care worker forgot to check in";
        /// The care worker forgot to check out.
        ForgotCheckOut => "forgot-check-out", "The care worker forgot to check out";
        /// The care worker checked in to another visit by mistake.
        WrongVisit => "wrong-visit", "Checked in to the wrong visit";
        /// The visit was not made (cancelled at the door, the person was out or in hospital).
        NotMade => "not-made", "The visit was not made";
        /// Anything else: the note says what.
        Other => "other", "Another reason (say in the note)";
    }
}

impl_code_list!(CorrectionReason);

/// A visit's times as a coordinator corrected them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    /// Stable id.
    pub id: CorrectionId,
    /// The visit.
    pub visit_id: VisitId,
    /// When the visit really began; none when it was not made.
    pub check_in: Option<Timestamp>,
    /// When it really ended.
    pub check_out: Option<Timestamp>,
    /// Why.
    pub reason: CorrectionReason,
    /// What else the coordinator says.
    pub note: Option<CallNote>,
    /// The account that made it.
    pub corrected_by: String,
    /// When.
    pub corrected_at: Timestamp,
}

impl Correction {
    /// The rules a correction meets: a visit not made has no times, any other correction a
    /// start; an end is after the start; "another reason" says why in the note.
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut errors = Vec::new();
        match (self.reason, self.check_in, self.check_out) {
            (CorrectionReason::NotMade, None, None) => {}
            (CorrectionReason::NotMade, _, _) => errors.push(FieldError::new(
                "check_in",
                "a visit that was not made has no check-in or check-out",
            )),
            (_, None, _) => errors.push(FieldError::new(
                "check_in",
                "enter when the visit began (or choose that it was not made)",
            )),
            (_, Some(began), Some(ended)) if ended <= began => {
                errors.push(FieldError::new("check_out", "must be after the check-in"))
            }
            _ => {}
        }
        if self.reason == CorrectionReason::Other && self.note.is_none() {
            errors.push(FieldError::new("note", "say why the times are corrected"));
        }
        Invalid::check(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    fn correction(
        reason: CorrectionReason,
        check_in: Option<&str>,
        check_out: Option<&str>,
    ) -> Correction {
        Correction {
            id: CorrectionId::from_suffix("test").unwrap(),
            visit_id: VisitId::from_suffix("test").unwrap(),
            check_in: check_in.map(at),
            check_out: check_out.map(at),
            reason,
            note: None,
            corrected_by: "acc_coordinator".into(),
            corrected_at: at("2026-12-01T12:00:00Z"),
        }
    }

    fn fields(correction: &Correction) -> Vec<String> {
        correction
            .validate()
            .err()
            .map(|invalid| invalid.0.into_iter().map(|error| error.field).collect())
            .unwrap_or_default()
    }

    #[test]
    fn times_must_fit_the_reason() {
        let in_at = Some("2026-12-01T08:05:00Z");
        let out_at = Some("2026-12-01T08:50:00Z");
        assert!(fields(&correction(CorrectionReason::PhoneFailed, in_at, out_at)).is_empty());
        assert!(fields(&correction(CorrectionReason::ForgotCheckOut, in_at, None)).is_empty());
        assert!(fields(&correction(CorrectionReason::NotMade, None, None)).is_empty());
        assert_eq!(
            fields(&correction(CorrectionReason::NotMade, in_at, None)),
            ["check_in"]
        );
        assert_eq!(
            fields(&correction(CorrectionReason::ForgotCheckIn, None, out_at)),
            ["check_in"]
        );
        assert_eq!(
            fields(&correction(CorrectionReason::PhoneFailed, out_at, in_at)),
            ["check_out"]
        );
        assert_eq!(
            fields(&correction(CorrectionReason::Other, in_at, out_at)),
            ["note"]
        );
        let mut explained = correction(CorrectionReason::Other, in_at, out_at);
        explained.note =
            CallNote::parse("Carer stayed on with the district nurse", "note").unwrap();
        assert!(fields(&explained).is_empty());
    }
}
