//! Providers' weekly capacity returns: the hours of new care each branch can take on, by area,
//! for the week the return is made in. The page and the API read and write them here alike.

use homeward_domain::brokerage::CapacityReturn;
use homeward_domain::brokerage::capacity_week_of;
use homeward_domain::{Account, AreaId, BranchId, ProviderId, Scope};
use homeward_store::{Store, StoreError};
use jiff::Timestamp;
use jiff::civil::Date;

/// The most hours a week a return may offer.
pub const MAX_WEEKLY_HOURS: u32 = 2_000;

/// Why a return could not be read or stored.
#[derive(Debug, thiserror::Error)]
pub enum CapacityError {
    /// Only a provider's users make and read returns.
    #[error("capacity returns are a provider's")]
    NotAProvider,
    /// The hours are more than [`MAX_WEEKLY_HOURS`].
    #[error("hours must be a whole number from 0 to {MAX_WEEKLY_HOURS}")]
    Hours,
    /// The branch is not one of the provider's (or is not a branch id at all).
    #[error("branch not found")]
    BranchNotFound,
    /// The area is not in the register (or is not an area id at all).
    #[error("area not found")]
    AreaNotFound,
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The week a return made on `today` (London's date) belongs to, named by its Monday.
pub fn this_week(today: Date) -> Date {
    capacity_week_of(today)
}

/// The provider `account` works for, or [`CapacityError::NotAProvider`].
fn provider_of(account: &Account) -> Result<&ProviderId, CapacityError> {
    match &account.scope {
        Scope::Provider(provider) => Ok(provider),
        _ => Err(CapacityError::NotAProvider),
    }
}

/// The latest returns of `account`'s provider for the week of `today`, each branch and area's.
pub async fn own_returns(
    store: &dyn Store,
    account: &Account,
    today: Date,
) -> Result<Vec<CapacityReturn>, CapacityError> {
    let provider = provider_of(account)?;
    Ok(store
        .capacity_returns(this_week(today))
        .await?
        .into_iter()
        .filter(|capacity| &capacity.provider_id == provider)
        .collect())
}

/// Every provider's latest returns in `area` for the week of `today`: what the council's
/// staff see on the area's page.
pub async fn area_returns(
    store: &dyn Store,
    area: &AreaId,
    today: Date,
) -> Result<Vec<CapacityReturn>, StoreError> {
    Ok(store
        .capacity_returns(this_week(today))
        .await?
        .into_iter()
        .filter(|capacity| &capacity.area_id == area)
        .collect())
}

/// A return as sent: the branch and area as typed, the hours as a whole number.
#[derive(Debug, Clone, Copy)]
pub struct ReturnInput<'a> {
    /// The branch: one of the provider's own.
    pub branch_id: &'a str,
    /// The area.
    pub area_id: &'a str,
    /// Hours a week of new care, 0 to [`MAX_WEEKLY_HOURS`].
    pub hours: u32,
}

/// Stores a return of `account`'s provider for the week of `now`, audited as the account. The
/// hours are checked first, then the branch (the provider's own), then the area; nothing is
/// stored unless all three are right.
pub async fn put_return(
    store: &dyn Store,
    account: &Account,
    input: ReturnInput<'_>,
    now: Timestamp,
) -> Result<CapacityReturn, CapacityError> {
    let provider = provider_of(account)?;
    if input.hours > MAX_WEEKLY_HOURS {
        return Err(CapacityError::Hours);
    }
    let branch_id =
        BranchId::parse(input.branch_id, "branch_id").map_err(|_| CapacityError::BranchNotFound)?;
    let ours = store
        .branch(&branch_id)
        .await?
        .is_some_and(|branch| &branch.provider_id == provider);
    if !ours {
        return Err(CapacityError::BranchNotFound);
    }
    let area_id =
        AreaId::parse(input.area_id, "area_id").map_err(|_| CapacityError::AreaNotFound)?;
    if !store.areas().await?.iter().any(|area| area.id == area_id) {
        return Err(CapacityError::AreaNotFound);
    }
    let capacity = CapacityReturn {
        branch_id,
        provider_id: provider.clone(),
        area_id,
        week_of: this_week(homeward_domain::london_date(now)),
        hours: input.hours,
        returned_at: now,
    };
    store
        .put_capacity_return(&capacity, account.id.as_str())
        .await?;
    Ok(capacity)
}
