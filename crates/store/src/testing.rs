//! Real databases for tests, in this crate and in others: a fresh SQLite file or a fresh
//! PostgreSQL database per test, removed when the [`TestDatabase`] is dropped.
//!
//! ```no_run
//! # async fn example() -> Result<(), homeward_store::StoreError> {
//! use homeward_store::testing::TestDatabase;
//! let database = TestDatabase::postgres().await?;
//! let store = database.store().await?; // connected and migrated
//! assert!(store.council().await?.is_none());
//! # Ok(()) }
//! ```
//!
//! PostgreSQL tests need a server where the user may create databases: the one named by
//! `HOMEWARD_TEST_POSTGRES_URL`, else [`DEFAULT_POSTGRES_URL`]. When it cannot be reached,
//! [`TestDatabase::postgres`] fails with a message saying so: such tests fail, they never skip.

use crate::connect::{open_pool, redact_password};
use crate::{Backend, Store, StoreError, connect};
use homeward_clock::Clock;
use sqlx::{AnyConnection, Connection, Executor, Row};
use std::hash::{BuildHasher, RandomState};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// The environment variable naming the PostgreSQL server tests use.
pub const POSTGRES_URL_VARIABLE: &str = "HOMEWARD_TEST_POSTGRES_URL";

/// The PostgreSQL server tests use when [`POSTGRES_URL_VARIABLE`] is not set.
pub const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// Numbers the databases this process creates, so names never repeat within it.
static DATABASES_CREATED: AtomicU64 = AtomicU64::new(0);

/// An empty database of its own for one test; dropping it removes the database.
pub struct TestDatabase {
    url: String,
    backend: Backend,
    clock: Clock,
    cleanup: Cleanup,
}

/// What to remove when the test is over.
enum Cleanup {
    /// The temporary folder holding the SQLite file and its WAL files; removed when dropped.
    SqliteFolder(#[allow(dead_code)] tempfile::TempDir),
    /// A database created on a PostgreSQL server.
    PostgresDatabase {
        /// The server's URL, to connect to for the drop.
        server_url: String,
        /// The database's name.
        name: String,
    },
}

/// One row of the audit trail, as tests check it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    /// Position in the trail, from 1.
    pub sequence: i64,
    /// When, exactly as stored.
    pub at: String,
    /// Who made the change.
    pub actor: String,
    /// What was done: `import`, `replace-market`, `create`, `update` or `revoke`.
    pub action: String,
    /// The kind of records written: a batch's plural (`people`, or `market`), or one record's
    /// kind (`area`).
    pub record_kind: String,
    /// How many records were written.
    pub record_count: i64,
    /// The sentence describing it.
    pub summary: String,
}

impl TestDatabase {
    /// A new SQLite file in a temporary folder.
    pub fn sqlite() -> Result<TestDatabase, StoreError> {
        let folder = tempfile::Builder::new()
            .prefix("homeward-test-")
            .tempdir()
            .map_err(|error| {
                StoreError::database_in("cannot make a temporary folder for SQLite", error)
            })?;
        let url = format!("sqlite://{}", folder.path().join("homeward.db").display());
        Ok(TestDatabase {
            url,
            backend: Backend::Sqlite,
            clock: Clock::system(),
            cleanup: Cleanup::SqliteFolder(folder),
        })
    }

    /// A new, uniquely named database on the test PostgreSQL server.
    pub async fn postgres() -> Result<TestDatabase, StoreError> {
        sqlx::any::install_default_drivers();
        let server_url = std::env::var(POSTGRES_URL_VARIABLE)
            .unwrap_or_else(|_| DEFAULT_POSTGRES_URL.to_owned());
        let name = unique_database_name();
        let mut server = AnyConnection::connect(&server_url).await.map_err(|error| {
            StoreError::Database {
                message: format!(
                    "the PostgreSQL server for tests cannot be reached at {}: {error}. Start it, or set {POSTGRES_URL_VARIABLE} \
                     to a server where this user may create databases",
                    redact_password(&server_url)
                ),
                source: Some(Box::new(error)),
            }
        })?;
        server
            .execute(format!("CREATE DATABASE \"{name}\"").as_str())
            .await
            .map_err(|error| {
                StoreError::database_in(format!("cannot create the test database {name}"), error)
            })?;
        server.close().await.ok();
        let url = with_database_name(&server_url, &name);
        Ok(TestDatabase {
            url,
            backend: Backend::Postgres,
            clock: Clock::system(),
            cleanup: Cleanup::PostgresDatabase { server_url, name },
        })
    }

    /// A new database on `backend`.
    pub async fn new(backend: Backend) -> Result<TestDatabase, StoreError> {
        match backend {
            Backend::Sqlite => TestDatabase::sqlite(),
            Backend::Postgres => TestDatabase::postgres().await,
        }
    }

    /// The URL to hand to [`connect`].
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Which database this is.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// This database, its stores reading the time from `clock` (a fixed one, say, so that what
    /// the store stamps of its own accord is known to the test).
    pub fn with_clock(mut self, clock: Clock) -> TestDatabase {
        self.clock = clock;
        self
    }

