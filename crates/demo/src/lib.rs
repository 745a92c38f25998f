//! A deterministic demo county: a whole market register generated from a preset and a seed.
//!
//! Key points:
//! - The same preset and seed give the same market, record for record; a different seed gives a
//!   different one. Each stage draws from its own random stream, so changing one stage does not
//!   shift the others.
//! - Every area gets exactly the preset's customers, and packages whose weekly hours add up to
//!   exactly the preset's hours (in quarter hours).
//! - Pure: no I/O. Long work reports progress through [`Progress`].
//!
//! ```
//! let preset = homeward_preset::builtin("west-sussex-2019").unwrap();
//! let market = homeward_demo::generate(&preset, 1, &mut homeward_demo::NoProgress);
//! assert_eq!(market.people.len(), 1_907);
//! ```

mod contracts;
mod names;
mod pattern_builder;
mod people;
mod providers;
mod random;
mod workforce;

use homeward_domain::{Area, AreaId, Market};
use homeward_preset::Preset;

/// Receives progress of long stages, for a progress bar.
pub trait Progress {
    /// A stage starts with `total` steps.
    fn stage(&mut self, name: &'static str, total: u64);
    /// `steps` more steps are done.
    fn advance(&mut self, steps: u64);
}

/// Progress that goes nowhere.
pub struct NoProgress;

impl Progress for NoProgress {
    fn stage(&mut self, _name: &'static str, _total: u64) {}
    fn advance(&mut self, _steps: u64) {}
}

/// Generates the market register of `preset` for `seed`.
pub fn generate(preset: &Preset, seed: u64, progress: &mut dyn Progress) -> Market {
    let areas = areas(preset);
    let market_plan = providers::plan(preset, &areas, seed);
    let placed = people::generate(preset, &areas, &market_plan, seed, progress);
    let workers = workforce::generate(preset, &market_plan, &placed, seed, progress);
    let contracts = contracts::generate(preset, &market_plan, &placed, seed);
    let mut market = Market {
        council: preset.council.clone(),
        areas,
        providers: market_plan
            .providers
            .iter()
            .map(|planned| planned.provider.clone())
            .collect(),
        branches: market_plan.branches.clone(),
        awards: market_plan.awards.clone(),
        contracts,
        people: placed.people,
        packages: placed.packages,
        workers,
    };
    // Areas stay in the preset's order, which the preset's authors chose; the rest by id.
    let areas = std::mem::take(&mut market.areas);
    market.sort_as_listed();
    market.areas = areas;
    market
}

/// The preset's areas as register records; ids are slugs of the names, so they are stable
/// whatever the seed.
fn areas(preset: &Preset) -> Vec<Area> {
    preset
        .areas
        .iter()
        .map(|spec| Area {
            id: AreaId::from_suffix(&slug(&spec.name)).expect("a slug is a valid id suffix"),
            name: spec.name.clone(),
            centroid: spec.centroid,
            boundary: None,
            tier: spec.tier,
            rural: spec.rural,
            district: spec.district.clone(),
            hard_to_serve: spec.hard_to_serve,
        })
        .collect()
}

/// Lower-case letters and digits joined by single hyphens, 4 to 40 characters.
fn slug(name: &str) -> String {
    let mut slug = String::new();
    for word in name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
    {
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(&word.to_ascii_lowercase());
    }
    slug.truncate(40);
    let mut slug = slug.trim_end_matches('-').to_owned();
    while slug.len() < 4 {
        slug.push('x');
    }
    slug
}

#[cfg(test)]
mod tests;
