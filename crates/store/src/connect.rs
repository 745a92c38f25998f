//! Reading a database URL and opening the store it names.

use crate::sql_store::SqlStore;
use crate::{Backend, Store, StoreError, postgres, sqlite};
use homeward_clock::Clock;
use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Connection};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// The URL forms `connect` accepts, for error messages.
const ACCEPTED_FORMS: &str = "use sqlite://PATH (such as sqlite://data/homeward.db, or sqlite:///var/lib/homeward.db \
     for an absolute path) or postgres://USER@HOST:PORT/DATABASE (postgresql:// also works)";

/// A database URL, checked and split into what each backend needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DatabaseUrl {
    /// An SQLite file.
    Sqlite {
        /// The file on disk, percent-escapes decoded, relative to the working folder unless absolute.
        path: PathBuf,
        /// The URL to hand to sqlx, with `mode=rwc` so a missing file is created.
        driver_url: String,
    },
    /// A PostgreSQL database, its URL handed to sqlx as given.
    Postgres {
        /// The URL to hand to sqlx.
        driver_url: String,
    },
}

impl DatabaseUrl {
    /// Checks `url` and works out what to open.
    pub(crate) fn parse(url: &str) -> Result<DatabaseUrl, StoreError> {
        let url = url.trim();
        let wrong = |message: &str| StoreError::Url {
            url: redact_password(url),
            message: message.to_owned(),
        };
        if let Some(rest) = url.strip_prefix("sqlite://") {
            let (encoded_path, query) = match rest.split_once('?') {
                Some((path, query)) => (path, Some(query)),
                None => (rest, None),
            };
            if encoded_path.is_empty() {
                return Err(wrong(&format!(
                    "the file path is missing; {ACCEPTED_FORMS}"
                )));
            }
            let path = percent_decode(encoded_path)
                .ok_or_else(|| wrong("the file path has a broken %-escape"))?;
            // sqlx opens an existing file only, unless told `mode=rwc`; keep any mode the user chose.
            let query = match query {
                Some(query) if query.split('&').any(|pair| pair.starts_with("mode=")) => {
                    query.to_owned()
                }
                Some(query) if !query.is_empty() => format!("{query}&mode=rwc"),
                _ => "mode=rwc".to_owned(),
            };
            return Ok(DatabaseUrl::Sqlite {
                path: PathBuf::from(path),
                driver_url: format!("sqlite://{encoded_path}?{query}"),
            });
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(DatabaseUrl::Postgres {
                driver_url: url.to_owned(),
            });
        }
        Err(wrong(&format!(
            "not a database URL Homeward accepts; {ACCEPTED_FORMS}"
        )))
    }

    /// Which backend the URL names.
    pub(crate) fn backend(&self) -> Backend {
        match self {
            DatabaseUrl::Sqlite { .. } => Backend::Sqlite,
            DatabaseUrl::Postgres { .. } => Backend::Postgres,
        }
    }
}

/// How long a pooled connection may sit unused before it is checked (pinged) on being taken
/// again.
const CHECK_AFTER_IDLE: Duration = Duration::from_secs(5);

/// The pool settings both backends share, for a pool of `max_connections` that runs `settings`
/// (the backend's session settings, see `sqlite::DURABLE` and `postgres::SESSION_SETTINGS`) on every
/// new connection.
///
/// A connection taken from the pool is pinged first only when it has been idle for a while:
/// sqlx's default pings on every take, a round trip to the database in front of each query,
/// which doubled the work of each call-event request. A busy connection that breaks fails its
/// next query instead, and the pool drops it.
pub(crate) fn pool_options(max_connections: u32, settings: &'static str) -> AnyPoolOptions {
    AnyPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(30))
        .test_before_acquire(false)
        .before_acquire(|connection, metadata| {
            Box::pin(async move {
                if metadata.idle_for >= CHECK_AFTER_IDLE {
                    connection.ping().await?;
                }
                Ok(true)
            })
        })
        .after_connect(move |connection, _| {
            Box::pin(async move { sqlx::query(settings).execute(connection).await.map(drop) })
        })
}

/// Opens the store at `url`: `sqlite://PATH` or `postgres://…` (also `postgresql://…`).
///
/// An SQLite file and its parent folder are created when missing. The schema is not touched:
/// call [`RegisterStore::migrate`](crate::RegisterStore::migrate) before use.
///
/// Every instant the store writes that its caller does not give (when an audit event, an
/// account or a referral was recorded) is read from `clock`: the store reads no clock of its
/// own.
pub async fn connect(url: &str, clock: Clock) -> Result<Arc<dyn Store>, StoreError> {
    let (pool, backend) = open_pool(url).await?;
    let (writer, _) = open_pool_of(url, Some(1)).await?;
    Ok(Arc::new(SqlStore::new(pool, writer, backend, clock)))
}

/// Opens a pool on the database at `url`, as [`connect`] does.
pub(crate) async fn open_pool(url: &str) -> Result<(AnyPool, Backend), StoreError> {
    open_pool_of(url, None).await
}

/// Opens a pool of `max_connections` (the backend's own number when `None`) on the database at
/// `url`, with the same settings as [`connect`]'s.
pub(crate) async fn open_pool_of(
    url: &str,
    max_connections: Option<u32>,
) -> Result<(AnyPool, Backend), StoreError> {
    // The Any driver finds its backends in a process-wide registry; installing twice is a no-op.
    sqlx::any::install_default_drivers();
    let target = DatabaseUrl::parse(url)?;
    let shown_url = redact_password(url);
    let pool = match &target {
        DatabaseUrl::Sqlite { path, driver_url } => {
            let connections = max_connections.unwrap_or(sqlite::MAX_CONNECTIONS);
            sqlite::open(path, driver_url, &shown_url, connections).await?
        }
        DatabaseUrl::Postgres { driver_url } => {
            let connections = max_connections.unwrap_or(postgres::MAX_CONNECTIONS);
            postgres::open(driver_url, &shown_url, connections).await?
        }
    };
    Ok((pool, target.backend()))
}

