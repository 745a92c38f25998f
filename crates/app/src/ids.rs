//! New record ids: random in service, seeded for reproducible demo history.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::sync::Mutex;

/// A source of id suffixes.
pub struct Ids(Mutex<ChaCha8Rng>);

impl Ids {
    /// Ids seeded from the operating system: for real use.
    pub fn random() -> Ids {
        Ids(Mutex::new(ChaCha8Rng::from_rng(&mut rand::rng())))
    }

    /// The same ids for the same seed: for the demo's history and tests.
    pub fn seeded(seed: u64) -> Ids {
        Ids(Mutex::new(ChaCha8Rng::seed_from_u64(seed)))
    }

    /// Twelve random lower-case letters and digits.
    pub fn suffix(&self) -> String {
        const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";
        let mut rng = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        (0..12)
            .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
            .collect()
    }

    /// `count` random decimal digits.
    pub fn digits(&self, count: usize) -> String {
        let mut rng = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        (0..count)
            .map(|_| char::from(b'0' + rng.random_range(0..10u8)))
            .collect()
    }
}
