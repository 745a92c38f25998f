//! The contract for rosters: a branch-day's runs stored whole and replaced whole, in one
//! audited transaction; a visit part on one roster at most; care workers reach only published
//! runs. Suite functions that `contract.rs` runs against both backends.

use super::visits::{noon, planned, week, with_market};
use homeward_domain::{
    BranchId, Roster, RosterId, RosterStatus, RosterStop, UnmadeVisit, Visit, WorkerId,
};
use homeward_store::testing::TestDatabase;
use homeward_store::{AuditFilter, RecordKind, Store, StoreError, VisitChanges, VisitFilter};
use jiff::{SignedDuration, Timestamp};
use std::sync::Arc;

const COORDINATOR: &str = "acc_coordinator";

fn sam() -> WorkerId {
    WorkerId::from_suffix("sam1").unwrap()
}

fn kit() -> WorkerId {
    WorkerId::from_suffix("kit2").unwrap()
}

fn stop(visit: &Visit, part: u8, worker: WorkerId, late_by: i64) -> RosterStop {
    RosterStop {
        visit_id: visit.id.clone(),
        part,
        worker_id: worker,
        starts_at: visit.dated.starts_at + SignedDuration::from_mins(late_by),
        travel_minutes: 7,
    }
}

/// Wednesday's visits of the fixture's main package, stored.
async fn wednesday(store: &Arc<dyn Store>) -> Vec<Visit> {
    with_market(store).await;
    let monday: Timestamp = "2019-08-05T00:00:00Z".parse().unwrap();
    let visits = planned("ada-main", monday);
    store
        .change_visits(
            &VisitChanges {
                cancel: vec![],
                add: visits.clone(),
            },
            monday,
            "homeward visits",
        )
        .await
        .unwrap();
    let date = noon().to_zoned(homeward_domain::london().clone()).date();
    visits
        .into_iter()
        .filter(|visit| visit.dated.date == date)
        .collect()
}

fn roster(id: &str, branch: &str, visits: &[Visit], stops: Vec<RosterStop>) -> Roster {
    Roster {
        id: RosterId::from_suffix(id).unwrap(),
        branch_id: BranchId::from_suffix(branch).unwrap(),
        date: visits[0].dated.date,
        status: RosterStatus::Draft,
        changed_at: noon(),
        published_at: None,
        stops,
        unmade: Vec::new(),
    }
}

pub async fn rosters_are_stored_whole_replaced_whole_and_published(
    store: Arc<dyn Store>,
    _database: &TestDatabase,
) {
    let visits = wednesday(&store).await;
    assert!(visits.len() >= 2, "the fixture has two visits on Wednesday");
    let mut day = roster(
        "downs-wed",
        "downs-bognor",
        &visits,
        vec![stop(&visits[0], 0, sam(), 0), stop(&visits[1], 0, kit(), 5)],
    );
    day.unmade = visits[2..]
        .iter()
        .map(|visit| UnmadeVisit {
            visit_id: visit.id.clone(),
            reason: "no run had room for it at that time".into(),
        })
        .collect();
    store.save_roster(&day, "plan", COORDINATOR).await.unwrap();
    let by_id = store.roster(&day.id).await.unwrap().expect("stored");
    // Stops come back by worker, then start.
    let mut expected = day.clone();
    expected
        .stops
        .sort_by(|a, b| (&a.worker_id, a.starts_at).cmp(&(&b.worker_id, b.starts_at)));
    assert_eq!(by_id, expected);
    assert_eq!(
        store
            .branch_roster(&day.branch_id, day.date)
            .await
            .unwrap()
            .as_ref(),
        Some(&expected)
    );

    // A draft reaches no care worker.
    let (monday, sunday) = week();
    assert!(
        store
            .worker_stops(&sam(), monday, sunday, true)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store
            .worker_stops(&sam(), monday, sunday, false)
            .await
            .unwrap()
            .len(),
        1
    );
    let sams_visits = VisitFilter {
        worker_id: Some(sam()),
        ..VisitFilter::between(monday, sunday)
    };
    assert!(store.visits(&sams_visits).await.unwrap().is_empty());
    let week_filter = VisitFilter::between(monday, sunday);
    assert_eq!(
        store
            .roster_stops_of(&week_filter, false)
            .await
            .unwrap()
            .len(),
        2
    );
    assert!(
        store
            .roster_stops_of(&week_filter, true)
            .await
            .unwrap()
            .is_empty()
    );

    // Moved by hand, then published: stored whole again.
    day.stops[1].worker_id = sam();
    day.status = RosterStatus::Published;
    day.published_at = Some(noon() + SignedDuration::from_mins(10));
    store
        .save_roster(&day, "publish", COORDINATOR)
        .await
        .unwrap();
    let sams = store
        .worker_stops(&sam(), monday, sunday, true)
        .await
        .unwrap();
    assert_eq!(sams, day.stops);
    assert!(
        store
            .worker_stops(&kit(), monday, sunday, true)
            .await
            .unwrap()
            .is_empty()
    );
    let seen: Vec<_> = store
        .visits(&sams_visits)
        .await
        .unwrap()
        .into_iter()
        .map(|visit| visit.id)
        .collect();
    assert_eq!(seen, [visits[0].id.clone(), visits[1].id.clone()]);
    let by_visit = store
        .roster_stops_of(&VisitFilter::between(monday, sunday), true)
        .await
        .unwrap();
    assert_eq!(by_visit, day.stops);

    let summaries = store
        .branch_rosters(&day.branch_id, monday, sunday)
        .await
        .unwrap();
    assert_eq!(summaries.len(), 1);
    assert_eq!(summaries[0].roster.status, RosterStatus::Published);
    assert_eq!(
        (summaries[0].stops, summaries[0].unmade),
        (2, day.unmade.len())
    );

    // Each save is one audit event, with the stops before and after.
    let filter = AuditFilter {
        record_kind: Some("roster".into()),
        ..AuditFilter::default()
    };
    let events = store.audit_events(&filter, 0, 10).await.unwrap().events;
    let actions: Vec<&str> = events.iter().map(|event| event.action.as_str()).collect();
    assert_eq!(actions, ["publish", "plan"]);
    assert!(events[1].before.is_none());
    let before = events[0].before.as_deref().unwrap();
    let after = events[0].after.as_deref().unwrap();
    assert!(before.contains("\"worker_id\":\"wkr_kit2\""), "{before}");
    assert!(!after.contains("wkr_kit2"), "{after}");
}

