//! What is particular to PostgreSQL: the pool, text ordering, serialising writers and error codes.

use crate::StoreError;
use crate::violation::Violation;
use sqlx::any::AnyPoolOptions;
use sqlx::{AnyConnection, AnyPool, Connection};
use std::time::Duration;

/// Enough for the web server's concurrent reads on a small machine.
const MAX_CONNECTIONS: u32 = 8;

/// Text ordering by bytes, as SQLite does, whatever the database's locale: `en_GB` collation
/// would ignore the `_` and `-` in ids and list records in a different order.
pub(crate) const TEXT_ORDER: &str = " COLLATE \"C\"";

/// Run first in every write transaction: one writer at a time, as SQLite has it, so that the
/// audit sequence (MAX + 1) cannot be taken twice. Readers are not blocked.
pub(crate) const SERIALISE_WRITERS: &str = "LOCK TABLE audit_events IN SHARE ROW EXCLUSIVE MODE";

/// Connects to the database at `driver_url`.
pub(crate) async fn open(driver_url: &str, shown_url: &str) -> Result<AnyPool, StoreError> {
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
    AnyPoolOptions::new()
        .max_connections(MAX_CONNECTIONS)
        .acquire_timeout(Duration::from_secs(30))
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

    #[test]
    fn sqlstates_map_to_violations() {
        assert_eq!(violation("23505"), Some(Violation::Unique));
        assert_eq!(violation("23503"), Some(Violation::ForeignKey));
        assert_eq!(violation("23502"), None);
    }
}
