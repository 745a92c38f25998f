//! The market overview: areas by tier with their customers, weekly hours and providers.

use super::{Layout, render};
use crate::auth::Signed;
use crate::{AppState, figures};
use askama::Template;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use homeward_domain::Tier;
use serde::Deserialize;
use std::collections::BTreeSet;

struct Row {
    id: String,
    name: String,
    tier: u8,
    district: String,
    customers: u32,
    hours: u32,
    providers: u32,
}

struct TierTotal {
    label: &'static str,
    areas: usize,
    customers: u32,
    hours: u32,
}

#[derive(Template)]
#[template(path = "market.html")]
struct MarketPage {
    layout: Layout,
    date: String,
    totals: Vec<TierTotal>,
    rows: Vec<Row>,
    tier: String,
    district: String,
    tier_options: Vec<(&'static str, &'static str)>,
    districts: BTreeSet<String>,
}

/// Filters of the overview.
#[derive(Deserialize)]
pub struct Filters {
    tier: Option<String>,
    district: Option<String>,
}

/// The overview, filtered by tier and district.
pub async fn overview(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    Query(filters): Query<Filters>,
) -> Response {
    let snapshot = match figures::snapshot(&state).await {
        Ok(snapshot) => snapshot,
        Err(error) => return super::error::store_failure(error),
    };
    let (areas, date) = (&snapshot.areas, snapshot.date);
    let tier = filters.tier.unwrap_or_default();
    let district = filters.district.unwrap_or_default();
    let districts = areas
        .iter()
        .map(|figures| figures.area.district.clone())
        .collect();
    let totals = Tier::ALL
        .iter()
        .filter_map(|tier| {
            let in_tier: Vec<_> = areas
                .iter()
                .filter(|figures| figures.area.tier == *tier)
                .collect();
            (!in_tier.is_empty()).then(|| TierTotal {
                label: tier.label(),
                areas: in_tier.len(),
                customers: in_tier.iter().map(|figures| figures.demand.customers).sum(),
                hours: in_tier.iter().map(|figures| figures.weekly_hours()).sum(),
            })
        })
        .collect();
    let rows = areas
        .iter()
        .filter(|figures| tier.is_empty() || figures.area.tier.code() == tier)
        .filter(|figures| district.is_empty() || figures.area.district == district)
        .map(|figures| Row {
            id: figures.area.id.to_string(),
            name: figures.area.name.clone(),
            tier: figures.area.tier.number(),
            district: figures.area.district.clone(),
            customers: figures.demand.customers,
            hours: figures.weekly_hours(),
            providers: figures.demand.providers,
        })
        .collect();
    let page = MarketPage {
        layout: Layout::new(&state, Some(&signed), "/market").await,
        date: date.to_string(),
        totals,
        rows,
        tier,
        district,
        tier_options: Tier::ALL
            .iter()
            .map(|tier| (tier.code(), tier.label()))
            .collect(),
        districts,
    };
    render(&page, StatusCode::OK)
}
