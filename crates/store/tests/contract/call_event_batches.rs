//! The contract for call events stored many at once (`Store::record_call_events`, the
//! ingester's group commit): one transaction, each event audited and decided on its own, and
//! the lookups by id that the scope checks use.

use super::fixtures;
use super::visits::{PLANNER, noon, planned, with_market};
use homeward_domain::{
    BranchId, CallEvent, CallEventKind, CallNote, CareTask, EventKey, Visit, VisitId, WorkerId,
};
use homeward_store::testing::TestDatabase;
use homeward_store::{
    CallEventOutcome, CallEventResult, SentCallEvent, Store, StoreError, VisitChanges,
};
use jiff::{SignedDuration, Timestamp};
use std::collections::HashMap;
use std::sync::Arc;

/// A check-in to `visit` by Sam, `minutes` after it was due.
fn check_in(key: &str, visit: &Visit, minutes: i64) -> CallEvent {
    CallEvent {
        key: EventKey::parse(key, "key").unwrap(),
        visit_id: visit.id.clone(),
        worker_id: WorkerId::from_suffix("sam1").unwrap(),
        kind: CallEventKind::CheckIn,
        at: visit.dated.starts_at + SignedDuration::from_mins(minutes),
        location: None,
        tasks: Default::default(),
        note: None,
    }
}

fn sent(event: &CallEvent, actor: &str) -> SentCallEvent {
    SentCallEvent {
        event: event.clone(),
        actor: actor.to_owned(),
    }
}

/// The fixture's first two visits of Ada's main package after noon, stored.
async fn two_visits(store: &Arc<dyn Store>) -> Vec<Visit> {
    with_market(store).await;
    let visits = planned("ada-main", noon())[..2].to_vec();
    let changes = VisitChanges {
        cancel: vec![],
        add: visits.clone(),
    };
    store
        .change_visits(&changes, noon(), PLANNER)
        .await
        .unwrap();
    visits
}

/// The call-event audit events' (record id, actor, sequence), oldest first.
async fn audited(database: &TestDatabase) -> Vec<(String, String, i64)> {
    let trail = database.audit_records().await.unwrap();
    trail
        .into_iter()
        .filter(|event| event.record_kind == "call-event")
        .map(|event| {
            let id = event
                .summary
                .strip_prefix("created call-event ")
                .unwrap_or(&event.summary)
                .to_owned();
            (id, event.actor, event.sequence)
        })
        .collect()
}

/// What each outcome says, for comparing: the outcome, or the error's kind, index and detail.
fn described(results: &[CallEventResult]) -> Vec<String> {
    results
        .iter()
        .map(|result| match result {
            Ok(CallEventOutcome::Stored) => "stored".to_owned(),
            Ok(CallEventOutcome::AlreadyStored { received_at }) => {
                format!("already stored at {received_at}")
            }
            Err(StoreError::Duplicate { index, id, .. }) => format!("duplicate {index} {id}"),
            Err(StoreError::MissingReference { index, message, .. }) => {
                format!("missing {index}: {message}")
            }
            Err(StoreError::Invalid { index, errors, .. }) => {
                format!("invalid {index}: {}", errors.0[0].field)
            }
            Err(other) => panic!("unexpected {other:?}"),
        })
        .collect()
}

