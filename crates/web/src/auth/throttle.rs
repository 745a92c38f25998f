//! Sign-in throttling: too many failed attempts for one email, or from one address, lock
//! sign-in for a while. Kept in memory: a restart forgets, which is acceptable for one server.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failures allowed in a window before sign-in is refused.
const MAX_FAILURES: u32 = 5;
/// How long failures count, and how long a lock lasts.
const WINDOW: Duration = Duration::from_secs(15 * 60);

/// Failed sign-ins by key (an email, or a client address).
#[derive(Default)]
pub struct Throttle {
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

impl Throttle {
    /// Whether `key` may try now; if not, how many whole minutes until it may.
    pub fn check(&self, key: &str, now: Instant) -> Result<(), u64> {
        let failures = self
            .failures
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        match failures.get(key) {
            Some((count, since))
                if *count >= MAX_FAILURES && now.duration_since(*since) < WINDOW =>
            {
                let left = WINDOW - now.duration_since(*since);
                Err(left.as_secs().div_ceil(60))
            }
            _ => Ok(()),
        }
    }

    /// Counts a failure for `key`.
    pub fn fail(&self, key: &str, now: Instant) {
        let mut failures = self
            .failures
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let entry = failures.entry(key.to_owned()).or_insert((0, now));
        if now.duration_since(entry.1) >= WINDOW {
            *entry = (0, now);
        }
        entry.0 += 1;
    }

    /// Forgets `key`'s failures after a successful sign-in.
    pub fn succeed(&self, key: &str) {
        self.failures
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_lock_for_fifteen_minutes() {
        let throttle = Throttle::default();
        let start = Instant::now();
        for _ in 0..4 {
            throttle.fail("sam@example.org", start);
        }
        assert!(throttle.check("sam@example.org", start).is_ok());
        throttle.fail("sam@example.org", start);
        assert_eq!(throttle.check("sam@example.org", start), Err(15));
        assert!(throttle.check("other@example.org", start).is_ok());
        assert!(throttle.check("sam@example.org", start + WINDOW).is_ok());
    }

    #[test]
    fn success_forgets_failures() {
        let throttle = Throttle::default();
        let now = Instant::now();
        for _ in 0..5 {
            throttle.fail("key", now);
        }
        throttle.succeed("key");
        assert!(throttle.check("key", now).is_ok());
    }
}
