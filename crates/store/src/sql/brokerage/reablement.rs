//! Reablement episodes' rows, named by their referral, and the statements that read and end
//! one.

use crate::sql::row::StoredRow;
use crate::sql::values::SqlValue;
use crate::sql::{Reference, TableRecord};
use crate::{RecordKind, StoreError};
use homeward_domain::brokerage::ReablementOutcome;
use homeward_domain::brokerage::{ReablementEpisode, ReferralRecord};
use homeward_domain::{FieldError, Invalid, ReferralId};
use jiff::civil::Date;
use sqlx::{AnyConnection, AnyPool};

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