pub async fn a_batch_stores_each_event_with_its_own_outcome(
    store: Arc<dyn Store>,
    database: &TestDatabase,
) {
    let visits = two_visits(&store).await;
    let earlier: Timestamp = noon() + SignedDuration::from_hours(20);
    let received: Timestamp = noon() + SignedDuration::from_hours(21);
    let old = check_in("old-0001-in", &visits[0], 2);
    store
        .record_call_event(&old, earlier, "acc_first")
        .await
        .unwrap();

    let fresh = check_in("new-0001-in", &visits[1], 4);
    let mut check_out = check_in("new-0001-out", &visits[1], 50);
    check_out.kind = CallEventKind::CheckOut;
    check_out.tasks = [CareTask::MealOrDrink, CareTask::Medication].into();
    check_out.note = CallNote::parse("Left a note for her daughter.", "note").unwrap();
    let mut stray_visit = check_in("stray-0001-in", &visits[0], 0);
    stray_visit.visit_id = VisitId::from_suffix("nowhere").unwrap();
    let mut stray_worker = check_in("stray-0002-in", &visits[0], 0);
    stray_worker.worker_id = WorkerId::from_suffix("ghost").unwrap();
    let mut busy_check_in = check_in("busy-0001-in", &visits[0], 0);
    busy_check_in.tasks = [CareTask::Domestic].into();
    let batch = [
        sent(&fresh, "acc_phone"),
        sent(&old, "acc_phone"),
        sent(&check_in("old-0001-in", &visits[0], 3), "acc_phone"),
        sent(&stray_visit, "acc_system"),
        sent(&stray_worker, "acc_system"),
        sent(&busy_check_in, "acc_phone"),
        // The same key again within the batch: the same event, then another.
        sent(&fresh, "acc_phone"),
        sent(&check_in("new-0001-in", &visits[1], 5), "acc_system"),
        sent(&check_out, "acc_system"),
    ];
    let results = store.record_call_events(&batch, received).await.unwrap();
    assert_eq!(
        described(&results),
        [
            "stored".to_owned(),
            format!("already stored at {earlier}"),
            "duplicate 2 old-0001-in".to_owned(),
            "missing 3: visit_id vis_nowhere does not exist".to_owned(),
            "missing 4: worker_id wkr_ghost does not exist".to_owned(),
            "invalid 5: tasks".to_owned(),
            format!("already stored at {received}"),
            "duplicate 7 new-0001-in".to_owned(),
            "stored".to_owned(),
        ]
    );
    assert_eq!(
        store.call_events(&visits[1].id).await.unwrap(),
        [fresh.clone(), check_out.clone()]
    );
    assert_eq!(store.call_events(&visits[0].id).await.unwrap(), [old]);
    // One create event for each event stored, by its own sender, numbered on without gaps.
    let trail = audited(database).await;
    let last = trail[0].2;
    assert_eq!(
        trail,
        [
            (
                "prov_ab-z/old-0001-in".to_owned(),
                "acc_first".to_owned(),
                last
            ),
            (
                "prov_ab-z/new-0001-in".to_owned(),
                "acc_phone".to_owned(),
                last + 1
            ),
            (
                "prov_ab-z/new-0001-out".to_owned(),
                "acc_system".to_owned(),
                last + 2
            ),
        ]
    );
    // Sent again, the batch stores nothing more and says each stored event is stored.
    let again = store.record_call_events(&batch, received).await.unwrap();
    assert_eq!(
        described(&again)[8],
        format!("already stored at {received}")
    );
    assert_eq!(audited(database).await.len(), 3);
}

pub async fn a_batch_of_bad_events_stores_nothing(store: Arc<dyn Store>, database: &TestDatabase) {
    let visits = two_visits(&store).await;
    let audit_before = database.audit_records().await.unwrap().len();
    let mut stray = check_in("stray-0001-in", &visits[0], 0);
    stray.visit_id = VisitId::from_suffix("nowhere").unwrap();
    let mut busy = check_in("busy-0001-in", &visits[0], 0);
    busy.tasks = [CareTask::Other].into();
    let results = store
        .record_call_events(&[sent(&stray, "a"), sent(&busy, "b")], noon())
        .await
        .unwrap();
    assert_eq!(
        described(&results),
        [
            "missing 0: visit_id vis_nowhere does not exist",
            "invalid 1: tasks"
        ]
    );
    assert!(store.call_events(&visits[0].id).await.unwrap().is_empty());
    assert_eq!(database.audit_records().await.unwrap().len(), audit_before);
    assert!(
        store
            .record_call_events(&[], noon())
            .await
            .unwrap()
            .is_empty()
    );
}

