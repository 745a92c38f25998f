//! Care workers.

use super::{Problems, Record};
use crate::Kind;
use crate::values::{Degrees, Hours};
use homeward_domain::{
    BranchId, CareWorker, Coordinates, EmploymentKind, Invalid, Skill, TravelMode, WorkerId,
    format_code_list, parse_code_list,
};
use serde::{Deserialize, Serialize};

/// A care worker's row.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkerRow {
    id: String,
    branch_id: String,
    name: String,
    latitude: Degrees,
    longitude: Degrees,
    travel_mode: String,
    #[serde(default)]
    skills: String,
    employment: String,
    guaranteed_weekly_hours: Hours,
    contracted_weekly_hours: Hours,
}

impl Record for CareWorker {
    type Row = WorkerRow;
    const KIND: Kind = Kind::Workers;

    fn to_row(&self) -> WorkerRow {
        WorkerRow {
            id: self.id.to_string(),
            branch_id: self.branch_id.to_string(),
            name: self.name.clone(),
            latitude: Degrees::from_micro(self.home.latitude_e6()),
            longitude: Degrees::from_micro(self.home.longitude_e6()),
            travel_mode: self.travel_mode.code().into(),
            skills: format_code_list(&self.skills),
            employment: self.employment.code().into(),
            guaranteed_weekly_hours: Hours(self.guaranteed_weekly_minutes),
            contracted_weekly_hours: Hours(self.contracted_weekly_minutes),
        }
    }

    fn from_row(row: WorkerRow) -> Result<Self, Invalid> {
        let mut problems = Problems::default();
        let id = problems.take(WorkerId::parse(&row.id, "id"));
        let branch_id = problems.take(BranchId::parse(&row.branch_id, "branch_id"));
        let home = problems.take(Coordinates::parse(
            &row.latitude.0,
            &row.longitude.0,
            "latitude",
            "longitude",
        ));
        let travel_mode = problems.take(TravelMode::parse(&row.travel_mode, "travel_mode"));
        let skills = problems.take(parse_code_list::<Skill>(&row.skills, "skills"));
        let employment = problems.take(EmploymentKind::parse(&row.employment, "employment"));
        let record = (|| {
            Some(CareWorker {
                id: id?,
                branch_id: branch_id?,
                name: row.name.trim().to_owned(),
                home: home?,
                travel_mode: travel_mode?,
                skills: skills?,
                employment: employment?,
                guaranteed_weekly_minutes: row.guaranteed_weekly_hours.0,
                contracted_weekly_minutes: row.contracted_weekly_hours.0,
            })
        })();
        if let Some(record) = &record {
            problems.check(record.validate());
        }
        problems.finish(record)
    }
}
