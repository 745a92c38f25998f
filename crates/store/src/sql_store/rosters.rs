//! Rosters on [`SqlStore`]: a branch-day's runs stored whole, in one audited transaction, and
//! read back by roster, by branch and by care worker.
//!
//! A roster is rewritten whole on every change (planning, a manual move, publishing): its
//! stops are a few hundred rows at most, and one write keeps the day consistent. The audit
//! event keeps the stops before and after, so the trail says who was given which visit.

use super::SqlStore;
use super::visits::{conditions, fetch};
use crate::RosterStore;
use crate::sql::audit::{self, AuditEvent};
use crate::sql::json;
use crate::sql::rosters::{RosterRow, StopRow, UnmadeRow};
use crate::sql::row::StoredRow;
use crate::sql::values::SqlValue;
use crate::sql::{TableRecord, write};
use crate::{RecordKind, RosterSummary, StoreError, VisitFilter};
use async_trait::async_trait;
use homeward_domain::{BranchId, Roster, RosterId, RosterStatus, RosterStop, WorkerId};
use jiff::civil::Date;
use sqlx::{Any, Transaction};

/// An open write transaction.
type Write = Transaction<'static, Any>;

/// Stores `roster` whole under its id, as [`crate::RosterStore::save_roster`] describes.
pub(super) async fn save(
    store: &SqlStore,
    roster: &Roster,
    action: &str,
    actor: &str,
) -> Result<(), StoreError> {
    let header = RosterRow(roster.clone());
    crate::checks::validate_batch(std::slice::from_ref(&header))?;
    let mut transaction = store.begin_write().await?;
    let taken = taken_by(&mut transaction, roster).await?;
    if let Some(other) = taken {
        transaction.rollback().await.ok();
        return Err(StoreError::Duplicate {
            kind: RecordKind::Roster,
            index: 0,
            id: format!("{}/{} ({other})", roster.branch_id, roster.date),
        });
    }
    let before = stored_stops(&mut transaction, &roster.id, store.text_order()).await?;
    remove(&mut transaction, &roster.id).await?;
    let (stops, unmade) = rows_of(roster);
    let written = async {
        write::insert_rows(&mut transaction, std::slice::from_ref(&header)).await?;
        write::insert_in_chunks(&mut transaction, &stops).await?;
        write::insert_in_chunks(&mut transaction, &unmade).await
    }
    .await;
    if let Err(error) = written {
        transaction.rollback().await.ok();
        return Err(explain_failure(store, roster, error).await);
    }
    let mut event = AuditEvent::record(
        actor,
        action,
        RecordKind::Roster,
        roster.id.as_str(),
        before.map(|stops| stops_json(&stops)),
        Some(stops_json(&stops)),
    );
    event.summary = format!(
        "{action} roster of {} for {}: {} stops, {} unmade, {}",
        roster.branch_id,
        roster.date,
        roster.stops.len(),
        roster.unmade.len(),
        roster.status.as_str()
    );
    audit::append(&mut transaction, store.now(), event)
        .await
        .map_err(StoreError::database)?;
    transaction.commit().await.map_err(StoreError::database)
}

/// The id of another roster already stored for `roster`'s branch and date, if any.
async fn taken_by(transaction: &mut Write, roster: &Roster) -> Result<Option<String>, StoreError> {
    let row = sqlx::query("SELECT id FROM rosters WHERE branch_id = $1 AND roster_date = $2")
        .bind(roster.branch_id.as_str().to_owned())
        .bind(roster.date.to_string())
        .fetch_optional(&mut **transaction)
        .await
        .map_err(StoreError::database)?;
    let Some(row) = row else {
        return Ok(None);
    };
    let id: String = sqlx::Row::try_get(&row, "id").map_err(StoreError::database)?;
    Ok((id != roster.id.as_str()).then_some(id))
}

/// The stops stored under `id`, or `None` when no roster has that id.
async fn stored_stops(
    transaction: &mut Write,
    id: &RosterId,
    text_order: &str,
) -> Result<Option<Vec<StopRow>>, StoreError> {
    let exists = sqlx::query("SELECT id FROM rosters WHERE id = $1")
        .bind(id.as_str().to_owned())
        .fetch_optional(&mut **transaction)
        .await
        .map_err(StoreError::database)?;
    if exists.is_none() {
        return Ok(None);
    }
    let rows = sqlx::query(&of_roster_sql::<StopRow>(text_order))
        .bind(id.as_str().to_owned())
        .fetch_all(&mut **transaction)
        .await
        .map_err(StoreError::database)?;
    roster_rows(&rows).map(Some)
}

/// Deletes the roster `id` with its stops and unmade visits.
async fn remove(transaction: &mut Write, id: &RosterId) -> Result<(), StoreError> {
    for table in [StopRow::TABLE, UnmadeRow::TABLE] {
        sqlx::query(&format!("DELETE FROM {table} WHERE roster_id = $1"))
            .bind(id.as_str().to_owned())
            .execute(&mut **transaction)
            .await
            .map_err(StoreError::database)?;
    }
    sqlx::query("DELETE FROM rosters WHERE id = $1")
        .bind(id.as_str().to_owned())
        .execute(&mut **transaction)
        .await
        .map_err(StoreError::database)?;
    Ok(())
}

