//! Changing an area's own description — its name, district, tier, rurality and whether it is
//! hard to serve — as the commissioner's page and the API both do: read, changed, checked by
//! the register's rules and stored, audited, or nothing changed.

use homeward_domain::{Area, Invalid, Tier};
use homeward_store::{Store, StoreError};

/// A change to an area; what is `None` stays as stored. Names are trimmed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AreaChange {
    /// Its name.
    pub name: Option<String>,
    /// The district, borough or GP cluster it belongs to.
    pub district: Option<String>,
    /// Its tier.
    pub tier: Option<Tier>,
    /// Whether it is rural.
    pub rural: Option<bool>,
    /// Whether it is hard to serve.
    pub hard_to_serve: Option<bool>,
}

impl AreaChange {
    /// `area` as this change leaves it, not yet checked.
    pub fn apply(&self, area: &Area) -> Area {
        Area {
            name: self
                .name
                .as_deref()
                .map_or_else(|| area.name.clone(), |name| name.trim().to_owned()),
            district: self.district.as_deref().map_or_else(
                || area.district.clone(),
                |district| district.trim().to_owned(),
            ),
            tier: self.tier.unwrap_or(area.tier),
            rural: self.rural.unwrap_or(area.rural),
            hard_to_serve: self.hard_to_serve.unwrap_or(area.hard_to_serve),
            ..area.clone()
        }
    }
}

/// Why an area was not changed.
#[derive(Debug, thiserror::Error)]
pub enum AreaChangeError {
    /// The changed area breaks the register's rules; every problem by its field.
    #[error("{0}")]
    Invalid(#[from] Invalid),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The stored area whose id is `id`, if any.
pub async fn area(store: &dyn Store, id: &str) -> Result<Option<Area>, StoreError> {
    Ok(store
        .areas()
        .await?
        .into_iter()
        .find(|area| area.id.as_str() == id))
}

/// Changes `stored` (the area as the caller read it with [`area`]) as `change` says, audited as
/// `actor`; the area as stored after. A change that breaks the register's rules stores nothing.
pub async fn change_area(
    store: &dyn Store,
    stored: &Area,
    change: &AreaChange,
    actor: &str,
) -> Result<Area, AreaChangeError> {
    let changed = change.apply(stored);
    changed.validate()?;
    store.update_area(&changed, actor).await?;
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use homeward_domain::{AreaId, Coordinates};

    fn bognor_east() -> Area {
        Area {
            id: AreaId::parse("area_test", "id").unwrap(),
            name: "Bognor East".into(),
            centroid: Coordinates::from_degrees(50.79, -0.66).unwrap(),
            boundary: None,
            tier: Tier::Level1,
            rural: false,
            district: "Arun".into(),
            hard_to_serve: false,
        }
    }

    #[test]
    fn a_change_keeps_what_it_does_not_name_and_trims_names() {
        let change = AreaChange {
            name: Some("  Bognor Regis East ".into()),
            tier: Some(Tier::Level2),
            ..AreaChange::default()
        };
        let changed = change.apply(&bognor_east());
        assert_eq!(changed.name, "Bognor Regis East");
        assert_eq!(changed.tier, Tier::Level2);
        assert_eq!(changed.district, "Arun");
        assert!(!changed.rural && !changed.hard_to_serve);
        assert_eq!(AreaChange::default().apply(&bognor_east()), bognor_east());
    }
}
