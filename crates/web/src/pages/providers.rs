//! Providers: the council's list, and a provider's page with its branches, lots and contracts.

use super::views::{Cell, ListPage, RecordPage, Tab, Table};
use super::{Layout, PER_PAGE, Pagination, page_number, page_of, render};
use crate::AppState;
use crate::auth::Signed;
use crate::found::Found;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use homeward_app::visibility;
use homeward_domain::Provider;
use homeward_domain::{Admission, ProviderId};
use std::collections::HashMap;

/// The list's query.
#[derive(serde::Deserialize)]
pub struct ListQuery {
    page: Option<String>,
}

/// Every provider, with its rating, charter stage and branches.
pub async fn list(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    Query(query): Query<ListQuery>,
) -> Response {
    let (providers, branches) = match (state.store.providers().await, state.store.branches().await)
    {
        (Ok(providers), Ok(branches)) => (providers, branches),
        (Err(error), _) | (_, Err(error)) => return super::error::store_failure(error),
    };
    let mut branch_counts: HashMap<&ProviderId, usize> = HashMap::new();
    for branch in &branches {
        *branch_counts.entry(&branch.provider_id).or_default() += 1;
    }
    let mut providers = providers;
    providers.sort_by(|a, b| a.name.cmp(&b.name));
    let total = providers.len() as u64;
    let page = page_number(query.page.as_deref());
    let rows = page_of(providers, page, PER_PAGE)
        .into_iter()
        .map(|provider| {
            vec![
                Cell::link(&provider.name, format!("/providers/{}", provider.id)),
                Cell::text(provider.cqc_rating.label()),
                Cell::text(provider.charter_stage.label()),
                Cell::text(branch_counts.get(&provider.id).copied().unwrap_or(0)),
                Cell::text(if provider.in_house {
                    "Council"
                } else {
                    "Independent"
                }),
            ]
        })
        .collect();
    let page = ListPage {
        layout: Layout::new(&state, Some(&signed), "/providers").await,
        heading: "Providers".into(),
        intro: Some(format!("{total} providers in the register.")),
        table: Table {
            caption: format!("Providers, page {page}"),
            headings: vec![
                "Provider",
                "CQC rating",
                "Ethical Care Charter",
                "Branches",
                "Kind",
            ],
            rows,
        },
        empty: "There are no providers in the register.",
        pagination: Pagination::new(page, PER_PAGE, total, |number| {
            format!("/providers?page={number}")
        }),
    };
    page.respond(&state, &signed).await
}

