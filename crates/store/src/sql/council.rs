//! The council: a single row, key 1, with its tier rules spread over columns.

use super::TableRecord;
use super::lists::parse_in_order;
use super::row::StoredRow;
use super::values::SqlValue;
use crate::{RecordKind, StoreError};
use homeward_domain::{Council, FieldError, Invalid, Tier, TierRules};

/// The council's fixed key: the table holds one row.
const COUNCIL_KEY: i64 = 1;

impl TableRecord for Council {
    const KIND: RecordKind = RecordKind::Council;
    const TABLE: &'static str = "council";
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "name",
        "preset",
        "reference_date",
        "level1_min_weekly_hours",
        "rural_level1_min_weekly_hours",
        "level2_min_weekly_hours",
        "level2_min_customers",
        "lead_tiers",
        "secondary_tiers",
        "lot_cap_per_provider",
    ];
    const SINGLE_ROW: bool = true;

    fn order_by(_text_order: &str) -> String {
        "id".to_owned()
    }

    fn id(&self) -> &str {
        "council"
    }

    fn validate(&self) -> Result<(), Invalid> {
        Council::validate(self)
    }

    fn values(&self) -> Vec<SqlValue> {
        let rules = &self.tier_rules;
        vec![
            SqlValue::Integer(COUNCIL_KEY),
            SqlValue::text(&self.name),
            SqlValue::text(&self.preset),
            SqlValue::date(self.reference_date),
            SqlValue::count(rules.level1_min_weekly_hours),
            SqlValue::count(rules.rural_level1_min_weekly_hours),
            SqlValue::count(rules.level2_min_weekly_hours),
            SqlValue::count(rules.level2_min_customers),
            SqlValue::Text(format_tiers(&self.lead_tiers)),
            SqlValue::Text(format_tiers(&self.secondary_tiers)),
            SqlValue::count(self.lot_cap_per_provider),
        ]
    }

    fn from_row(row: &StoredRow<'_>) -> Result<Self, StoreError> {
        Ok(Council {
            name: row.text("name")?,
            preset: row.text("preset")?,
            reference_date: row.date("reference_date")?,
            tier_rules: TierRules {
                level1_min_weekly_hours: row.count("level1_min_weekly_hours")?,
                rural_level1_min_weekly_hours: row.count("rural_level1_min_weekly_hours")?,
                level2_min_weekly_hours: row.count("level2_min_weekly_hours")?,
                level2_min_customers: row.count("level2_min_customers")?,
            },
            lead_tiers: row.parse("lead_tiers", parse_tiers)?,
            secondary_tiers: row.parse("secondary_tiers", parse_tiers)?,
            lot_cap_per_provider: row.count("lot_cap_per_provider")?,
        })
    }
}

/// Tiers as `;`-separated codes ("1;2"), in the order given.
fn format_tiers(tiers: &[Tier]) -> String {
    tiers
        .iter()
        .map(|tier| tier.code())
        .collect::<Vec<_>>()
        .join(";")
}

/// Reads [`format_tiers`] text back.
fn parse_tiers(text: &str, field: &str) -> Result<Vec<Tier>, FieldError> {
    parse_in_order(text, field, |code, field| {
        Tier::parse(code, field).map(|tier| vec![tier])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tier_lists_round_trip_in_order() {
        let tiers = vec![Tier::Level2, Tier::Level1];
        assert_eq!(format_tiers(&tiers), "2;1");
        assert_eq!(parse_tiers("2;1", "lead_tiers").unwrap(), tiers);
        assert!(parse_tiers("", "lead_tiers").unwrap().is_empty());
        assert_eq!(
            parse_tiers("1;5", "lead_tiers").unwrap_err().field,
            "lead_tiers"
        );
    }
}
