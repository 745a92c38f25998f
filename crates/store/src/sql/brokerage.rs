//! Brokerage records: referrals with their status and placement, offers with their answers,
//! reablement episodes, capacity returns and incentives; their columns, how a record becomes
//! values, how a row becomes a record, and the statements particular to them.

use super::lists::parse_in_order;
use super::packages::parse_pattern;
use super::row::StoredRow;
use super::time::stored_timestamp;
use super::values::SqlValue;
use super::{Reference, TableRecord};
use crate::{
    CapacityReturn, Incentive, Placement, ReablementEpisode, RecordKind, ReferralRecord,
    ReferralStatus, StoreError,
};
use homeward_domain::brokerage::{
    AccessRoute, DeclineReason, Needs, Offer, OfferResponse, ReablementOutcome, Referral, StepKind,
};
use homeward_domain::{
    Area, AreaId, Branch, BranchId, FieldError, FundingRoute, Invalid, OfferId, PackageId, Pence,
    Person, PersonId, Provider, ProviderId, ReferralId, Skill, format_code_list, parse_code_list,
};
use jiff::Timestamp;
use jiff::civil::Date;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyPool};

/// A referral's status read for `field`.
fn parse_status(text: &str, field: &str) -> Result<ReferralStatus, FieldError> {
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

/// An offer as stored: with the referral it belongs to, which [`Offer`] does not carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StoredOffer {
    /// The referral offered.
    pub(crate) referral_id: ReferralId,
    /// The offer.
    pub(crate) offer: Offer,
}

/// The columns of an offer that hold its answer, in [`StoredOffer`]'s column order.
pub(crate) const RESPONSE_COLUMNS: [&str; 5] = [
    "response",
    "responded_at",
    "start_on",
    "hourly_rate_pence",
    "decline_reason",
];

/// The values of the answer columns ([`RESPONSE_COLUMNS`]), all NULL for no answer.
pub(crate) fn response_values(response: Option<(Timestamp, &OfferResponse)>) -> [SqlValue; 5] {
    let (kind, start_on, hourly_rate, decline_reason) = match response.map(|(_, answer)| answer) {
        None => (None, None, None, None),
        Some(OfferResponse::Accept {
            start_on,
            hourly_rate,
        }) => (
            Some("accept"),
            Some(*start_on),
            hourly_rate.map(|rate| rate.0),
            None,
        ),
        Some(OfferResponse::Decline(reason)) => (Some("decline"), None, None, Some(reason.code())),
    };
    [
        SqlValue::optional_text(kind),
        SqlValue::optional_timestamp(response.map(|(at, _)| at)),
        SqlValue::optional_date(start_on),
        SqlValue::OptionalInteger(hourly_rate),
        SqlValue::optional_text(decline_reason),
    ]
}

impl TableRecord for StoredOffer {
    const KIND: RecordKind = RecordKind::Offer;
    const TABLE: &'static str = "offers";
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "referral_id",
        "provider_id",
        "step_index",
        "step",
        "sent_at",
        "deadline",
        RESPONSE_COLUMNS[0],
        RESPONSE_COLUMNS[1],
        RESPONSE_COLUMNS[2],
        RESPONSE_COLUMNS[3],
        RESPONSE_COLUMNS[4],
    ];

    /// In the order sent: by time, then step, then provider.
    fn order_by(text_order: &str) -> String {
        format!("sent_at{text_order}, step_index, provider_id{text_order}, id{text_order}")
    }

    fn id(&self) -> &str {
        self.offer.id.as_str()
    }

    fn validate(&self) -> Result<(), Invalid> {
        let offer = &self.offer;
        let mut errors = Vec::new();
        if offer.deadline <= offer.sent_at {
            errors.push(FieldError::new(
                "deadline",
                "The deadline must be after the offer was sent",
            ));
        }
        if i64::try_from(offer.step_index).is_err() {
            errors.push(FieldError::new("step_index", "The step index is too large"));
        }
        Invalid::check(errors)
    }

    fn values(&self) -> Vec<SqlValue> {
        let offer = &self.offer;
        let mut values = vec![
            SqlValue::text(offer.id.as_str()),
            SqlValue::text(self.referral_id.as_str()),
            SqlValue::text(offer.provider_id.as_str()),
            SqlValue::Integer(i64::try_from(offer.step_index).unwrap_or(i64::MAX)),
            SqlValue::text(offer.step.code()),
            SqlValue::timestamp(offer.sent_at),
            SqlValue::timestamp(offer.deadline),
        ];
        values.extend(response_values(
            offer.response.as_ref().map(|(at, answer)| (*at, answer)),
        ));
        values
    }

    fn references(&self) -> Vec<Reference> {
        vec![
            Reference::to::<ReferralRecord>("referral_id", self.referral_id.as_str()),
            Reference::to::<Provider>("provider_id", self.offer.provider_id.as_str()),
        ]
    }

    fn from_row(row: &StoredRow<'_>) -> Result<Self, StoreError> {
        offer_from_row(row, "")
    }
}

