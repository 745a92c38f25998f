//! Bad input on forms and endpoints: a clear message on the field, and nothing changed.
//! Also the protections around them: anti-forgery tokens, sign-in throttling, cookie flags.

mod support;

use homeward_domain::Role;
use homeward_store::{AuditFilter, Backend};
use support::{Caller, csrf_token};

fn extract_hidden(body: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = body
        .find(&marker)
        .unwrap_or_else(|| panic!("no hidden {name} in {body}"))
        + marker.len();
    body[start..].split('"').next().unwrap().to_owned()
}

#[tokio::test]
async fn the_area_form_names_each_bad_field_and_changes_nothing() {
    let app = support::start(Backend::Sqlite).await;
    let area = app.ids.area.clone();
    let commissioner = Caller::Browser(Role::Commissioner);
    let csrf = csrf_token(Role::Commissioner);
    let before = app.store.areas().await.unwrap();

    let response = app
        .post_form(
            &format!("/areas/{area}/edit"),
            commissioner,
            &format!("csrf_token={csrf}&name=+&district=&tier=9"),
        )
        .await;
    assert_eq!(response.status, 422);
    assert!(response.body.contains("There is a problem"));
    assert!(
        response
            .body
            .contains("<a href=\"#name\">Enter the area&#39;s name</a>"),
        "{}",
        response.body
    );
    assert!(response.body.contains("href=\"#district\""));
    assert!(response.body.contains("<a href=\"#tier\">Select the area"));
    assert!(response.body.contains("<title>Error: Change"));
    assert_eq!(
        app.store.areas().await.unwrap(),
        before,
        "a refused form changes nothing"
    );

    // Without the session's anti-forgery token, nothing changes either.
    let response = app
        .post_form(
            &format!("/areas/{area}/edit"),
            commissioner,
            "csrf_token=forged&name=Forged&district=Arun&tier=1",
        )
        .await;
    assert_eq!(response.status, 403);
    assert_eq!(app.store.areas().await.unwrap(), before);

    // A good change is stored and audited with before and after.
    let response = app
        .post_form(
            &format!("/areas/{area}/edit"),
            commissioner,
            &format!("csrf_token={csrf}&name=Bognor+East+and+Felpham&district=Arun&tier=1"),
        )
        .await;
    assert_eq!(response.status, 303, "{}", response.body);
    let changed = app
        .store
        .areas()
        .await
        .unwrap()
        .into_iter()
        .find(|stored| stored.id.as_str() == area)
        .unwrap();
    assert_eq!(changed.name, "Bognor East and Felpham");
    let filter = AuditFilter {
        record_id: Some(area.clone()),
        ..AuditFilter::default()
    };
    let events = app.store.audit_events(&filter, 0, 10).await.unwrap().events;
    assert_eq!(events.len(), 1);
    assert_eq!(
        events[0].actor,
        app.accounts[&Role::Commissioner].id.to_string()
    );
    assert!(
        events[0]
            .before
            .as_deref()
            .unwrap()
            .contains("\"Bognor East\"")
    );
    assert!(
        events[0]
            .after
            .as_deref()
            .unwrap()
            .contains("\"Bognor East and Felpham\"")
    );
}

