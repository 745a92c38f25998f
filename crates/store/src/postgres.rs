//! What is particular to PostgreSQL: the pool, text ordering, serialising writers and error codes.

use crate::StoreError;
use crate::violation::Violation;
use sqlx::{AnyConnection, AnyPool, Connection};

/// Enough for the web server's concurrent reads on a small machine.
pub(crate) const MAX_CONNECTIONS: u32 = 8;

/// Run on every new connection, in one statement.
///
/// A commit returns only once its WAL is flushed to disk, so an acknowledged write survives a
/// crash of the server or the machine. `on` is PostgreSQL's default; a server or role set to
/// `off` (which may lose the last commits in a crash) is overruled for Homeward's connections,
/// and any stronger setting (`remote_write`, `remote_apply` with standbys) is kept. Durability
/// also needs the server's `fsync` on, which only its administrator can set.
///
/// Every statement is planned for the values it is given (`plan_cache_mode`). sqlx prepares
/// each statement once per connection, and after five runs PostgreSQL may keep a generic plan
/// made while a table was small: the call-event writer's `key IN ($1, …)` lookups stayed
/// sequential scans as `call_events` grew, and took most of the writer's time. Planning afresh
/// costs a fraction of a millisecond a statement.
pub(crate) const SESSION_SETTINGS: &str = "SELECT set_config('plan_cache_mode', 'force_custom_plan', false), \
     CASE WHEN current_setting('synchronous_commit') = 'off' \
     THEN set_config('synchronous_commit', 'on', false) END";

/// Text ordering by bytes, as SQLite does, whatever the database's locale: `en_GB` collation
/// would ignore the `_` and `-` in ids and list records in a different order.
pub(crate) const TEXT_ORDER: &str = " COLLATE \"C\"";

/// Begins every audited write and takes the store's writer lock in the same round trip: one
/// writer at a time, as SQLite has it, so that the audit sequence (MAX + 1) cannot be taken
/// twice. Readers are not blocked.
pub(crate) const BEGIN_WRITE: &str = "BEGIN; LOCK TABLE audit_events IN SHARE ROW EXCLUSIVE MODE";

/// Connects to the database at `driver_url`.
pub(crate) async fn open(
    driver_url: &str,
    shown_url: &str,
    max_connections: u32,
) -> Result<AnyPool, StoreError> {
    let cannot_connect = |error: sqlx::Error| StoreError::Url {
        url: shown_url.to_owned(),
        message: format!("cannot connect: {error}"),
    };
    // One plain attempt first, so a server that is down fails at once: the pool would retry
    // a refused connection until its acquire timeout.
    AnyConnection::connect(driver_url)
        .await
        .map_err(cannot_connect)?
        .close()
        .await
        .ok();
    crate::connect::pool_options(max_connections, SESSION_SETTINGS)
        .connect(driver_url)
        .await
        .map_err(cannot_connect)
}

/// The violation a PostgreSQL SQLSTATE stands for.
pub(crate) fn violation(code: &str) -> Option<Violation> {
    match code {
        "23505" => Some(Violation::Unique),
        "23503" => Some(Violation::ForeignKey),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The server this machine's tests use has TLS on (Debian's PostgreSQL does, with its
    /// snakeoil certificate): a URL asking for it gets an encrypted connection.
    #[tokio::test]
    async fn a_url_asking_for_tls_gets_an_encrypted_connection() {
        sqlx::any::install_default_drivers();
        let database = crate::testing::TestDatabase::postgres().await.unwrap();
        let url = format!("{}?sslmode=require", database.url());
        let pool = open(&url, &url, 1).await.unwrap();
        let encrypted: i64 = sqlx::query_scalar(
            "SELECT CAST(CASE WHEN ssl THEN 1 ELSE 0 END AS BIGINT) FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(encrypted, 1, "the connection is not encrypted");
        // And the store works over it.
        let store = crate::connect(&url, homeward_clock::Clock::system())
            .await
            .unwrap();
        store.migrate().await.unwrap();
        assert_eq!(
            store.counts().await.unwrap(),
            crate::RegisterCounts::default()
        );
    }

    /// Each pooled connection's `synchronous_commit`, for a database whose URL asks for `setting`.
    async fn synchronous_commit_with(setting: &str) -> Vec<String> {
        let database = crate::testing::TestDatabase::postgres().await.unwrap();
        let url = format!("{}?options[synchronous_commit]={setting}", database.url());
        let pool = open(&url, &url, 3).await.unwrap();
        let mut connections = Vec::new();
        for _ in 0..3 {
            connections.push(pool.acquire().await.unwrap());
        }
        let mut settings = Vec::new();
        for connection in &mut connections {
            let value: String = sqlx::query_scalar("SELECT current_setting('synchronous_commit')")
                .fetch_one(&mut **connection)
                .await
                .unwrap();
            settings.push(value);
        }
        drop(connections);
        pool.close().await;
        settings
    }

    #[tokio::test]
    async fn commits_are_synchronous_on_every_connection() {
        assert_eq!(synchronous_commit_with("off").await, ["on", "on", "on"]);
        assert_eq!(
            synchronous_commit_with("remote_apply").await,
            ["remote_apply", "remote_apply", "remote_apply"],
            "a stronger setting is kept"
        );
    }

    #[test]
    fn sqlstates_map_to_violations() {
        assert_eq!(violation("23505"), Some(Violation::Unique));
        assert_eq!(violation("23503"), Some(Violation::ForeignKey));
        assert_eq!(violation("23502"), None);
    }
}
