//! Migration 0011 over tokens stored before it, on SQLite and PostgreSQL: a token made when
//! tokens never expired (and when a token could make tokens) expires at once, and is still
//! listed so that its owner sees it.

use homeward_domain::AccountId;
use homeward_store::Backend;
use homeward_store::testing::TestDatabase;
use jiff::Timestamp;
use sqlx::Executor;
use sqlx::migrate::Migrator;

/// The first migration this test does not run before storing the old rows.
const TOKEN_EXPIRY: &str = "0011";

/// A folder holding every migration before token expiry, byte for byte.
fn migrations_before_token_expiry() -> tempfile::TempDir {
    let folder = tempfile::tempdir().unwrap();
    let source = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations");
    for entry in std::fs::read_dir(source).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.as_str() < TOKEN_EXPIRY {
            std::fs::copy(&path, folder.path().join(&name)).unwrap();
        }
    }
    folder
}

async fn tokens_made_before_expiry_existed_expire_at_once(backend: Backend) {
    let database = TestDatabase::new(backend).await.unwrap();
    // Creates the database (the SQLite file) without migrating it.
    drop(
        homeward_store::connect(database.url(), database.clock())
            .await
            .unwrap(),
    );
    let pool = sqlx::AnyPool::connect(database.url()).await.unwrap();
    let earlier = migrations_before_token_expiry();
    Migrator::new(earlier.path())
        .await
        .unwrap()
        .run(&pool)
        .await
        .unwrap();
    pool.execute(
        "INSERT INTO accounts (id, email, name, role, scope_kind, scope_id, password_hash, disabled, created_at) \
         VALUES ('acc_oldhand', 'old@example.org', 'Old Hand', 'commissioner', 'council', NULL, 'x', 0, \
         '2025-01-01T09:00:00.000000Z')",
    )
    .await
    .unwrap();
    pool.execute(
        "INSERT INTO api_tokens (id, token_hash, account_id, name, created_at, revoked_at) \
         VALUES ('tok_oldtoken', 'hash-old', 'acc_oldhand', 'nightly export', '2026-03-02T10:15:00.123456Z', NULL)",
    )
    .await
    .unwrap();
    pool.close().await;

    let store = database.store().await.unwrap();
    let made: Timestamp = "2026-03-02T10:15:00.123456Z".parse().unwrap();
    let tokens = store
        .api_tokens(&AccountId::parse("acc_oldhand", "id").unwrap())
        .await
        .unwrap();
    assert_eq!(tokens.len(), 1);
    assert_eq!((tokens[0].created_at, tokens[0].expires_at), (made, made));
    for now in [made, Timestamp::now()] {
        assert_eq!(
            store.api_token_account("hash-old", now).await.unwrap(),
            None,
            "at {now}"
        );
    }
    // Migrating again changes nothing.
    store.migrate().await.unwrap();
    assert_eq!(
        store
            .api_tokens(&AccountId::parse("acc_oldhand", "id").unwrap())
            .await
            .unwrap(),
        tokens
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_tokens_made_before_expiry_existed_expire_at_once() {
    tokens_made_before_expiry_existed_expire_at_once(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_tokens_made_before_expiry_existed_expire_at_once() {
    tokens_made_before_expiry_existed_expire_at_once(Backend::Postgres).await;
}