fn rows_of(roster: &Roster) -> (Vec<StopRow>, Vec<UnmadeRow>) {
    let stops = roster
        .stops
        .iter()
        .map(|stop| StopRow {
            roster_id: roster.id.clone(),
            stop: stop.clone(),
        })
        .collect();
    let unmade = roster
        .unmade
        .iter()
        .map(|unmade| UnmadeRow {
            roster_id: roster.id.clone(),
            unmade: unmade.clone(),
        })
        .collect();
    (stops, unmade)
}

/// The stops as a JSON array of their stored columns, for the audit trail.
fn stops_json(stops: &[StopRow]) -> String {
    let objects: Vec<String> = stops
        .iter()
        .map(|row| json::object(StopRow::COLUMNS, &row.values()))
        .collect();
    format!("[{}]", objects.join(","))
}

/// A multi-row insert failed: the roster is written again row by row, and rolled back, to
/// name the row at fault.
async fn explain_failure(store: &SqlStore, roster: &Roster, error: sqlx::Error) -> StoreError {
    let retry = async {
        let mut transaction = store.begin_write().await?;
        remove(&mut transaction, &roster.id).await?;
        transaction = store
            .insert_or_explain(transaction, &RosterRow(roster.clone()), 0)
            .await?;
        let (stops, unmade) = rows_of(roster);
        for (index, stop) in stops.iter().enumerate() {
            transaction = store.insert_or_explain(transaction, stop, index).await?;
        }
        for (index, row) in unmade.iter().enumerate() {
            transaction = store.insert_or_explain(transaction, row, index).await?;
        }
        transaction.rollback().await.ok();
        Ok::<(), StoreError>(())
    };
    match retry.await {
        Err(StoreError::Duplicate { kind, index, .. }) if index < roster.stops.len() => {
            let stop = &roster.stops[index];
            StoreError::Duplicate {
                kind,
                index,
                id: format!("{} part {}", stop.visit_id, stop.part),
            }
        }
        Err(explained) => explained,
        Ok(()) => StoreError::database_in("storing the roster failed", error),
    }
}

/// The roster with `id`, whole.
pub(super) async fn by_id(store: &SqlStore, id: &RosterId) -> Result<Option<Roster>, StoreError> {
    let sql = format!(
        "SELECT {} FROM {} WHERE id = $1",
        RosterRow::COLUMNS.join(", "),
        RosterRow::TABLE
    );
    whole(store, &sql, vec![SqlValue::text(id.as_str())]).await
}

/// The roster of `branch` for `date`, whole.
pub(super) async fn of_branch_day(
    store: &SqlStore,
    branch: &BranchId,
    date: Date,
) -> Result<Option<Roster>, StoreError> {
    let sql = format!(
        "SELECT {} FROM {} WHERE branch_id = $1 AND roster_date = $2",
        RosterRow::COLUMNS.join(", "),
        RosterRow::TABLE
    );
    whole(
        store,
        &sql,
        vec![SqlValue::text(branch.as_str()), SqlValue::date(date)],
    )
    .await
}

/// The one roster `sql` picks, with its stops and unmade visits.
async fn whole(
    store: &SqlStore,
    sql: &str,
    values: Vec<SqlValue>,
) -> Result<Option<Roster>, StoreError> {
    let Some(row) = fetch(store, sql, values).await?.into_iter().next() else {
        return Ok(None);
    };
    let RosterRow(mut roster) = RosterRow::from_row(&StoredRow::new(&row, RecordKind::Roster)?)?;
    let key = vec![SqlValue::text(roster.id.as_str())];
    let order = store.text_order();
    roster.stops = stop_rows(&fetch(store, &of_roster_sql::<StopRow>(order), key.clone()).await?)?;
    roster.unmade =
        roster_rows::<UnmadeRow>(&fetch(store, &of_roster_sql::<UnmadeRow>(order), key).await?)?
            .into_iter()
            .map(|stored| stored.unmade)
            .collect();
    Ok(Some(roster))
}

/// The statement reading a roster's rows of `T` (its stops, or its unmade visits), in order;
/// the roster's id is `$1`.
fn of_roster_sql<T: TableRecord>(text_order: &str) -> String {
    format!(
        "SELECT {} FROM {} WHERE roster_id = $1 ORDER BY {}",
        T::COLUMNS.join(", "),
        T::TABLE,
        T::order_by(text_order)
    )
}

/// Rows of a roster's `T`, each named by its roster's id in errors.
fn roster_rows<T: TableRecord>(rows: &[sqlx::any::AnyRow]) -> Result<Vec<T>, StoreError> {
    rows.iter()
        .map(|row| {
            T::from_row(&StoredRow::with_id_column(
                row,
                RecordKind::Roster,
                "roster_id",
            )?)
        })
        .collect()
}

