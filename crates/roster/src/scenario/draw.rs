//! Seeded randomness for the scenario generator: one stream per stage, and the few draws it
//! needs.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A random stream for one stage of generation, independent of the other stages.
pub(super) fn stream(seed: u64, stage: &str) -> ChaCha8Rng {
    // FNV-1a over the stage name, mixed into the seed, so each stage has its own stream.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in stage.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    ChaCha8Rng::seed_from_u64(seed ^ hash)
}

/// True with probability `share`.
pub(super) fn chance(rng: &mut ChaCha8Rng, share: f64) -> bool {
    rng.random::<f64>() < share
}

/// A standard normal draw (Box–Muller).
pub(super) fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let u1: f64 = 1.0 - rng.random::<f64>();
    let u2: f64 = rng.random::<f64>();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// An index drawn with probability proportional to `weights`; `None` when none is positive.
pub(super) fn weighted_index(rng: &mut ChaCha8Rng, weights: &[f64]) -> Option<usize> {
    let total: f64 = weights.iter().filter(|weight| **weight > 0.0).sum();
    if total <= 0.0 {
        return None;
    }
    let mut target = rng.random::<f64>() * total;
    for (index, weight) in weights.iter().enumerate() {
        if *weight <= 0.0 {
            continue;
        }
        if target < *weight {
            return Some(index);
        }
        target -= weight;
    }
    weights.iter().rposition(|weight| *weight > 0.0)
}

/// One of `items` with probability proportional to its weight.
pub(super) fn pick<T: Copy>(rng: &mut ChaCha8Rng, items: &[(T, f64)]) -> T {
    let weights: Vec<f64> = items.iter().map(|(_, weight)| *weight).collect();
    items[weighted_index(rng, &weights).unwrap_or(0)].0
}

/// `count` items laid out by `shares` (rounded so that they add up to `count`), in random
/// order: exact quotas rather than independent draws.
pub(super) fn quotas<T: Copy>(rng: &mut ChaCha8Rng, count: usize, shares: &[(T, f64)]) -> Vec<T> {
    use rand::seq::SliceRandom;
    let mut items = Vec::with_capacity(count);
    let mut cumulative = 0.0;
    for (item, share) in shares {
        cumulative += share;
        let upto = ((cumulative * count as f64).round() as usize).min(count);
        while items.len() < upto {
            items.push(*item);
        }
    }
    while items.len() < count {
        items.push(shares[shares.len() - 1].0);
    }
    items.shuffle(rng);
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotas_are_exact_and_shuffled_reproducibly() {
        let a = quotas(
            &mut stream(3, "q"),
            20,
            &[('a', 0.65), ('b', 0.2), ('c', 0.15)],
        );
        let b = quotas(
            &mut stream(3, "q"),
            20,
            &[('a', 0.65), ('b', 0.2), ('c', 0.15)],
        );
        assert_eq!(a, b);
        assert_eq!(a.iter().filter(|c| **c == 'a').count(), 13);
        assert_eq!(a.iter().filter(|c| **c == 'b').count(), 4);
        assert_eq!(a.iter().filter(|c| **c == 'c').count(), 3);
    }

    #[test]
    fn weighted_choices_skip_zero_weights() {
        let mut rng = stream(7, "test");
        for _ in 0..100 {
            assert_eq!(weighted_index(&mut rng, &[0.0, 2.0, 0.0]), Some(1));
        }
        assert_eq!(weighted_index(&mut rng, &[0.0, 0.0]), None);
    }
}