#[tokio::test]
async fn the_token_form_needs_a_name_and_a_matching_token() {
    let app = support::start(Backend::Sqlite).await;
    let broker = Caller::Browser(Role::Broker);
    let account = app.accounts[&Role::Broker].id.clone();
    let count = || async { app.store.api_tokens(&account).await.unwrap().len() };
    let before = count().await;
    let response = app
        .post_form(
            "/account/tokens",
            broker,
            &format!("csrf_token={}&name=", csrf_token(Role::Broker)),
        )
        .await;
    assert_eq!(response.status, 422);
    assert!(
        response
            .body
            .contains("<a href=\"#name\">Enter what the token is for</a>")
    );
    assert_eq!(
        app.post_form("/account/tokens", broker, "csrf_token=wrong&name=x")
            .await
            .status,
        403
    );
    assert_eq!(count().await, before);
    let response = app
        .post_form(
            "/account/tokens",
            broker,
            &format!(
                "csrf_token={}&name=My+app&current_password=correct+horse+battery",
                csrf_token(Role::Broker)
            ),
        )
        .await;
    assert_eq!(
        (response.status, response.header("location")),
        (303, Some("/account/tokens"))
    );
    assert_eq!(count().await, before + 1);
    let carried = response
        .header("set-cookie")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    assert!(carried.starts_with("homeward_new_token=hw_"));
    let cookie = format!(
        "homeward_session={}; {carried}",
        support::session_token(Role::Broker)
    );
    let shown = app
        .send(
            "GET",
            "/account/tokens",
            Caller::Anonymous,
            None,
            "",
            &[("Cookie", &cookie)],
        )
        .await;
    assert!(
        shown.body.contains("id=\"new-token\">hw_"),
        "{}",
        shown.body
    );
    assert!(
        shown.header("set-cookie").unwrap().contains("Max-Age=0"),
        "the secret is shown once"
    );
}

