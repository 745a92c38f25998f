//! Care workers.

use crate::codes::{code_enum, impl_code_list};
use crate::validation::required_text;
use crate::{BranchId, Coordinates, FieldError, Invalid, Skill, WorkerId};

code_enum! {
    /// How a care worker gets between visits.
    pub enum TravelMode {
        /// Drives.
        Car => "car", "Car";
        /// Cycles.
        Bike => "bike", "Bicycle";
        /// Walks (and may use buses).
        Foot => "foot", "On foot";
    }
}

code_enum! {
    /// The kind of employment contract.
    pub enum EmploymentKind {
        /// No guaranteed hours.
        ZeroHours => "zero-hours", "Zero-hours";
        /// Some hours guaranteed each week, more offered.
        GuaranteedHours => "guaranteed-hours", "Guaranteed hours";
        /// Fixed weekly hours, salaried.
        FixedHours => "fixed-hours", "Fixed hours";
    }
}

impl_code_list!(TravelMode, EmploymentKind);

/// A care worker employed at a branch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CareWorker {
    /// Stable id.
    pub id: WorkerId,
    /// The branch they work from.
    pub branch_id: BranchId,
    /// Name.
    pub name: String,
    /// Home, where runs start and end.
    pub home: Coordinates,
    /// How they travel.
    pub travel_mode: TravelMode,
    /// Skills held, sorted.
    pub skills: Vec<Skill>,
    /// Kind of contract.
    pub employment: EmploymentKind,
    /// Weekly minutes guaranteed by the contract.
    pub guaranteed_weekly_minutes: u32,
    /// Weekly minutes they are contracted or willing to work.
    pub contracted_weekly_minutes: u32,
}

const MAX_WEEKLY_MINUTES: u32 = 60 * 60;

impl CareWorker {
    /// Checks the rules a stored care worker must meet.
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut errors = Vec::new();
        if let Err(error) = required_text(&self.name, "name", 120) {
            errors.push(error);
        }
        if self.contracted_weekly_minutes == 0
            || self.contracted_weekly_minutes > MAX_WEEKLY_MINUTES
        {
            errors.push(FieldError::new(
                "contracted_weekly_hours",
                "must be more than 0 and at most 60",
            ));
        }
        let guaranteed = self.guaranteed_weekly_minutes;
        let rule = match self.employment {
            EmploymentKind::ZeroHours if guaranteed != 0 => {
                Some("a zero-hours contract guarantees no hours")
            }
            EmploymentKind::GuaranteedHours if guaranteed == 0 => {
                Some("a guaranteed-hours contract guarantees some hours")
            }
            EmploymentKind::FixedHours if guaranteed != self.contracted_weekly_minutes => {
                Some("a fixed-hours contract guarantees all its contracted hours")
            }
            _ if guaranteed > self.contracted_weekly_minutes => {
                Some("cannot exceed the contracted hours")
            }
            _ => None,
        };
        if let Some(message) = rule {
            errors.push(FieldError::new("guaranteed_weekly_hours", message));
        }
        Invalid::check(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn worker(
        employment: EmploymentKind,
        guaranteed_hours: u32,
        contracted_hours: u32,
    ) -> CareWorker {
        CareWorker {
            id: WorkerId::from_suffix("test").unwrap(),
            branch_id: BranchId::from_suffix("test").unwrap(),
            name: "Sam Carer".into(),
            home: Coordinates::from_degrees(50.8, -0.4).unwrap(),
            travel_mode: TravelMode::Foot,
            skills: vec![Skill::Dementia],
            employment,
            guaranteed_weekly_minutes: guaranteed_hours * 60,
            contracted_weekly_minutes: contracted_hours * 60,
        }
    }

    #[test]
    fn contract_kinds_set_what_is_guaranteed() {
        assert!(worker(EmploymentKind::ZeroHours, 0, 30).validate().is_ok());
        assert!(
            worker(EmploymentKind::GuaranteedHours, 16, 30)
                .validate()
                .is_ok()
        );
        assert!(
            worker(EmploymentKind::FixedHours, 30, 30)
                .validate()
                .is_ok()
        );
        for bad in [
            worker(EmploymentKind::ZeroHours, 10, 30),
            worker(EmploymentKind::GuaranteedHours, 0, 30),
            worker(EmploymentKind::FixedHours, 20, 30),
            worker(EmploymentKind::GuaranteedHours, 35, 30),
        ] {
            assert_eq!(
                bad.validate().unwrap_err().0[0].field,
                "guaranteed_weekly_hours"
            );
        }
        assert_eq!(
            worker(EmploymentKind::ZeroHours, 0, 0)
                .validate()
                .unwrap_err()
                .0[0]
                .field,
            "contracted_weekly_hours"
        );
    }
}
