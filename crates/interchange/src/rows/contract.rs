//! Contracts.

use super::{Problems, Record};
use crate::Kind;
use crate::values::{Hours, optional};
use homeward_domain::{
    AreaId, ChargeBasis, ChargeTerms, Contract, ContractId, ContractKind, Enhancements, Invalid,
    Pence, ProviderId, parse_date,
};
use serde::{Deserialize, Serialize};

/// A contract's row; money in pence, enhancements in basis points (1000 = 10%), and the terms
/// visits are charged under: `planned` or `actual` time, the rounding increment and the minimum
/// charge in minutes a carer.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContractRow {
    id: String,
    provider_id: String,
    #[serde(default)]
    area_id: String,
    kind: String,
    hourly_rate_pence: i64,
    unsocial_hours_enhancement_bp: u32,
    rural_enhancement_bp: u32,
    complexity_enhancement_bp: u32,
    guaranteed_weekly_hours: Hours,
    starts_on: String,
    #[serde(default)]
    ends_on: String,
    charge_basis: String,
    charge_increment_minutes: u16,
    minimum_charge_minutes: u16,
}

impl Record for Contract {
    type Row = ContractRow;
    const KIND: Kind = Kind::Contracts;

    fn to_row(&self) -> ContractRow {
        ContractRow {
            id: self.id.to_string(),
            provider_id: self.provider_id.to_string(),
            area_id: self
                .area_id
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            kind: self.kind.code().into(),
            hourly_rate_pence: self.hourly_rate.0,
            unsocial_hours_enhancement_bp: self.enhancements.unsocial_hours_bp,
            rural_enhancement_bp: self.enhancements.rural_bp,
            complexity_enhancement_bp: self.enhancements.complexity_bp,
            guaranteed_weekly_hours: Hours(self.guaranteed_weekly_minutes),
            starts_on: self.starts_on.to_string(),
            ends_on: self
                .ends_on
                .map(|date| date.to_string())
                .unwrap_or_default(),
            charge_basis: self.charge_terms.basis.code().into(),
            charge_increment_minutes: self.charge_terms.increment_minutes,
            minimum_charge_minutes: self.charge_terms.minimum_minutes,
        }
    }

    fn from_row(row: ContractRow) -> Result<Self, Invalid> {
        let mut problems = Problems::default();
        let id = problems.take(ContractId::parse(&row.id, "id"));
        let provider_id = problems.take(ProviderId::parse(&row.provider_id, "provider_id"));
        let area_id = problems.take(
            optional(&row.area_id)
                .map(|text| AreaId::parse(text, "area_id"))
                .transpose(),
        );
        let kind = problems.take(ContractKind::parse(&row.kind, "kind"));
        let hourly_rate = problems.take(Pence::parse_positive(
            &row.hourly_rate_pence.to_string(),
            "hourly_rate_pence",
        ));
        let starts_on = problems.take(parse_date(&row.starts_on, "starts_on"));
        let ends_on = problems.take(
            optional(&row.ends_on)
                .map(|text| parse_date(text, "ends_on"))
                .transpose(),
        );
        let basis = problems.take(ChargeBasis::parse(&row.charge_basis, "charge_basis"));
        let record = (|| {
            Some(Contract {
                id: id?,
                provider_id: provider_id?,
                area_id: area_id?,
                kind: kind?,
                hourly_rate: hourly_rate?,
                enhancements: Enhancements {
                    unsocial_hours_bp: row.unsocial_hours_enhancement_bp,
                    rural_bp: row.rural_enhancement_bp,
                    complexity_bp: row.complexity_enhancement_bp,
                },
                guaranteed_weekly_minutes: row.guaranteed_weekly_hours.0,
                charge_terms: ChargeTerms {
                    basis: basis?,
                    increment_minutes: row.charge_increment_minutes,
                    minimum_minutes: row.minimum_charge_minutes,
                },
                starts_on: starts_on?,
                ends_on: ends_on?,
            })
        })();
        if let Some(record) = &record {
            problems.check(record.validate());
        }
        problems.finish(record)
    }
}
