//! How many records of each kind are stored, in one query.

use crate::{RegisterCounts, StoreError};
use sqlx::{AnyPool, Row};

/// The tables in [`RegisterCounts`] field order.
const TABLES: [&str; 8] = [
    "areas",
    "providers",
    "branches",
    "awards",
    "contracts",
    "people",
    "packages",
    "workers",
];

/// Counts every kind of record.
pub(crate) async fn counts(pool: &AnyPool) -> Result<RegisterCounts, StoreError> {
    let columns: Vec<String> = TABLES
        .iter()
        .map(|table| format!("(SELECT COUNT(*) FROM {table}) AS {table}"))
        .collect();
    let row = sqlx::query(&format!("SELECT {}", columns.join(", ")))
        .fetch_one(pool)
        .await
        .map_err(StoreError::database)?;
    let count = |table: &str| -> Result<u64, StoreError> {
        let value: i64 = row.try_get(table).map_err(StoreError::database)?;
        u64::try_from(value).map_err(|_| {
            StoreError::database_failure(format!("{table} has a negative count, {value}"))
        })
    };
    Ok(RegisterCounts {
        areas: count("areas")?,
        providers: count("providers")?,
        branches: count("branches")?,
        awards: count("awards")?,
        contracts: count("contracts")?,
        people: count("people")?,
        packages: count("packages")?,
        workers: count("workers")?,
    })
}
