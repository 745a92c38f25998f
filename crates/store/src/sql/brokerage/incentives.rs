//! Early-start incentives' rows, one per placed referral that earned one.

use crate::sql::row::StoredRow;
use crate::sql::values::SqlValue;
use crate::sql::{Reference, TableRecord};
use crate::{RecordKind, StoreError};
use homeward_domain::brokerage::{Incentive, ReferralRecord};
use homeward_domain::{FieldError, Invalid, Pence, Provider, ProviderId, ReferralId};

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
