//! Contracts: money in pence, enhancements in basis points, the area optional, and the terms
//! visits are charged under.

use super::row::StoredRow;
use super::values::SqlValue;
use super::{Reference, TableRecord};
use crate::{RecordKind, StoreError};
use homeward_domain::{
    Area, AreaId, ChargeBasis, ChargeTerms, Contract, ContractId, ContractKind, Enhancements,
    Invalid, Pence, Provider, ProviderId,
};

impl TableRecord for Contract {
    const KIND: RecordKind = RecordKind::Contract;
    const TABLE: &'static str = "contracts";
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "provider_id",
        "area_id",
        "kind",
        "hourly_rate_pence",
        "unsocial_hours_enhancement_bp",
        "rural_enhancement_bp",
        "complexity_enhancement_bp",
        "guaranteed_weekly_minutes",
        "starts_on",
        "ends_on",
        "charge_basis",
        "charge_increment_minutes",
        "minimum_charge_minutes",
    ];

    fn id(&self) -> &str {
        self.id.as_str()
    }

    fn validate(&self) -> Result<(), Invalid> {
        Contract::validate(self)
    }

    fn values(&self) -> Vec<SqlValue> {
        vec![
            SqlValue::text(self.id.as_str()),
            SqlValue::text(self.provider_id.as_str()),
            SqlValue::optional_text(self.area_id.as_ref().map(AreaId::as_str)),
            SqlValue::text(self.kind.code()),
            SqlValue::Integer(self.hourly_rate.0),
            SqlValue::count(self.enhancements.unsocial_hours_bp),
            SqlValue::count(self.enhancements.rural_bp),
            SqlValue::count(self.enhancements.complexity_bp),
            SqlValue::count(self.guaranteed_weekly_minutes),
            SqlValue::date(self.starts_on),
            SqlValue::optional_date(self.ends_on),
            SqlValue::text(self.charge_terms.basis.code()),
            SqlValue::count(u32::from(self.charge_terms.increment_minutes)),
            SqlValue::count(u32::from(self.charge_terms.minimum_minutes)),
        ]
    }

    fn references(&self) -> Vec<Reference> {
        let mut references = vec![Reference::to::<Provider>(
            "provider_id",
            self.provider_id.as_str(),
        )];
        if let Some(area_id) = &self.area_id {
            references.push(Reference::to::<Area>("area_id", area_id.as_str()));
        }
        references
    }

    fn from_row(row: &StoredRow<'_>) -> Result<Self, StoreError> {
        let minutes = |column: &str| -> Result<u16, StoreError> {
            let value = row.count(column)?;
            u16::try_from(value).map_err(|_| row.corrupt(column, format!("{value} is too large")))
        };
        Ok(Contract {
            id: row.parse("id", ContractId::parse)?,
            provider_id: row.parse("provider_id", ProviderId::parse)?,
            area_id: row.parse_optional("area_id", AreaId::parse)?,
            kind: row.parse("kind", ContractKind::parse)?,
            hourly_rate: Pence(row.integer("hourly_rate_pence")?),
            enhancements: Enhancements {
                unsocial_hours_bp: row.count("unsocial_hours_enhancement_bp")?,
                rural_bp: row.count("rural_enhancement_bp")?,
                complexity_bp: row.count("complexity_enhancement_bp")?,
            },
            guaranteed_weekly_minutes: row.count("guaranteed_weekly_minutes")?,
            charge_terms: ChargeTerms {
                basis: row.parse("charge_basis", ChargeBasis::parse)?,
                increment_minutes: minutes("charge_increment_minutes")?,
                minimum_minutes: minutes("minimum_charge_minutes")?,
            },
            starts_on: row.date("starts_on")?,
            ends_on: row.optional_date("ends_on")?,
        })
    }
}
