//! People receiving care: the list an account may see, and a person's page.

use super::views::{Cell, ListPage, RecordPage, Tab, Table};
use super::{Layout, PER_PAGE, Pagination, encode_query, page_number, page_of, render};
use crate::AppState;
use crate::auth::Signed;
use crate::found::Found;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use homeward_app::visibility;
use homeward_domain::Person;
use homeward_domain::{PersonId, VisitStatus};

/// The list's query: a page, and optionally one area.
#[derive(serde::Deserialize)]
pub struct ListQuery {
    page: Option<String>,
    area: Option<String>,
}

/// The people the account may see, by name.
pub async fn list(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    Query(query): Query<ListQuery>,
) -> Response {
    let (people, areas) = match (
        visibility::people(state.store.as_ref(), &signed.account, state.clock.today()).await,
        state.store.areas().await,
    ) {
        (Ok(people), Ok(areas)) => (people, areas),
        (Err(error), _) | (_, Err(error)) => return super::error::store_failure(error),
    };
    let area_filter = query.area.unwrap_or_default();
    let mut people: Vec<_> = people
        .into_iter()
        .filter(|person| area_filter.is_empty() || person.area_id.as_str() == area_filter)
        .collect();
    people.sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
    let total = people.len() as u64;
    let page = page_number(query.page.as_deref());
    let area_name = |id: &homeward_domain::AreaId| {
        areas
            .iter()
            .find(|area| &area.id == id)
            .map_or_else(|| id.to_string(), |area| area.name.clone())
    };
    let rows = page_of(people, page, PER_PAGE)
        .into_iter()
        .map(|person| {
            vec![
                Cell::link(&person.name, format!("/people/{}", person.id)),
                Cell::text(&person.council_reference),
                Cell::text(area_name(&person.area_id)),
                Cell::text(person.funding_route.label()),
            ]
        })
        .collect();
    let area_query = if area_filter.is_empty() {
        String::new()
    } else {
        format!("&area={}", encode_query(&area_filter))
    };
    let page = ListPage {
        layout: Layout::new(&state, Some(&signed), "/people").await,
        heading: "People receiving care".into(),
        intro: Some(format!("{total} people you can see.")),
        table: Table {
            caption: format!("People, page {page}"),
            headings: vec!["Name", "Council reference", "Area", "Funding"],
            rows,
        },
        empty: "There is nobody here for you to see.",
        pagination: Pagination::new(page, PER_PAGE, total, |number| {
            format!("/people?page={number}{area_query}")
        }),
    };
    page.respond(&state, &signed).await
}

