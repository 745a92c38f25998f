//! Migration 0012 over sessions stored before it, on SQLite and PostgreSQL: a session started
//! when last use was not kept counts as last used when it was started, keeps working until
//! then as before, and has no client.

#[path = "support/migrations.rs"]
mod migrations;
#[path = "support/old_account.rs"]
mod old_account;
use homeward_domain::AccountId;
use homeward_store::Backend;
use jiff::Timestamp;
use sqlx::Executor;

/// The first migration this test does not run before storing the old rows.
const SESSION_ACTIVITY: &str = "0012";

async fn sessions_from_before_count_as_last_used_when_started(backend: Backend) {
    let (database, pool) = migrations::database_before(backend, SESSION_ACTIVITY).await;
    old_account::store_old_hand(&pool).await;
    pool.execute(
        "INSERT INTO sessions (token_hash, account_id, csrf_token, created_at, expires_at) \
         VALUES ('hash-old', 'acc_oldhand', 'csrf-old', '2026-03-02T10:15:00.123456Z', '2026-03-02T18:15:00.123456Z')",
    )
    .await
    .unwrap();
    pool.close().await;

    let store = database.store().await.unwrap();
    let started: Timestamp = "2026-03-02T10:15:00.123456Z".parse().unwrap();
    let session = store
        .session("hash-old", started)
        .await
        .unwrap()
        .expect("still a session until it expires");
    assert_eq!(session.last_seen_at, started);
    let listed = store
        .account_sessions(&AccountId::parse("acc_oldhand", "id").unwrap(), started)
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(
        (listed[0].last_seen_at, listed[0].client.as_deref()),
        (started, None)
    );
    // Migrating again changes nothing.
    store.migrate().await.unwrap();
    assert_eq!(
        store.session("hash-old", started).await.unwrap(),
        Some(session)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_from_before_count_as_last_used_when_started_on_sqlite() {
    sessions_from_before_count_as_last_used_when_started(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_from_before_count_as_last_used_when_started_on_postgres() {
    sessions_from_before_count_as_last_used_when_started(Backend::Postgres).await;
}
