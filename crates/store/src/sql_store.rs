//! [`SqlStore`]: the one implementation of every aggregate's trait (and so of
//! [`crate::Store`]), the same SQL on either backend.
//!
//! This module holds what every aggregate's writes share: the pools, the audited writer's turn
//! and the explanation of a failed insert in terms of its record. Each aggregate's trait is
//! implemented in a module of its own below (`register`, `access`, `brokerage`, `visits`,
//! `rosters`, `invoices`), beside the helpers its writes need.

mod access;
mod brokerage;
mod call_events;
mod corrections;
mod history;
mod invoices;
mod password_changes;
mod register;
mod rosters;
mod sign_ins;
mod visits;

use crate::sql::read;
use crate::sql::{Reference, TableRecord};
use crate::violation::{Violation, violation_of};
use crate::{Backend, RecordKind, StoreError, postgres, sqlite};
use homeward_clock::Clock;
use jiff::Timestamp;
use sqlx::migrate::Migrator;
use sqlx::{Any, AnyPool, Transaction};

/// The schema, the same files for both backends, built into the binary.
static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

/// The references of a record that are not stored.
struct Missing {
    /// The first of them: the field a caller can match on.
    field: &'static str,
    /// All of them, as a sentence (`worker_id wkr_x does not exist; …`).
    message: String,
}

/// A store on sqlx Any pools, SQLite or PostgreSQL.
pub(crate) struct SqlStore {
    /// For reads, and the writes that are not audited (sessions).
    pool: AnyPool,
    /// One connection for the audited writes, which take turns under one lock anyway
    /// ([`SqlStore::begin_write`]): a writer waits only for other writers, never behind the
    /// readers queueing for `pool` (with many requests reading at once, the call-event
    /// ingester's every transaction waited its turn among them).
    writer: AnyPool,
    backend: Backend,
    /// Where the instants the store writes of its own accord come from: audit events' `at`,
    /// and the `created_at` of accounts and referrals.
    clock: Clock,
}

impl SqlStore {
    /// A store on `pool` and `writer` (a pool of one connection), both connected to `backend`,
    /// reading the time from `clock`.
    pub(crate) fn new(pool: AnyPool, writer: AnyPool, backend: Backend, clock: Clock) -> Self {
        Self {
            pool,
            writer,
            backend,
            clock,
        }
    }

    /// The time now, by the store's clock.
    fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// The collation clause that makes text sort by bytes on this backend.
    fn text_order(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite => sqlite::TEXT_ORDER,
            Backend::Postgres => postgres::TEXT_ORDER,
        }
    }

    /// Starts an audited write transaction, one writer at a time on either backend, so that
    /// the audit sequence (MAX + 1) is never taken twice and has no gaps.
    ///
    /// On SQLite `BEGIN IMMEDIATE` takes the file's write lock (waiting out the busy timeout)
    /// before anything is read, so a transaction that reads before it writes cannot find its
    /// snapshot stale. On PostgreSQL the same round trip that begins takes the store's writer lock.
    async fn begin_write(&self) -> Result<Transaction<'static, Any>, StoreError> {
        let begin = match self.backend {
            Backend::Sqlite => sqlite::BEGIN_WRITE,
            Backend::Postgres => postgres::BEGIN_WRITE,
        };
        self.writer
            .begin_with(begin)
            .await
            .map_err(StoreError::database)
    }

    /// Turns the failure to insert `record`, at `index` in its batch, into an error about it.
    async fn explain_insert_failure<T: TableRecord>(
        &self,
        error: sqlx::Error,
        index: usize,
        record: &T,
    ) -> StoreError {
        let id = record.id().to_owned();
        match violation_of(self.backend, &error) {
            Some(Violation::Unique) => StoreError::Duplicate {
                kind: T::KIND,
                index,
                id,
            },
            Some(Violation::ForeignKey) => {
                let missing = self.missing_references(record).await;
                StoreError::MissingReference {
                    kind: T::KIND,
                    index,
                    id,
                    field: missing.as_ref().map(|missing| missing.field),
                    message: missing.map_or_else(|| error.to_string(), |missing| missing.message),
                }
            }
            None => StoreError::database_in(
                format!("storing {} at index {index} ({id}) failed", T::KIND),
                error,
            ),
        }
    }

    /// Which of `record`'s references are not stored ([`SqlStore::missing_in`]); `None` if
    /// that cannot be told (the database gives no field, so each reference is looked up).
    async fn missing_references<T: TableRecord>(&self, record: &T) -> Option<Missing> {
        self.missing_in(record.references()).await
    }

    /// Which of `references` are not stored: the first one's field, and all of them as a
    /// sentence; `None` if none is missing or that cannot be told.
    async fn missing_in(&self, references: Vec<Reference>) -> Option<Missing> {
        let mut missing = Vec::new();
        let mut first = None;
        for reference in references {
            if !read::exists(&self.pool, reference.table, &reference.id)
                .await
                .ok()?
            {
                first.get_or_insert(reference.field);
                missing.push(reference.missing_message());
            }
        }
        first.map(|field| Missing {
            field,
            message: missing.join("; "),
        })
    }

    /// Turns the failure to insert one record of `kind` with `id` into an error about it:
    /// a unique violation names `taken` (the id or value already stored), a foreign key
    /// violation `reference` (the field and the id that does not exist).
    fn explain_single_insert_failure(
        &self,
        error: sqlx::Error,
        kind: RecordKind,
        id: &str,
        taken: String,
        reference: Option<Reference>,
    ) -> StoreError {
        match violation_of(self.backend, &error) {
            Some(Violation::Unique) => StoreError::Duplicate {
                kind,
                index: 0,
                id: taken,
            },
            Some(Violation::ForeignKey) => StoreError::MissingReference {
                kind,
                index: 0,
                id: id.to_owned(),
                field: reference.as_ref().map(|reference| reference.field),
                message: reference.map_or_else(|| error.to_string(), |r| r.missing_message()),
            },
            None => StoreError::database_in(format!("storing {kind} {id} failed"), error),
        }
    }

    /// Every stored record of type `T`, in its listing order.
    async fn list<T: TableRecord>(&self) -> Result<Vec<T>, StoreError> {
        read::list(&self.pool, self.text_order()).await
    }
}