/// One person, with their packages.
pub async fn page(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    Found(person): Found<Person>,
) -> Response {
    let store = state.store.as_ref();
    let (packages, providers, areas) = match (
        visibility::packages_of(store, &signed.account, &person.id).await,
        store.providers().await,
        store.areas().await,
    ) {
        (Ok(packages), Ok(providers), Ok(areas)) => (packages, providers, areas),
        (Err(error), ..) | (_, Err(error), _) | (.., Err(error)) => {
            return super::error::store_failure(error);
        }
    };
    let provider_name = |id: &homeward_domain::ProviderId| {
        providers
            .iter()
            .find(|provider| &provider.id == id)
            .map_or_else(|| id.to_string(), |provider| provider.name.clone())
    };
    let rows = packages
        .iter()
        .map(|package| {
            vec![
                Cell::text(package.pattern.to_string()),
                Cell::text(format!("{:.2}", f64::from(package.weekly_minutes()) / 60.0)),
                Cell::text(
                    package
                        .provider_id
                        .as_ref()
                        .map_or_else(|| "Not placed".to_owned(), &provider_name),
                ),
                Cell::text(agreed_rate(package.agreed_hourly_rate)),
                Cell::text(package.starts_on),
                Cell::text(
                    package
                        .ends_on
                        .map_or_else(|| "Ongoing".to_owned(), |date| date.to_string()),
                ),
            ]
        })
        .collect();
    let area = areas
        .iter()
        .find(|area| area.id == person.area_id)
        .map_or_else(|| person.area_id.to_string(), |area| area.name.clone());
    let summary = vec![
        ("Council reference", person.council_reference.clone()),
        (
            "NHS number",
            person
                .nhs_number
                .as_ref()
                .map_or_else(|| "Not recorded".to_owned(), ToString::to_string),
        ),
        ("Area", area),
        ("Funding", person.funding_route.label().to_owned()),
        (
            "Primary support reason",
            person.support_reason.label().to_owned(),
        ),
        (
            "Complex needs",
            if person.complex_needs { "Yes" } else { "No" }.to_owned(),
        ),
    ];
    let visits =
        match visibility::upcoming_visits(store, &signed.account, &person.id, state.clock.today())
            .await
        {
            Ok(visits) => visits,
            Err(error) => return super::error::store_failure(error),
        };
    let carers =
        match carers_of_visits(store, &signed.account, &person.id, state.clock.today()).await {
            Ok(carers) => carers,
            Err(error) => return super::error::store_failure(error),
        };
    let visit_rows = visits
        .iter()
        .map(|visit| {
            let dated = &visit.dated;
            vec![
                Cell::text(dated.date.strftime("%a %-d %b %Y")),
                Cell::text(homeward_domain::format_clock(dated.local_start)),
                Cell::text(format!("{} min", dated.duration_minutes)),
                Cell::text(dated.carers),
                Cell::text(provider_name(&visit.provider_id)),
                Cell::text(match visit.status {
                    VisitStatus::Planned => "Planned",
                    VisitStatus::Cancelled => "Cancelled",
                }),
                Cell::text(
                    carers
                        .get(&visit.id)
                        .cloned()
                        .unwrap_or_else(|| "Not yet rostered".to_owned()),
                ),
            ]
        })
        .collect();
    let tabs = vec![
        Tab {
            id: "packages",
            title: "Care packages",
            table: Table {
                caption: "Care packages".into(),
                headings: vec![
                    "Visits each week",
                    "Weekly hours",
                    "Provider",
                    "Hourly rate",
                    "From",
                    "Until",
                ],
                rows,
            },
            empty: "No packages are recorded.",
        },
        Tab {
            id: "visits",
            title: "Visits",
            table: Table {
                caption: format!(
                    "Visits over the next {} days (UK time)",
                    visibility::UPCOMING_VISIT_DAYS
                ),
                headings: vec![
                    "Date",
                    "Time",
                    "Length",
                    "Carers",
                    "Provider",
                    "Status",
                    "Who is coming",
                ],
                rows: visit_rows,
            },
            empty: "No visits are planned over the next two weeks.",
        },
    ];
    let page = RecordPage {
        layout: Layout::new(&state, Some(&signed), &format!("/people/{}", person.id)).await,
        caption: "Person receiving care",
        heading: person.name.clone(),
        summary,
        actions: Vec::new(),
        tabs,
    };
    render(&page, StatusCode::OK)
}

/// Who is coming to each of a person's visits over the coming fortnight, as `account` may know:
/// a provider's coordinators their own care workers' names from any roster, the person the
/// names on published rosters, the council's staff only whether a visit is rostered (they see
/// workforce figures, not individual workers).
async fn carers_of_visits(
    store: &dyn homeward_store::Store,
    account: &homeward_domain::Account,
    person: &PersonId,
    today: jiff::civil::Date,
) -> Result<std::collections::HashMap<homeward_domain::VisitId, String>, homeward_store::StoreError>
{
    use homeward_domain::Scope;
    let until = today
        .checked_add(jiff::Span::new().days(visibility::UPCOMING_VISIT_DAYS - 1))
        .unwrap_or(today);
    let filter = homeward_store::VisitFilter {
        person_id: Some(person.clone()),
        ..homeward_store::VisitFilter::between(today, until)
    };
    let Some(filter) = visibility::visits(account, filter) else {
        return Ok(Default::default());
    };
    let published_only = matches!(account.scope, Scope::Person(_));
    let stops = store.roster_stops_of(&filter, published_only).await?;
    let names: std::collections::HashMap<_, _> = match account.scope {
        Scope::Council => Default::default(),
        _ => store
            .workers()
            .await?
            .into_iter()
            .map(|worker| (worker.id, worker.name))
            .collect(),
    };
    let mut carers: std::collections::HashMap<homeward_domain::VisitId, Vec<String>> =
        Default::default();
    for stop in stops {
        let name = match account.scope {
            Scope::Council => "Rostered".to_owned(),
            _ => names.get(&stop.worker_id).cloned().unwrap_or_default(),
        };
        let entry = carers.entry(stop.visit_id).or_default();
        if !entry.contains(&name) {
            entry.push(name);
        }
    }
    Ok(carers
        .into_iter()
        .map(|(visit, names)| (visit, names.join(" and ")))
        .collect())
}

/// What a package is paid an hour: the rate its provider quoted to win it, which binds, or the
/// provider's contract rate.
fn agreed_rate(rate: Option<homeward_domain::Pence>) -> String {
    rate.map_or_else(
        || "Contract rate".to_owned(),
        |rate| format!("{rate} (quoted when placed)"),
    )
}
