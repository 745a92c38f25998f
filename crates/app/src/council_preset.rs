//! The council's preset, chosen once when a server starts: the rules brokerage runs by (the
//! cascade, reablement first, the pick-up target) come from it, so it must be the preset the
//! stored market was built from, and a server that cannot find it does not start.

use homeward_preset::{Preset, PresetError};
use homeward_store::{Store, StoreError};

/// Why the council's preset could not be chosen.
#[derive(Debug, thiserror::Error)]
pub enum PresetChoiceError {
    /// Nothing to run: the database holds no market.
    #[error(
        "the database holds no council: load a market first (`homeward import` or `homeward demo`)"
    )]
    NoCouncil,
    /// The stored council names a preset that is not built in, and none was given.
    #[error(
        "the stored council's preset `{0}` is not built into Homeward: start the server with \
         --preset naming its file"
    )]
    NotBuiltIn(String),
    /// The preset given is not the one the stored market was built from.
    #[error(
        "the database holds the market of preset `{stored}`, but the preset given is `{given}`"
    )]
    Mismatch {
        /// The stored council's preset.
        stored: String,
        /// The preset given.
        given: String,
    },
    /// A built-in preset failed its own checks.
    #[error(transparent)]
    Preset(#[from] PresetError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The preset of the council in `store`: `given` when it is that council's, else the built-in
/// preset the council names. Never a stand-in: an unknown preset is an error.
pub async fn council_preset(
    store: &dyn Store,
    given: Option<Preset>,
) -> Result<Preset, PresetChoiceError> {
    let council = store.council().await?.ok_or(PresetChoiceError::NoCouncil)?;
    match given {
        Some(preset) if preset.id == council.preset => Ok(preset),
        Some(preset) => Err(PresetChoiceError::Mismatch {
            stored: council.preset,
            given: preset.id,
        }),
        None if homeward_preset::builtin_names().any(|name| name == council.preset) => {
            Ok(homeward_preset::builtin(&council.preset)?)
        }
        None => Err(PresetChoiceError::NotBuiltIn(council.preset)),
    }
}
