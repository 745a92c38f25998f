//! Offers' rows: an offer with the referral it belongs to and its answer, and the statements that
//! read offers (with their referrals) and record an answer.

use super::referrals::referral_from_row;
use crate::sql::row::StoredRow;
use crate::sql::values::SqlValue;
use crate::sql::{Reference, TableRecord};
use crate::{RecordKind, StoreError};
use homeward_domain::brokerage::ReferralRecord;
use homeward_domain::brokerage::{DeclineReason, Offer, OfferResponse, StepKind};
use homeward_domain::{FieldError, Invalid, OfferId, Pence, Provider, ProviderId, ReferralId};
use jiff::Timestamp;
use sqlx::{AnyConnection, AnyPool};

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
pub(super) fn offer_from_row(row: &StoredRow<'_>, prefix: &str) -> Result<StoredOffer, StoreError> {
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
pub(super) async fn offers_with_referrals(
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
