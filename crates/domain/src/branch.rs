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
    /// Checks the rules a stored branch must meet.
    pub fn validate(&self) -> Result<(), Invalid> {
        required_text(&self.name, "name", 160)
            .map(drop)
            .map_err(Invalid::from)
    }
}
