//! Generic reads: every record of a kind, in order; those with a column's value; a page of them;
//! one by id.

use super::row::StoredRow;
use super::values::SqlValue;
use super::{TableRecord, json};
use crate::{Page, StoreError};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyPool};
use std::collections::HashSet;

/// Every stored record of type `T`, ordered by [`TableRecord::order_by`].
pub(crate) async fn list<T: TableRecord>(
    pool: &AnyPool,
    text_order: &str,
) -> Result<Vec<T>, StoreError> {
    let sql = format!(
        "SELECT {} FROM {} ORDER BY {}",
        T::COLUMNS.join(", "),
        T::TABLE,
        T::order_by(text_order)
    );
    let rows = sqlx::query(&sql)
        .fetch_all(pool)
        .await
        .map_err(StoreError::database)?;
    rows.iter()
        .map(|row| T::from_row(&StoredRow::with_id_column(row, T::KIND, T::COLUMNS[0])?))
        .collect()
}

/// The stored records of type `T` whose `column` holds `value`, in [`list`]'s order.
pub(crate) async fn list_where<T: TableRecord>(
    pool: &AnyPool,
    column: &str,
    value: &str,
    text_order: &str,
) -> Result<Vec<T>, StoreError> {
    let sql = format!(
        "SELECT {} FROM {} WHERE {column} = $1 ORDER BY {}",
        T::COLUMNS.join(", "),
        T::TABLE,
        T::order_by(text_order)
    );
    let rows = sqlx::query(&sql)
        .bind(value.to_owned())
        .fetch_all(pool)
        .await
        .map_err(StoreError::database)?;
    rows.iter()
        .map(|row| T::from_row(&StoredRow::with_id_column(row, T::KIND, T::COLUMNS[0])?))
        .collect()
}

/// `limit` stored records of type `T` from `offset`, in [`list`]'s order, and how many are
/// stored in all.
pub(crate) async fn page<T: TableRecord>(
    pool: &AnyPool,
    offset: u64,
    limit: u64,
    text_order: &str,
) -> Result<Page<T>, StoreError> {
    let total = count(pool, T::TABLE).await?;
    let sql = format!(
        "SELECT {} FROM {} ORDER BY {} LIMIT $1 OFFSET $2",
        T::COLUMNS.join(", "),
        T::TABLE,
        T::order_by(text_order)
    );
    let rows = sqlx::query(&sql)
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .bind(i64::try_from(offset).unwrap_or(i64::MAX))
        .fetch_all(pool)
        .await
        .map_err(StoreError::database)?;
    let items = rows
        .iter()
        .map(|row| T::from_row(&StoredRow::with_id_column(row, T::KIND, T::COLUMNS[0])?))
        .collect::<Result<_, _>>()?;
    Ok(Page { items, total })
}

/// How many rows `table` holds.
async fn count(pool: &AnyPool, table: &str) -> Result<u64, StoreError> {
    let sql = format!("SELECT CAST(COUNT(*) AS BIGINT) FROM {table}");
    let count: i64 = sqlx::query_scalar(&sql)
        .fetch_one(pool)
        .await
        .map_err(StoreError::database)?;
    Ok(u64::try_from(count).unwrap_or(0))
}

/// Whether a row of `table` has `id`.
pub(crate) async fn exists(pool: &AnyPool, table: &str, id: &str) -> Result<bool, StoreError> {
    let sql = format!("SELECT COUNT(*) FROM {table} WHERE id = $1");
    let count: i64 = sqlx::query_scalar(&sql)
        .bind(id.to_owned())
        .fetch_one(pool)
        .await
        .map_err(StoreError::database)?;
    Ok(count > 0)
}

/// The stored row of type `T` with `id`, its columns as [`TableRecord::COLUMNS`] names them.
pub(crate) async fn row_by_id<T: TableRecord>(
    connection: &mut AnyConnection,
    id: &str,
) -> Result<Option<AnyRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {} FROM {} WHERE {} = $1",
        T::COLUMNS.join(", "),
        T::TABLE,
        T::COLUMNS[0]
    );
    sqlx::query(&sql)
        .bind(id.to_owned())
        .fetch_optional(connection)
        .await
}

