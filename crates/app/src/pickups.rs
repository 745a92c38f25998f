//! The pick-up clock: every placed referral's days from referral to first visit, which the
//! pick-up page spreads by area and the API lists, against the council's target.

use crate::Brokerage;
use homeward_domain::brokerage::ReferralStatus;
use homeward_domain::brokerage::pickup::Pickup;
use homeward_store::{Store, StoreError};

/// Every placed referral as a pick-up, in the order the store lists them; a referral whose
/// area is no longer in the register is left out.
pub async fn placed(store: &dyn Store) -> Result<Vec<Pickup>, StoreError> {
    let areas = store.areas().await?;
    Ok(store
        .referrals(Some(ReferralStatus::Placed))
        .await?
        .into_iter()
        .filter_map(|record| {
            let placement = record.placement?;
            let area = areas
                .iter()
                .find(|area| area.id == record.referral.area_id)?;
            Some(Pickup {
                referral_id: record.referral.id,
                area_id: area.id.clone(),
                tier: area.tier,
                route: record.referral.route,
                referred_on: record.referral.referred_on,
                started_on: placement.started_on,
            })
        })
        .collect())
}

impl Brokerage {
    /// The council's pick-up target in days, from its preset's rules; a preset's target is a
    /// few days, so one beyond `i32` is read as the largest there is.
    pub fn target_pickup_days(&self) -> i32 {
        i32::try_from(self.spec().target_pickup_days).unwrap_or(i32::MAX)
    }
}
