//! Council presets: each seed council's market model as a data file, and its parser.
//!
//! A preset is a TOML file in `presets/` at the repository root (built into the binary) or any
//! file given by path. It names the council, its areas with approximate centroids and the seed's
//! figures, its tier and lot rules, the shape of its provider market, rates and workforce.
//! Figures the seed does not give are chosen and listed under `assumptions` in the file.
//!
//! ```
//! let preset = homeward_preset::builtin("west-sussex-2019").unwrap();
//! assert_eq!(preset.areas.len(), 35);
//! assert_eq!(preset.areas.iter().map(|area| area.customers).sum::<u32>(), 1_907);
//! ```

mod model;
mod parse;

pub use model::{
    AreaSpec, BrokerageSpec, ChargingSpec, DemandSpec, EarlyStartIncentive, InHouseSpec,
    MarketSpec, Preset, RatesSpec, ShareGroup, WorkforceSpec,
};
pub use parse::{PresetError, builtin, builtin_names, load, parse};
