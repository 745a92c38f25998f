//! Referrals' rows: a referral with its status and placement as stored, and the statements that
//! read referrals and move them on.

use crate::sql::lists::parse_in_order;
use crate::sql::packages::parse_pattern;
use crate::sql::row::StoredRow;
use crate::sql::time::stored_timestamp;
use crate::sql::values::SqlValue;
use crate::sql::{Reference, TableRecord};
use crate::{Page, RecordKind, StoreError};
use homeward_domain::brokerage::{AccessRoute, Needs, Referral, StepKind};
use homeward_domain::brokerage::{Placement, ReferralRecord, ReferralStatus};
use homeward_domain::{
    Area, AreaId, FieldError, FundingRoute, Invalid, OfferId, PackageId, Person, PersonId,
    Provider, ProviderId, ReferralId, Skill, format_code_list, parse_code_list,
};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyPool};

/// A referral's status read for `field`.
pub(super) fn parse_status(text: &str, field: &str) -> Result<ReferralStatus, FieldError> {
    ReferralStatus::from_code(text.trim())
        .ok_or_else(|| FieldError::new(field, format!("'{text}' is not a referral status")))
}

impl TableRecord for ReferralRecord {
    const KIND: RecordKind = RecordKind::Referral;
    const TABLE: &'static str = "referrals";
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "person_id",
        "area_id",
        "route",
        "visit_pattern",
        "weekly_minutes",
        "skills",
        "complex",
        "funding_route",
        "reablement_potential",
        "referred_on",
        "needed_by",
        "discharge_on",
        "status",
        "created_at",
        "placed_offer_id",
        "placed_provider_id",
        "placed_step",
        "package_id",
        "started_on",
        "placed_at",
    ];

    /// Newest first; referrals recorded in the same microsecond by id, last first.
    fn order_by(text_order: &str) -> String {
        format!("created_at{text_order} DESC, id{text_order} DESC")
    }

    fn id(&self) -> &str {
        self.referral.id.as_str()
    }

    fn validate(&self) -> Result<(), Invalid> {
        self.referral.validate()
    }

    fn values(&self) -> Vec<SqlValue> {
        let referral = &self.referral;
        let placement = self.placement.as_ref();
        vec![
            SqlValue::text(referral.id.as_str()),
            SqlValue::text(referral.person_id.as_str()),
            SqlValue::text(referral.area_id.as_str()),
            SqlValue::text(referral.route.code()),
            SqlValue::Text(referral.needs.pattern.to_string()),
            SqlValue::count(referral.needs.weekly_minutes()),
            SqlValue::Text(format_code_list(&referral.needs.skills)),
            SqlValue::flag(referral.needs.complex),
            SqlValue::text(referral.funding_route.code()),
            SqlValue::flag(referral.reablement_potential),
            SqlValue::date(referral.referred_on),
            SqlValue::date(referral.needed_by),
            SqlValue::optional_date(referral.discharge_on),
            SqlValue::text(self.status.code()),
            SqlValue::timestamp(self.created_at),
            SqlValue::optional_text(placement.map(|placement| placement.offer_id.as_str())),
            SqlValue::optional_text(placement.map(|placement| placement.provider_id.as_str())),
            SqlValue::optional_text(placement.map(|placement| placement.step.code())),
            SqlValue::optional_text(placement.map(|placement| placement.package_id.as_str())),
            SqlValue::optional_date(placement.map(|placement| placement.started_on)),
            SqlValue::optional_timestamp(placement.map(|placement| placement.placed_at)),
        ]
    }

    fn references(&self) -> Vec<Reference> {
        let mut references = vec![
            Reference::to::<Person>("person_id", self.referral.person_id.as_str()),
            Reference::to::<Area>("area_id", self.referral.area_id.as_str()),
        ];
        if let Some(placement) = &self.placement {
            references.push(Reference::to::<Provider>(
                "placed_provider_id",
                placement.provider_id.as_str(),
            ));
        }
        references
    }

    fn from_row(row: &StoredRow<'_>) -> Result<Self, StoreError> {
        let referral = Referral {
            id: row.parse("id", ReferralId::parse)?,
            person_id: row.parse("person_id", PersonId::parse)?,
            area_id: row.parse("area_id", AreaId::parse)?,
            route: row.parse("route", AccessRoute::parse)?,
            needs: Needs {
                pattern: row.parse("visit_pattern", parse_pattern)?,
                skills: row.parse("skills", |text, field| {
                    parse_in_order(text, field, parse_code_list::<Skill>)
                })?,
                complex: row.flag("complex")?,
            },
            funding_route: row.parse("funding_route", FundingRoute::parse)?,
            reablement_potential: row.flag("reablement_potential")?,
            referred_on: row.date("referred_on")?,
            needed_by: row.date("needed_by")?,
            discharge_on: row.optional_date("discharge_on")?,
        };
        let stored_minutes = row.count("weekly_minutes")?;
        if stored_minutes != referral.needs.weekly_minutes() {
            let message = format!(
                "{stored_minutes} but the visit pattern adds up to {}",
                referral.needs.weekly_minutes()
            );
            return Err(row.corrupt("weekly_minutes", message));
        }
        let status = row.parse("status", parse_status)?;
        let placement = (
            row.parse_optional("placed_offer_id", OfferId::parse)?,
            row.parse_optional("placed_provider_id", ProviderId::parse)?,
            row.parse_optional("placed_step", StepKind::parse)?,
            row.parse_optional("package_id", PackageId::parse)?,
            row.optional_date("started_on")?,
            row.optional_timestamp("placed_at")?,
        );
        // A placement is shown only while the referral stands placed.
        let placement = match placement {
            (
                Some(offer_id),
                Some(provider_id),
                Some(step),
                Some(package_id),
                Some(started_on),
                Some(placed_at),
            ) if status == ReferralStatus::Placed => Some(Placement {
                offer_id,
                provider_id,
                step,
                package_id,
                started_on,
                placed_at,
            }),
            _ => None,
        };
        Ok(ReferralRecord {
            referral,
            status,
            placement,
            created_at: row.timestamp("created_at")?,
        })
    }
}

