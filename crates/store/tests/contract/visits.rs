//! The contract for dated visits (adding, listing and cancelling them in one audited
//! transaction, never in the past and never twice) and their call events (stored once per
//! idempotency key); suite functions that `contract.rs` runs against both backends.

use super::fixtures::{self, person_id, provider_id};
use homeward_domain::{
    CallEvent, CallEventKind, CallNote, CareTask, Coordinates, EventKey, PackageId, Visit, VisitId,
    VisitStatus, WorkerId, visits_between,
};
use homeward_store::testing::TestDatabase;
use homeward_store::{
    AuditFilter, CallEventOutcome, CallTiming, RecordKind, Store, StoreError, VisitChanges,
    VisitFilter,
};
use jiff::Timestamp;
use jiff::civil::Date;
use std::collections::BTreeSet;
use std::sync::Arc;

pub const PLANNER: &str = "homeward visits";

/// Wednesday 7 August 2019, 12:00 BST.
pub fn noon() -> Timestamp {
    "2019-08-07T11:00:00Z".parse().unwrap()
}

pub fn week() -> (Date, Date) {
    (Date::constant(2019, 8, 5), Date::constant(2019, 8, 11))
}

/// The fixture package `suffix`'s visits over the week that start at `from` or later, with
/// ids made from the suffix and a number.
pub fn planned(suffix: &str, from: Timestamp) -> Vec<Visit> {
    let package = fixtures::packages()
        .into_iter()
        .find(|package| package.id.as_str() == format!("pkg_{suffix}"))
        .expect("a fixture package");
    let (monday, sunday) = week();
    visits_between(&package, monday, sunday)
        .into_iter()
        .filter(|dated| dated.starts_at >= from)
        .enumerate()
        .map(|(index, dated)| Visit {
            id: VisitId::from_suffix(&format!("{suffix}-{index:03}")).unwrap(),
            provider_id: provider_id("ab-z"),
            dated,
            status: VisitStatus::Planned,
        })
        .collect()
}

pub async fn with_market(store: &Arc<dyn Store>) {
    store
        .replace_market(&fixtures::market(), "homeward demo")
        .await
        .unwrap();
}

async fn all_visits(store: &Arc<dyn Store>) -> Vec<Visit> {
    let (monday, sunday) = week();
    store
        .visits(&VisitFilter::between(monday, sunday))
        .await
        .unwrap()
}

pub async fn visits_are_added_listed_and_cancelled_from_now_on(
    store: Arc<dyn Store>,
    _database: &TestDatabase,
) {
    with_market(&store).await;
    // Planned on Monday morning, before the week began.
    let monday = "2019-08-05T00:00:00Z".parse().unwrap();
    let main = planned("ada-main", monday);
    let night = planned("ada-night", monday);
    let changes = VisitChanges {
        cancel: vec![],
        add: main.iter().chain(&night).cloned().collect(),
    };
    let outcome = store
        .change_visits(&changes, monday, PLANNER)
        .await
        .unwrap();
    assert_eq!(
        (outcome.added, outcome.cancelled),
        (main.len() + night.len(), 0)
    );

    let stored = all_visits(&store).await;
    assert_eq!(stored.len(), main.len() + night.len());
    assert!(
        stored
            .windows(2)
            .all(|pair| pair[0].dated.starts_at <= pair[1].dated.starts_at)
    );
    let first = stored.iter().find(|visit| visit.id == main[0].id).unwrap();
    assert_eq!(first, &main[0], "a visit reads back exactly");
    assert_eq!(
        store.visit(&main[0].id).await.unwrap().as_ref(),
        Some(&main[0])
    );
    let nowhere = VisitId::from_suffix("nowhere").unwrap();
    assert_eq!(store.visit(&nowhere).await.unwrap(), None);

    let (mon, sun) = week();
    let night_only = VisitFilter {
        package_id: Some(PackageId::from_suffix("ada-night").unwrap()),
        ..VisitFilter::between(mon, sun)
    };
    assert_eq!(store.visits(&night_only).await.unwrap(), night);
    let nobody = VisitFilter {
        person_id: Some(person_id("bea2")),
        ..VisitFilter::between(mon, sun)
    };
    assert!(store.visits(&nobody).await.unwrap().is_empty());
    let other_provider = VisitFilter {
        provider_id: Some(provider_id("abcd")),
        ..VisitFilter::between(mon, sun)
    };
    assert!(store.visits(&other_provider).await.unwrap().is_empty());
    let saturday = VisitFilter::between(Date::constant(2019, 8, 10), Date::constant(2019, 8, 10));
    let on_saturday = store.visits(&saturday).await.unwrap();
    assert!(
        on_saturday
            .iter()
            .all(|visit| visit.dated.date == saturday.from)
    );
    assert!(
        on_saturday
            .iter()
            .any(|visit| visit.dated.package_id.as_str() == "pkg_ada-night")
    );

    // At noon on Wednesday: Monday's first visit is history and stays; Sunday night's goes.
    let past = main[0].id.clone();
    let future = night.last().unwrap().id.clone();
    let cancel = VisitChanges {
        cancel: vec![past.clone(), future.clone(), future.clone()],
        add: vec![],
    };
    let outcome = store.change_visits(&cancel, noon(), PLANNER).await.unwrap();
    assert_eq!((outcome.added, outcome.cancelled), (0, 1));
    let stored = all_visits(&store).await;
    let status = |id: &VisitId| stored.iter().find(|visit| &visit.id == id).unwrap().status;
    assert_eq!(status(&past), VisitStatus::Planned);
    assert_eq!(status(&future), VisitStatus::Cancelled);
    let planned_only = VisitFilter {
        planned_only: true,
        ..VisitFilter::between(mon, sun)
    };
    assert_eq!(
        store.visits(&planned_only).await.unwrap().len(),
        stored.len() - 1
    );

    let filter = AuditFilter {
        record_kind: Some("visits".into()),
        ..AuditFilter::default()
    };
    let events = store.audit_events(&filter, 0, 10).await.unwrap().events;
    assert_eq!(events.len(), 2);
    assert_eq!(
        (events[0].action.as_str(), events[0].actor.as_str()),
        ("plan", PLANNER)
    );
    assert_eq!(events[0].record_count, 1);
    let before: serde_json::Value =
        serde_json::from_str(events[0].before.as_deref().unwrap()).unwrap();
    assert_eq!(before["cancelled"], serde_json::json!([future.as_str()]));
    let after: serde_json::Value =
        serde_json::from_str(events[1].after.as_deref().unwrap()).unwrap();
    assert_eq!(
        after["added"].as_array().unwrap().len(),
        main.len() + night.len()
    );
    assert_eq!(after["added"][0], serde_json::json!(main[0].id.as_str()));
}