fn stop_rows(rows: &[sqlx::any::AnyRow]) -> Result<Vec<RosterStop>, StoreError> {
    Ok(roster_rows::<StopRow>(rows)?
        .into_iter()
        .map(|stored| stored.stop)
        .collect())
}

/// A branch's rosters from `from` to `until`, by date, each with how many stops and unmade
/// visits it holds.
pub(super) async fn summaries(
    store: &SqlStore,
    branch: &BranchId,
    from: Date,
    until: Date,
) -> Result<Vec<RosterSummary>, StoreError> {
    let columns: Vec<String> = RosterRow::COLUMNS
        .iter()
        .map(|column| format!("r.{column}"))
        .collect();
    let sql = format!(
        "SELECT {}, \
         (SELECT COUNT(*) FROM roster_stops s WHERE s.roster_id = r.id) AS stop_count, \
         (SELECT COUNT(*) FROM roster_unmade u WHERE u.roster_id = r.id) AS unmade_count \
         FROM rosters r WHERE r.branch_id = $1 AND r.roster_date >= $2 AND r.roster_date <= $3 \
         ORDER BY r.roster_date",
        columns.join(", ")
    );
    let values = vec![
        SqlValue::text(branch.as_str()),
        SqlValue::date(from),
        SqlValue::date(until),
    ];
    fetch(store, &sql, values)
        .await?
        .iter()
        .map(|row| {
            let stored = StoredRow::new(row, RecordKind::Roster)?;
            let RosterRow(roster) = RosterRow::from_row(&stored)?;
            Ok(RosterSummary {
                roster,
                stops: stored.integer("stop_count")? as usize,
                unmade: stored.integer("unmade_count")? as usize,
            })
        })
        .collect()
}

/// A care worker's stops on rosters dated `from` to `until`, in order of start; only those
/// of published rosters when `published_only`.
pub(super) async fn of_worker(
    store: &SqlStore,
    worker: &WorkerId,
    from: Date,
    until: Date,
    published_only: bool,
) -> Result<Vec<RosterStop>, StoreError> {
    let columns: Vec<String> = StopRow::COLUMNS
        .iter()
        .map(|column| format!("s.{column}"))
        .collect();
    let mut values = vec![
        SqlValue::text(worker.as_str()),
        SqlValue::date(from),
        SqlValue::date(until),
    ];
    let mut sql = format!(
        "SELECT {} FROM roster_stops s JOIN rosters r ON r.id = s.roster_id \
         WHERE s.worker_id = $1 AND r.roster_date >= $2 AND r.roster_date <= $3",
        columns.join(", ")
    );
    if published_only {
        values.push(SqlValue::text(RosterStatus::Published.as_str()));
        sql.push_str(" AND r.status = $4");
    }
    sql.push_str(&format!(
        " ORDER BY s.starts_at{0}, s.part",
        store.text_order()
    ));
    stop_rows(&fetch(store, &sql, values).await?)
}

/// The stops of the visits `filter` picks, by worker and start; only those of published
/// rosters when `published_only`.
pub(super) async fn of_visits(
    store: &SqlStore,
    filter: &VisitFilter,
    published_only: bool,
) -> Result<Vec<RosterStop>, StoreError> {
    let (conditions, mut values) = conditions(filter);
    let published = if published_only {
        values.push(SqlValue::text(RosterStatus::Published.as_str()));
        format!(
            " AND roster_id IN (SELECT id FROM rosters WHERE status = ${})",
            values.len()
        )
    } else {
        String::new()
    };
    let sql = format!(
        "SELECT {} FROM {} WHERE visit_id IN (SELECT id FROM visits WHERE {}){published} ORDER BY {}",
        StopRow::COLUMNS.join(", "),
        StopRow::TABLE,
        conditions,
        StopRow::order_by(store.text_order())
    );
    stop_rows(&fetch(store, &sql, values).await?)
}

#[async_trait]
impl RosterStore for SqlStore {
    async fn save_roster(
        &self,
        roster: &Roster,
        action: &str,
        actor: &str,
    ) -> Result<(), StoreError> {
        save(self, roster, action, actor).await
    }

    async fn roster(&self, id: &RosterId) -> Result<Option<Roster>, StoreError> {
        by_id(self, id).await
    }

    async fn branch_roster(
        &self,
        branch: &BranchId,
        date: Date,
    ) -> Result<Option<Roster>, StoreError> {
        of_branch_day(self, branch, date).await
    }

    async fn branch_rosters(
        &self,
        branch: &BranchId,
        from: Date,
        until: Date,
    ) -> Result<Vec<RosterSummary>, StoreError> {
        summaries(self, branch, from, until).await
    }

    async fn worker_stops(
        &self,
        worker: &WorkerId,
        from: Date,
        until: Date,
        published_only: bool,
    ) -> Result<Vec<RosterStop>, StoreError> {
        of_worker(self, worker, from, until, published_only).await
    }

    async fn roster_stops_of(
        &self,
        filter: &VisitFilter,
        published_only: bool,
    ) -> Result<Vec<RosterStop>, StoreError> {
        of_visits(self, filter, published_only).await
    }
}