/// One provider: its registration, branches, lots and (to those who may see them) contracts.
pub async fn page(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    Found(provider): Found<Provider>,
) -> Response {
    let store = state.store.as_ref();
    let (branches, awards, contracts, areas) = match tokio::join!(
        store.provider_branches(&provider.id),
        store.awards(),
        store.contracts(),
        store.areas(),
    ) {
        (Ok(branches), Ok(awards), Ok(contracts), Ok(areas)) => {
            (branches, awards, contracts, areas)
        }
        (Err(error), ..) | (_, Err(error), ..) | (_, _, Err(error), _) | (.., Err(error)) => {
            return super::error::store_failure(error);
        }
    };
    let area_name = |area_id: &homeward_domain::AreaId| {
        areas
            .iter()
            .find(|area| &area.id == area_id)
            .map_or_else(|| area_id.to_string(), |area| area.name.clone())
    };
    let branch_rows = branches
        .iter()
        .map(|branch| {
            vec![
                Cell::text(&branch.name),
                Cell::link(
                    area_name(&branch.area_id),
                    format!("/areas/{}", branch.area_id),
                ),
            ]
        })
        .collect();
    let lot_rows = awards
        .iter()
        .filter(|award| award.provider_id == provider.id)
        .map(|award| {
            vec![
                Cell::link(
                    area_name(&award.area_id),
                    format!("/areas/{}", award.area_id),
                ),
                Cell::text(award.position.label()),
                Cell::text(award.starts_on),
            ]
        })
        .collect();
    let mut tabs = vec![
        Tab {
            id: "branches",
            title: "Branches",
            table: Table {
                caption: "Branches".into(),
                headings: vec!["Branch", "Area"],
                rows: branch_rows,
            },
            empty: "No branches are recorded.",
        },
        Tab {
            id: "lots",
            title: "Lots",
            table: Table {
                caption: "Lots held".into(),
                headings: vec!["Area", "Position", "From"],
                rows: lot_rows,
            },
            empty: "The provider holds no lots.",
        },
    ];
    if visibility::can_see_contracts(&signed.account, &provider.id) {
        let contract_rows = contracts
            .iter()
            .filter(|contract| contract.provider_id == provider.id)
            .map(|contract| {
                vec![
                    Cell::text(contract.kind.label()),
                    Cell::text(
                        contract
                            .area_id
                            .as_ref()
                            .map_or_else(|| "Whole council".to_owned(), &area_name),
                    ),
                    Cell::text(contract.hourly_rate),
                    Cell::text(format!("{} h", contract.guaranteed_weekly_minutes / 60)),
                    Cell::text(format!(
                        "unsocial {}%, rural {}%, complexity {}%",
                        contract.enhancements.unsocial_hours_bp / 100,
                        contract.enhancements.rural_bp / 100,
                        contract.enhancements.complexity_bp / 100
                    )),
                    Cell::text(charge_terms_text(&contract.charge_terms)),
                ]
            })
            .collect();
        tabs.push(Tab {
            id: "contracts",
            title: "Contracts and rates",
            table: Table {
                caption: "Contracts".into(),
                headings: vec![
                    "Kind",
                    "Area",
                    "Hourly rate",
                    "Guaranteed a week",
                    "Enhancements",
                    "Charged on",
                ],
                rows: contract_rows,
            },
            empty: "No contracts are recorded.",
        });
    }
    let admissions = if provider.admissions.is_empty() {
        "None".to_owned()
    } else {
        Admission::format_list(&provider.admissions)
            .replace(';', ", ")
            .replace('@', " from ")
    };
    // Capacity as staffing: how many care workers its branches employ and their contracted hours.
    // Weekly capacity returns (hours it can take on, by area) come with brokerage.
    let capacity = match homeward_app::staffing::staffing(store, &provider.id).await {
        Ok(staffing) => format!(
            "{} care workers, {} contracted hours a week",
            staffing.care_workers,
            staffing.contracted_weekly_minutes / 60
        ),
        Err(error) => return super::error::store_failure(error),
    };
    let summary = vec![
        (
            "CQC location",
            provider
                .cqc_location_id
                .as_ref()
                .map_or_else(|| "Not registered".to_owned(), ToString::to_string),
        ),
        ("CQC rating", provider.cqc_rating.label().to_owned()),
        (
            "Services",
            provider
                .services
                .iter()
                .map(|service| service.label())
                .collect::<Vec<_>>()
                .join(", "),
        ),
        (
            "Ethical Care Charter",
            provider.charter_stage.label().to_owned(),
        ),
        ("Admitted to", admissions),
        ("Capacity", capacity),
        (
            "Kind",
            if provider.in_house {
                "The council's own provider"
            } else {
                "Independent"
            }
            .to_owned(),
        ),
    ];
    let page = RecordPage {
        layout: Layout::new(
            &state,
            Some(&signed),
            &format!("/providers/{}", provider.id),
        )
        .await,
        caption: "Provider",
        heading: provider.name.clone(),
        summary,
        // Fair work figures.
        actions: vec![(
            "Fair work figures".to_owned(),
            format!("/providers/{}/fair-work", provider.id),
        )],
        tabs,
    };
    render(&page, StatusCode::OK)
}

/// A contract's charge terms as people read them: "Actual time, rounded up to 5 minutes, at
/// least 15 minutes a carer".
fn charge_terms_text(terms: &homeward_domain::ChargeTerms) -> String {
    let rounding = match terms.increment_minutes {
        1 => "to the minute".to_owned(),
        minutes => format!("rounded up to {minutes} minutes"),
    };
    format!(
        "{}, {rounding}, at least {} minutes a carer",
        terms.basis.label(),
        terms.minimum_minutes
    )
}