    /// The clock its stores read: the machine's unless [`TestDatabase::with_clock`] set one.
    pub fn clock(&self) -> Clock {
        self.clock
    }

    /// A store on this database, migrated, reading the time from [`TestDatabase::clock`].
    pub async fn store(&self) -> Result<Arc<dyn Store>, StoreError> {
        let store = connect(&self.url, self.clock).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// The audit trail, oldest first, with the columns
    /// [`AccessStore::audit_events`](crate::AccessStore::audit_events) does not show (the summary, and the time as stored text).
    pub async fn audit_records(&self) -> Result<Vec<AuditRecord>, StoreError> {
        let (pool, _) = open_pool(&self.url).await?;
        let rows = sqlx::query(
            "SELECT sequence, at, actor, action, record_kind, record_count, summary FROM audit_events ORDER BY sequence",
        )
        .fetch_all(&pool)
        .await
        .map_err(StoreError::database)?;
        let records = rows
            .iter()
            .map(|row| {
                Ok(AuditRecord {
                    sequence: row.try_get("sequence")?,
                    at: row.try_get("at")?,
                    actor: row.try_get("actor")?,
                    action: row.try_get("action")?,
                    record_kind: row.try_get("record_kind")?,
                    record_count: row.try_get("record_count")?,
                    summary: row.try_get("summary")?,
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()
            .map_err(StoreError::database);
        pool.close().await;
        records
    }

    /// Runs `sql` directly, for tests that damage stored rows on purpose.
    pub async fn execute(&self, sql: &str) -> Result<(), StoreError> {
        let (pool, _) = open_pool(&self.url).await?;
        let result = sqlx::query(sql)
            .execute(&pool)
            .await
            .map(drop)
            .map_err(StoreError::database);
        pool.close().await;
        result
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Cleanup::PostgresDatabase { server_url, name } = &self.cleanup else {
            return;
        };
        // Drop may run inside the test's runtime, which cannot be blocked on from within; a
        // thread with a runtime of its own can, and joining it keeps the drop synchronous.
        let (server_url, dropping) = (server_url.clone(), name.clone());
        let dropped =
            std::thread::spawn(move || drop_postgres_database(&server_url, &dropping)).join();
        match dropped {
            Ok(Ok(())) => {}
            // A database left behind costs disk, not correctness: the test has its answer.
            Ok(Err(message)) => {
                tracing::warn!(database = %name, %message, "a test database was not dropped")
            }
            Err(_) => tracing::warn!(database = %name, "dropping a test database panicked"),
        }
    }
}

/// Drops the database `name`, closing any connections still open to it.
fn drop_postgres_database(server_url: &str, name: &str) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| {
            format!("cannot start a runtime to drop the test database {name}: {error}")
        })?;
    runtime.block_on(async {
        let mut server = AnyConnection::connect(server_url)
            .await
            .map_err(|error| format!("cannot connect to drop the test database {name}: {error}"))?;
        server
            .execute(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)").as_str())
            .await
            .map_err(|error| format!("cannot drop the test database {name}: {error}"))?;
        server.close().await.ok();
        Ok(())
    })
}

/// `homeward_test_<pid>_<counter>_<random>`: unique across processes and runs, lower case so
/// PostgreSQL needs no quoting to find it by hand.
fn unique_database_name() -> String {
    let counter = DATABASES_CREATED.fetch_add(1, Ordering::Relaxed);
    // A randomly seeded hasher is random enough to keep two runs' leftovers apart.
    let random = RandomState::new().hash_one(counter) & 0xffff_ffff;
    format!(
        "homeward_test_{}_{counter}_{random:08x}",
        std::process::id()
    )
}

/// `server_url` with its database (the path) replaced by `name`, keeping any query.
fn with_database_name(server_url: &str, name: &str) -> String {
    let (before_query, query) = match server_url.split_once('?') {
        Some((before, query)) => (before, Some(query)),
        None => (server_url, None),
    };
    let authority_start = before_query.find("://").map_or(0, |index| index + 3);
    let path_start = before_query[authority_start..]
        .find('/')
        .map_or(before_query.len(), |index| authority_start + index);
    let mut url = format!("{}/{name}", &before_query[..path_start]);
    if let Some(query) = query {
        url.push('?');
        url.push_str(query);
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_database_name_replaces_the_path() {
        assert_eq!(
            with_database_name("postgres://postgres@127.0.0.1:5432/postgres", "t1"),
            "postgres://postgres@127.0.0.1:5432/t1"
        );
        assert_eq!(
            with_database_name("postgres://localhost", "t1"),
            "postgres://localhost/t1"
        );
        assert_eq!(
            with_database_name("postgresql://u:p@h/db?sslmode=disable", "t1"),
            "postgresql://u:p@h/t1?sslmode=disable"
        );
    }

    #[test]
    fn database_names_are_unique_and_plain() {
        let (first, second) = (unique_database_name(), unique_database_name());
        assert_ne!(first, second);
        assert!(
            first
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
            "{first}"
        );
    }
}
