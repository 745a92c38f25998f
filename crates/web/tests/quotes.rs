//! Quotes bind, as the pages and the API show them: the offer form says a quote is the rate
//! that will be paid, an acceptance at a broadcast step without one is refused naming the field,
//! and a package won on a quote shows its agreed rate on the person's page, in the API's person
//! record and in the referral's placement.

mod support;

use homeward_domain::brokerage::ReferralStatus;
use homeward_domain::brokerage::{AccessRoute, Needs, Offer, Referral, StepKind};
use homeward_domain::{FundingRoute, OfferId, ReferralId, Role, WeeklyPattern};
use homeward_store::Backend;
use support::{App, Caller, on_both};

/// A referral for person A offered to provider A alone at the spot step.
async fn offered_at_spot(app: &App) {
    let person = app
        .market
        .people
        .iter()
        .find(|person| person.id == app.ids.person_a)
        .unwrap();
    let today = jiff::Timestamp::now()
        .to_zoned(homeward_domain::london().clone())
        .date();
    let referral = Referral {
        id: ReferralId::from_suffix("spot-referral").unwrap(),
        person_id: person.id.clone(),
        area_id: person.area_id.clone(),
        route: AccessRoute::Community,
        needs: Needs {
            pattern: WeeklyPattern::parse("Mon-Fri 11:00 45m").unwrap(),
            skills: vec![],
            complex: false,
        },
        funding_route: FundingRoute::CouncilArranged,
        reablement_potential: false,
        referred_on: today,
        needed_by: today,
        discharge_on: None,
    };
    app.store
        .create_referral(&referral, ReferralStatus::Offering, "test")
        .await
        .unwrap();
    let now = jiff::Timestamp::now();
    let offer = Offer {
        id: OfferId::from_suffix("spot-offer").unwrap(),
        provider_id: app.ids.provider_a.clone(),
        step_index: 3,
        step: StepKind::Spot,
        sent_at: now,
        deadline: now + jiff::SignedDuration::from_hours(24),
        response: None,
    };
    app.store
        .create_offers(&[offer], &referral.id, "test")
        .await
        .unwrap();
}

async fn a_quote_that_wins_is_shown_as_the_rate_paid(backend: Backend) {
    let app = support::start(backend).await;
    offered_at_spot(&app).await;
    let provider = Role::ProviderUser;

    // The form says what a quote is.
    let form = app
        .get("/offers/off_spot-offer", Caller::Browser(provider))
        .await;
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(
        form.body
            .contains("This is the rate you will be paid for this package if your offer is chosen"),
        "{}",
        form.body
    );

    // Accepting without a quote is refused, naming the field, and leaves the offer open.
    let path = "/api/v1/offers/off_spot-offer/answer";
    let unquoted = app
        .send_json(
            "POST",
            path,
            Caller::Client(provider),
            r#"{"answer":"accept"}"#,
        )
        .await;
    assert_eq!(unquoted.status, 422, "{}", unquoted.body);
    assert_eq!(unquoted.json()["error"]["field"], "hourly_rate_pence");

    let quoted = app
        .send_json(
            "POST",
            path,
            Caller::Client(provider),
            r#"{"answer":"accept","hourly_rate_pence":1650}"#,
        )
        .await;
    assert_eq!(quoted.status, 200, "{}", quoted.body);

    // The placement and the package carry the quote.
    let referral = app
        .get(
            "/api/v1/referrals/ref_spot-referral",
            Caller::Client(Role::Broker),
        )
        .await;
    assert_eq!(referral.status, 200, "{}", referral.body);
    let placement = referral.json()["placement"].clone();
    assert_eq!(placement["step"], "spot", "{placement}");
    assert_eq!(placement["agreed_hourly_rate_pence"], 1650, "{placement}");
    let package_id = placement["package_id"].as_str().unwrap().to_owned();
    let listed = app
        .get(
            "/api/v1/referrals?status=placed",
            Caller::Client(Role::Broker),
        )
        .await;
    let item = listed.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|item| item["id"] == "ref_spot-referral")
        .cloned()
        .expect("the placed referral is listed");
    assert_eq!(item["placement"]["agreed_hourly_rate_pence"], 1650);

    let person = app.ids.person_a.to_string();
    let record = app
        .get(
            &format!("/api/v1/people/{person}"),
            Caller::Client(provider),
        )
        .await;
    assert_eq!(record.status, 200, "{}", record.body);
    let packages = record.json()["packages"].as_array().unwrap().clone();
    let placed = packages
        .iter()
        .find(|package| package["id"] == package_id.as_str())
        .expect("the placed package is in the person's record");
    assert_eq!(placed["agreed_hourly_rate_pence"], 1650);
    assert!(
        packages
            .iter()
            .filter(|package| package["id"] != package_id.as_str())
            .all(|package| package["agreed_hourly_rate_pence"].is_null()),
        "the demo's other packages pay their contract's rate"
    );

    let page = app
        .get(&format!("/people/{person}"), Caller::Browser(provider))
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body.contains("£16.50 (quoted when placed)"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Contract rate"), "{}", page.body);
}

on_both!(a_quote_that_wins_is_shown_as_the_rate_paid);
