//! The pick-up clock: the spread of days from referral to first visit by area, and who waits.

use super::views::{Cell, Table};
use super::{Layout, render};
use crate::AppState;
use crate::auth::Signed;
use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use homeward_domain::brokerage::ReferralStatus;
use homeward_domain::brokerage::pickup;
use std::collections::BTreeMap;

#[derive(Template)]
#[template(path = "pickups.html")]
struct PickupsPage {
    layout: Layout,
    target: i32,
    placed: usize,
    within: usize,
    by_area: Table,
    waiting: Table,
}

/// The distribution by area and the waiting list.
pub async fn page(State(state): State<AppState>, Extension(signed): Extension<Signed>) -> Response {
    let (pickups, areas, offering, unplaced) = match (
        homeward_app::pickups::placed(state.store.as_ref()).await,
        state.store.areas().await,
        state.store.referrals(Some(ReferralStatus::Offering)).await,
        state.store.referrals(Some(ReferralStatus::Unplaced)).await,
    ) {
        (Ok(pickups), Ok(areas), Ok(offering), Ok(unplaced)) => {
            (pickups, areas, offering, unplaced)
        }
        (Err(error), ..) | (_, Err(error), ..) | (_, _, Err(error), _) | (.., Err(error)) => {
            return super::error::store_failure(error);
        }
    };
    let target = state.brokerage().target_pickup_days();
    let spread = pickup::by_area(&pickups, target);
    let rows = areas
        .iter()
        .filter_map(|area| spread.get(&area.id).map(|spread| (area, spread)))
        .map(|(area, spread)| {
            vec![
                Cell::link(&area.name, format!("/areas/{}", area.id)),
                Cell::text(area.tier.number()),
                Cell::text(spread.count),
                Cell::text(spread.median_days),
                Cell::text(spread.p90_days),
                Cell::text(format!(
                    "{}%",
                    spread.within_target * 100 / spread.count.max(1)
                )),
            ]
        })
        .collect();
    let mut waiting: BTreeMap<(u8, String), (usize, usize)> = BTreeMap::new();
    for (record, on_list) in offering
        .iter()
        .map(|record| (record, false))
        .chain(unplaced.iter().map(|record| (record, true)))
    {
        if let Some(area) = areas.iter().find(|area| area.id == record.referral.area_id) {
            let entry = waiting
                .entry((area.tier.number(), area.name.clone()))
                .or_default();
            if on_list { entry.1 += 1 } else { entry.0 += 1 }
        }
    }
    let waiting_rows = waiting
        .into_iter()
        .map(|((tier, area), (offering, unplaced))| {
            vec![
                Cell::text(area),
                Cell::text(tier),
                Cell::text(offering),
                Cell::text(unplaced),
            ]
        })
        .collect();
    let page = PickupsPage {
        layout: Layout::new(&state, Some(&signed), "/pickups").await,
        target,
        placed: pickups.len(),
        within: pickups
            .iter()
            .filter(|pickup| pickup.days() <= target)
            .count(),
        by_area: Table {
            caption: "Days from referral to first visit, by area".into(),
            headings: vec![
                "Area",
                "Tier",
                "Placed",
                "Median days",
                "90th percentile",
                "Within target",
            ],
            rows,
        },
        waiting: Table {
            caption: "Waiting, by area and tier".into(),
            headings: vec!["Area", "Tier", "Being offered", "Waiting list"],
            rows: waiting_rows,
        },
    };
    render(&page, StatusCode::OK)
}
