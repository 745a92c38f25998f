//! Brokers' pages: referrals in, where each stands, its offers, and reablement's end.

mod new;
mod record;

pub use new::{new_form, new_submit};
pub use record::{advance, end_reablement, page};

use super::views::{Cell, ListPage, Table};
use super::{Layout, PER_PAGE, Pagination, page_number, page_of};
use crate::AppState;
use crate::auth::Signed;
use axum::Extension;
use axum::extract::{Query, State};
use axum::response::Response;
use homeward_domain::Role;
use homeward_domain::brokerage::ReferralStatus;

/// A status's label and tag colour.
pub fn status_label(status: ReferralStatus) -> (&'static str, &'static str) {
    match status {
        ReferralStatus::Reablement => ("In reablement", " govuk-tag--purple"),
        ReferralStatus::Offering => ("Being offered", " govuk-tag--blue"),
        ReferralStatus::Placed => ("Placed", " govuk-tag--green"),
        ReferralStatus::Unplaced => ("Waiting list", " govuk-tag--red"),
        ReferralStatus::Closed => ("Closed", " govuk-tag--grey"),
    }
}

/// The list's query.
#[derive(serde::Deserialize)]
pub struct ListQuery {
    status: Option<String>,
    page: Option<String>,
}

/// Referrals, newest first, optionally by status.
pub async fn list(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    Query(query): Query<ListQuery>,
) -> Response {
    let status = query.status.as_deref().and_then(ReferralStatus::from_code);
    let (referrals, people, areas) = match (
        state.store.referrals(status).await,
        state.store.people().await,
        state.store.areas().await,
    ) {
        (Ok(referrals), Ok(people), Ok(areas)) => (referrals, people, areas),
        (Err(error), ..) | (_, Err(error), _) | (.., Err(error)) => {
            return super::error::store_failure(error);
        }
    };
    let total = referrals.len() as u64;
    let page = page_number(query.page.as_deref());
    let rows = page_of(referrals, page, PER_PAGE)
        .into_iter()
        .map(|record| {
            let referral = &record.referral;
            let person = people
                .iter()
                .find(|person| person.id == referral.person_id)
                .map_or_else(
                    || referral.person_id.to_string(),
                    |person| person.name.clone(),
                );
            let area = areas
                .iter()
                .find(|area| area.id == referral.area_id)
                .map_or_else(|| referral.area_id.to_string(), |area| area.name.clone());
            vec![
                Cell::link(&person, format!("/referrals/{}", referral.id)),
                Cell::text(area),
                Cell::text(referral.route.label()),
                Cell::text(referral.referred_on),
                Cell::text(status_label(record.status).0),
            ]
        })
        .collect();
    let filter = query
        .status
        .clone()
        .filter(|code| ReferralStatus::from_code(code).is_some());
    let suffix = filter
        .as_ref()
        .map_or_else(String::new, |code| format!("&status={code}"));
    let can_refer = signed.account.role == Role::Broker;
    let page = ListPage {
        layout: Layout::new(&state, Some(&signed), "/referrals").await,
        heading: "Referrals".into(),
        intro: Some(format!(
            "{total} referrals{}.{}",
            filter
                .as_deref()
                .and_then(ReferralStatus::from_code)
                .map_or_else(String::new, |status| format!(
                    " ({})",
                    status_label(status).0.to_lowercase()
                )),
            if can_refer {
                " Take a new one from New referral."
            } else {
                ""
            }
        )),
        table: Table {
            caption: format!("Referrals, page {page}"),
            headings: vec!["Person", "Area", "Route", "Referred", "Status"],
            rows,
        },
        empty: "There are no referrals here.",
        pagination: Pagination::new(page, PER_PAGE, total, |number| {
            format!("/referrals?page={number}{suffix}")
        }),
    };
    page.respond(&state, &signed).await
}

/// What the referral form was sent with: repeated `skills` keys, so read as pairs.
type Pairs = Vec<(String, String)>;

/// The value of field `name` in `pairs`; empty when it was not sent.
fn value<'a>(pairs: &'a Pairs, name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(key, _)| key == name)
        .map_or("", |(_, value)| value.as_str())
}
