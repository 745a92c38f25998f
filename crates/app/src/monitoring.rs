//! Call monitoring as visits happen: each visit with its check-in and check-out, judged by the
//! domain's rules at a given moment (`domain::assess`).

use std::collections::HashMap;

use homeward_domain::{
    Assessment, CallEvent, CallEventKind, MonitoringRules, Visit, VisitId, assess,
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
    Ok(visits
        .into_iter()
        .map(|visit| {
            let own = events.remove(&visit.id).unwrap_or_default();
            judge(visit, own, rules, now)
        })
        .collect())
}

/// One visit with its events (in the order they happened), judged at `now`.
fn judge(
    visit: Visit,
    events: Vec<CallEvent>,
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
    let assessment = assess(
        rules,
        visit.dated.starts_at,
        visit.dated.duration_minutes,
        check_in.as_ref().map(|event| event.at),
        check_out.as_ref().map(|event| event.at),
        now,
    );
    MonitoredVisit {
        visit,
        check_in,
        check_out,
        assessment,
    }
}
