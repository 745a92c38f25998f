//! Placing a referral on [`SqlStore`]: the placement, its package and any incentive, in one
//! conditional write that exactly one of two racing placements wins.

use super::{SqlStore, append, created, invalid, validate};
use crate::sql::audit::AuditEvent;
use crate::sql::brokerage::{self as sql};
use crate::sql::{Reference, TableRecord, json};
use crate::{RecordKind, StoreError};
use homeward_domain::brokerage::{Incentive, Placement, ReferralRecord};
use homeward_domain::{CarePackage, Provider, ReferralId};

/// Places the referral `referral_id` if it is still being offered: the placement, the package
/// and the incentive in one transaction.
pub(super) async fn place_referral(
    store: &SqlStore,
    placement: &Placement,
    referral_id: &ReferralId,
    package: &CarePackage,
    incentive: Option<&Incentive>,
    actor: &str,
) -> Result<bool, StoreError> {
    validate(package)?;
    if placement.package_id != package.id {
        return Err(invalid(
            RecordKind::Referral,
            referral_id.as_str(),
            "package_id",
            format!(
                "The placement names package {} but the package is {}",
                placement.package_id, package.id
            ),
        ));
    }
    if package.agreed_hourly_rate.is_some() && !placement.step.is_broadcast() {
        // Only a broadcast step's award weighs a quote; one placed by a single provider pays
        // the contract's rate.
        return Err(invalid(
            RecordKind::Package,
            package.id.as_str(),
            "agreed_hourly_rate_pence",
            format!(
                "A package placed at the {} step pays the contract's rate: only a dynamic \
                 market, community options or spot placement agrees a rate",
                placement.step.label().to_lowercase()
            ),
        ));
    }
    if let Some(incentive) = incentive {
        validate(incentive)?;
        if &incentive.referral_id != referral_id {
            return Err(invalid(
                RecordKind::Incentive,
                incentive.referral_id.as_str(),
                "referral_id",
                format!("The incentive is not for referral {referral_id}"),
            ));
        }
        if incentive.starts_on != placement.started_on {
            return Err(invalid(
                RecordKind::Incentive,
                incentive.referral_id.as_str(),
                "starts_on",
                format!(
                    "The incentive's care starts on the placement's first day, {}",
                    placement.started_on
                ),
            ));
        }
    }
    let transaction = store.begin_write().await?;
    let (mut transaction, _, before) = store.stored_referral(transaction, referral_id).await?;
    // The one statement that decides between concurrent placements: only one finds the
    // referral still being offered.
    let placed = match sql::place(&mut transaction, referral_id, placement).await {
        Ok(placed) => placed,
        Err(error) => {
            transaction.rollback().await.ok();
            return Err(store.explain_single_insert_failure(
                error,
                RecordKind::Referral,
                referral_id.as_str(),
                referral_id.to_string(),
                Some(Reference::to::<Provider>(
                    "placed_provider_id",
                    placement.provider_id.as_str(),
                )),
            ));
        }
    };
    if !placed {
        transaction.rollback().await.ok();
        return Ok(false);
    }
    let (transaction, _, after) = store.stored_referral(transaction, referral_id).await?;
    let mut transaction = store.insert_or_explain(transaction, package, 0).await?;
    if let Some(incentive) = incentive {
        transaction = store.insert_or_explain(transaction, incentive, 0).await?;
    }
    let mut event = AuditEvent::record(
        actor,
        "place",
        RecordKind::Referral,
        referral_id.as_str(),
        Some(json::object(ReferralRecord::COLUMNS, &before)),
        Some(json::object(ReferralRecord::COLUMNS, &after)),
    );
    event.summary = format!(
        "placed referral {referral_id} with {} (offer {}, package {})",
        placement.provider_id, placement.offer_id, placement.package_id
    );
    append(&mut transaction, store.now(), event).await?;
    append(&mut transaction, store.now(), created(actor, package)).await?;
    if let Some(incentive) = incentive {
        append(&mut transaction, store.now(), created(actor, incentive)).await?;
    }
    transaction.commit().await.map_err(StoreError::database)?;
    Ok(true)
}
