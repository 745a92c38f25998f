//! The presets built into Homeward, and loading a preset by name or from a file.

use crate::model::Preset;
use std::path::Path;

use super::{PresetError, parse};

/// The presets built into Homeward, by name, from `presets/` at the repository root.
pub(super) const BUILTIN: [(&str, &str); 5] = [
    (
        "west-sussex-2019",
        include_str!("../../../../presets/west-sussex-2019.toml"),
    ),
    (
        "oxfordshire-2014",
        include_str!("../../../../presets/oxfordshire-2014.toml"),
    ),
    (
        "norfolk-2014",
        include_str!("../../../../presets/norfolk-2014.toml"),
    ),
    (
        "nottinghamshire-2013",
        include_str!("../../../../presets/nottinghamshire-2013.toml"),
    ),
    (
        "worcestershire-2019",
        include_str!("../../../../presets/worcestershire-2019.toml"),
    ),
];

/// The names of the built-in presets.
pub fn builtin_names() -> impl Iterator<Item = &'static str> {
    BUILTIN.iter().map(|(name, _)| *name)
}

/// A built-in preset by name.
pub fn builtin(name: &str) -> Result<Preset, PresetError> {
    match BUILTIN.iter().find(|(builtin, _)| *builtin == name) {
        Some((name, text)) => parse(name, text),
        None => Err(PresetError {
            preset: name.to_owned(),
            problems: vec![format!(
                "no such preset; choose one of: {}",
                builtin_names().collect::<Vec<_>>().join(", ")
            )],
        }),
    }
}

/// A built-in preset by name, or a preset file when `name_or_path` ends in `.toml`.
pub fn load(name_or_path: &str) -> Result<Preset, PresetError> {
    if !name_or_path.ends_with(".toml") {
        return builtin(name_or_path);
    }
    let text = std::fs::read_to_string(Path::new(name_or_path)).map_err(|error| PresetError {
        preset: name_or_path.to_owned(),
        problems: vec![format!("cannot read the file: {error}")],
    })?;
    parse(name_or_path, &text)
}
