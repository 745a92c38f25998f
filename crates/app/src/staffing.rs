//! A provider's staffing: how many care workers its branches employ and the hours a week they
//! are contracted for, as its page and its API record show it.

use homeward_domain::ProviderId;
use homeward_store::{Store, StoreError};
use std::collections::HashSet;

/// A provider's care workers in number and contracted time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Staffing {
    /// Care workers employed at its branches.
    pub care_workers: usize,
    /// Their contracted minutes a week, together.
    pub contracted_weekly_minutes: u32,
}

/// The staffing of `provider`'s branches.
pub async fn staffing(store: &dyn Store, provider: &ProviderId) -> Result<Staffing, StoreError> {
    let branches: HashSet<_> = store
        .provider_branches(provider)
        .await?
        .into_iter()
        .map(|branch| branch.id)
        .collect();
    let workers = store.workers().await?;
    let staff = workers
        .iter()
        .filter(|worker| branches.contains(&worker.branch_id));
    Ok(staff.fold(
        Staffing {
            care_workers: 0,
            contracted_weekly_minutes: 0,
        },
        |total, worker| Staffing {
            care_workers: total.care_workers + 1,
            contracted_weekly_minutes: total.contracted_weekly_minutes
                + worker.contracted_weekly_minutes,
        },
    ))
}