/// The referral with `id`.
pub(crate) async fn referral(
    pool: &AnyPool,
    id: &ReferralId,
) -> Result<Option<ReferralRecord>, StoreError> {
    let sql = format!(
        "SELECT {} FROM referrals WHERE id = $1",
        ReferralRecord::COLUMNS.join(", ")
    );
    let row = sqlx::query(&sql)
        .bind(id.as_str().to_owned())
        .fetch_optional(pool)
        .await
        .map_err(StoreError::database)?;
    row.as_ref().map(referral_from_row).transpose()
}

/// The referral in `row`'s columns named as in [`ReferralRecord::COLUMNS`].
pub(super) fn referral_from_row(row: &AnyRow) -> Result<ReferralRecord, StoreError> {
    ReferralRecord::from_row(&StoredRow::new(row, RecordKind::Referral)?)
}

/// Referrals, newest first, those with `status` only when given.
pub(crate) async fn referrals(
    pool: &AnyPool,
    status: Option<ReferralStatus>,
    text_order: &str,
) -> Result<Vec<ReferralRecord>, StoreError> {
    let filter = if status.is_some() {
        " WHERE status = $1"
    } else {
        ""
    };
    let sql = format!(
        "SELECT {} FROM referrals{filter} ORDER BY {}",
        ReferralRecord::COLUMNS.join(", "),
        ReferralRecord::order_by(text_order)
    );
    let mut query = sqlx::query(&sql);
    if let Some(status) = status {
        query = query.bind(status.code().to_owned());
    }
    let rows = query.fetch_all(pool).await.map_err(StoreError::database)?;
    rows.iter().map(referral_from_row).collect()
}

/// `limit` referrals from `offset` in [`referrals`]' order, optionally only those with
/// `status`, and how many there are in all.
pub(crate) async fn referrals_page(
    pool: &AnyPool,
    status: Option<ReferralStatus>,
    offset: u64,
    limit: u64,
    text_order: &str,
) -> Result<Page<ReferralRecord>, StoreError> {
    let filter = if status.is_some() {
        " WHERE status = $1"
    } else {
        ""
    };
    let count_sql = format!("SELECT CAST(COUNT(*) AS BIGINT) FROM referrals{filter}");
    let mut count = sqlx::query_scalar::<_, i64>(&count_sql);
    if let Some(status) = status {
        count = count.bind(status.code().to_owned());
    }
    let total = count.fetch_one(pool).await.map_err(StoreError::database)?;
    let first = if status.is_some() { 2 } else { 1 };
    let sql = format!(
        "SELECT {} FROM referrals{filter} ORDER BY {} LIMIT ${first} OFFSET ${}",
        ReferralRecord::COLUMNS.join(", "),
        ReferralRecord::order_by(text_order),
        first + 1
    );
    let mut query = sqlx::query(&sql);
    if let Some(status) = status {
        query = query.bind(status.code().to_owned());
    }
    let rows = query
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .bind(i64::try_from(offset).unwrap_or(i64::MAX))
        .fetch_all(pool)
        .await
        .map_err(StoreError::database)?;
    Ok(Page {
        items: rows
            .iter()
            .map(referral_from_row)
            .collect::<Result<_, _>>()?,
        total: u64::try_from(total).unwrap_or(0),
    })
}

/// Moves the referral `id` from `from` to `to`; returns whether it stood at `from`.
pub(crate) async fn move_status(
    connection: &mut AnyConnection,
    id: &ReferralId,
    from: ReferralStatus,
    to: ReferralStatus,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query("UPDATE referrals SET status = $3 WHERE id = $1 AND status = $2")
        .bind(id.as_str().to_owned())
        .bind(from.code().to_owned())
        .bind(to.code().to_owned())
        .execute(connection)
        .await?;
    Ok(result.rows_affected() > 0)
}

/// Marks the referral `id` placed with `placement` if it is still being offered; returns
/// whether it was.
pub(crate) async fn place(
    connection: &mut AnyConnection,
    id: &ReferralId,
    placement: &Placement,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE referrals SET status = $2, placed_offer_id = $3, placed_provider_id = $4, \
         placed_step = $5, package_id = $6, started_on = $7, placed_at = $8 \
         WHERE id = $1 AND status = $9",
    )
    .bind(id.as_str().to_owned())
    .bind(ReferralStatus::Placed.code().to_owned())
    .bind(placement.offer_id.as_str().to_owned())
    .bind(placement.provider_id.as_str().to_owned())
    .bind(placement.step.code().to_owned())
    .bind(placement.package_id.as_str().to_owned())
    .bind(placement.started_on.to_string())
    .bind(stored_timestamp(placement.placed_at))
    .bind(ReferralStatus::Offering.code().to_owned())
    .execute(connection)
    .await?;
    Ok(result.rows_affected() > 0)
}