/// The stored record of type `T` with `id`, read inside a write transaction, with its columns'
/// values exactly as stored (for the audit trail: a record's own values could differ from its
/// row, such as a placement's columns left after a referral moved on from `placed`).
pub(crate) async fn stored_by_id<T: TableRecord>(
    connection: &mut AnyConnection,
    id: &str,
) -> Result<Option<(T, Vec<SqlValue>)>, StoreError> {
    let Some(row) = row_by_id::<T>(connection, id)
        .await
        .map_err(StoreError::database)?
    else {
        return Ok(None);
    };
    let record = T::from_row(&StoredRow::with_id_column(&row, T::KIND, T::COLUMNS[0])?)?;
    // The record's own values give each column's type; the row gives what it holds.
    let values = json::row_values(&row, T::COLUMNS, &record.values()).map_err(|error| {
        StoreError::Corrupt {
            kind: T::KIND,
            id: id.to_owned(),
            message: error.to_string(),
        }
    })?;
    Ok(Some((record, values)))
}

/// One stored record of type `T` by its id, read on `pool`.
pub(crate) async fn one<T: TableRecord>(pool: &AnyPool, id: &str) -> Result<Option<T>, StoreError> {
    let sql = format!(
        "SELECT {} FROM {} WHERE {} = $1",
        T::COLUMNS.join(", "),
        T::TABLE,
        T::COLUMNS[0]
    );
    let row = sqlx::query(&sql)
        .bind(id.to_owned())
        .fetch_optional(pool)
        .await
        .map_err(StoreError::database)?;
    row.map(|row| T::from_row(&StoredRow::with_id_column(&row, T::KIND, T::COLUMNS[0])?))
        .transpose()
}

/// Which of `ids` are the `id` of a row of `table`.
pub(crate) async fn ids_among(
    connection: &mut AnyConnection,
    table: &str,
    ids: &[&str],
) -> Result<HashSet<String>, StoreError> {
    let mut found = HashSet::with_capacity(ids.len());
    for chunk in ids.chunks(super::write::MAX_PARAMETERS) {
        let chunk = padded(chunk);
        let sql = format!(
            "SELECT id FROM {table} WHERE id IN ({})",
            placeholders(chunk.len())
        );
        let mut query = sqlx::query_scalar::<_, String>(&sql);
        for id in chunk {
            query = query.bind(id.to_owned());
        }
        found.extend(
            query
                .fetch_all(&mut *connection)
                .await
                .map_err(StoreError::database)?,
        );
    }
    Ok(found)
}

/// `ids` with its last id repeated up to the next power of two (at most the parameter limit),
/// so that lookups of any number of ids take a few statement texts only, each prepared once
/// (see [`super::write::statement_sizes`]); a repeat in `IN (…)` changes nothing.
pub(crate) fn padded<'a>(ids: &[&'a str]) -> Vec<&'a str> {
    let size = ids
        .len()
        .next_power_of_two()
        .min(super::write::MAX_PARAMETERS.max(ids.len()));
    let mut padded = ids.to_vec();
    if let Some(&last) = ids.last() {
        padded.resize(size, last);
    }
    padded
}

/// `$1, $2, …, $count`.
pub(crate) fn placeholders(count: usize) -> String {
    (1..=count)
        .map(|number| format!("${number}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_lists_are_padded_to_a_few_sizes() {
        assert_eq!(padded(&["a", "b", "c"]), ["a", "b", "c", "c"]);
        assert_eq!(padded(&["a"]), ["a"]);
        assert!(padded(&[]).is_empty());
        let many: Vec<&str> = vec!["x"; 200];
        assert_eq!(padded(&many).len(), super::super::write::MAX_PARAMETERS);
    }
}
