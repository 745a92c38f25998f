//! Correcting a visit's times by hand: a provider's coordinator says when a visit really began
//! and ended, or that it was not made, with a reason. Monitoring and payment then read the
//! correction instead of the phone's check-in and check-out; a visit on an issued invoice is
//! locked and cannot be corrected.

use homeward_domain::{
    CallNote, CallWindow, Correction, CorrectionId, CorrectionReason, FieldError, Invalid,
    ProviderId, Visit, VisitId, VisitStatus,
};
use homeward_store::{Store, StoreError};
use jiff::Timestamp;

use crate::Ids;

/// What the coordinator says happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorrectionRequest {
    /// When the visit began; none when it was not made.
    pub check_in: Option<Timestamp>,
    /// When it ended, if known.
    pub check_out: Option<Timestamp>,
    /// Why the phone's account is set aside.
    pub reason: CorrectionReason,
    /// What else the coordinator says.
    pub note: Option<CallNote>,
}

/// Why a correction was not made; nothing changed.
#[derive(Debug, thiserror::Error)]
pub enum CorrectionError {
    /// A field is wrong.
    #[error("{0}")]
    Invalid(#[from] Invalid),
    /// The visit is not the provider's, or does not exist.
    #[error("visit not found")]
    NotFound,
    /// The visit is on an issued invoice.
    #[error("{0}")]
    Locked(String),
    /// The store failed.
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for CorrectionError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Invalid { errors, .. } => CorrectionError::Invalid(errors),
            StoreError::Locked { reason, .. } => CorrectionError::Locked(reason),
            StoreError::MissingReference { .. } => CorrectionError::NotFound,
            other => CorrectionError::Store(other),
        }
    }
}

/// Corrects the times of `provider`'s visit `visit_id` as `request` says, at `now`, audited as
/// `actor`. Times are held to the rule the phone's are held to ([`CallWindow::check_time`]):
/// within the visit's window around its plan and not in the future, else refused naming the
/// field; a cancelled visit is refused too. (Unlike a phone's events, a correction may come
/// any time until the visit is invoiced: it is how late or missing times are put right.)
pub async fn correct(
    store: &dyn Store,
    ids: &Ids,
    provider: &ProviderId,
    visit_id: &VisitId,
    request: CorrectionRequest,
    now: Timestamp,
    actor: &str,
) -> Result<Correction, CorrectionError> {
    let visit: Visit = store
        .visit(visit_id)
        .await?
        .filter(|visit| &visit.provider_id == provider)
        .ok_or(CorrectionError::NotFound)?;
    let mut errors = Vec::new();
    if visit.status == VisitStatus::Cancelled {
        errors.push(FieldError::new("visit_id", "the visit was cancelled"));
    }
    let window = CallWindow::of(&visit.dated);
    for (field, time) in [
        ("check_in", request.check_in),
        ("check_out", request.check_out),
    ] {
        let Some(time) = time else { continue };
        if let Err(error) = window.check_time(field, time, now) {
            errors.push(error);
        }
    }
    Invalid::check(errors)?;
    let correction = Correction {
        id: CorrectionId::from_suffix(&ids.suffix()).expect("a generated suffix is valid"),
        visit_id: visit.id.clone(),
        check_in: request.check_in.map(to_the_second),
        check_out: request.check_out.map(to_the_second),
        reason: request.reason,
        note: request.note,
        corrected_by: actor.to_owned(),
        corrected_at: Timestamp::from_microsecond(now.as_microsecond()).unwrap_or(now),
    };
    correction.validate()?;
    store.correct_visit(&correction, actor).await?;
    Ok(correction)
}

fn to_the_second(at: Timestamp) -> Timestamp {
    Timestamp::from_second(at.as_second()).unwrap_or(at)
}
