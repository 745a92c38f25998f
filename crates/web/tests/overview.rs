//! The market overview and the fallbacks, over real HTTP against SQLite.

mod support;

use homeward_domain::Role;
use homeward_store::Backend;
use support::Caller;

#[tokio::test]
async fn the_overview_lists_every_area_with_its_figures() {
    let app = support::start(Backend::Sqlite).await;
    let health = app.get("/health", Caller::Anonymous).await;
    assert_eq!((health.status, health.body.as_str()), (200, "ok"));

    let page = app.get("/market", Caller::Browser(Role::Broker)).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains("<title>Market overview – West Sussex County Council – Homeward</title>")
    );
    assert!(page.body.contains(">Bognor East</a></th>"), "{}", page.body);
    assert!(
        page.body
            .contains("<td class=\"govuk-table__cell govuk-table__cell--numeric\">113</td>")
    );
    assert!(
        page.body.contains("Selsey &#38; Witterings"),
        "names are escaped"
    );
    assert_eq!(
        page.body
            .matches("<a class=\"govuk-link\" href=\"/areas/")
            .count(),
        35
    );
    // The header is the council's and Homeward's: no crown, no GOV.UK.
    assert!(
        page.body
            .contains("govuk-generic-header__homepage-link\">West Sussex County Council</a>")
    );
    assert!(!page.body.contains("govuk-header__logo") && !page.body.contains("GOV.UK"));

    let level_two = app
        .get(
            "/market?tier=2&district=Horsham",
            Caller::Browser(Role::Broker),
        )
        .await;
    assert_eq!(
        level_two
            .body
            .matches("<a class=\"govuk-link\" href=\"/areas/")
            .count(),
        3,
        "Billingshurst & Pulborough, Chanctonbury & Chantry, Horsham Rural South"
    );
}

#[tokio::test]
async fn unknown_pages_are_not_found_and_signed_out_people_are_sent_to_sign_in() {
    let app = support::start(Backend::Sqlite).await;
    let missing = app.get("/nowhere", Caller::Anonymous).await;
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("Page not found"));
    let redirect = app.get("/people?page=2", Caller::Anonymous).await;
    assert_eq!(
        (redirect.status, redirect.header("location")),
        (303, Some("/sign-in?next=/people%3Fpage%3D2"))
    );
    let home = app.get("/", Caller::Browser(Role::Person)).await;
    assert_eq!(
        home.header("location")
            .map(|location| location.starts_with("/people/per_")),
        Some(true)
    );
}
