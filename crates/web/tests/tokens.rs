//! API tokens over the real server: made on the tokens page for a lifetime chosen up to a year,
//! shown with their expiry, refused once expired, and never made by a token. On SQLite and
//! PostgreSQL.

mod support;

use homeward_domain::{Role, TokenId};
use homeward_store::{ApiToken, Backend};
use jiff::{SignedDuration, Timestamp};
use support::{App, Caller, api_token, csrf_token, on_both};

/// The accounts' password, as the form sends it.
const CURRENT: &str = "current_password=correct+horse+battery";

/// Stores a token for `role` made `age` ago that works for `lifetime`; returns its secret.
async fn token_of(
    app: &App,
    role: Role,
    suffix: &str,
    age: SignedDuration,
    lifetime: SignedDuration,
) -> String {
    let created_at = Timestamp::now() - age;
    let token = ApiToken {
        id: TokenId::from_suffix(suffix).unwrap(),
        account_id: app.accounts[&role].id.clone(),
        name: format!("token {suffix}"),
        created_at,
        expires_at: created_at + lifetime,
        revoked_at: None,
    };
    let secret = format!("hw_secret-{suffix}");
    app.store
        .create_api_token(&token, &homeward_web::hash_secret(&secret), "test")
        .await
        .unwrap();
    secret
}

async fn me_with(app: &App, secret: &str) -> support::Response {
    let bearer = format!("Bearer {secret}");
    app.send(
        "GET",
        "/api/v1/me",
        Caller::Anonymous,
        None,
        "",
        &[("Authorization", bearer.as_str())],
    )
    .await
}

async fn an_expired_token_is_refused(backend: Backend) {
    let app = support::start(backend).await;
    let days = |days: i64| SignedDuration::from_hours(24 * days);
    let expired = token_of(&app, Role::Broker, "expired", days(91), days(90)).await;
    let live = token_of(&app, Role::Broker, "live", days(89), days(90)).await;
    let answer = me_with(&app, &expired).await;
    assert_eq!(answer.status, 401, "{}", answer.body);
    assert_eq!(answer.json()["error"]["code"], "unauthenticated");
    let answer = me_with(&app, &live).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.json()["id"], app.accounts[&Role::Broker].id.as_str());

    // The list says when each stops working.
    let listed = app
        .get("/api/v1/tokens", Caller::Client(Role::Broker))
        .await;
    assert_eq!(listed.status, 200);
    let items = listed.json()["items"].as_array().unwrap().clone();
    let expiry_of = |id: &str| {
        items
            .iter()
            .find(|item| item["id"] == id)
            .and_then(|item| item["expires_at"].as_str())
            .map(|text| text.parse::<Timestamp>().unwrap())
            .unwrap()
    };
    assert!(expiry_of("tok_expired") < Timestamp::now());
    assert!(expiry_of("tok_live") > Timestamp::now());
}

async fn a_token_cannot_make_a_token(backend: Backend) {
    let app = support::start(backend).await;
    for role in support::ROLES {
        let before = app.store.api_tokens(&app.accounts[&role].id).await.unwrap();
        let answer = app
            .send_json(
                "POST",
                "/api/v1/tokens",
                Caller::Client(role),
                r#"{"name":"made by a token"}"#,
            )
            .await;
        assert_eq!(answer.status, 403, "{role:?}: {}", answer.body);
        let error = &answer.json()["error"];
        assert_eq!(error["code"], "forbidden");
        assert!(
            error["message"]
                .as_str()
                .unwrap()
                .contains("/account/tokens"),
            "{error}"
        );
        assert_eq!(
            app.store.api_tokens(&app.accounts[&role].id).await.unwrap(),
            before,
            "{role:?}: no token made"
        );
    }
    // Without a token it is a 401 as everywhere.
    let answer = app
        .send_json("POST", "/api/v1/tokens", Caller::Anonymous, "{}")
        .await;
    assert_eq!(answer.status, 401);
    // The bearer token the tests use still works: nothing else changed.
    let me = app
        .send(
            "GET",
            "/api/v1/me",
            Caller::Anonymous,
            None,
            "",
            &[(
                "Authorization",
                format!("Bearer {}", api_token(Role::Broker)).as_str(),
            )],
        )
        .await;
    assert_eq!(me.status, 200);
}

