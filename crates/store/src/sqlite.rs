//! What is particular to SQLite: opening the file, its pragmas and its error codes.

use crate::StoreError;
use crate::violation::Violation;
use sqlx::AnyPool;
use std::path::Path;

/// SQLite writes one transaction at a time whatever the pool size; a few connections let
/// reads run beside a write under WAL.
pub(crate) const MAX_CONNECTIONS: u32 = 4;

/// Run on every new connection: a commit returns only once its WAL frames are synced to disk,
/// so a write that was acknowledged survives the process being killed and the machine losing
/// power (`NORMAL` would sync at checkpoints only: safe from a killed process, not from a power
/// cut). FULL is SQLite's own default, set here so that no build option can change it.
pub(crate) const DURABLE: &str = "PRAGMA synchronous = FULL";

/// How to make text sort the same on both backends: SQLite's default collation already compares
/// bytes, so nothing is added.
pub(crate) const TEXT_ORDER: &str = "";

/// Begins every audited write: takes the file's write lock at once (waiting out the busy
/// timeout), rather than at the first write, when a snapshot read before it may be stale.
pub(crate) const BEGIN_WRITE: &str = "BEGIN IMMEDIATE";

/// Opens (creating if missing) the file at `path` through the Any driver at `driver_url`.
///
/// sqlx turns on `foreign_keys` for every SQLite connection by default; the store relies on it
/// and a test checks it holds through the Any driver.
pub(crate) async fn open(
    path: &Path,
    driver_url: &str,
    shown_url: &str,
    max_connections: u32,
) -> Result<AnyPool, StoreError> {
    if let Some(folder) = path
        .parent()
        .filter(|folder| !folder.as_os_str().is_empty())
    {
        private_folder(folder).map_err(|error| StoreError::Url {
            url: shown_url.to_owned(),
            message: format!("cannot create the folder {}: {error}", folder.display()),
        })?;
    }
    if driver_url.contains("mode=rwc") {
        private_file(path).map_err(|error| StoreError::Url {
            url: shown_url.to_owned(),
            message: format!("cannot create the file {}: {error}", path.display()),
        })?;
    }
    let pool = crate::connect::pool_options(max_connections, DURABLE)
        .connect(driver_url)
        .await
        .map_err(|error| StoreError::Url {
            url: shown_url.to_owned(),
            message: format!("cannot open the file: {error}"),
        })?;
    // WAL lets readers carry on while a write is committing; the mode is kept in the file, so
    // setting it once per open is enough.
    sqlx::query("PRAGMA journal_mode = WAL")
        .execute(&pool)
        .await
        .map_err(StoreError::database)?;
    Ok(pool)
}

/// Makes `folder` and those above it that are missing, readable by this user only (the folders
/// that exist keep their permissions).
fn private_folder(folder: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(folder)
}

/// Creates the database file, empty and readable and writable by this user only, when it does
/// not exist: the register holds people's health and care data, and SQLite gives its WAL and
/// shared-memory files the database file's permissions. A file that exists keeps its own.
fn private_file(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(error) => Err(error),
    }
}

/// The violation an SQLite extended result code stands for.
pub(crate) fn violation(code: &str) -> Option<Violation> {
    match code {
        // SQLITE_CONSTRAINT_PRIMARYKEY, SQLITE_CONSTRAINT_UNIQUE
        "1555" | "2067" => Some(Violation::Unique),
        // SQLITE_CONSTRAINT_FOREIGNKEY
        "787" => Some(Violation::ForeignKey),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::Row;

    #[test]
    fn constraint_codes_map_to_violations() {
        assert_eq!(violation("1555"), Some(Violation::Unique));
        assert_eq!(violation("2067"), Some(Violation::Unique));
        assert_eq!(violation("787"), Some(Violation::ForeignKey));
        assert_eq!(violation("19"), None);
    }

    #[tokio::test]
    async fn files_are_created_with_foreign_keys_on_wal_and_full_sync() {
        sqlx::any::install_default_drivers();
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("nested/folder/homeward.db");
        let url = format!("sqlite://{}?mode=rwc", path.display());
        let pool = open(&path, &url, &url, MAX_CONNECTIONS).await.unwrap();
        assert!(path.exists());
        // Every pooled connection must enforce foreign keys, not just the first.
        let mut connections = Vec::new();
        for _ in 0..MAX_CONNECTIONS {
            connections.push(pool.acquire().await.unwrap());
        }
        for connection in &mut connections {
            let row = sqlx::query("PRAGMA foreign_keys")
                .fetch_one(&mut **connection)
                .await
                .unwrap();
            assert_eq!(row.try_get::<i64, _>(0).unwrap(), 1);
            let row = sqlx::query("PRAGMA journal_mode")
                .fetch_one(&mut **connection)
                .await
                .unwrap();
            assert_eq!(row.try_get::<String, _>(0).unwrap(), "wal");
            // 2 is FULL: every commit is synced before it returns.
            let row = sqlx::query("PRAGMA synchronous")
                .fetch_one(&mut **connection)
                .await
                .unwrap();
            assert_eq!(row.try_get::<i64, _>(0).unwrap(), 2);
        }
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn a_new_database_and_its_folder_are_this_users_alone() {
        use std::os::unix::fs::PermissionsExt;
        sqlx::any::install_default_drivers();
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("data/homeward.db");
        let url = format!("sqlite://{}?mode=rwc", path.display());
        let pool = open(&path, &url, &url, MAX_CONNECTIONS).await.unwrap();
        sqlx::query("CREATE TABLE t (x BIGINT)")
            .execute(&pool)
            .await
            .unwrap();
        let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(&folder.path().join("data")), 0o700);
        // SQLite gives its write-ahead log the database file's permissions.
        assert_eq!(mode(&folder.path().join("data/homeward.db-wal")), 0o600);
    }

    #[tokio::test]
    async fn dollar_placeholders_bind_by_number() {
        sqlx::any::install_default_drivers();
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("placeholders.db");
        let url = format!("sqlite://{}?mode=rwc", path.display());
        let pool = open(&path, &url, &url, MAX_CONNECTIONS).await.unwrap();
        // Out of order and repeated, as the shared SQL writes them for PostgreSQL.
        let row = sqlx::query("SELECT $2 || '-' || $1 || '-' || $2, $3 + 1")
            .bind("a".to_owned())
            .bind("b".to_owned())
            .bind(41_i64)
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(row.try_get::<String, _>(0).unwrap(), "b-a-b");
        assert_eq!(row.try_get::<i64, _>(1).unwrap(), 42);
    }
}
