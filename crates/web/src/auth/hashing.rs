//! Where password hashing runs. An argon2id hash or check keeps a core busy for tens of
//! milliseconds (far longer in a debug build); run on the async worker threads, a flood of
//! sign-ins would stall every other request, and run unbounded on tokio's blocking threads it
//! would still take every core. So each hash and check runs on a blocking thread, and at most
//! one runs per core at once: the rest wait their turn without holding a thread.

use super::password;
use std::sync::Arc;
use tokio::sync::Semaphore;

/// The bound on password hashes and checks running at once.
#[derive(Debug, Clone)]
pub struct PasswordWork {
    permits: Arc<Semaphore>,
}

impl PasswordWork {
    /// Room for `at_once` hashes or checks at once (at least one).
    pub fn new(at_once: usize) -> PasswordWork {
        PasswordWork {
            permits: Arc::new(Semaphore::new(at_once.max(1))),
        }
    }

    /// One at once for each core the machine gives this process.
    pub fn per_core() -> PasswordWork {
        PasswordWork::new(std::thread::available_parallelism().map_or(1, usize::from))
    }

    /// Runs `work` on a blocking thread once a permit is free; `None` if it panicked.
    async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Option<T> {
        // The semaphore is never closed, so acquiring fails only if it were.
        let permit = self.permits.clone().acquire_owned().await.ok()?;
        let joined = tokio::task::spawn_blocking(move || {
            let done = work();
            drop(permit);
            done
        })
        .await;
        joined.ok()
    }

    /// The argon2id hash of `password`; `None` if hashing failed.
    pub async fn hash(&self, password: String) -> Option<String> {
        self.run(move || password::hash_password(&password))
            .await
            .filter(|hash| !hash.is_empty())
    }

    /// Checks `password` against a hash of no real password, for as long as a real check
    /// takes, and so matches nothing: what a sign-in to an address with no account, or to a
    /// disabled account, spends so that its cost tells nothing.
    pub async fn check_decoy(&self, password: String) {
        self.run(move || password::verify_password(&password, password::decoy_hash()))
            .await;
    }

    /// Whether `password` matches `hash`; a failed check matches nothing.
    pub async fn verify(&self, password: String, hash: String) -> bool {
        self.run(move || password::verify_password(&password, &hash))
            .await
            .unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    #[tokio::test(flavor = "current_thread")]
    async fn a_check_leaves_the_async_thread_free() {
        let work = PasswordWork::new(1);
        let hash = password::hash_password("correct horse battery");
        let ticks = Arc::new(AtomicUsize::new(0));
        let counted = ticks.clone();
        // On a runtime of one thread, this ticker advances only while that thread is free.
        let ticker = tokio::spawn(async move {
            loop {
                counted.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
        });
        tokio::task::yield_now().await;
        let before = ticks.load(Ordering::SeqCst);
        for _ in 0..3 {
            assert!(
                work.verify("correct horse battery".into(), hash.clone())
                    .await
            );
        }
        let after = ticks.load(Ordering::SeqCst);
        ticker.abort();
        assert!(
            after > before + 3,
            "the runtime's one thread went on while hashing ({before} then {after})"
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn no_more_run_at_once_than_permitted() {
        let work = PasswordWork::new(2);
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let (work, running, most) = (work.clone(), running.clone(), most.clone());
            tasks.push(tokio::spawn(async move {
                work.run(move || {
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(20));
                    running.fetch_sub(1, Ordering::SeqCst);
                })
                .await
            }));
        }
        for task in tasks {
            assert_eq!(task.await.unwrap(), Some(()));
        }
        assert_eq!(most.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn hashes_made_off_the_thread_verify() {
        let work = PasswordWork::new(1);
        let hash = work.hash("correct horse battery".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(
            work.verify("correct horse battery".into(), hash.clone())
                .await
        );
        assert!(!work.verify("wrong".into(), hash).await);
    }
}