pub async fn a_visit_in_the_past_or_twice_stores_nothing(
    store: Arc<dyn Store>,
    _database: &TestDatabase,
) {
    with_market(&store).await;
    let future = planned("ada-main", noon());
    let first = VisitChanges {
        cancel: vec![],
        add: future[..3].to_vec(),
    };
    store.change_visits(&first, noon(), PLANNER).await.unwrap();

    // One visit that started before now spoils the batch: nothing of it is written.
    let monday = "2019-08-05T00:00:00Z".parse().unwrap();
    let mut late = planned("ada-night", monday);
    late.extend(
        planned("ada-main", monday)
            .into_iter()
            .take(1)
            .map(|mut visit| {
                visit.id = VisitId::from_suffix("too-late").unwrap();
                visit
            }),
    );
    let error = store
        .change_visits(
            &VisitChanges {
                cancel: vec![future[0].id.clone()],
                add: late.clone(),
            },
            noon(),
            PLANNER,
        )
        .await
        .unwrap_err();
    let StoreError::Invalid {
        kind,
        index,
        id,
        errors,
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(
        (*kind, *index, id.as_str()),
        (RecordKind::Visit, late.len() - 1, "vis_too-late")
    );
    assert_eq!(errors.0[0].field, "starts_at");

    // The same planned care twice (another id, same package, date and time): the second batch
    // fails whole, its cancellation included.
    let mut again = future[2].clone();
    again.id = VisitId::from_suffix("again").unwrap();
    let twice = VisitChanges {
        cancel: vec![future[0].id.clone()],
        add: vec![future[3].clone(), again],
    };
    let error = store
        .change_visits(&twice, noon(), PLANNER)
        .await
        .unwrap_err();
    assert_store_error!(error, StoreError::Duplicate { kind: RecordKind::Visit, index: 1, id } if id == "vis_again");
    let stored = all_visits(&store).await;
    assert_eq!(
        stored,
        future[..3].to_vec(),
        "only the first batch, as it was"
    );

    // Once cancelled, the same care may be planned again.
    let replan = VisitChanges {
        cancel: vec![future[2].id.clone()],
        add: vec![Visit {
            id: VisitId::from_suffix("again").unwrap(),
            ..future[2].clone()
        }],
    };
    let outcome = store.change_visits(&replan, noon(), PLANNER).await.unwrap();
    assert_eq!((outcome.added, outcome.cancelled), (1, 1));
}

pub async fn replacing_the_market_clears_visits(store: Arc<dyn Store>, _database: &TestDatabase) {
    with_market(&store).await;
    let changes = VisitChanges {
        cancel: vec![],
        add: planned("ada-main", noon()),
    };
    store
        .change_visits(&changes, noon(), PLANNER)
        .await
        .unwrap();
    store
        .replace_market(&fixtures::market(), "homeward demo")
        .await
        .unwrap();
    assert!(all_visits(&store).await.is_empty());
}

pub async fn call_events_are_stored_once_per_key(store: Arc<dyn Store>, _database: &TestDatabase) {
    with_market(&store).await;
    let visits = planned("ada-main", noon());
    let changes = VisitChanges {
        cancel: vec![],
        add: visits[..1].to_vec(),
    };
    store
        .change_visits(&changes, noon(), PLANNER)
        .await
        .unwrap();
    let visit = &visits[0];
    let event = |key: &str, kind, minutes: i64| CallEvent {
        key: EventKey::parse(key, "key").unwrap(),
        visit_id: visit.id.clone(),
        worker_id: WorkerId::from_suffix("sam1").unwrap(),
        kind,
        at: visit.dated.starts_at + jiff::SignedDuration::from_mins(minutes),
        location: Coordinates::from_micro_degrees(50_790_000, -670_000),
        tasks: BTreeSet::new(),
        note: None,
    };
    let check_in = event("phone-0001-in", CallEventKind::CheckIn, 3);
    let mut check_out = event("phone-0001-out", CallEventKind::CheckOut, 48);
    check_out.location = None;
    check_out.tasks = [CareTask::Medication, CareTask::PersonalCare].into();
    check_out.note = CallNote::parse("Ate well.\nAsked about Tuesday's visit.", "note").unwrap();
    let received = noon() + jiff::SignedDuration::from_hours(30);

    // Sent twice (a retry after a lost answer): stored once.
    assert_eq!(
        store
            .record_call_event(&check_in, received, "acc_worker")
            .await
            .unwrap(),
        CallEventOutcome::Stored
    );
    let later = received + jiff::SignedDuration::from_mins(5);
    assert_eq!(
        store
            .record_call_event(&check_in, later, "acc_worker")
            .await
            .unwrap(),
        CallEventOutcome::AlreadyStored {
            received_at: received
        }
    );
    // The check-out arrives first from an offline phone: order is by when it happened.
    store
        .record_call_event(&check_out, received, "acc_worker")
        .await
        .unwrap();
    assert_eq!(
        store.call_events(&visit.id).await.unwrap(),
        [check_in.clone(), check_out.clone()]
    );
    // Read for the visit's day, in full and as timings only, in the same order.
    let day = VisitFilter::between(visit.dated.date, visit.dated.date);
    assert_eq!(
        store.call_events_of(&day).await.unwrap(),
        [check_in.clone(), check_out.clone()]
    );
    assert_eq!(
        store.call_timings_of(&day).await.unwrap(),
        [
            CallTiming {
                visit_id: visit.id.clone(),
                worker_id: check_in.worker_id.clone(),
                kind: CallEventKind::CheckIn,
                at: check_in.at,
            },
            CallTiming::from(&check_out),
        ]
    );
    let next_day = VisitFilter::between(
        visit.dated.date.tomorrow().unwrap(),
        visit.dated.date.tomorrow().unwrap(),
    );
    assert!(store.call_timings_of(&next_day).await.unwrap().is_empty());
    // The check-out again, tasks and note included, is the same event.
    assert!(matches!(
        store
            .record_call_event(&check_out, later, "acc_worker")
            .await
            .unwrap(),
        CallEventOutcome::AlreadyStored { .. }
    ));
    // With other tasks or another note it is another event under a used key.
    for changed in [
        CallEvent {
            tasks: [CareTask::Medication].into(),
            ..check_out.clone()
        },
        CallEvent {
            note: None,
            ..check_out.clone()
        },
    ] {
        let error = store
            .record_call_event(&changed, later, "acc_worker")
            .await
            .unwrap_err();
        assert!(matches!(error, StoreError::Duplicate { .. }), "{error:?}");
    }
    // Tasks on a check-in are refused, naming the field.
    let mut busy_check_in = event("phone-0003-in", CallEventKind::CheckIn, 1);
    busy_check_in.tasks = [CareTask::Domestic].into();
    let error = store
        .record_call_event(&busy_check_in, later, "acc_worker")
        .await
        .unwrap_err();
    let StoreError::Invalid { errors, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(errors.0[0].field, "tasks");

    // Another event under a used key is refused, and changes nothing.
    let mut clash = check_in.clone();
    clash.at += jiff::SignedDuration::from_mins(1);
    let error = store
        .record_call_event(&clash, later, "acc_worker")
        .await
        .unwrap_err();
    assert_store_error!(error, StoreError::Duplicate { kind: RecordKind::CallEvent, id, .. } if id == "phone-0001-in");
    // An unknown visit is named.
    let mut stray = event("phone-0002-in", CallEventKind::CheckIn, 0);
    stray.visit_id = VisitId::from_suffix("nowhere").unwrap();
    let error = store
        .record_call_event(&stray, later, "acc_worker")
        .await
        .unwrap_err();
    let StoreError::MissingReference { message, .. } = &error else {
        panic!("{error:?}")
    };
    assert!(message.contains("visit_id vis_nowhere"), "{message}");
    assert_eq!(store.call_events(&visit.id).await.unwrap().len(), 2);

    // Each event stored is audited once.
    let filter = AuditFilter {
        record_kind: Some("call-event".into()),
        ..AuditFilter::default()
    };
    let events = store.audit_events(&filter, 0, 10).await.unwrap().events;
    assert_eq!(events.len(), 2);
    // Named by its provider and key: another provider's events may use the same key.
    assert_eq!(
        events[1].record_id.as_deref(),
        Some("prov_ab-z/phone-0001-in")
    );
}
