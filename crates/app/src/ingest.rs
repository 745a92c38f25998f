//! Call-event ingestion with group commit: one task writes every call event, taking whatever
//! requests are waiting and storing them as ONE transaction
//! ([`VisitStore::record_call_events`](homeward_store::VisitStore::record_call_events)), and
//! answers each request only after that transaction has committed.
//!
//! Why: a durable commit costs a sync to disk (SQLite's WAL, PostgreSQL's WAL flush), and on
//! both backends audited writers take turns under one lock. One transaction per event makes
//! the disk the limit; one per batch shares each sync among all the events that arrived while
//! the last one was being written. Nothing waits for a batch to fill: a lone event is written at
//! once, and under load batches grow by themselves, so latency stays at about one commit.
//!
//! What is guaranteed: an event answered `Stored` or `AlreadyStored` is committed, with its
//! audit event, before the answer is sent; an event whose request got no answer (the process
//! died, the database failed) may or may not be stored, and sending it again with the same key
//! stores it at most once.
//!
//! Before an event is handed over, [`admit`] decides whether it may be taken at all: money
//! follows only care that was really rostered, at believable times.

use homeward_domain::{CallEvent, CallWindow, FieldError, RosterStop, Visit, VisitStatus};
use homeward_store::{CallEventOutcome, SentCallEvent, Store, StoreError};
use jiff::Timestamp;
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

/// The most events one transaction takes: enough that a queue of thousands drains in a few
/// commits, few enough that one transaction's statements stay short.
pub const MAX_BATCH: usize = 500;

/// How many requests may wait for the writer before senders wait to hand theirs over.
const QUEUE: usize = 8_192;

/// What became of an event that was ingested.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Receipt {
    /// Stored now, or stored before (the same event sent again).
    pub outcome: CallEventOutcome,
    /// When the store first took it.
    pub received_at: Timestamp,
}

/// A handle on the ingesting task; clones share the task, which stops when the last is dropped.
#[derive(Clone)]
pub struct Ingester {
    requests: mpsc::Sender<Request>,
}

/// One event waiting to be written, and where its answer goes.
struct Request {
    sent: SentCallEvent,
    answer: oneshot::Sender<Result<Receipt, StoreError>>,
}

impl Ingester {
    /// Starts the ingesting task on the current Tokio runtime, writing to `store`; `clock` gives
    /// each batch its `received_at` (to the microsecond, as the store keeps instants, so that a
    /// repeat's receipt shows the same time as the first).
    pub fn start(
        store: Arc<dyn Store>,
        clock: impl Fn() -> Timestamp + Send + 'static,
    ) -> Ingester {
        let (requests, waiting) = mpsc::channel(QUEUE);
        tokio::spawn(write_batches(store, waiting, clock));
        Ingester { requests }
    }

    /// Stores `sent` with whatever else is waiting, and answers once it is committed: the
    /// receipt, or why the event was refused (as
    /// [`VisitStore::record_call_events`](homeward_store::VisitStore::record_call_events) says
    /// for one event), or a [`StoreError::Database`] when the batch could not be written (nothing of
    /// it is stored then) or the task has stopped.
    pub async fn record(&self, sent: SentCallEvent) -> Result<Receipt, StoreError> {
        let stopped = || StoreError::database_failure("the call-event ingester has stopped");
        let (answer, answered) = oneshot::channel();
        self.requests
            .send(Request { sent, answer })
            .await
            .map_err(|_| stopped())?;
        answered.await.map_err(|_| stopped())?
    }
}

/// Why an event may not be taken; nothing is stored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Inadmissible {
    /// A field is at fault: `at` (not a believable time for the visit) or `worker_id` (not the
    /// care worker rostered to it).
    #[error("{0}")]
    Invalid(FieldError),
    /// The visit was cancelled.
    #[error("the visit was cancelled")]
    Cancelled,
}

/// Whether `event`, for `visit`, may be taken when received at `now`: the visit is planned;
/// the event's time is believable for it and it arrives in time ([`CallWindow::check_event`]);
/// and its worker makes a part of the visit on a published roster
/// ([`CallEvent::check_rostered`]; `published` is the visit's stops on published rosters, as
/// [`VisitStore::visit_with_published_stops`](homeward_store::VisitStore::visit_with_published_stops)
/// reads them), whoever sends it (the care worker's phone, or the provider's own system). Anything else is for a coordinator's correction.
///
/// That the visit is not on an issued invoice is checked by the store as it writes, under the
/// lock that issuing an invoice takes too ([`StoreError::Locked`]).
pub fn admit(
    event: &CallEvent,
    visit: &Visit,
    published: &[RosterStop],
    now: Timestamp,
) -> Result<(), Inadmissible> {
    if visit.status != VisitStatus::Planned {
        return Err(Inadmissible::Cancelled);
    }
    CallWindow::of(&visit.dated)
        .check_event("at", event.at, now)
        .map_err(Inadmissible::Invalid)?;
    event
        .check_rostered(published)
        .map_err(Inadmissible::Invalid)
}

