//! The audit trail: one event per write transaction, written inside it.

use sqlx::AnyConnection;

/// What a write did, for the audit trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AuditEvent<'a> {
    /// Who did it, as the caller names them.
    pub(crate) actor: &'a str,
    /// What was done: `import` or `replace-market`.
    pub(crate) action: &'a str,
    /// The kind of records written (`people`), or `market` for the whole register.
    pub(crate) record_kind: &'a str,
    /// How many records were written.
    pub(crate) record_count: usize,
    /// A sentence for people reading the trail.
    pub(crate) summary: String,
}

/// Appends `event`, numbered one past the last event. Callers hold the write lock (SQLite's by
/// having written, PostgreSQL's by `SERIALISE_WRITERS`), so the number cannot be taken twice.
pub(crate) async fn append(
    connection: &mut AnyConnection,
    event: AuditEvent<'_>,
) -> Result<(), sqlx::Error> {
    let at = jiff::Timestamp::now().to_string();
    sqlx::query(
        "INSERT INTO audit_events (sequence, at, actor, action, record_kind, record_count, summary) \
         SELECT COALESCE(MAX(sequence), 0) + 1, $1, $2, $3, $4, $5, $6 FROM audit_events",
    )
    .bind(at)
    .bind(event.actor.to_owned())
    .bind(event.action.to_owned())
    .bind(event.record_kind.to_owned())
    .bind(i64::try_from(event.record_count).unwrap_or(i64::MAX))
    .bind(event.summary)
    .execute(connection)
    .await?;
    Ok(())
}
