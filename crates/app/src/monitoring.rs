//! Call monitoring as visits happen: each visit with its check-in and check-out, judged by the
//! domain's rules at a given moment (`domain::assess`). A coordinator's latest correction of a
//! visit stands in for its check-in and check-out; the events are kept as they came.

use std::collections::HashMap;

use homeward_domain::{
    Alert, Assessment, CallEventKind, Correction, MonitoringRules, Punctuality, Visit, VisitId,
    WorkerId, assess,
};
use homeward_store::{CallTiming, Store, StoreError, VisitFilter};
use jiff::Timestamp;

/// A visit as monitoring sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonitoredVisit {
    /// The visit.
    pub visit: Visit,
    /// The first check-in, if any.
    pub check_in: Option<CallTiming>,
    /// The last check-out, if any.
    pub check_out: Option<CallTiming>,
    /// The care workers who checked in or out, each once, in the order they first did (two for
    /// a visit of two carers when both used their phones).
    pub came: Vec<WorkerId>,
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
    let mut events: HashMap<VisitId, Vec<CallTiming>> = HashMap::new();
    for event in store.call_timings_of(&planned).await? {
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
    events: Vec<CallTiming>,
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
    let mut came: Vec<WorkerId> = Vec::new();
    for event in &events {
        if !came.contains(&event.worker_id) {
            came.push(event.worker_id.clone());
        }
    }
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
        came,
        correction,
        arrived,
        left,
        assessment,
    }
}

/// How a set of monitored visits stands, as the monitoring pages count them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tally {
    /// Visits judged so far (checked in, or past their late deadline).
    pub due: usize,
    /// Checked in on time.
    pub on_time: usize,
    /// Checked in before their window.
    pub early: usize,
    /// Checked in late.
    pub late: usize,
    /// No check-in yet, past the late deadline.
    pub running_late: usize,
    /// No check-in by the missed deadline.
    pub missed: usize,
    /// Calls much shorter than planned.
    pub short_calls: usize,
    /// Visits whose times a coordinator corrected.
    pub corrected: usize,
    /// Visits the council has been alerted to.
    pub council_alerts: usize,
}

impl Tally {
    /// The share of visits judged so far that began on time (early counts as on time for the
    /// person), per cent; `None` before any is due.
    pub fn on_time_percent(&self) -> Option<f64> {
        (self.due > 0).then(|| 100.0 * (self.on_time + self.early) as f64 / self.due as f64)
    }
}

/// Counts `visits` by how monitoring judges them.
pub fn tally<'a>(visits: impl IntoIterator<Item = &'a MonitoredVisit>) -> Tally {
    let mut tally = Tally::default();
    for monitored in visits {
        let assessment = &monitored.assessment;
        match assessment.punctuality {
            Punctuality::Pending => {}
            Punctuality::OnTime => tally.on_time += 1,
            Punctuality::Early { .. } => tally.early += 1,
            Punctuality::Late { .. } => tally.late += 1,
            Punctuality::RunningLate => tally.running_late += 1,
            Punctuality::Missed => tally.missed += 1,
        }
        if assessment.punctuality != Punctuality::Pending {
            tally.due += 1;
        }
        tally.short_calls += usize::from(assessment.short_call);
        tally.corrected += usize::from(monitored.correction.is_some());
        tally.council_alerts += usize::from(assessment.alerts.contains(&Alert::CouncilMissed));
    }
    tally
}

/// Whether a visit needs someone's attention: running late, missed, late or short.
pub fn needs_attention(monitored: &MonitoredVisit) -> bool {
    let assessment = &monitored.assessment;
    assessment.short_call
        || matches!(
            assessment.punctuality,
            Punctuality::Late { .. } | Punctuality::RunningLate | Punctuality::Missed
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use homeward_domain::{DatedVisit, PackageId, PersonId, ProviderId, VisitStatus};

    fn visit(at: &str) -> Visit {
        let starts_at: Timestamp = at.parse().unwrap();
        Visit {
            id: VisitId::from_suffix(&format!("v{}", starts_at.as_second())).unwrap(),
            provider_id: ProviderId::from_suffix("care").unwrap(),
            dated: DatedVisit {
                package_id: PackageId::from_suffix("pack").unwrap(),
                person_id: PersonId::from_suffix("anne").unwrap(),
                date: jiff::civil::Date::constant(2026, 6, 1),
                local_start: jiff::civil::Time::constant(9, 0, 0, 0),
                starts_at,
                duration_minutes: 45,
                carers: 1,
            },
            status: VisitStatus::Planned,
        }
    }

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    #[test]
    fn visits_are_counted_by_how_they_stand() {
        let now = at("2026-06-01T12:00:00Z");
        let rules = MonitoringRules::default();
        let judged = [
            // On time, and a short call (10 minutes of 45).
            judge(visit("2026-06-01T08:00:00Z"), vec![], None, &rules, now),
            // Missed by 11:00 (no check-in): the council told by 10:00.
            judge(visit("2026-06-01T07:00:00Z"), vec![], None, &rules, now),
            // Not yet due.
            judge(visit("2026-06-01T11:50:00Z"), vec![], None, &rules, now),
        ];
        let mut first = judged[0].clone();
        first.assessment = assess(
            &rules,
            at("2026-06-01T08:00:00Z"),
            45,
            Some(at("2026-06-01T08:05:00Z")),
            Some(at("2026-06-01T08:15:00Z")),
            now,
        );
        let visits = [first, judged[1].clone(), judged[2].clone()];
        let counted = tally(&visits);
        assert_eq!(
            counted,
            Tally {
                due: 2,
                on_time: 1,
                missed: 1,
                short_calls: 1,
                council_alerts: 1,
                ..Tally::default()
            }
        );
        assert_eq!(counted.on_time_percent(), Some(50.0));
        assert!(needs_attention(&visits[0]) && needs_attention(&visits[1]));
        assert!(!needs_attention(&visits[2]));
    }
}
