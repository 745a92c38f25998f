//! Who may be offered a referral: the area's lot holders, the providers covering it on the
//! dynamic market and the framework, the council's own provider, less those whose capacity
//! return says they cannot take the package on.

use homeward_domain::brokerage::CapacityReturn;
use homeward_domain::brokerage::CascadeContext;
use homeward_domain::{
    AdmissionRoute, Area, AreaId, Award, Branch, CqcRating, LotPosition, Provider, ProviderId,
};
use std::collections::{BTreeMap, BTreeSet};

/// How far from one of its branches a provider takes packages.
const COVERAGE_KM: f64 = 15.0;

/// The parts of the register the cascade needs, loaded once.
pub(crate) struct MarketView {
    pub areas: Vec<Area>,
    pub providers: Vec<Provider>,
    pub branches: Vec<Branch>,
    pub awards: Vec<Award>,
}

impl MarketView {
    pub fn area(&self, id: &AreaId) -> Option<&Area> {
        self.areas.iter().find(|area| &area.id == id)
    }

    fn covers(&self, provider: &ProviderId, area: &Area) -> bool {
        self.branches
            .iter()
            .filter(|branch| &branch.provider_id == provider)
            .any(|branch| {
                branch.area_id == area.id
                    || branch.location.distance_km(area.centroid) <= COVERAGE_KM
            })
    }

    fn nearest_framework_provider(&self, area: &Area) -> Option<ProviderId> {
        self.branches
            .iter()
            .filter(|branch| {
                self.providers.iter().any(|provider| {
                    provider.id == branch.provider_id
                        && !provider.in_house
                        && provider.is_admitted_to(AdmissionRoute::Framework)
                })
            })
            .min_by(|a, b| {
                a.location
                    .distance_km(area.centroid)
                    .total_cmp(&b.location.distance_km(area.centroid))
            })
            .map(|branch| branch.provider_id.clone())
    }

    /// The cascade's choices for a package of `weekly_minutes` in `area`.
    pub fn context(
        &self,
        area: &Area,
        weekly_minutes: u32,
        capacity: &[CapacityReturn],
    ) -> CascadeContext {
        // A provider whose latest return for this area offers less than the package is not asked;
        // one that has made no return is.
        let mut returned: BTreeMap<&ProviderId, u32> = BTreeMap::new();
        for capacity in capacity
            .iter()
            .filter(|capacity| capacity.area_id == area.id)
        {
            *returned.entry(&capacity.provider_id).or_default() += capacity.hours * 60;
        }
        let has_room = |provider: &ProviderId| {
            returned
                .get(provider)
                .is_none_or(|minutes| *minutes >= weekly_minutes)
        };
        let holder = |position: LotPosition| {
            self.awards
                .iter()
                .find(|award| award.area_id == area.id && award.position == position)
                .map(|award| award.provider_id.clone())
                .filter(|provider| has_room(provider))
        };
        let eligible = |route: AdmissionRoute| -> Vec<ProviderId> {
            self.providers
                .iter()
                .filter(|provider| {
                    !provider.in_house && provider.cqc_rating != CqcRating::Inadequate
                })
                .filter(|provider| provider.is_admitted_to(route))
                .filter(|provider| self.covers(&provider.id, area) && has_room(&provider.id))
                .map(|provider| provider.id.clone())
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect()
        };
        let mut spot = eligible(AdmissionRoute::Framework);
        if spot.is_empty() {
            // A remote area no branch is near: the broker rings the framework provider whose
            // branch is nearest, as brokers do.
            spot.extend(self.nearest_framework_provider(area));
        }
        CascadeContext {
            lead: holder(LotPosition::Lead),
            secondary: holder(LotPosition::Secondary),
            dynamic_market: eligible(AdmissionRoute::DynamicMarket),
            community: Vec::new(),
            spot,
            last_resort: self
                .providers
                .iter()
                .find(|provider| provider.in_house)
                .map(|provider| provider.id.clone()),
            ratings: self
                .providers
                .iter()
                .map(|provider| (provider.id.clone(), provider.cqc_rating))
                .collect(),
        }
    }
}
