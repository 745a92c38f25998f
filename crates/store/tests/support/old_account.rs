//! The account the access migration tests store before the migration under test: Old Hand, a
//! commissioner for the council, as accounts were stored then.

use sqlx::{AnyPool, Executor};

/// Stores Old Hand (`acc_oldhand`) on `pool` as accounts were stored before the migration.
pub async fn store_old_hand(pool: &AnyPool) {
    pool.execute(
        "INSERT INTO accounts (id, email, name, role, scope_kind, scope_id, password_hash, disabled, created_at) \
         VALUES ('acc_oldhand', 'old@example.org', 'Old Hand', 'commissioner', 'council', NULL, 'x', 0, \
         '2025-01-01T09:00:00.000000Z')",
    )
    .await
    .unwrap();
}
