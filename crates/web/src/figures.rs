//! Figures the pages and the API share: each area's customers, weekly hours and providers.

use homeward_domain::{Area, AreaDemand, AreaId, ProviderId};
use homeward_store::{Store, StoreError};
use std::collections::{HashMap, HashSet};

/// An area with its current figures.
pub struct AreaFigures {
    /// The area.
    pub area: Area,
    /// Customers and weekly minutes on the council's reference date.
    pub demand: AreaDemand,
    /// Providers delivering packages there.
    pub providers: usize,
}

impl AreaFigures {
    /// Weekly hours, rounded down.
    pub fn weekly_hours(&self) -> u32 {
        self.demand.weekly_minutes / 60
    }
}

/// The date figures are counted on: the council's reference date, or today without a council.
pub async fn reference_date(store: &dyn Store) -> Result<jiff::civil::Date, StoreError> {
    Ok(match store.council().await? {
        Some(council) => council.reference_date,
        None => jiff::Zoned::now().date(),
    })
}

/// Every area with its figures, in the store's order (tier, then name).
pub async fn areas(store: &dyn Store) -> Result<Vec<AreaFigures>, StoreError> {
    let date = reference_date(store).await?;
    let demand: HashMap<AreaId, AreaDemand> = store.area_demand(date).await?.into_iter().collect();
    let people = store.people().await?;
    let area_of: HashMap<_, _> = people
        .iter()
        .map(|person| (&person.id, &person.area_id))
        .collect();
    let mut providers: HashMap<&AreaId, HashSet<ProviderId>> = HashMap::new();
    let packages = store.packages().await?;
    for package in packages.iter().filter(|package| package.is_active_on(date)) {
        if let (Some(area), Some(provider)) =
            (area_of.get(&package.person_id), &package.provider_id)
        {
            providers.entry(*area).or_default().insert(provider.clone());
        }
    }
    Ok(store
        .areas()
        .await?
        .into_iter()
        .map(|area| {
            let demand = demand.get(&area.id).copied().unwrap_or_default();
            let providers = providers.get(&area.id).map_or(0, HashSet::len);
            AreaFigures {
                area,
                demand,
                providers,
            }
        })
        .collect())
}
