//! The contract for manual corrections of a visit's times: stored and listed, audited, checked
//! by their rules, and refused once the visit is on an issued invoice; suite functions that
//! `contract.rs` runs against both backends.

use super::invoices::{issued, visit_line, with_visits};
use homeward_domain::{
    CallEvent, CallEventKind, CallNote, Correction, CorrectionId, CorrectionReason, EventKey,
    VisitId, WorkerId,
};
use homeward_store::testing::TestDatabase;
use homeward_store::{AuditFilter, RecordKind, Store, StoreError, VisitFilter};
use jiff::{SignedDuration, Timestamp};
use std::collections::BTreeSet;
use std::sync::Arc;

const COORDINATOR: &str = "acc_coordinator";

fn correction(
    suffix: &str,
    visit: &homeward_domain::Visit,
    reason: CorrectionReason,
    minutes: Option<(i64, i64)>,
) -> Correction {
    let at = |offset: i64| visit.dated.starts_at + SignedDuration::from_mins(offset);
    Correction {
        id: CorrectionId::from_suffix(suffix).unwrap(),
        visit_id: visit.id.clone(),
        check_in: minutes.map(|(arrived, _)| at(arrived)),
        check_out: minutes.map(|(_, left)| at(left)),
        reason,
        note: CallNote::parse(
            "Phone battery flat; times from the person's daughter",
            "note",
        )
        .unwrap(),
        corrected_by: COORDINATOR.into(),
        corrected_at: "2019-08-09T10:00:00Z".parse::<Timestamp>().unwrap(),
    }
}

pub async fn corrections_are_kept_in_order_and_locked_once_invoiced(
    store: Arc<dyn Store>,
    _database: &TestDatabase,
) {
    let visits = with_visits(&store).await;
    let first = correction(
        "first",
        &visits[0],
        CorrectionReason::PhoneFailed,
        Some((5, 50)),
    );
    let mut second = correction("second", &visits[0], CorrectionReason::NotMade, None);
    second.corrected_at += SignedDuration::from_hours(1);
    let other = correction(
        "other",
        &visits[1],
        CorrectionReason::ForgotCheckOut,
        Some((0, 45)),
    );
    for stored in [&first, &second, &other] {
        store.correct_visit(stored, COORDINATOR).await.unwrap();
    }
    let week = VisitFilter::between(
        visits[0].dated.date,
        visits[1].dated.date.max(visits[0].dated.date),
    );
    let listed = store.corrections_of(&week).await.unwrap();
    let of_first: Vec<_> = listed
        .iter()
        .filter(|c| c.visit_id == visits[0].id)
        .cloned()
        .collect();
    assert_eq!(
        of_first,
        [first.clone(), second.clone()],
        "oldest first, the last stands"
    );
    assert!(listed.contains(&other));

    // Each is audited as a correction.
    let filter = AuditFilter {
        record_kind: Some("correction".into()),
        ..AuditFilter::default()
    };
    let events = store.audit_events(&filter, 0, 10).await.unwrap().events;
    assert_eq!(events.len(), 3);
    assert!(events.iter().all(|event| event.action == "correct"));
    assert!(
        events[2]
            .after
            .as_deref()
            .unwrap()
            .contains("\"reason\":\"phone-failed\"")
    );

    // Once the visit is invoiced, its times are locked: nothing changes.
    let invoice = issued("locked", "ab-z", vec![visit_line(1, &visits[0].id, 1_145)]);
    store
        .issue_invoice(&invoice, "coordinator@downs")
        .await
        .unwrap();
    let late = correction(
        "late",
        &visits[0],
        CorrectionReason::PhoneFailed,
        Some((0, 45)),
    );
    let error = store.correct_visit(&late, COORDINATOR).await.unwrap_err();
    assert_store_error!(error, StoreError::Locked { kind: RecordKind::Visit, id, .. } if id == visits[0].id.as_str());
    assert_eq!(store.corrections_of(&week).await.unwrap().len(), 3);
    // The visit not invoiced can still be corrected.
    let fine = correction(
        "fine",
        &visits[1],
        CorrectionReason::PhoneFailed,
        Some((2, 44)),
    );
    store.correct_visit(&fine, COORDINATOR).await.unwrap();
}

