//! The scenario generator's randomness: Homeward's seeded streams, one per stage, and draws.

pub(super) use homeward_draw::{chance, normal, pick, quotas, stream, weighted_index};
