//! The generator's randomness: Homeward's seeded streams, one per stage, its draws, and id
//! suffixes.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

pub(crate) use homeward_draw::{chance, normal, pick, stream, weighted_index};

/// `length` random lower-case letters and digits, for id suffixes.
pub(crate) fn suffix(rng: &mut ChaCha8Rng, length: usize) -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";
    (0..length)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect()
}
