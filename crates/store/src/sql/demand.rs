//! Each area's demand on a date, summed in the database.

use crate::{RecordKind, StoreError};
use homeward_domain::{AreaDemand, AreaId};
use jiff::civil::Date;
use sqlx::{AnyPool, Row};

/// Customers (distinct people), providers (distinct, placed packages only) and weekly minutes of the packages running on `date`, by the
/// area the person lives in. Dates are ISO text, so text comparison is date comparison.
pub(crate) async fn area_demand(
    pool: &AnyPool,
    date: Date,
    text_order: &str,
) -> Result<Vec<(AreaId, AreaDemand)>, StoreError> {
    // SUM of a BIGINT is NUMERIC on PostgreSQL, which the Any driver cannot read: cast it back.
    let sql = format!(
        "SELECT people.area_id AS area_id, \
                COUNT(DISTINCT packages.person_id) AS customers, \
                CAST(SUM(packages.weekly_minutes) AS BIGINT) AS weekly_minutes, \
                COUNT(DISTINCT packages.provider_id) AS providers \
         FROM packages JOIN people ON people.id = packages.person_id \
         WHERE packages.starts_on <= $1 AND (packages.ends_on IS NULL OR packages.ends_on >= $1) \
         GROUP BY people.area_id \
         ORDER BY people.area_id{text_order}"
    );
    let rows = sqlx::query(&sql)
        .bind(date.to_string())
        .fetch_all(pool)
        .await
        .map_err(StoreError::database)?;
    rows.iter().map(demand_of_row).collect()
}

/// One area's row.
fn demand_of_row(row: &sqlx::any::AnyRow) -> Result<(AreaId, AreaDemand), StoreError> {
    let area_text: String = row.try_get("area_id").map_err(StoreError::database)?;
    let corrupt = |message: String| StoreError::Corrupt {
        kind: RecordKind::Area,
        id: area_text.clone(),
        message,
    };
    let area_id =
        AreaId::parse(&area_text, "area_id").map_err(|error| corrupt(error.to_string()))?;
    let customers: i64 = row.try_get("customers").map_err(StoreError::database)?;
    let weekly_minutes: i64 = row
        .try_get("weekly_minutes")
        .map_err(StoreError::database)?;
    let providers: i64 = row.try_get("providers").map_err(StoreError::database)?;
    let demand = AreaDemand {
        providers: u32::try_from(providers)
            .map_err(|_| corrupt(format!("{providers} providers is out of range")))?,
        customers: u32::try_from(customers)
            .map_err(|_| corrupt(format!("{customers} customers is out of range")))?,
        weekly_minutes: u32::try_from(weekly_minutes)
            .map_err(|_| corrupt(format!("{weekly_minutes} weekly minutes is out of range")))?,
    };
    Ok((area_id, demand))
}