/// The offer in `row`'s columns named as in [`StoredOffer`]'s, each after `prefix`.
fn offer_from_row(row: &StoredRow<'_>, prefix: &str) -> Result<StoredOffer, StoreError> {
    let column = |name: &str| format!("{prefix}{name}");
    let step_index = row.integer(&column("step_index"))?;
    let step_index = usize::try_from(step_index).map_err(|_| {
        row.corrupt(
            &column("step_index"),
            format!("{step_index} is not a step's position"),
        )
    })?;
    let response = match row.optional_text(&column("response"))?.as_deref() {
        None => None,
        Some(kind) => {
            let answer = match kind {
                "accept" => OfferResponse::Accept {
                    start_on: row.date(&column("start_on"))?,
                    hourly_rate: row
                        .optional_integer(&column("hourly_rate_pence"))?
                        .map(Pence),
                },
                "decline" => OfferResponse::Decline(
                    row.parse(&column("decline_reason"), DeclineReason::parse)?,
                ),
                other => {
                    return Err(row.corrupt(
                        &column("response"),
                        format!("'{other}' is not one of: accept, decline"),
                    ));
                }
            };
            Some((row.timestamp(&column("responded_at"))?, answer))
        }
    };
    Ok(StoredOffer {
        referral_id: row.parse(&column("referral_id"), ReferralId::parse)?,
        offer: Offer {
            id: row.parse(&column("id"), OfferId::parse)?,
            provider_id: row.parse(&column("provider_id"), ProviderId::parse)?,
            step_index,
            step: row.parse(&column("step"), StepKind::parse)?,
            sent_at: row.timestamp(&column("sent_at"))?,
            deadline: row.timestamp(&column("deadline"))?,
            response,
        },
    })
}

impl TableRecord for ReablementEpisode {
    const KIND: RecordKind = RecordKind::ReablementEpisode;
    const TABLE: &'static str = "reablement_episodes";
    const COLUMNS: &'static [&'static str] = &[
        "referral_id",
        "started_on",
        "ended_on",
        "outcome",
        "onward_referral_id",
    ];

    fn order_by(text_order: &str) -> String {
        format!("referral_id{text_order}")
    }

    fn id(&self) -> &str {
        self.referral_id.as_str()
    }

    fn validate(&self) -> Result<(), Invalid> {
        let mut errors = Vec::new();
        if let Some((ended_on, _)) = self.ended
            && ended_on < self.started_on
        {
            errors.push(FieldError::new(
                "ended_on",
                "The episode cannot end before it started",
            ));
        }
        if self.onward_referral_id.as_ref() == Some(&self.referral_id) {
            errors.push(FieldError::new(
                "onward_referral_id",
                "The onward referral must be a new referral",
            ));
        }
        Invalid::check(errors)
    }

    fn values(&self) -> Vec<SqlValue> {
        vec![
            SqlValue::text(self.referral_id.as_str()),
            SqlValue::date(self.started_on),
            SqlValue::optional_date(self.ended.map(|(ended_on, _)| ended_on)),
            SqlValue::optional_text(self.ended.map(|(_, outcome)| outcome.code())),
            SqlValue::optional_text(self.onward_referral_id.as_ref().map(ReferralId::as_str)),
        ]
    }

    fn references(&self) -> Vec<Reference> {
        let mut references = vec![Reference::to::<ReferralRecord>(
            "referral_id",
            self.referral_id.as_str(),
        )];
        if let Some(onward) = &self.onward_referral_id {
            references.push(Reference::to::<ReferralRecord>(
                "onward_referral_id",
                onward.as_str(),
            ));
        }
        references
    }

    fn from_row(row: &StoredRow<'_>) -> Result<Self, StoreError> {
        let ended = match (
            row.optional_date("ended_on")?,
            row.parse_optional("outcome", ReablementOutcome::parse)?,
        ) {
            (Some(ended_on), Some(outcome)) => Some((ended_on, outcome)),
            (None, None) => None,
            _ => return Err(row.corrupt("outcome", "an end date and an outcome go together")),
        };
        Ok(ReablementEpisode {
            referral_id: row.parse("referral_id", ReferralId::parse)?,
            started_on: row.date("started_on")?,
            ended,
            onward_referral_id: row.parse_optional("onward_referral_id", ReferralId::parse)?,
        })
    }
}

