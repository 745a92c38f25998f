//! A provider's branch: the office care workers are based at.

use crate::validation::required_text;
use crate::{AreaId, BranchId, Coordinates, Invalid, ProviderId};

/// A branch office of a provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Branch {
    /// Stable id.
    pub id: BranchId,
    /// The provider it belongs to.
    pub provider_id: ProviderId,
    /// Name ("Downs Home Care, Worthing").
    pub name: String,
    /// The area the office is in.
    pub area_id: AreaId,
    /// Where the office is.
    pub location: Coordinates,
}

impl Branch {
    /// The branch of `branches` nearest to `point` (the first of equals): the branch that
    /// serves a person, of those of the provider delivering their package.
    pub fn nearest<'a>(
        branches: impl IntoIterator<Item = &'a Branch>,
        point: Coordinates,
    ) -> Option<&'a Branch> {
        branches
            .into_iter()
            .fold(None, |best: Option<&Branch>, branch| match best {
                Some(best)
                    if best.location.distance_km(point) <= branch.location.distance_km(point) =>
                {
                    Some(best)
                }
                _ => Some(branch),
            })
    }

    /// Checks the rules a stored branch must meet.
    pub fn validate(&self) -> Result<(), Invalid> {
        required_text(&self.name, "name", 160)
            .map(drop)
            .map_err(Invalid::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn branch(suffix: &str, latitude: f64) -> Branch {
        Branch {
            id: BranchId::from_suffix(suffix).unwrap(),
            provider_id: ProviderId::from_suffix("test").unwrap(),
            name: format!("Branch {suffix}"),
            area_id: AreaId::from_suffix("test").unwrap(),
            location: Coordinates::from_degrees(latitude, -0.5).unwrap(),
        }
    }

    #[test]
    fn the_nearest_branch_serves_and_the_first_of_equals_wins() {
        let branches = [
            branch("north", 51.0),
            branch("south", 50.8),
            branch("also-south", 50.8),
        ];
        let person = Coordinates::from_degrees(50.82, -0.5).unwrap();
        assert_eq!(
            Branch::nearest(&branches, person).unwrap().id.as_str(),
            "br_south"
        );
        assert!(Branch::nearest(&[], person).is_none());
    }
}