pub async fn a_bad_roster_stores_nothing(store: Arc<dyn Store>, _database: &TestDatabase) {
    let visits = wednesday(&store).await;
    let day = roster(
        "downs-wed",
        "downs-bognor",
        &visits,
        vec![stop(&visits[0], 0, sam(), 0)],
    );
    store.save_roster(&day, "plan", COORDINATOR).await.unwrap();

    // A part twice is refused before anything is written.
    let mut twice = day.clone();
    twice.stops.push(stop(&visits[0], 0, kit(), 0));
    let error = store
        .save_roster(&twice, "move", COORDINATOR)
        .await
        .unwrap_err();
    let StoreError::Invalid { errors, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(errors.0[0].field, "stops[1].visit_id");

    // A second roster for the same branch and day.
    let rival = roster(
        "downs-wed-2",
        "downs-bognor",
        &visits,
        vec![stop(&visits[1], 0, kit(), 0)],
    );
    let error = store
        .save_roster(&rival, "plan", COORDINATOR)
        .await
        .unwrap_err();
    assert_store_error!(error, StoreError::Duplicate { kind: RecordKind::Roster, id, .. } if id.starts_with("br_downs-bognor/"));

    // A visit part already on another branch's roster.
    let other = roster(
        "county-wed",
        "county-hq",
        &visits,
        vec![stop(&visits[1], 0, kit(), 0), stop(&visits[0], 0, kit(), 0)],
    );
    let error = store
        .save_roster(&other, "plan", COORDINATOR)
        .await
        .unwrap_err();
    assert_store_error!(error, StoreError::Duplicate { index: 1, id, .. } if id == &format!("{} part 0", visits[0].id));

    // A worker who is not stored is named.
    let mut stranger = day.clone();
    stranger.stops[0].worker_id = WorkerId::from_suffix("nobody").unwrap();
    let error = store
        .save_roster(&stranger, "move", COORDINATOR)
        .await
        .unwrap_err();
    let StoreError::MissingReference { message, .. } = &error else {
        panic!("{error:?}")
    };
    assert!(message.contains("worker_id wkr_nobody"), "{message}");

    // Nothing changed.
    assert_eq!(store.roster(&day.id).await.unwrap().as_ref(), Some(&day));
    assert!(store.roster(&other.id).await.unwrap().is_none());
    let filter = AuditFilter {
        record_kind: Some("roster".into()),
        ..AuditFilter::default()
    };
    assert_eq!(store.audit_events(&filter, 0, 10).await.unwrap().total, 1);
}

pub async fn replacing_the_market_clears_rosters(store: Arc<dyn Store>, _database: &TestDatabase) {
    let visits = wednesday(&store).await;
    let day = roster(
        "downs-wed",
        "downs-bognor",
        &visits,
        vec![stop(&visits[0], 0, sam(), 0)],
    );
    store.save_roster(&day, "plan", COORDINATOR).await.unwrap();
    with_market(&store).await;
    assert!(store.roster(&day.id).await.unwrap().is_none());
}
