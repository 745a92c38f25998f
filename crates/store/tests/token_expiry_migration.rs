//! Migration 0011 over tokens stored before it, on SQLite and PostgreSQL: a token made when
//! tokens never expired (and when a token could make tokens) expires at once, and is still
//! listed so that its owner sees it.

#[path = "support/migrations.rs"]
mod migrations;
#[path = "support/old_account.rs"]
mod old_account;
use homeward_domain::AccountId;
use homeward_store::Backend;
use jiff::Timestamp;
use sqlx::Executor;

/// The first migration this test does not run before storing the old rows.
const TOKEN_EXPIRY: &str = "0011";

async fn tokens_made_before_expiry_existed_expire_at_once(backend: Backend) {
    let (database, pool) = migrations::database_before(backend, TOKEN_EXPIRY).await;
    old_account::store_old_hand(&pool).await;
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
