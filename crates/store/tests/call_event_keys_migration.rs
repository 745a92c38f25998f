//! Migration 0010 gives each provider its own call-event keys by rebuilding `call_events`: a
//! database with events stored under 0001–0009 keeps every one of them, each now in the key
//! space of its visit's provider, and takes the same key from another provider afterwards. On
//! SQLite and PostgreSQL.

#[path = "contract/fixtures.rs"]
#[allow(dead_code)]
mod fixtures;
#[path = "support/migrations.rs"]
mod migrations;

use homeward_domain::{
    CallEvent, CallEventKind, CallNote, CareTask, Coordinates, EventKey, Visit, VisitId,
    VisitStatus, WorkerId, format_code_list, visits_between,
};
use homeward_store::{Backend, CallEventOutcome, VisitChanges};
use jiff::Timestamp;
use jiff::civil::Date;

/// Ada's main visits on Monday 5 August 2019, of provider `ab-z`.
fn visits() -> Vec<Visit> {
    let package = fixtures::packages()
        .into_iter()
        .find(|package| package.id.as_str() == "pkg_ada-main")
        .unwrap();
    let monday = Date::constant(2019, 8, 5);
    visits_between(&package, monday, monday)
        .into_iter()
        .enumerate()
        .map(|(index, dated)| Visit {
            id: VisitId::from_suffix(&format!("ada-main-{index:03}")).unwrap(),
            provider_id: fixtures::provider_id("ab-z"),
            dated,
            status: VisitStatus::Planned,
        })
        .collect()
}

async fn events_stored_before_are_kept(backend: Backend) {
    let (database, pool) = migrations::database_before(backend, "0010").await;

    // The register and a visit written through the store (its statements are the same before
    // 0010, but for packages, which gained a column in 0013 and are written as 0001 stored
    // them), and two events written as 0005 and 0006 stored them.
    let store = homeward_store::connect(database.url(), database.clock())
        .await
        .unwrap();
    let mut market = fixtures::market();
    let packages = std::mem::take(&mut market.packages);
    store.replace_market(&market, "test").await.unwrap();
    for package in &packages {
        let row = format!(
            "INSERT INTO packages (id, person_id, provider_id, visit_pattern, weekly_minutes, \
             skills, starts_on, ends_on) VALUES ('{}', '{}', {}, '{}', {}, '{}', '{}', {})",
            package.id,
            package.person_id,
            package
                .provider_id
                .as_ref()
                .map_or("NULL".to_owned(), |id| format!("'{id}'")),
            package.pattern,
            package.weekly_minutes(),
            format_code_list(&package.skills),
            package.starts_on,
            package
                .ends_on
                .map_or("NULL".to_owned(), |date| format!("'{date}'")),
        );
        sqlx::query(&row).execute(&pool).await.unwrap();
    }
    let visits = visits();
    let planned_at: Timestamp = "2019-08-05T00:00:00Z".parse().unwrap();
    store
        .change_visits(
            &VisitChanges {
                cancel: vec![],
                add: visits.clone(),
            },
            planned_at,
            "test",
        )
        .await
        .unwrap();
    let visit = &visits[0];
    let received = "2019-08-05T09:40:00.000000Z";
    for row in [
        format!(
            "INSERT INTO call_events (event_key, visit_id, worker_id, kind, at, latitude_e6, \
             longitude_e6, received_at) VALUES ('before-0001-in', '{}', 'wkr_sam1', 'check_in', \
             '2019-08-05T07:03:00.000000Z', 50790000, -670000, '{received}')",
            visit.id
        ),
        format!(
            "INSERT INTO call_events (event_key, visit_id, worker_id, kind, at, received_at, \
             tasks, note) VALUES ('before-0001-out', '{}', 'wkr_sam1', 'check_out', \
             '2019-08-05T07:48:00.000000Z', '{received}', 'medication', 'Ate well.')",
            visit.id
        ),
    ] {
        sqlx::query(&row).execute(&pool).await.unwrap();
    }
    pool.close().await;

    store.migrate().await.unwrap();
    let sam = WorkerId::from_suffix("sam1").unwrap();
    let check_in = CallEvent {
        key: EventKey::parse("before-0001-in", "key").unwrap(),
        visit_id: visit.id.clone(),
        worker_id: sam.clone(),
        kind: CallEventKind::CheckIn,
        at: "2019-08-05T07:03:00Z".parse().unwrap(),
        location: Coordinates::from_micro_degrees(50_790_000, -670_000),
        tasks: Default::default(),
        note: None,
    };
    let check_out = CallEvent {
        key: EventKey::parse("before-0001-out", "key").unwrap(),
        kind: CallEventKind::CheckOut,
        at: "2019-08-05T07:48:00Z".parse().unwrap(),
        location: None,
        tasks: [CareTask::Medication].into(),
        note: CallNote::parse("Ate well.", "note").unwrap(),
        ..check_in.clone()
    };
    assert_eq!(
        store.call_events(&visit.id).await.unwrap(),
        [check_in.clone(), check_out]
    );
    // Kept in the key space of the visit's provider: a retry is answered as before.
    let provider = fixtures::provider_id("ab-z");
    let (stored, received_at) = store
        .stored_call_event(&provider, &check_in.key)
        .await
        .unwrap()
        .expect("kept under its provider");
    assert_eq!(stored, check_in);
    assert_eq!(received_at.to_string(), "2019-08-05T09:40:00Z");
    assert_eq!(
        store
            .record_call_event(&check_in, planned_at, "test")
            .await
            .unwrap(),
        CallEventOutcome::AlreadyStored { received_at }
    );
    // Another provider's event may now use the key.
    let mut theirs = visits[1].clone();
    theirs.id = VisitId::from_suffix("theirs-001").unwrap();
    theirs.provider_id = fixtures::provider_id("abcd");
    // Another time of Ada's package: a package has one planned visit at a time.
    theirs.dated.starts_at += jiff::SignedDuration::from_mins(7);
    theirs.dated.local_start = theirs
        .dated
        .starts_at
        .to_zoned(homeward_domain::london().clone())
        .time();
    store
        .change_visits(
            &VisitChanges {
                cancel: vec![],
                add: vec![theirs.clone()],
            },
            planned_at,
            "test",
        )
        .await
        .unwrap();
    let their_event = CallEvent {
        visit_id: theirs.id.clone(),
        worker_id: WorkerId::from_suffix("kit2").unwrap(),
        ..check_in
    };
    assert_eq!(
        store
            .record_call_event(&their_event, planned_at, "test")
            .await
            .unwrap(),
        CallEventOutcome::Stored
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_stored_before_are_kept_on_sqlite() {
    events_stored_before_are_kept(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_stored_before_are_kept_on_postgres() {
    events_stored_before_are_kept(Backend::Postgres).await;
}
