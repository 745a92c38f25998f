//! Seeded randomness for Homeward's generators (the demo county, the engine's branch-day
//! scenarios): one reproducible stream per stage, so that adding draws to one stage leaves every
//! other stage's output as it was, and the few draws they make.
//!
//! **Invariant:** a seed and a stage name give the same stream on every machine and every run;
//! the generators' outputs, and the tests and benchmarks that rest on them, depend on it.

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A random stream for one stage of generation, independent of the other stages.
pub fn stream(seed: u64, stage: &str) -> ChaCha8Rng {
    // FNV-1a over the stage name, mixed into the seed, so each stage has its own stream.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in stage.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    ChaCha8Rng::seed_from_u64(seed ^ hash)
}

/// True with probability `share`.
pub fn chance(rng: &mut ChaCha8Rng, share: f64) -> bool {
    rng.random::<f64>() < share
}

/// A standard normal draw (Box–Muller).
pub fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let u1: f64 = 1.0 - rng.random::<f64>();
    let u2: f64 = rng.random::<f64>();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// An index drawn with probability proportional to `weights`; `None` when none is positive.
pub fn weighted_index(rng: &mut ChaCha8Rng, weights: &[f64]) -> Option<usize> {
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

/// One of `items` with probability proportional to its weight (the first when none is positive).
pub fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [(T, f64)]) -> &'a T {
    let weights: Vec<f64> = items.iter().map(|(_, weight)| *weight).collect();
    &items[weighted_index(rng, &weights).unwrap_or(0)].0
}

/// `count` items laid out by `shares` (rounded so that they add up to `count`), in random
/// order: exact quotas rather than independent draws.
pub fn quotas<T: Copy>(rng: &mut ChaCha8Rng, count: usize, shares: &[(T, f64)]) -> Vec<T> {
    let mut items = Vec::with_capacity(count);
    let mut cumulative = 0.0;
    for (item, share) in shares {
        cumulative += share;
        let upto = ((cumulative * count as f64).round() as usize).min(count);
        while items.len() < upto {
            items.push(*item);
        }
    }
    while let (true, Some((last, _))) = (items.len() < count, shares.last()) {
        items.push(*last);
    }
    items.shuffle(rng);
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_reproducible_and_distinct() {
        let a: Vec<u32> = (0..4).map(|_| stream(1, "people").random()).collect();
        let b: Vec<u32> = (0..4).map(|_| stream(1, "people").random()).collect();
        assert_eq!(a, b);
        assert_ne!(
            stream(1, "people").random::<u64>(),
            stream(1, "workers").random::<u64>()
        );
        assert_ne!(
            stream(1, "people").random::<u64>(),
            stream(2, "people").random::<u64>()
        );
    }

    #[test]
    fn weighted_choices_skip_zero_weights() {
        let mut rng = stream(7, "test");
        for _ in 0..100 {
            assert_eq!(weighted_index(&mut rng, &[0.0, 2.0, 0.0]), Some(1));
            assert_eq!(*pick(&mut rng, &[('a', 0.0), ('b', 1.0)]), 'b');
        }
        assert_eq!(weighted_index(&mut rng, &[0.0, 0.0]), None);
    }

    #[test]
    fn quotas_are_exact_and_shuffled_reproducibly() {
        let shares = [('a', 0.65), ('b', 0.2), ('c', 0.15)];
        let a = quotas(&mut stream(3, "q"), 20, &shares);
        let b = quotas(&mut stream(3, "q"), 20, &shares);
        assert_eq!(a, b);
        assert_eq!(a.iter().filter(|c| **c == 'a').count(), 13);
        assert_eq!(a.iter().filter(|c| **c == 'b').count(), 4);
        assert_eq!(a.iter().filter(|c| **c == 'c').count(), 3);
    }
}