/// The ingesting task: until every handle is dropped, takes the waiting requests (at least one,
/// at most [`MAX_BATCH`]), writes them in one transaction and answers each.
async fn write_batches(
    store: Arc<dyn Store>,
    mut waiting: mpsc::Receiver<Request>,
    clock: impl Fn() -> Timestamp,
) {
    let mut batch: Vec<Request> = Vec::with_capacity(MAX_BATCH);
    while waiting.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let (sent, answers): (Vec<SentCallEvent>, Vec<_>) = batch
            .drain(..)
            .map(|request| (request.sent, request.answer))
            .unzip();
        let received_at = clock();
        // Answered only now, when the transaction has committed (or failed as a whole).
        match store.record_call_events(&sent, received_at).await {
            Ok(results) => {
                for (answer, result) in answers.into_iter().zip(results) {
                    let receipt = result.map(|outcome| Receipt {
                        outcome,
                        received_at: match outcome {
                            CallEventOutcome::Stored => received_at,
                            CallEventOutcome::AlreadyStored { received_at } => received_at,
                        },
                    });
                    // A sender that has gone away no longer wants its answer.
                    let _ = answer.send(receipt);
                }
            }
            Err(error) => {
                let message = format!(
                    "storing a batch of {} call events failed: {error}",
                    sent.len()
                );
                for answer in answers {
                    let _ = answer.send(Err(StoreError::database_failure(message.clone())));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use homeward_domain::{
        CallEventKind, DatedVisit, EventKey, PackageId, PersonId, ProviderId, VisitId, WorkerId,
    };
    use jiff::SignedDuration;
    use jiff::civil::{Date, Time};

    /// A 45-minute visit at 08:00 on 1 December 2026, and Sam's check-in to it at 08:04.
    fn visit_and_check_in() -> (Visit, CallEvent) {
        let starts_at: Timestamp = "2026-12-01T08:00:00Z".parse().unwrap();
        let visit = Visit {
            id: VisitId::from_suffix("morning").unwrap(),
            provider_id: ProviderId::from_suffix("downs").unwrap(),
            dated: DatedVisit {
                package_id: PackageId::from_suffix("ada-main").unwrap(),
                person_id: PersonId::from_suffix("ada1").unwrap(),
                date: Date::constant(2026, 12, 1),
                local_start: Time::constant(8, 0, 0, 0),
                starts_at,
                duration_minutes: 45,
                carers: 1,
            },
            status: VisitStatus::Planned,
        };
        let check_in = CallEvent {
            key: EventKey::parse("phone-0001-in", "key").unwrap(),
            visit_id: visit.id.clone(),
            worker_id: WorkerId::from_suffix("sam1").unwrap(),
            kind: CallEventKind::CheckIn,
            at: starts_at + SignedDuration::from_mins(4),
            location: None,
            tasks: Default::default(),
            note: None,
        };
        (visit, check_in)
    }

    fn stop(visit: &Visit, worker: &str) -> RosterStop {
        RosterStop {
            visit_id: visit.id.clone(),
            part: 0,
            worker_id: WorkerId::from_suffix(worker).unwrap(),
            starts_at: visit.dated.starts_at,
            travel_minutes: 10,
        }
    }

    #[test]
    fn only_rostered_care_at_believable_times_is_admitted() {
        let (visit, check_in) = visit_and_check_in();
        let now: Timestamp = "2026-12-01T08:05:00Z".parse().unwrap();
        let rostered = [stop(&visit, "sam1")];
        assert_eq!(admit(&check_in, &visit, &rostered, now), Ok(()));

        let field = |result: Result<(), Inadmissible>| match result {
            Err(Inadmissible::Invalid(error)) => error.field,
            other => panic!("{other:?}"),
        };
        // Someone else's visit, or nobody's yet.
        assert_eq!(
            field(admit(&check_in, &visit, &[stop(&visit, "kim2")], now)),
            "worker_id"
        );
        assert_eq!(field(admit(&check_in, &visit, &[], now)), "worker_id");
        // Not believable: ahead of the clock, long before the visit, or sent days later.
        let early = CallEvent {
            at: visit.dated.starts_at - SignedDuration::from_hours(3),
            ..check_in.clone()
        };
        assert_eq!(field(admit(&early, &visit, &rostered, now)), "at");
        let before_it_happened = now - SignedDuration::from_mins(10);
        assert_eq!(
            field(admit(&check_in, &visit, &rostered, before_it_happened)),
            "at"
        );
        let days_later = now + SignedDuration::from_hours(72);
        assert_eq!(field(admit(&check_in, &visit, &rostered, days_later)), "at");
        // A cancelled visit takes nothing.
        let cancelled = Visit {
            status: VisitStatus::Cancelled,
            ..visit.clone()
        };
        assert_eq!(
            admit(&check_in, &cancelled, &rostered, now),
            Err(Inadmissible::Cancelled)
        );
    }
}
