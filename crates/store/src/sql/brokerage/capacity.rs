//! Capacity returns' rows, one per branch, area and week, and the statements that read the
//! latest of each and replace one.

use crate::sql::Reference;
use crate::sql::row::StoredRow;
use crate::sql::values::SqlValue;
use crate::{RecordKind, StoreError};
use homeward_domain::brokerage::CapacityReturn;
use homeward_domain::{Area, AreaId, Branch, BranchId, Invalid, Provider, ProviderId};
use jiff::civil::Date;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyPool};

/// The table of capacity returns.
pub(crate) const CAPACITY_TABLE: &str = "capacity_returns";

/// The columns of a capacity return; the key is the first three.
pub(crate) const CAPACITY_COLUMNS: &[&str] = &[
    "branch_id",
    "area_id",
    "week_of",
    "provider_id",
    "hours",
    "returned_at",
];

/// How errors and the audit trail name a capacity return: `branch/area/week`.
pub(crate) fn capacity_key(capacity: &CapacityReturn) -> String {
    format!(
        "{}/{}/{}",
        capacity.branch_id, capacity.area_id, capacity.week_of
    )
}

/// A capacity return's values in [`CAPACITY_COLUMNS`] order.
pub(crate) fn capacity_values(capacity: &CapacityReturn) -> Vec<SqlValue> {
    vec![
        SqlValue::text(capacity.branch_id.as_str()),
        SqlValue::text(capacity.area_id.as_str()),
        SqlValue::date(capacity.week_of),
        SqlValue::text(capacity.provider_id.as_str()),
        SqlValue::count(capacity.hours),
        SqlValue::timestamp(capacity.returned_at),
    ]
}

/// A capacity return's own rules ([`CapacityReturn::validate`]).
pub(crate) fn validate_capacity(capacity: &CapacityReturn) -> Result<(), Invalid> {
    capacity.validate()
}

/// The references of a capacity return, for explaining a foreign key failure.
pub(crate) fn capacity_references(capacity: &CapacityReturn) -> Vec<Reference> {
    vec![
        Reference::to::<Branch>("branch_id", capacity.branch_id.as_str()),
        Reference::to::<Area>("area_id", capacity.area_id.as_str()),
        Reference::to::<Provider>("provider_id", capacity.provider_id.as_str()),
    ]
}

/// The capacity return in `row`.
pub(super) fn capacity_from_row(row: &AnyRow) -> Result<CapacityReturn, StoreError> {
    let key = StoredRow::with_id_column(row, RecordKind::CapacityReturn, "branch_id")?;
    let capacity = CapacityReturn {
        branch_id: key.parse("branch_id", BranchId::parse)?,
        provider_id: key.parse("provider_id", ProviderId::parse)?,
        area_id: key.parse("area_id", AreaId::parse)?,
        week_of: key.date("week_of")?,
        hours: key.count("hours")?,
        returned_at: key.timestamp("returned_at")?,
    };
    Ok(capacity)
}

/// The stored return for `capacity`'s branch, area and week, read inside a write transaction.
pub(crate) async fn stored_capacity(
    connection: &mut AnyConnection,
    capacity: &CapacityReturn,
) -> Result<Option<CapacityReturn>, StoreError> {
    let select = format!(
        "SELECT {} FROM capacity_returns WHERE branch_id = $1 AND area_id = $2 AND week_of = $3",
        CAPACITY_COLUMNS.join(", ")
    );
    let before = sqlx::query(&select)
        .bind(capacity.branch_id.as_str().to_owned())
        .bind(capacity.area_id.as_str().to_owned())
        .bind(capacity.week_of.to_string())
        .fetch_optional(&mut *connection)
        .await
        .map_err(StoreError::database)?
        .as_ref()
        .map(capacity_from_row)
        .transpose()?;
    Ok(before)
}

/// The latest return of each branch and area for a week starting on or before `week_of`, by
/// branch then area.
pub(crate) async fn capacity_returns(
    pool: &AnyPool,
    week_of: Date,
    text_order: &str,
) -> Result<Vec<CapacityReturn>, StoreError> {
    let sql = format!(
        "SELECT {} FROM capacity_returns c \
         WHERE c.week_of{text_order} = (SELECT MAX(l.week_of{text_order}) FROM capacity_returns l \
             WHERE l.branch_id = c.branch_id AND l.area_id = c.area_id AND l.week_of{text_order} <= $1) \
         ORDER BY c.branch_id{text_order}, c.area_id{text_order}",
        CAPACITY_COLUMNS
            .iter()
            .map(|column| format!("c.{column}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let rows = sqlx::query(&sql)
        .bind(week_of.to_string())
        .fetch_all(pool)
        .await
        .map_err(StoreError::database)?;
    rows.iter().map(capacity_from_row).collect()
}

/// Deletes the stored return for `capacity`'s branch, area and week, if there is one.
pub(crate) async fn delete_capacity(
    connection: &mut AnyConnection,
    capacity: &CapacityReturn,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "DELETE FROM capacity_returns WHERE branch_id = $1 AND area_id = $2 AND week_of = $3",
    )
    .bind(capacity.branch_id.as_str().to_owned())
    .bind(capacity.area_id.as_str().to_owned())
    .bind(capacity.week_of.to_string())
    .execute(connection)
    .await?;
    Ok(())
}

/// Inserts `capacity`.
pub(crate) async fn insert_capacity(
    connection: &mut AnyConnection,
    capacity: &CapacityReturn,
) -> Result<(), sqlx::Error> {
    let mut query = sqlx::query(
        "INSERT INTO capacity_returns (branch_id, area_id, week_of, provider_id, hours, returned_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    );
    for value in capacity_values(capacity) {
        query = value.bind_to(query);
    }
    query.execute(connection).await?;
    Ok(())
}

/// The provider of the branch `branch_id`, if the branch is stored.
pub(crate) async fn branch_provider(
    connection: &mut AnyConnection,
    branch_id: &BranchId,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT provider_id FROM branches WHERE id = $1")
        .bind(branch_id.as_str().to_owned())
        .fetch_optional(connection)
        .await
}