/// The URL with the password of its user info, if any, replaced by `***`, for messages and logs.
pub(crate) fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let Some((user_info, host)) = authority.rsplit_once('@') else {
        return url.to_owned();
    };
    match user_info.split_once(':') {
        Some((user, _password)) => format!("{scheme}://{user}:***@{host}{tail}"),
        None => url.to_owned(),
    }
}

/// Decodes `%XX` escapes, as a URL path carries them; `None` for a broken escape or non-UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let hex = text.get(index + 1..index + 3)?;
            decoded.push(u8::from_str_radix(hex, 16).ok()?);
            index += 3;
        } else {
            decoded.push(bytes[index]);
            index += 1;
        }
    }
    String::from_utf8(decoded).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sqlite_parts(url: &str) -> (PathBuf, String) {
        match DatabaseUrl::parse(url).unwrap() {
            DatabaseUrl::Sqlite { path, driver_url } => (path, driver_url),
            other => panic!("{url} parsed as {other:?}"),
        }
    }

    #[test]
    fn sqlite_urls_take_relative_and_absolute_paths() {
        assert_eq!(
            sqlite_parts("sqlite://data/homeward.db"),
            (
                PathBuf::from("data/homeward.db"),
                "sqlite://data/homeward.db?mode=rwc".to_owned()
            )
        );
        assert_eq!(
            sqlite_parts("sqlite:///tmp/ws.db"),
            (
                PathBuf::from("/tmp/ws.db"),
                "sqlite:///tmp/ws.db?mode=rwc".to_owned()
            )
        );
        assert_eq!(
            sqlite_parts(" sqlite://Data/My%20Register.db ").0,
            PathBuf::from("Data/My Register.db")
        );
    }

    #[test]
    fn sqlite_urls_keep_the_users_query_and_mode() {
        assert_eq!(
            sqlite_parts("sqlite://a.db?mode=ro").1,
            "sqlite://a.db?mode=ro"
        );
        assert_eq!(
            sqlite_parts("sqlite://a.db?cache=private").1,
            "sqlite://a.db?cache=private&mode=rwc"
        );
    }

    #[test]
    fn postgres_urls_pass_through() {
        for url in [
            "postgres://postgres@127.0.0.1:5432/homeward",
            "postgresql://localhost/homeward",
        ] {
            let parsed = DatabaseUrl::parse(url).unwrap();
            assert_eq!(parsed.backend(), Backend::Postgres);
            assert_eq!(
                parsed,
                DatabaseUrl::Postgres {
                    driver_url: url.to_owned()
                }
            );
        }
    }

    #[test]
    fn other_urls_name_the_url_and_the_accepted_forms() {
        for url in [
            "mysql://root@localhost/homeward",
            "homeward.db",
            "sqlite:homeward.db",
            "sqlite://",
            "",
        ] {
            let error = DatabaseUrl::parse(url).unwrap_err();
            let StoreError::Url {
                url: named,
                message,
            } = &error
            else {
                panic!("{url}: {error:?}")
            };
            assert_eq!(named, url);
            assert!(
                message.contains("sqlite://PATH") && message.contains("postgres://"),
                "{message}"
            );
        }
        assert!(DatabaseUrl::parse("sqlite://bad%zz.db").is_err());
    }

    #[test]
    fn relative_paths_survive_the_any_drivers_url_parsing() {
        // The Any driver parses the URL, which makes the first folder of a relative path the
        // "host"; sqlx's SQLite driver then reads the text back, so it must come through as is.
        let (_, driver_url) = sqlite_parts("sqlite://Data/My%20Register.db");
        let options: sqlx::any::AnyConnectOptions = driver_url.parse().unwrap();
        assert_eq!(
            options.database_url.as_str(),
            "sqlite://Data/My%20Register.db?mode=rwc"
        );
    }

    #[tokio::test]
    async fn connecting_creates_the_file_and_its_folders() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("new/folders/homeward.db");
        let store = connect(&format!("sqlite://{}", path.display()), Clock::system())
            .await
            .unwrap();
        assert_eq!(store.backend(), Backend::Sqlite);
        assert!(path.exists());
        store.migrate().await.unwrap();
        assert_eq!(
            store.counts().await.unwrap(),
            crate::RegisterCounts::default()
        );
    }

    #[tokio::test]
    async fn an_unreachable_server_is_a_url_error_without_the_password() {
        let Err(error) = connect(
            "postgres://app:s3cret@127.0.0.1:1/homeward",
            Clock::system(),
        )
        .await
        else {
            panic!("connected to port 1")
        };
        assert!(
            matches!(&error, StoreError::Url { url, .. } if url == "postgres://app:***@127.0.0.1:1/homeward"),
            "{error:?}"
        );
        assert!(!error.to_string().contains("s3cret"), "{error}");
    }

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(
            redact_password("postgres://app:s3cret@db:5432/homeward"),
            "postgres://app:***@db:5432/homeward"
        );
        assert_eq!(
            redact_password("postgres://app@db/homeward"),
            "postgres://app@db/homeward"
        );
        assert_eq!(
            redact_password("sqlite://data/a@b.db"),
            "sqlite://data/a@b.db"
        );
        let error = DatabaseUrl::parse("mysql://root:hunter2@localhost/x").unwrap_err();
        assert!(!error.to_string().contains("hunter2"), "{error}");
    }
}