/// More events than one statement holds (rows and key lists are written and read in chunks).
pub async fn a_large_batch_is_stored_whole_and_audited_in_order(
    store: Arc<dyn Store>,
    database: &TestDatabase,
) {
    let visits = two_visits(&store).await;
    let events: Vec<CallEvent> = (0..600)
        .map(|number| check_in(&format!("bulk-{number:04}"), &visits[number % 2], 0))
        .collect();
    let batch: Vec<SentCallEvent> = events.iter().map(|event| sent(event, "bulk")).collect();
    let results = store.record_call_events(&batch, noon()).await.unwrap();
    assert!(
        results
            .iter()
            .all(|result| matches!(result, Ok(CallEventOutcome::Stored)))
    );
    let mut count = 0;
    for visit in &visits {
        count += store.call_events(&visit.id).await.unwrap().len();
    }
    assert_eq!(count, 600);
    let trail = audited(database).await;
    let keys: Vec<&str> = trail.iter().map(|(key, _, _)| key.as_str()).collect();
    let expected: Vec<String> = (0..600)
        .map(|number| format!("prov_ab-z/bulk-{number:04}"))
        .collect();
    assert_eq!(keys, expected);
    let sequences: Vec<i64> = trail.iter().map(|(_, _, sequence)| *sequence).collect();
    let first = sequences[0];
    assert_eq!(sequences, (first..first + 600).collect::<Vec<_>>());
    // Each audit event holds the stored columns of its event.
    let after: HashMap<String, String> = store
        .audit_events(
            &homeward_store::AuditFilter {
                record_id: Some("prov_ab-z/bulk-0007".into()),
                ..Default::default()
            },
            0,
            1,
        )
        .await
        .unwrap()
        .events
        .into_iter()
        .map(|event| (event.record_id.unwrap(), event.after.unwrap()))
        .collect();
    let object: serde_json::Value = serde_json::from_str(&after["prov_ab-z/bulk-0007"]).unwrap();
    assert_eq!(object["visit_id"], visits[1].id.as_str());
    assert_eq!(object["tasks"], "");
}

pub async fn workers_and_branches_are_found_by_id(store: Arc<dyn Store>, _database: &TestDatabase) {
    with_market(&store).await;
    let sam = WorkerId::from_suffix("sam1").unwrap();
    let expected = fixtures::workers()
        .into_iter()
        .find(|worker| worker.id == sam)
        .unwrap();
    assert_eq!(store.worker(&sam).await.unwrap(), Some(expected.clone()));
    assert_eq!(
        store
            .worker(&WorkerId::from_suffix("ghost").unwrap())
            .await
            .unwrap(),
        None
    );
    let branch = store.branch(&expected.branch_id).await.unwrap().unwrap();
    assert_eq!(branch.id, expected.branch_id);
    assert_eq!(
        store.worker_with_provider(&sam).await.unwrap(),
        Some((expected.clone(), branch.provider_id.clone()))
    );
    assert_eq!(
        store
            .worker_with_provider(&WorkerId::from_suffix("ghost").unwrap())
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        store
            .branch(&BranchId::from_suffix("nowhere").unwrap())
            .await
            .unwrap(),
        None
    );
}

/// A visit of the fixture's other provider (`abcd`, whose care worker is Kit) on Ada's main
/// package, an hour after `visits[1]`, stored.
async fn their_visit(store: &Arc<dyn Store>, visits: &[Visit]) -> Visit {
    let mut theirs = visits[1].clone();
    theirs.id = VisitId::from_suffix("theirs-001").unwrap();
    theirs.provider_id = fixtures::provider_id("abcd");
    theirs.dated.starts_at += SignedDuration::from_hours(1);
    theirs.dated.local_start = theirs
        .dated
        .starts_at
        .to_zoned(homeward_domain::london().clone())
        .time();
    let changes = VisitChanges {
        cancel: vec![],
        add: vec![theirs.clone()],
    };
    store
        .change_visits(&changes, noon(), PLANNER)
        .await
        .unwrap();
    theirs
}

