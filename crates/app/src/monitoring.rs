//! Call monitoring as visits happen: each visit with its check-in and check-out, judged by the
//! domain's rules at a given moment (`domain::assess`). A coordinator's latest correction of a
//! visit stands in for its check-in and check-out; the events are kept as they came.

use std::collections::HashMap;

use homeward_domain::{
    Assessment, CallEvent, CallEventKind, Correction, MonitoringRules, Visit, VisitId, assess,
};
use homeward_store::{Store, StoreError, VisitFilter};
use jiff::Timestamp;

/// A visit as monitoring sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonitoredVisit {
    /// The visit.
    pub visit: Visit,
    /// The first check-in, if any.
    pub check_in: Option<CallEvent>,
    /// The last check-out, if any.
    pub check_out: Option<CallEvent>,
    /// The coordinator's latest correction, if any.
    pub correction: Option<Correction>,
    /// When the visit began, as monitoring and payment take it: the correction's time, or the
    /// check-in's.
    pub arrived: Option<Timestamp>,
    /// When it ended, likewise.
    pub left: Option<Timestamp>,
    /// What the rules make of it now.
    pub assessment: Assessment,
}

/// The planned visits `filter` picks, each with its check-in and check-out and the rules'
/// verdict at `now`, in order of start. Cancelled visits are left out.
pub async fn monitor(
    store: &dyn Store,
    filter: &VisitFilter,
    rules: &MonitoringRules,
    now: Timestamp,
) -> Result<Vec<MonitoredVisit>, StoreError> {
    let planned = VisitFilter {
        planned_only: true,
        ..filter.clone()
    };
    let visits = store.visits(&planned).await?;
    let mut events: HashMap<VisitId, Vec<CallEvent>> = HashMap::new();
    for event in store.call_events_of(&planned).await? {
        events
            .entry(event.visit_id.clone())
            .or_default()
            .push(event);
    }
    // Oldest first, so the last one in stands.
    let mut corrections: HashMap<VisitId, Correction> = HashMap::new();
    for correction in store.corrections_of(&planned).await? {
        corrections.insert(correction.visit_id.clone(), correction);
    }
    Ok(visits
        .into_iter()
        .map(|visit| {
            let own = events.remove(&visit.id).unwrap_or_default();
            let correction = corrections.remove(&visit.id);
            judge(visit, own, correction, rules, now)
        })
        .collect())
}

/// One visit with its events (in the order they happened), judged at `now`.
fn judge(
    visit: Visit,
    events: Vec<CallEvent>,
    correction: Option<Correction>,
    rules: &MonitoringRules,
    now: Timestamp,
) -> MonitoredVisit {
    let check_in = events
        .iter()
        .find(|event| event.kind == CallEventKind::CheckIn)
        .cloned();
    let check_out = events
        .iter()
        .rev()
        .find(|event| event.kind == CallEventKind::CheckOut)
        .cloned();
    let (arrived, left) = match &correction {
        Some(correction) => (correction.check_in, correction.check_out),
        None => (
            check_in.as_ref().map(|event| event.at),
            check_out.as_ref().map(|event| event.at),
        ),
    };
    let assessment = assess(
        rules,
        visit.dated.starts_at,
        visit.dated.duration_minutes,
        arrived,
        left,
        now,
    );
    MonitoredVisit {
        visit,
        check_in,
        check_out,
        correction,
        arrived,
        left,
        assessment,
    }
}
