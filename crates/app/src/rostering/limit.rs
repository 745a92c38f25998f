//! How many days the engine plans at once. Planning a day keeps a core busy for its whole time
//! limit, and any coordinator may ask for a week; without a bound, a few requests at once would
//! take every core from the rest of the server. At most one solve runs per core; a request
//! waits its turn for a while, then is told the planners are busy.

use std::sync::OnceLock;
use std::time::Duration;
use tokio::sync::{Semaphore, SemaphorePermit};

/// How long a request waits for a free planner before it is refused.
pub const PLANNER_WAIT: Duration = Duration::from_secs(60);

/// A bound on the solves running at once.
#[derive(Debug)]
pub struct Planners {
    permits: Semaphore,
    wait: Duration,
}

/// A free planner, held while the engine solves.
pub struct Planner<'a>(#[allow(dead_code)] SemaphorePermit<'a>);

impl Planners {
    /// Room for `count` solves at once (at least one); a request waits up to `wait`.
    pub fn new(count: usize, wait: Duration) -> Planners {
        Planners {
            permits: Semaphore::new(count.max(1)),
            wait,
        }
    }

    /// The server's planners: one for each core the machine gives this process.
    pub fn of_this_machine() -> &'static Planners {
        static PLANNERS: OnceLock<Planners> = OnceLock::new();
        PLANNERS.get_or_init(|| {
            let cores = std::thread::available_parallelism().map_or(1, usize::from);
            Planners::new(cores, PLANNER_WAIT)
        })
    }

    /// A free planner, or `None` when none came free within the wait.
    pub async fn take(&self) -> Option<Planner<'_>> {
        tokio::time::timeout(self.wait, self.permits.acquire())
            .await
            .ok()
            .and_then(Result::ok)
            .map(Planner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_request_waits_for_a_planner_then_is_refused() {
        let planners = Planners::new(1, Duration::from_secs(60));
        let first = planners.take().await.expect("one planner is free");
        // The only planner is busy: the second request waits the whole minute, then gives up.
        let started = tokio::time::Instant::now();
        assert!(planners.take().await.is_none());
        assert_eq!(started.elapsed(), Duration::from_secs(60));
        drop(first);
        assert!(planners.take().await.is_some(), "a freed planner is taken");
    }

    #[tokio::test(start_paused = true)]
    async fn each_core_has_a_planner() {
        let planners = Planners::new(2, Duration::ZERO);
        let (_a, _b) = (planners.take().await, planners.take().await);
        assert!(_a.is_some() && _b.is_some());
        assert!(planners.take().await.is_none());
    }
}