#[tokio::test]
async fn api_errors_name_the_field_and_change_nothing() {
    let app = support::start(Backend::Sqlite).await;
    let client = Caller::Client(Role::Commissioner);
    let area = app.ids.area.clone();
    let before = app.store.areas().await.unwrap();
    let cases = [
        (r#"{"tier": 9}"#, 422, Some("tier")),
        (r#"{"name": "  "}"#, 422, Some("name")),
        (r#"{"rural": "maybe"}"#, 422, Some("rural")),
        (r#"{"colour": "blue"}"#, 422, Some("colour")),
        ("not json", 400, None),
    ];
    for (body, status, field) in cases {
        let response = app
            .send_json("PATCH", &format!("/api/v1/areas/{area}"), client, body)
            .await;
        assert_eq!(response.status, status, "{body}: {}", response.body);
        let error = &response.json()["error"];
        assert_eq!(error["field"].as_str(), field, "{body}: {error}");
        assert!(!error["message"].as_str().unwrap().is_empty());
        assert_eq!(error["code"], "invalid");
    }
    assert_eq!(app.store.areas().await.unwrap(), before);

    for (query, field) in [
        ("page=0", "page"),
        ("per_page=1000", "per_page"),
        ("tier=7", "tier"),
    ] {
        let response = app.get(&format!("/api/v1/areas?{query}"), client).await;
        assert_eq!(response.status, 422, "{query}");
        assert_eq!(response.json()["error"]["field"], field);
    }
    // A token cannot make tokens, whatever the body.
    let response = app
        .send_json("POST", "/api/v1/tokens", client, r#"{"name": ""}"#)
        .await;
    assert_eq!(response.status, 403);
    assert_eq!(response.json()["error"]["code"], "forbidden");

    // Unknown paths, wrong methods and missing tokens answer the same error body.
    let response = app.get("/api/v1/nothing-here", client).await;
    assert_eq!(
        (response.status, response.json()["error"]["code"].as_str()),
        (404, Some("not_found"))
    );
    let response = app
        .send("PUT", "/api/v1/areas", client, None, "", &[])
        .await;
    assert_eq!(
        (response.status, response.json()["error"]["code"].as_str()),
        (405, Some("method_not_allowed"))
    );
    let response = app.get("/api/v1/areas", Caller::Anonymous).await;
    assert_eq!(
        (response.status, response.json()["error"]["code"].as_str()),
        (401, Some("unauthenticated"))
    );
    assert_eq!(response.header("www-authenticate"), Some("Bearer"));
}

#[tokio::test]
async fn a_good_api_change_is_audited_and_a_revoked_token_stops_working() {
    let app = support::start(Backend::Sqlite).await;
    let client = Caller::Client(Role::Commissioner);
    let area = app.ids.area.clone();
    let response = app
        .send_json(
            "PATCH",
            &format!("/api/v1/areas/{area}"),
            client,
            r#"{"tier": 2, "rural": true}"#,
        )
        .await;
    assert_eq!(response.status, 200, "{}", response.body);
    assert_eq!(response.json()["tier"], 2);
    let audit = app
        .get(&format!("/api/v1/audit?record_id={area}"), client)
        .await
        .json();
    assert_eq!(audit["total"], 1);
    assert_eq!(audit["items"][0]["action"], "update");

    // Made as the tokens page makes them: a token cannot make tokens.
    let (token, secret) = homeward_web::issue_api_token(
        app.store.as_ref(),
        &app.accounts[&Role::Commissioner].id,
        "short-lived".into(),
        homeward_web::TokenLifetime::DEFAULT,
        jiff::Timestamp::now(),
        "test",
    )
    .await
    .unwrap();
    let id = token.id.to_string();
    let with_new = |path: &'static str| {
        let secret = secret.clone();
        let app = &app;
        async move {
            app.send(
                "GET",
                path,
                Caller::Anonymous,
                None,
                "",
                &[("Authorization", &format!("Bearer {secret}"))],
            )
            .await
        }
    };
    assert_eq!(with_new("/api/v1/me").await.status, 200);
    assert_eq!(
        app.send(
            "DELETE",
            &format!("/api/v1/tokens/{id}"),
            client,
            None,
            "",
            &[]
        )
        .await
        .status,
        204
    );
    assert_eq!(with_new("/api/v1/me").await.status, 401);
    assert_eq!(
        app.send(
            "DELETE",
            &format!("/api/v1/tokens/{id}"),
            client,
            None,
            "",
            &[]
        )
        .await
        .status,
        404
    );
}

#[tokio::test]
async fn signing_in_sets_safe_cookies_and_too_many_failures_are_throttled() {
    let app = support::start(Backend::Sqlite).await;
    let form = app.get("/sign-in", Caller::Anonymous).await;
    let cookie = form
        .header("set-cookie")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let csrf = extract_hidden(&form.body, "csrf_token");
    let sign_in = |password: &'static str| {
        let body = format!(
            "email=provider%40test.example&password={password}&csrf_token={csrf}&next=%2Fpeople"
        );
        let cookie = cookie.clone();
        let app = &app;
        async move {
            app.send(
                "POST",
                "/sign-in",
                Caller::Anonymous,
                Some("application/x-www-form-urlencoded"),
                &body,
                &[("Cookie", &cookie)],
            )
            .await
        }
    };

    let refused = sign_in("wrong").await;
    assert_eq!(refused.status, 422);
    assert!(
        refused
            .body
            .contains("Enter a correct email address and password")
    );

    let good = sign_in("correct+horse+battery").await;
    assert_eq!(good.status, 303);
    assert_eq!(good.header("location"), Some("/people"));
    let session = good
        .headers_named("set-cookie")
        .into_iter()
        .find(|value| value.starts_with("homeward_session="))
        .unwrap()
        .to_owned();
    assert!(
        session.contains("HttpOnly") && session.contains("SameSite=Lax"),
        "{session}"
    );

    // Empty fields are named.
    let body = format!("email=&password=&csrf_token={csrf}");
    let empty = app
        .send(
            "POST",
            "/sign-in",
            Caller::Anonymous,
            Some("application/x-www-form-urlencoded"),
            &body,
            &[("Cookie", &cookie)],
        )
        .await;
    assert!(
        empty
            .body
            .contains("<a href=\"#email\">Enter an email address</a>")
    );
    assert!(
        empty
            .body
            .contains("<a href=\"#password\">Enter your password</a>")
    );

    // A form without the sign-in cookie's token is not accepted.
    let forged = app
        .post_form(
            "/sign-in",
            Caller::Anonymous,
            "email=provider%40test.example&password=correct+horse+battery&csrf_token=x",
        )
        .await;
    assert_eq!(
        (forged.status, forged.header("location")),
        (303, Some("/sign-in"))
    );

    for _ in 0..5 {
        sign_in("wrong").await;
    }
    let locked = sign_in("correct+horse+battery").await;
    assert_eq!(locked.status, 429);
    assert!(locked.body.contains("Too many failed attempts"));
}

#[tokio::test]
async fn the_openapi_document_describes_every_api_route() {
    let app = support::start(Backend::Sqlite).await;
    let document = app
        .get("/api/v1/openapi.json", Caller::Anonymous)
        .await
        .json();
    assert!(document["openapi"].as_str().unwrap().starts_with("3.1"));
    for route in homeward_web::ROUTES
        .iter()
        .filter(|route| route.path.starts_with("/api/v1/") && route.path != "/api/v1/openapi.json")
    {
        let operation = &document["paths"][route.path][route.method.to_lowercase()];
        assert!(
            operation.is_object(),
            "{} {} is not in the OpenAPI document",
            route.method,
            route.path
        );
        assert!(
            operation["responses"]["401"].is_object(),
            "{} {} does not document 401",
            route.method,
            route.path
        );
    }
}

#[tokio::test]
async fn a_broker_refers_someone_new_and_a_refused_referral_stores_no_one() {
    let app = support::start(Backend::Sqlite).await;
    let broker = Caller::Browser(Role::Broker);
    let csrf = csrf_token(Role::Broker);
    let area = app.ids.area.clone();
    let people_before = app.store.people().await.unwrap().len();
    // A referral made yesterday (UK), care needed from today: within the dates a referral may have.
    let today = jiff::Timestamp::now()
        .to_zoned(homeward_domain::london().clone())
        .date();
    let (yesterday, today, tomorrow) = (
        today.yesterday().unwrap().to_string(),
        today.to_string(),
        today.tomorrow().unwrap().to_string(),
    );
    let form = |name: &str, referred: &str, needed: &str| {
        let reference = if name.is_empty() { "" } else { "WSCC9990001" };
        format!(
            "csrf_token={csrf}&council_reference={reference}&new_name={name}&new_area={area}\
             &new_support_reason=memory-cognition&visit_pattern=daily+08%3A00+45m\
             &referred_on={referred}&needed_by={needed}&discharge_on=&route=community&funding_route=council-arranged"
        )
    };

    // Care needed before the referral: refused, naming the field, and nobody new is stored.
    let refused = app
        .post_form(
            "/referrals/new",
            broker,
            &form("Iris+Newcome", &today, &yesterday),
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(
        refused.body.contains("<a href=\"#needed_by\">"),
        "{}",
        refused.body
    );
    assert_eq!(app.store.people().await.unwrap().len(), people_before);

    let missing = app
        .post_form("/referrals/new", broker, &form("", &yesterday, &today))
        .await;
    assert_eq!(missing.status, 422);
    assert!(
        missing.body.contains(
            "<a href=\"#council_reference\">Enter the person&#39;s council reference</a>"
        ),
        "{}",
        missing.body
    );

    // Someone new needs their case reference and why they need support: nothing is made up.
    let unexplained = app
        .post_form(
            "/referrals/new",
            broker,
            &form("Iris+Newcome", &yesterday, &today)
                .replace("council_reference=WSCC9990001", "council_reference=")
                .replace("new_support_reason=memory-cognition", "new_support_reason="),
        )
        .await;
    assert_eq!(unexplained.status, 422);
    for (field, message) in [
        (
            "council_reference",
            "Enter the council reference of someone new",
        ),
        ("new_support_reason", "Choose why someone new needs support"),
    ] {
        assert!(
            unexplained
                .body
                .contains(&format!("<a href=\"#{field}\">{message}</a>")),
            "{field}: {}",
            unexplained.body
        );
    }
    assert_eq!(app.store.people().await.unwrap().len(), people_before);

    let placed = app
        .post_form(
            "/referrals/new",
            broker,
            &form("Iris+Newcome", &today, &tomorrow),
        )
        .await;
    assert_eq!(placed.status, 303, "{}", placed.body);
    assert!(
        placed
            .header("location")
            .unwrap()
            .starts_with("/referrals/ref_")
    );
    let people = app.store.people().await.unwrap();
    assert_eq!(people.len(), people_before + 1);
    let iris = people
        .iter()
        .find(|person| person.name == "Iris Newcome")
        .unwrap();
    assert_eq!(iris.area_id.as_str(), area);
    assert_eq!(iris.council_reference, "WSCC9990001");
    assert_eq!(
        iris.support_reason,
        homeward_domain::SupportReason::MemoryAndCognition
    );
}