impl TableRecord for Incentive {
    const KIND: RecordKind = RecordKind::Incentive;
    const TABLE: &'static str = "incentives";
    const COLUMNS: &'static [&'static str] = &[
        "referral_id",
        "provider_id",
        "amount_pence",
        "pickup_days",
        "starts_on",
    ];

    fn order_by(text_order: &str) -> String {
        format!("referral_id{text_order}")
    }

    fn id(&self) -> &str {
        self.referral_id.as_str()
    }

    fn validate(&self) -> Result<(), Invalid> {
        let mut errors = Vec::new();
        if self.amount.0 <= 0 {
            errors.push(FieldError::new(
                "amount",
                "An incentive must be more than £0",
            ));
        }
        Invalid::check(errors)
    }

    fn values(&self) -> Vec<SqlValue> {
        vec![
            SqlValue::text(self.referral_id.as_str()),
            SqlValue::text(self.provider_id.as_str()),
            SqlValue::Integer(self.amount.0),
            SqlValue::Integer(i64::from(self.pickup_days)),
            SqlValue::date(self.starts_on),
        ]
    }

    fn references(&self) -> Vec<Reference> {
        vec![
            Reference::to::<ReferralRecord>("referral_id", self.referral_id.as_str()),
            Reference::to::<Provider>("provider_id", self.provider_id.as_str()),
        ]
    }

    fn from_row(row: &StoredRow<'_>) -> Result<Self, StoreError> {
        let pickup_days = row.integer("pickup_days")?;
        Ok(Incentive {
            referral_id: row.parse("referral_id", ReferralId::parse)?,
            provider_id: row.parse("provider_id", ProviderId::parse)?,
            amount: Pence(row.integer("amount_pence")?),
            pickup_days: i32::try_from(pickup_days).map_err(|_| {
                row.corrupt("pickup_days", format!("{pickup_days} is out of range"))
            })?,
            starts_on: row.date("starts_on")?,
        })
    }
}

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

