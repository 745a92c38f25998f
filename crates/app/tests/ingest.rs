//! The ingester over real databases: events sent at once are written together, each is
//! answered with its own outcome only once stored, and one refused event leaves the others.

use homeward_app::{Ids, Ingester, plan_visits};
use homeward_domain::{CallEvent, CallEventKind, EventKey, Market, Visit, VisitId};
use homeward_store::testing::TestDatabase;
use homeward_store::{Backend, CallEventOutcome, SentCallEvent, StoreError, VisitFilter};
use jiff::Timestamp;
use jiff::civil::Date;
use std::sync::atomic::{AtomicI64, Ordering};

/// Monday 26 October 2026, 09:00 GMT.
fn now() -> Timestamp {
    "2026-10-26T09:00:00Z".parse().unwrap()
}

/// A clock that moves a second each time it is read, so that each batch has a time of its own.
fn ticking_clock() -> Timestamp {
    static TICKS: AtomicI64 = AtomicI64::new(0);
    now() + jiff::SignedDuration::from_secs(TICKS.fetch_add(1, Ordering::Relaxed))
}

fn market() -> Market {
    let preset = homeward_preset::builtin("west-sussex-2019").unwrap();
    let mut market = homeward_demo::generate(&preset, 1, &mut homeward_demo::NoProgress);
    market.packages.truncate(20);
    market
}

/// A check-in to `visit` by the first worker of the market.
fn check_in(key: &str, visit: &Visit, market: &Market) -> SentCallEvent {
    SentCallEvent {
        event: CallEvent {
            key: EventKey::parse(key, "key").unwrap(),
            visit_id: visit.id.clone(),
            worker_id: market.workers[0].id.clone(),
            kind: CallEventKind::CheckIn,
            at: visit.dated.starts_at,
            location: None,
            tasks: Default::default(),
            note: None,
        },
        actor: format!("sender of {key}"),
    }
}

async fn events_sent_together_are_written_together(backend: Backend) {
    let database = TestDatabase::new(backend).await.unwrap();
    let store = database.store().await.unwrap();
    let market = market();
    store.replace_market(&market, "test").await.unwrap();
    let tuesday = Date::constant(2026, 10, 27);
    plan_visits(store.as_ref(), &Ids::seeded(5), now(), tuesday, "test")
        .await
        .unwrap();
    let visits = store
        .visits(&VisitFilter::between(tuesday, tuesday))
        .await
        .unwrap();
    let ingester = Ingester::start(store.clone(), ticking_clock);

    // Forty events handed over at once, one of them for a visit that does not exist: on this
    // single-threaded runtime the writer runs only once all forty wait, so it takes them as one
    // batch (and so one time of receipt) and refuses the bad one alone.
    let mut events: Vec<SentCallEvent> = (0..40)
        .map(|number| {
            check_in(
                &format!("together-{number:03}"),
                &visits[number % visits.len()],
                &market,
            )
        })
        .collect();
    events[7].event.visit_id = VisitId::from_suffix("nowhere").unwrap();
    let answers = futures_join_all(events.iter().map(|sent| ingester.record(sent.clone()))).await;
    let mut times = std::collections::BTreeSet::new();
    for (number, answer) in answers.iter().enumerate() {
        match (number, answer) {
            (7, Err(StoreError::MissingReference { message, .. })) => {
                assert!(message.contains("vis_nowhere"), "{message}");
            }
            (_, Ok(receipt)) => {
                assert_eq!(receipt.outcome, CallEventOutcome::Stored, "{number}");
                times.insert(receipt.received_at);
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(times.len(), 1, "one batch, one time of receipt: {times:?}");
    // Every answer came after the commit: the events are there, each audited by its sender.
    let stored = store
        .call_events_of(&VisitFilter::between(tuesday, tuesday))
        .await
        .unwrap();
    assert_eq!(stored.len(), 39);
    let trail = database.audit_records().await.unwrap();
    let created: Vec<_> = trail
        .iter()
        .filter(|event| event.record_kind == "call-event")
        .collect();
    assert_eq!(created.len(), 39);
    assert_eq!(created[0].actor, "sender of together-000");

    // Sent again one by one, each is answered as stored before, at the batch's time.
    let first_time = *times.first().unwrap();
    let again = ingester.record(events[3].clone()).await.unwrap();
    assert_eq!(
        again.outcome,
        CallEventOutcome::AlreadyStored {
            received_at: first_time
        }
    );
    assert_eq!(again.received_at, first_time);
    let mut changed = events[3].clone();
    changed.event.at += jiff::SignedDuration::from_mins(1);
    assert!(matches!(
        ingester.record(changed).await,
        Err(StoreError::Duplicate { .. })
    ));
}

/// Polls every future to the end on the current task, as `join_all` does.
async fn futures_join_all<F: std::future::Future>(
    futures: impl Iterator<Item = F>,
) -> Vec<F::Output> {
    let mut pending: Vec<_> = futures.map(Box::pin).collect();
    let mut outputs: Vec<Option<F::Output>> = pending.iter().map(|_| None).collect();
    std::future::poll_fn(|context| {
        let mut done = true;
        for (future, output) in pending.iter_mut().zip(outputs.iter_mut()) {
            if output.is_none() {
                match future.as_mut().poll(context) {
                    std::task::Poll::Ready(value) => *output = Some(value),
                    std::task::Poll::Pending => done = false,
                }
            }
        }
        if done {
            std::task::Poll::Ready(())
        } else {
            std::task::Poll::Pending
        }
    })
    .await;
    outputs.into_iter().map(Option::unwrap).collect()
}

#[tokio::test(flavor = "current_thread")]
async fn sqlite_events_sent_together_are_written_together() {
    events_sent_together_are_written_together(Backend::Sqlite).await;
}

#[tokio::test(flavor = "current_thread")]
async fn postgres_events_sent_together_are_written_together() {
    events_sent_together_are_written_together(Backend::Postgres).await;
}
