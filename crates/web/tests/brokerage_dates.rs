//! Dates from outside are bounded where brokerage takes them: a referral is made today or in the
//! last four weeks, with care and discharge near it; an acceptance starts care from today to 90
//! days ahead. Refused on the pages and in the API naming the field, and nothing changes.

mod support;

use homeward_domain::{OfferId, Role};
use homeward_store::Backend;
use support::{App, Caller, csrf_token, on_both};

fn today() -> jiff::civil::Date {
    jiff::Timestamp::now()
        .to_zoned(homeward_domain::london().clone())
        .date()
}

fn days_from_today(days: i64) -> jiff::civil::Date {
    today().checked_add(jiff::Span::new().days(days)).unwrap()
}

fn referral_body(app: &App, referred_on: &str, needed_by: &str) -> String {
    serde_json::json!({
        "person_id": app.ids.person_a.as_str(),
        "route": "community",
        "visit_pattern": "daily 08:00 45m",
        "funding_route": "council-arranged",
        "referred_on": referred_on,
        "needed_by": needed_by,
    })
    .to_string()
}

async fn referral_count(app: &App) -> usize {
    app.store.referrals(None).await.unwrap().len()
}

async fn referral_dates_are_bounded(backend: Backend) {
    let app = support::start(backend).await;
    let before = referral_count(&app).await;
    let broker = Caller::Client(Role::Broker);
    let today = today().to_string();
    for (referred_on, needed_by, field) in [
        ("1000-01-01", "1000-01-02", "referred_on"),
        (today.as_str(), "9999-12-31", "needed_by"),
        (
            &days_from_today(1).to_string(),
            &days_from_today(2).to_string(),
            "referred_on",
        ),
        (&days_from_today(-29).to_string(), &today, "referred_on"),
    ] {
        let answer = app
            .send_json(
                "POST",
                "/api/v1/referrals",
                broker,
                &referral_body(&app, referred_on, needed_by),
            )
            .await;
        assert_eq!(
            answer.status, 422,
            "{referred_on} {needed_by}: {}",
            answer.body
        );
        assert_eq!(
            answer.json()["error"]["field"],
            field,
            "{referred_on} {needed_by}: {}",
            answer.body
        );
    }
    assert_eq!(
        referral_count(&app).await,
        before,
        "a refused referral was stored"
    );

    // The broker's form says the same, by the field.
    let csrf = csrf_token(Role::Broker);
    let form = format!(
        "csrf_token={csrf}&council_reference={}&visit_pattern=daily+08%3A00+45m\
         &referred_on=1000-01-01&needed_by=1000-01-02&discharge_on=&route=community\
         &funding_route=council-arranged",
        app.market
            .people
            .iter()
            .find(|person| person.id == app.ids.person_a)
            .unwrap()
            .council_reference
    );
    let page = app
        .post_form("/referrals/new", Caller::Browser(Role::Broker), &form)
        .await;
    assert_eq!(page.status, 422, "{}", page.body);
    assert!(
        page.body.contains("<a href=\"#referred_on\">"),
        "{}",
        page.body
    );
    assert_eq!(referral_count(&app).await, before);

    // Four weeks back is still taken.
    let taken = app
        .send_json(
            "POST",
            "/api/v1/referrals",
            broker,
            &referral_body(&app, &days_from_today(-28).to_string(), &today),
        )
        .await;
    assert_eq!(taken.status, 201, "{}", taken.body);
}

async fn is_open(app: &App) -> bool {
    let id = OfferId::from_suffix("test-offer").unwrap();
    let (offer, _) = app.store.offer(&id).await.unwrap().unwrap();
    offer.response.is_none()
}

async fn an_acceptance_starts_care_from_today_to_ninety_days_on(backend: Backend) {
    let app = support::start(backend).await;
    let packages_before = app.store.packages().await.unwrap().len();
    let provider = Caller::Client(Role::ProviderUser);
    let path = "/api/v1/offers/off_test-offer/answer";
    for start_on in [
        "1900-01-01".to_owned(),
        days_from_today(-1).to_string(),
        days_from_today(91).to_string(),
    ] {
        let body = format!(r#"{{"answer":"accept","start_on":"{start_on}"}}"#);
        let answer = app.send_json("POST", path, provider, &body).await;
        assert_eq!(answer.status, 422, "{start_on}: {}", answer.body);
        assert_eq!(
            answer.json()["error"]["field"],
            "start_on",
            "{}",
            answer.body
        );
        assert!(is_open(&app).await, "a refused answer closed the offer");
    }
    // The page's form refuses it the same way, by the field.
    let csrf = csrf_token(Role::ProviderUser);
    let page = app
        .post_form(
            "/offers/off_test-offer",
            Caller::Browser(Role::ProviderUser),
            &format!("csrf_token={csrf}&answer=accept&start_on=1900-01-01&hourly_rate_pence="),
        )
        .await;
    assert_eq!(page.status, 422, "{}", page.body);
    assert!(
        page.body.contains("<a href=\"#start_on\">"),
        "{}",
        page.body
    );
    assert!(is_open(&app).await);
    assert_eq!(
        app.store.packages().await.unwrap().len(),
        packages_before,
        "a refused answer placed a package"
    );

    // Without a date, care starts today: the fixture's referral was needed by a day long past.
    let accepted = app
        .send_json("POST", path, provider, r#"{"answer":"accept"}"#)
        .await;
    assert_eq!(accepted.status, 200, "{}", accepted.body);
    assert_eq!(accepted.json()["start_on"], today().to_string());
}

on_both!(
    referral_dates_are_bounded,
    an_acceptance_starts_care_from_today_to_ninety_days_on
);