pub async fn each_provider_has_its_own_keys(store: Arc<dyn Store>, database: &TestDatabase) {
    let visits = two_visits(&store).await;
    let theirs = their_visit(&store, &visits).await;
    let received = noon() + SignedDuration::from_hours(20);
    let ours = check_in("shared-0001-in", &visits[0], 2);
    let mut their_event = check_in("shared-0001-in", &theirs, 3);
    their_event.worker_id = WorkerId::from_suffix("kit2").unwrap();

    // The same key used by two providers is stored twice, once for each.
    assert_eq!(
        store
            .record_call_event(&ours, received, "acc_ours")
            .await
            .unwrap(),
        CallEventOutcome::Stored
    );
    assert_eq!(
        store
            .record_call_event(&their_event, received, "acc_theirs")
            .await
            .unwrap(),
        CallEventOutcome::Stored,
        "another provider's key does not take this provider's"
    );
    // Within one provider the key still stands for one event: a repeat is already stored,
    // another event under it a duplicate; in a batch as one at a time.
    let mut clash = their_event.clone();
    clash.at += SignedDuration::from_mins(1);
    let later = received + SignedDuration::from_mins(5);
    let results = store
        .record_call_events(
            &[
                sent(&their_event, "acc_theirs"),
                sent(&ours, "acc_ours"),
                sent(&clash, "acc_theirs"),
            ],
            later,
        )
        .await
        .unwrap();
    assert_eq!(
        described(&results),
        [
            format!("already stored at {received}"),
            format!("already stored at {received}"),
            "duplicate 2 shared-0001-in".to_owned(),
        ]
    );
    let error = store
        .record_call_event(&clash, later, "acc_theirs")
        .await
        .unwrap_err();
    assert!(matches!(error, StoreError::Duplicate { .. }), "{error:?}");
    // Two providers' events under one key in one batch are both new.
    let ours_out = CallEvent {
        kind: CallEventKind::CheckOut,
        key: EventKey::parse("shared-0002-out", "key").unwrap(),
        ..ours.clone()
    };
    let theirs_out = CallEvent {
        kind: CallEventKind::CheckOut,
        key: EventKey::parse("shared-0002-out", "key").unwrap(),
        ..their_event.clone()
    };
    let results = store
        .record_call_events(
            &[sent(&ours_out, "acc_ours"), sent(&theirs_out, "acc_theirs")],
            later,
        )
        .await
        .unwrap();
    assert_eq!(described(&results), ["stored", "stored"]);
    assert_eq!(
        store.call_events(&visits[0].id).await.unwrap(),
        [ours.clone(), ours_out]
    );
    assert_eq!(
        store.call_events(&theirs.id).await.unwrap(),
        [their_event.clone(), theirs_out]
    );
    // An import takes each provider's keys apart too.
    let imported_ours = check_in("shared-0003-in", &visits[1], 1);
    let mut imported_theirs = check_in("shared-0003-in", &theirs, 1);
    imported_theirs.worker_id = WorkerId::from_suffix("kit2").unwrap();
    assert_eq!(
        store
            .import_call_events(
                &[
                    (imported_ours, received),
                    (imported_theirs.clone(), received)
                ],
                "homeward demo",
            )
            .await
            .unwrap(),
        2
    );
    let error = store
        .import_call_events(&[(imported_theirs, received)], "homeward demo")
        .await
        .unwrap_err();
    assert!(matches!(error, StoreError::Duplicate { .. }), "{error:?}");

    // The audit trail names each event by its provider and key, and keeps the provider.
    let trail: Vec<(String, String)> = audited(database)
        .await
        .into_iter()
        .map(|(id, actor, _)| (id, actor))
        .collect();
    assert_eq!(
        trail[..2],
        [
            ("prov_ab-z/shared-0001-in".to_owned(), "acc_ours".to_owned()),
            (
                "prov_abcd/shared-0001-in".to_owned(),
                "acc_theirs".to_owned()
            ),
        ]
    );
    let theirs_created = store
        .audit_events(
            &homeward_store::AuditFilter {
                record_id: Some("prov_abcd/shared-0001-in".into()),
                ..Default::default()
            },
            0,
            10,
        )
        .await
        .unwrap()
        .events;
    assert_eq!(theirs_created.len(), 1);
    let after: serde_json::Value =
        serde_json::from_str(theirs_created[0].after.as_deref().unwrap()).unwrap();
    assert_eq!(after["provider_id"], "prov_abcd");
    assert_eq!(after["event_key"], "shared-0001-in");
}

