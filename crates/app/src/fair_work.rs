//! Fair work figures per provider for a calendar month, gathered from the store and worked
//! out by `domain::fair_work`: the month's planned visits with their check-in and check-out
//! as call monitoring sees them (`monitor`, so that corrections made there count here too)
//! and who checked in or out of each, and the stops of the month's published rosters.

use std::collections::HashMap;

use homeward_domain::fair_work::{self, CalendarMonth, FairWorkFigures, VisitRecord};
use homeward_domain::invoice::draft::call_minutes;
use homeward_domain::{MonitoringRules, Provider, ProviderId, VisitId, WorkerId};
use homeward_store::{Store, StoreError, VisitFilter};
use jiff::Timestamp;

use crate::monitor;

/// One provider's figures for the month.
#[derive(Debug, Clone, PartialEq)]
pub struct ProviderFairWork {
    /// The provider.
    pub provider: Provider,
    /// Its figures.
    pub figures: FairWorkFigures,
}

/// The month the figures are of when none is asked for: the last full calendar month before
/// `today` (London's date).
pub fn default_month(today: jiff::civil::Date) -> CalendarMonth {
    CalendarMonth::last_full_before(today)
}

/// The figures of every provider, or of `only` that one, for `month`, by provider name (then
/// id). `now` is when monitoring judges the visits (their check-ins and check-outs as known
/// then); a provider with no visits that month has a row of empty figures.
pub async fn fair_work(
    store: &dyn Store,
    month: CalendarMonth,
    only: Option<&ProviderId>,
    now: Timestamp,
) -> Result<Vec<ProviderFairWork>, StoreError> {
    let filter = VisitFilter {
        provider_id: only.cloned(),
        planned_only: true,
        ..VisitFilter::between(month.first_day(), month.last_day())
    };
    // Only who came and when are read from monitoring; its rules do not matter here.
    let visits = monitor(store, &filter, &MonitoringRules::default(), now).await?;
    let provider_of: HashMap<&VisitId, &ProviderId> = visits
        .iter()
        .map(|monitored| (&monitored.visit.id, &monitored.visit.provider_id))
        .collect();
    let mut rostered: HashMap<VisitId, Vec<WorkerId>> = HashMap::new();
    let mut travel: HashMap<&ProviderId, Vec<u16>> = HashMap::new();
    for stop in store.roster_stops_of(&filter, true).await? {
        let Some(provider) = provider_of.get(&stop.visit_id) else {
            continue;
        };
        travel
            .entry(*provider)
            .or_default()
            .push(stop.travel_minutes);
        rostered
            .entry(stop.visit_id)
            .or_default()
            .push(stop.worker_id);
    }
    let mut records: HashMap<&ProviderId, Vec<VisitRecord>> = HashMap::new();
    for monitored in &visits {
        let visit = &monitored.visit;
        records
            .entry(&visit.provider_id)
            .or_default()
            .push(VisitRecord {
                person_id: visit.dated.person_id.clone(),
                planned_minutes: visit.dated.duration_minutes,
                actual_minutes: call_minutes(monitored.arrived, monitored.left),
                came: monitored.came.clone(),
                rostered: rostered.remove(&visit.id).unwrap_or_default(),
            });
    }
    let mut providers: Vec<Provider> = store
        .providers()
        .await?
        .into_iter()
        .filter(|provider| only.is_none_or(|only| &provider.id == only))
        .collect();
    providers.sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
    Ok(providers
        .into_iter()
        .map(|provider| {
            let figures = fair_work::fair_work(
                provider.charter_stage,
                records.get(&provider.id).map_or(&[][..], Vec::as_slice),
                travel.get(&provider.id).map_or(&[][..], Vec::as_slice),
            );
            ProviderFairWork { provider, figures }
        })
        .collect())
}
