//! The council and its market rules, as a single row.

use super::{Problems, Record};
use crate::Kind;
use homeward_domain::{
    Council, Invalid, Tier, TierRules, format_code_list, parse_code_list, parse_date,
};
use serde::{Deserialize, Serialize};

/// The council's row.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CouncilRow {
    name: String,
    preset: String,
    reference_date: String,
    lot_cap_per_provider: u32,
    lead_tiers: String,
    secondary_tiers: String,
    level1_min_weekly_hours: u32,
    rural_level1_min_weekly_hours: u32,
    level2_min_weekly_hours: u32,
    level2_min_customers: u32,
}

impl Record for Council {
    type Row = CouncilRow;
    const KIND: Kind = Kind::Council;

    fn to_row(&self) -> CouncilRow {
        CouncilRow {
            name: self.name.clone(),
            preset: self.preset.clone(),
            reference_date: self.reference_date.to_string(),
            lot_cap_per_provider: self.lot_cap_per_provider,
            lead_tiers: format_code_list(&self.lead_tiers),
            secondary_tiers: format_code_list(&self.secondary_tiers),
            level1_min_weekly_hours: self.tier_rules.level1_min_weekly_hours,
            rural_level1_min_weekly_hours: self.tier_rules.rural_level1_min_weekly_hours,
            level2_min_weekly_hours: self.tier_rules.level2_min_weekly_hours,
            level2_min_customers: self.tier_rules.level2_min_customers,
        }
    }

    fn from_row(row: CouncilRow) -> Result<Self, Invalid> {
        let mut problems = Problems::default();
        let reference_date = problems.take(parse_date(&row.reference_date, "reference_date"));
        let lead_tiers = problems.take(parse_code_list::<Tier>(&row.lead_tiers, "lead_tiers"));
        let secondary_tiers = problems.take(parse_code_list::<Tier>(
            &row.secondary_tiers,
            "secondary_tiers",
        ));
        let record = (|| {
            Some(Council {
                name: row.name.trim().to_owned(),
                preset: row.preset.trim().to_owned(),
                reference_date: reference_date?,
                tier_rules: TierRules {
                    level1_min_weekly_hours: row.level1_min_weekly_hours,
                    rural_level1_min_weekly_hours: row.rural_level1_min_weekly_hours,
                    level2_min_weekly_hours: row.level2_min_weekly_hours,
                    level2_min_customers: row.level2_min_customers,
                },
                lead_tiers: lead_tiers?,
                secondary_tiers: secondary_tiers?,
                lot_cap_per_provider: row.lot_cap_per_provider,
            })
        })();
        if let Some(record) = &record {
            problems.check(record.validate());
        }
        problems.finish(record)
    }
}
