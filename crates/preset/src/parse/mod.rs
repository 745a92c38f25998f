//! Reading a preset file: TOML into raw records, then checks into the validated model.
//!
//! `builtin` holds the presets built into Homeward and loads one by name or from a file; `raw`
//! holds the TOML records as read; `validate` checks them into the [`Preset`] model, with
//! `checks` collecting each problem found. [`parse`], here, runs the two in turn.

mod builtin;
mod checks;
mod raw;
mod validate;

#[cfg(test)]
mod tests;

use crate::model::Preset;
use checks::Checks;
use raw::RawPreset;

pub use builtin::{builtin, builtin_names, load};

/// A preset that cannot be used, with every problem found.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("preset {preset} is not valid:\n  {}", problems.join("\n  "))]
pub struct PresetError {
    /// The preset's name or file.
    pub preset: String,
    /// Each problem, naming the record and field.
    pub problems: Vec<String>,
}

/// Parses and checks a preset's text; `origin` names it in errors.
pub fn parse(origin: &str, text: &str) -> Result<Preset, PresetError> {
    let raw: RawPreset = toml::from_str(text).map_err(|error| PresetError {
        preset: origin.to_owned(),
        problems: vec![error.to_string().trim().replace('\n', "\n  ")],
    })?;
    let mut checks = Checks::default();
    let preset = raw.into_preset(&mut checks);
    match preset {
        Some(preset) if checks.problems.is_empty() => Ok(preset),
        _ => Err(PresetError {
            preset: origin.to_owned(),
            problems: checks.problems,
        }),
    }
}