pub async fn a_bad_correction_stores_nothing(store: Arc<dyn Store>, _database: &TestDatabase) {
    let visits = with_visits(&store).await;
    let backwards = correction(
        "backwards",
        &visits[0],
        CorrectionReason::PhoneFailed,
        Some((50, 5)),
    );
    let error = store
        .correct_visit(&backwards, COORDINATOR)
        .await
        .unwrap_err();
    let StoreError::Invalid { errors, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(errors.0[0].field, "check_out");
    let mut stray = correction(
        "stray",
        &visits[0],
        CorrectionReason::PhoneFailed,
        Some((0, 45)),
    );
    stray.visit_id = VisitId::from_suffix("nowhere").unwrap();
    let error = store.correct_visit(&stray, COORDINATOR).await.unwrap_err();
    assert!(
        matches!(error, StoreError::MissingReference { .. }),
        "{error:?}"
    );
    let everything = VisitFilter::between(
        jiff::civil::Date::constant(2019, 1, 1),
        jiff::civil::Date::constant(2019, 12, 31),
    );
    assert!(store.corrections_of(&everything).await.unwrap().is_empty());
}

/// What a correction's audit event holds as `before`.
fn before_of(event: &homeward_store::AuditEvent) -> serde_json::Value {
    serde_json::from_str(event.before.as_deref().expect("a before")).unwrap()
}

fn time_in(value: &serde_json::Value) -> Option<Timestamp> {
    value.as_str().map(|text| text.parse().unwrap())
}

pub async fn a_correction_audits_the_times_it_replaces(
    store: Arc<dyn Store>,
    _database: &TestDatabase,
) {
    let visits = with_visits(&store).await;
    let visit = &visits[0];
    let at = |minutes: i64| visit.dated.starts_at + SignedDuration::from_mins(minutes);
    // Two carers' phones: the first check-in and the last check-out are the visit's times.
    let event = |key: &str, worker: &str, kind, minutes: i64| {
        let event = CallEvent {
            key: EventKey::parse(key, "key").unwrap(),
            visit_id: visit.id.clone(),
            worker_id: WorkerId::from_suffix(worker).unwrap(),
            kind,
            at: at(minutes),
            location: None,
            tasks: BTreeSet::new(),
            note: None,
        };
        (event, at(minutes))
    };
    store
        .import_call_events(
            &[
                event("phone-in-late", "sam1", CallEventKind::CheckIn, 7),
                event("phone-in-first", "sam1", CallEventKind::CheckIn, 3),
                event("phone-out-first", "sam1", CallEventKind::CheckOut, 40),
                event("phone-out-last", "sam1", CallEventKind::CheckOut, 48),
            ],
            "homeward demo",
        )
        .await
        .unwrap();

    let first = correction("first", visit, CorrectionReason::PhoneFailed, Some((5, 50)));
    let mut second = correction("second", visit, CorrectionReason::NotMade, None);
    second.corrected_at += SignedDuration::from_hours(1);
    let bare = correction(
        "bare",
        &visits[1],
        CorrectionReason::ForgotCheckOut,
        Some((0, 45)),
    );
    for stored in [&first, &second, &bare] {
        store.correct_visit(stored, COORDINATOR).await.unwrap();
    }
    let filter = AuditFilter {
        record_kind: Some("correction".into()),
        ..AuditFilter::default()
    };
    let events = store.audit_events(&filter, 0, 10).await.unwrap().events;
    let ids: Vec<Option<&str>> = events.iter().map(|e| e.record_id.as_deref()).collect();
    assert_eq!(
        ids,
        [Some("cor_bare"), Some("cor_second"), Some("cor_first")]
    );

    // The first replaces the phones' times.
    let replaced = before_of(&events[2]);
    assert_eq!(replaced["visit_id"], visit.id.as_str());
    assert_eq!(time_in(&replaced["check_in_at"]), Some(at(3)));
    assert_eq!(time_in(&replaced["check_out_at"]), Some(at(48)));
    assert_eq!(replaced.as_object().unwrap().len(), 3);
    // The second replaces the first, as it was stored.
    assert_eq!(
        before_of(&events[1]),
        serde_json::from_str::<serde_json::Value>(events[2].after.as_deref().unwrap()).unwrap()
    );
    assert_eq!(before_of(&events[1])["id"], "cor_first");
    // A visit no phone reported replaces nothing: its times were none.
    assert_eq!(
        before_of(&events[0]),
        serde_json::json!({
            "visit_id": visits[1].id.as_str(),
            "check_in_at": null,
            "check_out_at": null,
        })
    );
}
