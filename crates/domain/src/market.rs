//! The whole market register of one council, and the demand figures derived from it.

use crate::{
    Area, AreaId, Award, Branch, CarePackage, CareWorker, Contract, Council, Person, PersonId,
    Provider, ProviderId,
};
use jiff::civil::Date;
use std::collections::{HashMap, HashSet};

/// Everything in one council's market register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Market {
    /// The council and its rules.
    pub council: Council,
    /// Areas, by id.
    pub areas: Vec<Area>,
    /// Providers, by id.
    pub providers: Vec<Provider>,
    /// Branches, by id.
    pub branches: Vec<Branch>,
    /// Lot awards, by id.
    pub awards: Vec<Award>,
    /// Contracts, by id.
    pub contracts: Vec<Contract>,
    /// People receiving care, by id.
    pub people: Vec<Person>,
    /// Care packages, by id.
    pub packages: Vec<CarePackage>,
    /// Care workers, by id.
    pub workers: Vec<CareWorker>,
}

impl Market {
    /// Puts every list in the order the store lists it: areas by tier then name, the rest by id.
    pub fn sort_as_listed(&mut self) {
        self.areas
            .sort_by(|a, b| (a.tier, &a.name, &a.id).cmp(&(b.tier, &b.name, &b.id)));
        self.providers.sort_by(|a, b| a.id.cmp(&b.id));
        self.branches.sort_by(|a, b| a.id.cmp(&b.id));
        self.awards.sort_by(|a, b| a.id.cmp(&b.id));
        self.contracts.sort_by(|a, b| a.id.cmp(&b.id));
        self.people.sort_by(|a, b| a.id.cmp(&b.id));
        self.packages.sort_by(|a, b| a.id.cmp(&b.id));
        self.workers.sort_by(|a, b| a.id.cmp(&b.id));
    }
}

/// An area's current demand: the people with care running and their weekly hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AreaDemand {
    /// People with at least one package running.
    pub customers: u32,
    /// Commissioned carer minutes a week of the running packages.
    pub weekly_minutes: u32,
    /// Providers delivering those packages.
    pub providers: u32,
}

/// The demand in each area on `date`, from the people who live there and their running packages.
pub fn area_demand(
    people: &[Person],
    packages: &[CarePackage],
    date: Date,
) -> HashMap<AreaId, AreaDemand> {
    let area_of: HashMap<&PersonId, &AreaId> = people
        .iter()
        .map(|person| (&person.id, &person.area_id))
        .collect();
    let mut demand: HashMap<AreaId, AreaDemand> = HashMap::new();
    let mut counted: HashSet<&PersonId> = HashSet::new();
    let mut delivering: HashSet<(&AreaId, &ProviderId)> = HashSet::new();
    for package in packages.iter().filter(|package| package.is_active_on(date)) {
        let Some(area_id) = area_of.get(&package.person_id) else {
            continue;
        };
        let entry = demand.entry((*area_id).clone()).or_default();
        entry.weekly_minutes += package.weekly_minutes();
        if counted.insert(&package.person_id) {
            entry.customers += 1;
        }
        if let Some(provider) = &package.provider_id
            && delivering.insert((area_id, provider))
        {
            entry.providers += 1;
        }
    }
    demand
}
