//! Care workers, each at a branch.

use super::lists::parse_in_order;
use super::row::StoredRow;
use super::values::SqlValue;
use super::{Reference, TableRecord};
use crate::{RecordKind, StoreError};
use homeward_domain::{
    Branch, BranchId, CareWorker, EmploymentKind, Invalid, Skill, TravelMode, WorkerId,
    format_code_list, parse_code_list,
};

impl TableRecord for CareWorker {
    const KIND: RecordKind = RecordKind::Worker;
    const TABLE: &'static str = "workers";
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "branch_id",
        "name",
        "home_latitude_e6",
        "home_longitude_e6",
        "travel_mode",
        "skills",
        "employment",
        "guaranteed_weekly_minutes",
        "contracted_weekly_minutes",
    ];

    fn id(&self) -> &str {
        self.id.as_str()
    }

    fn validate(&self) -> Result<(), Invalid> {
        CareWorker::validate(self)
    }

    fn values(&self) -> Vec<SqlValue> {
        let [latitude, longitude] = SqlValue::coordinates(self.home);
        vec![
            SqlValue::text(self.id.as_str()),
            SqlValue::text(self.branch_id.as_str()),
            SqlValue::text(&self.name),
            latitude,
            longitude,
            SqlValue::text(self.travel_mode.code()),
            SqlValue::Text(format_code_list(&self.skills)),
            SqlValue::text(self.employment.code()),
            SqlValue::count(self.guaranteed_weekly_minutes),
            SqlValue::count(self.contracted_weekly_minutes),
        ]
    }

    fn references(&self) -> Vec<Reference> {
        vec![Reference::to::<Branch>(
            "branch_id",
            self.branch_id.as_str(),
        )]
    }

    fn from_row(row: &StoredRow<'_>) -> Result<Self, StoreError> {
        Ok(CareWorker {
            id: row.parse("id", WorkerId::parse)?,
            branch_id: row.parse("branch_id", BranchId::parse)?,
            name: row.text("name")?,
            home: row.coordinates("home_latitude_e6", "home_longitude_e6")?,
            travel_mode: row.parse("travel_mode", TravelMode::parse)?,
            skills: row.parse("skills", |text, field| {
                parse_in_order(text, field, parse_code_list::<Skill>)
            })?,
            employment: row.parse("employment", EmploymentKind::parse)?,
            guaranteed_weekly_minutes: row.count("guaranteed_weekly_minutes")?,
            contracted_weekly_minutes: row.count("contracted_weekly_minutes")?,
        })
    }
}