async fn the_tokens_page_makes_tokens_for_the_lifetime_chosen(backend: Backend) {
    let app = support::start(backend).await;
    let role = Role::ProviderUser;
    let browser = Caller::Browser(role);
    let csrf = csrf_token(role);
    let account = &app.accounts[&role].id;

    // The form offers lifetimes up to a year, 90 days chosen unless the person changes it.
    let page = app.get("/account/tokens", browser).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("How long the token will work"));
    assert!(
        page.body
            .contains(r#"name="lifetime_days" type="radio" value="90" checked"#),
        "{}",
        page.body
    );
    for days in ["7", "30", "365"] {
        assert!(
            page.body.contains(&format!(
                r#"name="lifetime_days" type="radio" value="{days}">"#
            )),
            "{days}"
        );
    }

    let made = app
        .post_form(
            "/account/tokens",
            browser,
            &format!("csrf_token={csrf}&name=Rota+system&lifetime_days=30&{CURRENT}"),
        )
        .await;
    assert_eq!(made.status, 303, "{}", made.body);
    // A form without the choice (a script's) gets the default.
    let made = app
        .post_form(
            "/account/tokens",
            browser,
            &format!("csrf_token={csrf}&name=Nightly+export&{CURRENT}"),
        )
        .await;
    assert_eq!(made.status, 303, "{}", made.body);
    let tokens = app.store.api_tokens(account).await.unwrap();
    let lifetime_of = |name: &str| {
        let token = tokens.iter().find(|token| token.name == name).unwrap();
        token.expires_at.duration_since(token.created_at)
    };
    assert_eq!(
        lifetime_of("Rota system"),
        SignedDuration::from_hours(24 * 30)
    );
    assert_eq!(
        lifetime_of("Nightly export"),
        SignedDuration::from_hours(24 * 90)
    );

    // Each token's expiry is shown, and an expired one says so and has nothing to revoke.
    token_of(
        &app,
        role,
        "lapsed",
        SignedDuration::from_hours(24 * 8),
        SignedDuration::from_hours(24 * 7),
    )
    .await;
    let page = app.get("/account/tokens", browser).await;
    assert!(page.body.contains("Expires (UTC)"));
    for token in app.store.api_tokens(account).await.unwrap() {
        let expires = token.expires_at.strftime("%Y-%m-%d %H:%M").to_string();
        let row = page
            .body
            .split("<tr class=\"govuk-table__row\">")
            .find(|row| row.contains(&format!(">{}</th>", token.name)))
            .unwrap_or_else(|| panic!("a row for {}", token.name));
        assert!(row.contains(&expires), "{}: {row}", token.name);
        let expired = token.expires_at <= Timestamp::now();
        assert_eq!(row.contains(">Expired</strong>"), expired, "{row}");
        assert_eq!(row.contains(">Active</strong>"), !expired, "{row}");
        assert_eq!(row.contains("/revoke\""), !expired, "{row}");
    }

    // A lifetime not offered, or none chosen, is named by the field.
    for lifetime in ["400", "0", "", "forever"] {
        let refused = app
            .post_form(
                "/account/tokens",
                browser,
                &format!("csrf_token={csrf}&name=Too+long&lifetime_days={lifetime}&{CURRENT}"),
            )
            .await;
        assert_eq!(refused.status, 422, "{lifetime:?}");
        assert!(
            refused
                .body
                .contains(r##"<a href="#lifetime_days">Select how long the token will work</a>"##),
            "{}",
            refused.body
        );
        assert!(refused.body.contains(r#"id="lifetime_days-error""#));
        assert!(
            refused.body.contains(r#"value="Too long""#),
            "the name is kept"
        );
    }
    // Both fields wrong: both named.
    let refused = app
        .post_form(
            "/account/tokens",
            browser,
            &format!("csrf_token={csrf}&name=&lifetime_days=9999"),
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains(r##"<a href="#name">"##));
    assert!(refused.body.contains(r##"<a href="#lifetime_days">"##));
    assert_eq!(app.store.api_tokens(account).await.unwrap().len(), 4);
}

/// A token outlives the session that made it, so making one needs the current password,
/// checked through the sign-in throttle; without it, or with a wrong one, nothing is made.
async fn making_a_token_needs_the_current_password(backend: Backend) {
    let app = support::start(backend).await;
    let role = Role::Broker;
    let browser = Caller::Browser(role);
    let csrf = csrf_token(role);
    let account = &app.accounts[&role].id;
    let before = app.store.api_tokens(account).await.unwrap().len();

    let page = app.get("/account/tokens", browser).await;
    assert!(
        page.body
            .contains(r#"name="current_password" type="password" autocomplete="current-password""#),
        "{}",
        page.body
    );
    for (password, message) in [
        ("", "Enter your current password"),
        ("not+my+password", "Your current password is not right"),
    ] {
        let refused = app
            .post_form(
                "/account/tokens",
                browser,
                &format!("csrf_token={csrf}&name=Rota+system&current_password={password}"),
            )
            .await;
        assert_eq!(refused.status, 422, "{password:?}");
        assert!(
            refused
                .body
                .contains(&format!(r##"<a href="#current_password">{message}</a>"##)),
            "{}",
            refused.body
        );
        assert!(
            refused.body.contains(r#"value="Rota system""#),
            "the name is kept"
        );
        assert_eq!(app.store.api_tokens(account).await.unwrap().len(), before);
    }
    // Guessing is throttled as signing in is: four more wrong ones lock this client out.
    for _ in 0..4 {
        app.post_form(
            "/account/tokens",
            browser,
            &format!("csrf_token={csrf}&name=Rota+system&current_password=guess"),
        )
        .await;
    }
    let locked = app
        .post_form(
            "/account/tokens",
            browser,
            &format!("csrf_token={csrf}&name=Rota+system&{CURRENT}"),
        )
        .await;
    assert_eq!(locked.status, 429, "{}", locked.body);
    assert_eq!(app.store.api_tokens(account).await.unwrap().len(), before);

    // The right password, from a browser on another client, makes the token.
    let made = app
        .send(
            "POST",
            "/account/tokens",
            Caller::Browser(Role::ProviderUser),
            Some("application/x-www-form-urlencoded"),
            &format!(
                "csrf_token={}&name=Rota+system&{CURRENT}",
                csrf_token(Role::ProviderUser)
            ),
            &[],
        )
        .await;
    assert_eq!(made.status, 303, "{}", made.body);
    let provider = &app.accounts[&Role::ProviderUser].id;
    assert!(
        app.store
            .api_tokens(provider)
            .await
            .unwrap()
            .iter()
            .any(|token| token.name == "Rota system")
    );
}

/// A care worker's phone page and a person's own pages need no token: neither has the tokens
/// page or its link.
async fn care_workers_and_people_make_no_tokens(backend: Backend) {
    let app = support::start(backend).await;
    for role in [Role::CareWorker, Role::Person] {
        let browser = Caller::Browser(role);
        assert_eq!(
            app.get("/account/tokens", browser).await.status,
            403,
            "{role:?}"
        );
        let account = &app.accounts[&role].id;
        let before = app.store.api_tokens(account).await.unwrap().len();
        let refused = app
            .post_form(
                "/account/tokens",
                browser,
                &format!("csrf_token={}&name=Mine&{CURRENT}", csrf_token(role)),
            )
            .await;
        assert_eq!(refused.status, 403, "{role:?}");
        assert_eq!(app.store.api_tokens(account).await.unwrap().len(), before);
        let home = app.get("/account/password", browser).await;
        assert!(!home.body.contains(r#"href="/account/tokens""#), "{role:?}");
    }
    let broker = app
        .get("/account/password", Caller::Browser(Role::Broker))
        .await;
    assert!(broker.body.contains(r#"href="/account/tokens""#));
}

on_both!(
    making_a_token_needs_the_current_password,
    care_workers_and_people_make_no_tokens,
    an_expired_token_is_refused,
    a_token_cannot_make_a_token,
    the_tokens_page_makes_tokens_for_the_lifetime_chosen
);
