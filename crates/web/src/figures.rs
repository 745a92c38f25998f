//! Figures the pages and the API share — the council and each area's customers, weekly hours
//! and providers — kept in a snapshot that is rebuilt only when the register changes.

use crate::AppState;
use homeward_domain::{Area, AreaDemand, AreaId, Council};
use homeward_store::{Store, StoreError};
use jiff::civil::Date;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

/// An area with its current figures.
pub struct AreaFigures {
    /// The area.
    pub area: Area,
    /// Customers, weekly minutes and providers on the council's reference date.
    pub demand: AreaDemand,
}

impl AreaFigures {
    /// Weekly hours, rounded down.
    pub fn weekly_hours(&self) -> u32 {
        self.demand.weekly_minutes / 60
    }
}

/// The register's council and area figures as of one register version.
pub struct Snapshot {
    /// The register version it was built from, or a later one.
    version: i64,
    /// The council, if one is stored.
    pub council: Option<Council>,
    /// The date figures are counted on: the council's reference date, or today without one.
    pub date: jiff::civil::Date,
    /// Every area with its figures, by tier then name.
    pub areas: Vec<AreaFigures>,
}

impl Snapshot {
    /// The council's name, or Homeward's when there is no council yet.
    pub fn council_name(&self) -> &str {
        self.council
            .as_ref()
            .map_or("Homeward", |council| council.name.as_str())
    }
}

/// The latest snapshot, shared by all requests.
#[derive(Default)]
pub struct SnapshotCache(RwLock<Option<Arc<Snapshot>>>);

/// The current snapshot: the cached one while the register version is unchanged, else a new one.
///
/// The version is read before the data, so a snapshot may hold data newer than its version but
/// never older: a write in between only makes the next request rebuild it.
pub async fn snapshot(state: &AppState) -> Result<Arc<Snapshot>, StoreError> {
    let version = state.store.register_version().await?;
    let cached = state
        .snapshots
        .0
        .read()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .clone();
    if let Some(snapshot) = cached.filter(|snapshot| snapshot.version == version) {
        return Ok(snapshot);
    }
    let snapshot = Arc::new(build(state.store.as_ref(), version, state.clock.today()).await?);
    *state
        .snapshots
        .0
        .write()
        .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(snapshot.clone());
    Ok(snapshot)
}

async fn build(store: &dyn Store, version: i64, today: Date) -> Result<Snapshot, StoreError> {
    let council = store.council().await?;
    let date = council
        .as_ref()
        .map_or_else(|| today, |council| council.reference_date);
    let demand: HashMap<AreaId, AreaDemand> = store.area_demand(date).await?.into_iter().collect();
    let areas = store
        .areas()
        .await?
        .into_iter()
        .map(|area| {
            let demand = demand.get(&area.id).copied().unwrap_or_default();
            AreaFigures { area, demand }
        })
        .collect();
    Ok(Snapshot {
        version,
        council,
        date,
        areas,
    })
}
