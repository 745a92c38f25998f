//! The market overview: every area by tier, with its customers, weekly hours and providers.

use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use std::collections::{HashMap, HashSet};
use std::fmt::Write;

pub(crate) async fn page(State(state): State<AppState>) -> Response {
    match render(&state).await {
        Ok(html) => Html(html).into_response(),
        Err(error) => {
            // The detail goes to the log, never to the page.
            eprintln!("market overview failed: {error}");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Sorry, there is a problem with the service.",
            )
                .into_response()
        }
    }
}

async fn render(state: &AppState) -> Result<String, homeward_store::StoreError> {
    let store = &state.store;
    let council = store.council().await?;
    let title = council
        .as_ref()
        .map_or("Homeward".to_owned(), |council| council.name.clone());
    let date = council.as_ref().map_or_else(
        || jiff::Zoned::now().date(),
        |council| council.reference_date,
    );
    let demand: HashMap<_, _> = store.area_demand(date).await?.into_iter().collect();
    let people = store.people().await?;
    let area_of: HashMap<_, _> = people
        .iter()
        .map(|person| (&person.id, &person.area_id))
        .collect();
    let packages = store.packages().await?;
    let mut providers_in_area: HashMap<_, HashSet<_>> = HashMap::new();
    for package in packages.iter().filter(|package| package.is_active_on(date)) {
        if let (Some(area), Some(provider)) =
            (area_of.get(&package.person_id), &package.provider_id)
        {
            providers_in_area.entry(*area).or_default().insert(provider);
        }
    }
    let mut rows = String::new();
    for area in store.areas().await? {
        let figures = demand.get(&area.id).copied().unwrap_or_default();
        let providers = providers_in_area.get(&area.id).map_or(0, HashSet::len);
        let _ = write!(
            rows,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&area.name),
            area.tier.number(),
            figures.customers,
            figures.weekly_minutes / 60,
            providers
        );
    }
    Ok(format!(
        "<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>Market overview – {title} – Homeward</title></head><body><header><p>{title} · Homeward</p></header><main>\
<h1>Market overview</h1><p>Areas by tier on {date}.</p><table><caption>Areas</caption><thead><tr><th scope=\"col\">Area</th>\
<th scope=\"col\">Tier</th><th scope=\"col\">Customers</th><th scope=\"col\">Weekly hours</th><th scope=\"col\">Providers</th></tr></thead>\
<tbody>{rows}</tbody></table></main></body></html>\n",
        title = escape(&title),
    ))
}

/// Escapes text for HTML element content and attribute values.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            other => escaped.push(other),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup() {
        assert_eq!(
            super::escape("Selsey & Witterings <b>"),
            "Selsey &amp; Witterings &lt;b&gt;"
        );
    }
}