pub async fn an_invoiced_visit_takes_no_more_events(
    store: Arc<dyn Store>,
    database: &TestDatabase,
) {
    let visits = super::invoices::with_visits(&store).await;
    let received = noon() + SignedDuration::from_hours(20);
    let before_invoice = check_in("before-0001-in", &visits[0], 2);
    store
        .record_call_event(&before_invoice, received, "acc_phone")
        .await
        .unwrap();
    let invoice = super::invoices::issued(
        "locked",
        "ab-z",
        vec![super::invoices::visit_line(1, &visits[0].id, 1_145)],
    );
    store
        .issue_invoice(&invoice, "coordinator@downs")
        .await
        .unwrap();
    let audit_before = database.audit_records().await.unwrap().len();

    // A new event for the invoiced visit is refused and nothing changes; a retry of one stored
    // before is answered as before; another visit's event in the same batch is stored.
    let mut check_out = check_in("after-0001-out", &visits[0], 45);
    check_out.kind = CallEventKind::CheckOut;
    let error = store
        .record_call_event(&check_out, received, "acc_phone")
        .await
        .unwrap_err();
    assert_store_error!(error, StoreError::Locked { kind: homeward_store::RecordKind::Visit, id, .. } if id == visits[0].id.as_str());
    assert_eq!(database.audit_records().await.unwrap().len(), audit_before);
    let elsewhere = check_in("elsewhere-0001-in", &visits[1], 0);
    let results = store
        .record_call_events(
            &[
                sent(&check_out, "acc_phone"),
                sent(&before_invoice, "acc_phone"),
                sent(&elsewhere, "acc_phone"),
            ],
            received,
        )
        .await
        .unwrap();
    assert!(
        matches!(&results[0], Err(StoreError::Locked { id, .. }) if id == visits[0].id.as_str()),
        "{:?}",
        results[0]
    );
    assert_eq!(
        described(&results[1..]),
        [format!("already stored at {received}"), "stored".to_owned()]
    );
    assert_eq!(
        store.call_events(&visits[0].id).await.unwrap(),
        [before_invoice]
    );
    // An import is refused whole.
    let error = store
        .import_call_events(
            &[
                (check_in("import-0001-in", &visits[2], 0), received),
                (check_out, received),
            ],
            "homeward demo",
        )
        .await
        .unwrap_err();
    assert_store_error!(error, StoreError::Locked { .. });
    assert!(store.call_events(&visits[2].id).await.unwrap().is_empty());
}

pub async fn a_visit_is_found_with_its_published_stops(
    store: Arc<dyn Store>,
    _database: &TestDatabase,
) {
    let visits = two_visits(&store).await;
    let sam = WorkerId::from_suffix("sam1").unwrap();
    let stop = |visit: &Visit, part: u8| homeward_domain::RosterStop {
        visit_id: visit.id.clone(),
        part,
        worker_id: sam.clone(),
        starts_at: visit.dated.starts_at,
        travel_minutes: 12,
    };
    let mut roster = homeward_domain::Roster {
        id: homeward_domain::RosterId::from_suffix("ada-day").unwrap(),
        branch_id: BranchId::from_suffix("downs-bognor").unwrap(),
        date: visits[0].dated.date,
        status: homeward_domain::RosterStatus::Draft,
        changed_at: noon(),
        published_at: None,
        stops: vec![
            stop(&visits[0], 0),
            stop(&visits[0], 1),
            stop(&visits[1], 0),
        ],
        unmade: vec![],
    };
    store.save_roster(&roster, "plan", PLANNER).await.unwrap();
    assert_eq!(
        store
            .visit_with_published_stops(&visits[0].id)
            .await
            .unwrap(),
        Some((visits[0].clone(), vec![])),
        "a draft's stops are not given to anyone yet"
    );
    roster.status = homeward_domain::RosterStatus::Published;
    roster.published_at = Some(noon());
    store
        .save_roster(&roster, "publish", PLANNER)
        .await
        .unwrap();
    assert_eq!(
        store
            .visit_with_published_stops(&visits[0].id)
            .await
            .unwrap(),
        Some((
            visits[0].clone(),
            vec![stop(&visits[0], 0), stop(&visits[0], 1)]
        ))
    );
    assert_eq!(
        store
            .visit_with_published_stops(&visits[1].id)
            .await
            .unwrap(),
        Some((visits[1].clone(), vec![stop(&visits[1], 0)]))
    );
    assert_eq!(
        store
            .visit_with_published_stops(&VisitId::from_suffix("nowhere").unwrap())
            .await
            .unwrap(),
        None
    );
}