/// A capacity return's own rules: its week starts on a Monday.
pub(crate) fn validate_capacity(capacity: &CapacityReturn) -> Result<(), Invalid> {
    let mut errors = Vec::new();
    if !homeward_domain::brokerage::starts_a_capacity_week(capacity.week_of) {
        errors.push(FieldError::new(
            "week_of",
            "A capacity return is for a week starting on a Monday",
        ));
    }
    Invalid::check(errors)
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
fn capacity_from_row(row: &AnyRow) -> Result<CapacityReturn, StoreError> {
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
fn referral_from_row(row: &AnyRow) -> Result<ReferralRecord, StoreError> {
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

/// A referral's offers, in the order sent.
pub(crate) async fn offers(
    pool: &AnyPool,
    referral_id: &ReferralId,
    text_order: &str,
) -> Result<Vec<Offer>, StoreError> {
    let sql = format!(
        "SELECT {} FROM offers WHERE referral_id = $1 ORDER BY {}",
        StoredOffer::COLUMNS.join(", "),
        StoredOffer::order_by(text_order)
    );
    let rows = sqlx::query(&sql)
        .bind(referral_id.as_str().to_owned())
        .fetch_all(pool)
        .await
        .map_err(StoreError::database)?;
    rows.iter()
        .map(|row| {
            let stored = StoredOffer::from_row(&StoredRow::new(row, RecordKind::Offer)?)?;
            Ok(stored.offer)
        })
        .collect()
}

/// A provider's offers with their referrals, newest first; unanswered ones only when
/// `open_only`.
pub(crate) async fn provider_offers(
    pool: &AnyPool,
    provider_id: &ProviderId,
    open_only: bool,
    text_order: &str,
) -> Result<Vec<(Offer, ReferralRecord)>, StoreError> {
    let open = if open_only {
        " AND o.response IS NULL"
    } else {
        ""
    };
    offers_with_referrals(
        pool,
        &format!("o.provider_id = $1{open}"),
        provider_id.as_str(),
        text_order,
    )
    .await
}

/// One offer with its referral.
pub(crate) async fn offer(
    pool: &AnyPool,
    offer_id: &OfferId,
    text_order: &str,
) -> Result<Option<(Offer, ReferralRecord)>, StoreError> {
    Ok(
        offers_with_referrals(pool, "o.id = $1", offer_id.as_str(), text_order)
            .await?
            .into_iter()
            .next(),
    )
}

/// Offers joined to their referrals, chosen by `condition` on `$1`, newest first.
async fn offers_with_referrals(
    pool: &AnyPool,
    condition: &str,
    value: &str,
    text_order: &str,
) -> Result<Vec<(Offer, ReferralRecord)>, StoreError> {
    let referral_columns = ReferralRecord::COLUMNS
        .iter()
        .map(|column| format!("r.{column}"));
    let offer_columns = StoredOffer::COLUMNS
        .iter()
        .map(|column| format!("o.{column} AS offer_{column}"));
    let columns: Vec<String> = referral_columns.chain(offer_columns).collect();
    let sql = format!(
        "SELECT {} FROM offers o JOIN referrals r ON r.id = o.referral_id \
         WHERE {condition} \
         ORDER BY o.sent_at{text_order} DESC, o.step_index DESC, o.id{text_order} DESC",
        columns.join(", ")
    );
    let rows = sqlx::query(&sql)
        .bind(value.to_owned())
        .fetch_all(pool)
        .await
        .map_err(StoreError::database)?;
    rows.iter()
        .map(|row| {
            let offer_row = StoredRow::with_id_column(row, RecordKind::Offer, "offer_id")?;
            let offer = offer_from_row(&offer_row, "offer_")?.offer;
            Ok((offer, referral_from_row(row)?))
        })
        .collect()
}

/// The reablement episode of the referral with `referral_id`.
pub(crate) async fn episode(
    pool: &AnyPool,
    referral_id: &ReferralId,
) -> Result<Option<ReablementEpisode>, StoreError> {
    let sql = format!(
        "SELECT {} FROM reablement_episodes WHERE referral_id = $1",
        ReablementEpisode::COLUMNS.join(", ")
    );
    let row = sqlx::query(&sql)
        .bind(referral_id.as_str().to_owned())
        .fetch_optional(pool)
        .await
        .map_err(StoreError::database)?;
    row.as_ref()
        .map(|row| {
            ReablementEpisode::from_row(&StoredRow::with_id_column(
                row,
                RecordKind::ReablementEpisode,
                "referral_id",
            )?)
        })
        .transpose()
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

/// Records an answer to offer `id` if it is `provider_id`'s, unanswered and open after `at`
/// (stored instants have a fixed width, so comparing the text compares the instants); returns
/// whether it was.
pub(crate) async fn answer(
    connection: &mut AnyConnection,
    id: &OfferId,
    provider_id: &ProviderId,
    response: &OfferResponse,
    at: Timestamp,
    text_order: &str,
) -> Result<bool, sqlx::Error> {
    let sql = format!(
        "UPDATE offers SET response = $3, responded_at = $4, start_on = $5, hourly_rate_pence = $6, \
         decline_reason = $7 \
         WHERE id = $1 AND provider_id = $2 AND response IS NULL AND deadline{text_order} > $4"
    );
    let mut query = sqlx::query(&sql)
        .bind(id.as_str().to_owned())
        .bind(provider_id.as_str().to_owned());
    for value in response_values(Some((at, response))) {
        query = value.bind_to(query);
    }
    Ok(query.execute(connection).await?.rows_affected() > 0)
}

/// Ends the open episode of `referral_id`; returns whether one was open.
pub(crate) async fn end_episode(
    connection: &mut AnyConnection,
    referral_id: &ReferralId,
    ended_on: Date,
    outcome: ReablementOutcome,
    onward: Option<&ReferralId>,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE reablement_episodes SET ended_on = $2, outcome = $3, onward_referral_id = $4 \
         WHERE referral_id = $1 AND ended_on IS NULL",
    )
    .bind(referral_id.as_str().to_owned())
    .bind(ended_on.to_string())
    .bind(outcome.code().to_owned())
    .bind(onward.map(|id| id.as_str().to_owned()))
    .execute(connection)
    .await?;
    Ok(result.rows_affected() > 0)
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
