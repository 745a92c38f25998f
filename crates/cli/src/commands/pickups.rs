//! `homeward export pickups`: one row per placed package, with its pick-up time.

use homeward_domain::brokerage::ReferralStatus;
use homeward_interchange::Format;
use homeward_store::Store;
use serde::Serialize;
use std::collections::HashMap;

#[derive(Serialize)]
struct PickupRow {
    referral_id: String,
    area: String,
    tier: u8,
    referred_on: String,
    started_on: String,
    days: i32,
    route: &'static str,
}

/// Writes every placed referral's pick-up, oldest referral first.
pub async fn write(store: &dyn Store, format: Format, out: &mut Vec<u8>) -> anyhow::Result<()> {
    let areas: HashMap<_, _> = store
        .areas()
        .await?
        .into_iter()
        .map(|area| (area.id.clone(), area))
        .collect();
    let mut rows: Vec<PickupRow> = store
        .referrals(Some(ReferralStatus::Placed))
        .await?
        .into_iter()
        .filter_map(|record| {
            let placement = record.placement?;
            let referral = record.referral;
            let area = areas.get(&referral.area_id)?;
            Some(PickupRow {
                referral_id: referral.id.to_string(),
                area: area.name.clone(),
                tier: area.tier.number(),
                referred_on: referral.referred_on.to_string(),
                started_on: placement.started_on.to_string(),
                days: (placement.started_on - referral.referred_on).get_days(),
                route: referral.route.code(),
            })
        })
        .collect();
    rows.sort_by(|a, b| (&a.referred_on, &a.referral_id).cmp(&(&b.referred_on, &b.referral_id)));
    match format {
        Format::Csv => {
            // The header comes first even when nothing has been placed yet.
            out.extend_from_slice(b"referral_id,area,tier,referred_on,started_on,days,route\n");
            let mut writer = csv::WriterBuilder::new()
                .has_headers(false)
                .from_writer(&mut *out);
            for row in &rows {
                writer.serialize(row)?;
            }
            writer.flush()?;
        }
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &rows)?;
            out.push(b'\n');
        }
    }
    Ok(())
}
