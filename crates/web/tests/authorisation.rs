//! The authorisation matrix: every route, for every role and for nobody, allowed or denied as
//! specified here — independently of the route table, which must list exactly these routes.
//! Then record scope: a provider never sees another provider's people, workers or contracts,
//! on SQLite and on PostgreSQL.

mod support;

use homeward_domain::Role;
use homeward_store::Backend;
use std::collections::BTreeSet;
use support::{App, Caller, ROLES, concrete_path, csrf_token};

/// What a caller should get.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// Served (2xx, or a redirect that is not to sign-in).
    Allow,
    /// Refused for the role: 403.
    Deny,
    /// Not signed in: redirected to sign in (pages) or 401 (API).
    SignIn,
}

use Outcome::{Allow as A, Deny as D, SignIn as S};

/// Method, path, then the outcome for commissioner, broker, provider, care worker, person,
/// and nobody. Ids in paths are records the provider, care worker and person may see.
const MATRIX: &[(&str, &str, [Outcome; 6])] = &[
    ("GET", "/health", [A, A, A, A, A, A]),
    ("GET", "/", [A, A, A, A, A, S]),
    ("GET", "/sign-in", [A, A, A, A, A, A]),
    ("POST", "/sign-in", [A, A, A, A, A, A]),
    ("POST", "/sign-out", [A, A, A, A, A, S]),
    ("GET", "/market", [A, A, A, D, D, S]),
    ("GET", "/areas/{id}", [A, A, A, D, D, S]),
    ("GET", "/areas/{id}/edit", [A, D, D, D, D, S]),
    ("POST", "/areas/{id}/edit", [A, D, D, D, D, S]),
    ("GET", "/providers", [A, A, D, D, D, S]),
    ("GET", "/providers/{id}", [A, A, A, D, D, S]),
    ("GET", "/people", [A, A, A, D, D, S]),
    ("GET", "/people/{id}", [A, A, A, D, A, S]),
    ("GET", "/workers", [D, D, A, D, D, S]),
    ("GET", "/workers/{id}", [D, D, A, A, D, S]),
    ("GET", "/audit", [A, D, D, D, D, S]),
    ("GET", "/referrals", [A, A, D, D, D, S]),
    ("GET", "/referrals/new", [D, A, D, D, D, S]),
    ("POST", "/referrals/new", [D, A, D, D, D, S]),
    ("GET", "/referrals/{id}", [A, A, D, D, D, S]),
    ("POST", "/referrals/{id}/advance", [D, A, D, D, D, S]),
    ("POST", "/referrals/{id}/reablement", [D, A, D, D, D, S]),
    ("GET", "/pickups", [A, A, D, D, D, S]),
    ("GET", "/offers", [D, D, A, D, D, S]),
    ("GET", "/offers/{id}", [D, D, A, D, D, S]),
    ("POST", "/offers/{id}", [D, D, A, D, D, S]),
    ("GET", "/capacity", [D, D, A, D, D, S]),
    ("POST", "/capacity", [D, D, A, D, D, S]),
    // Tokens are for systems: the council's and providers'; a care worker and a person make none.
    ("GET", "/account/tokens", [A, A, A, D, D, S]),
    ("POST", "/account/tokens", [A, A, A, D, D, S]),
    ("POST", "/account/tokens/{id}/revoke", [A, A, A, D, D, S]),
    ("GET", "/account/password", [A, A, A, A, A, S]),
    ("POST", "/account/password", [A, A, A, A, A, S]),
    ("GET", "/account/sessions", [A, A, A, A, A, S]),
    ("POST", "/account/sessions/end-others", [A, A, A, A, A, S]),
    ("GET", "/api/v1/openapi.json", [A, A, A, A, A, A]),
    ("GET", "/api/v1/me", [A, A, A, A, A, S]),
    ("GET", "/api/v1/areas", [A, A, A, D, D, S]),
    ("GET", "/api/v1/areas/{id}", [A, A, A, D, D, S]),
    ("PATCH", "/api/v1/areas/{id}", [A, D, D, D, D, S]),
    ("GET", "/api/v1/providers", [A, A, D, D, D, S]),
    ("GET", "/api/v1/providers/{id}", [A, A, A, D, D, S]),
    ("GET", "/api/v1/people", [A, A, A, D, D, S]),
    ("GET", "/api/v1/people/{id}", [A, A, A, D, A, S]),
    ("GET", "/api/v1/workers", [D, D, A, D, D, S]),
    ("GET", "/api/v1/workers/{id}", [D, D, A, A, D, S]),
    ("GET", "/api/v1/audit", [A, D, D, D, D, S]),
    ("GET", "/api/v1/referrals", [A, A, D, D, D, S]),
    ("POST", "/api/v1/referrals", [D, A, D, D, D, S]),
    ("GET", "/api/v1/referrals/{id}", [A, A, D, D, D, S]),
    ("GET", "/api/v1/offers", [D, D, A, D, D, S]),
    ("POST", "/api/v1/offers/{id}/answer", [D, D, A, D, D, S]),
    ("GET", "/api/v1/pickups", [A, A, D, D, D, S]),
    ("GET", "/api/v1/capacity", [D, D, A, D, D, S]),
    ("POST", "/api/v1/capacity", [D, D, A, D, D, S]),
    ("POST", "/api/v1/call-events", [D, D, A, A, D, S]),
    ("GET", "/api/v1/tokens", [A, A, A, A, A, S]),
    // A token cannot make tokens: a person makes them signed in, on /account/tokens.
    ("POST", "/api/v1/tokens", [D, D, D, D, D, S]),
    ("DELETE", "/api/v1/tokens/{id}", [A, A, A, A, A, S]),
    // Payments.
    ("GET", "/invoices", [A, A, A, D, D, S]),
    (
        "GET",
        "/invoices/{provider_id}/{period}",
        [A, A, A, D, D, S],
    ),
    (
        "POST",
        "/invoices/{provider_id}/{period}/issue",
        [D, D, A, D, D, S],
    ),
    ("GET", "/reconciliation", [A, A, A, D, D, S]),
    ("GET", "/reconciliation/lines.csv", [A, A, A, D, D, S]),
    ("GET", "/api/v1/invoices", [A, A, A, D, D, S]),
    (
        "GET",
        "/api/v1/invoices/{provider_id}/{period}",
        [A, A, A, D, D, S],
    ),
    (
        "POST",
        "/api/v1/invoices/{provider_id}/{period}/issue",
        [D, D, A, D, D, S],
    ),
    ("GET", "/api/v1/reconciliation", [A, A, A, D, D, S]),
    // Call monitoring.
    ("GET", "/monitoring", [A, A, A, D, D, S]),
    ("GET", "/visits/{id}", [A, A, A, D, D, S]),
    ("POST", "/visits/{id}/corrections", [D, D, A, D, D, S]),
    ("GET", "/api/v1/monitoring", [A, A, A, D, D, S]),
    (
        "POST",
        "/api/v1/visits/{id}/corrections",
        [D, D, A, D, D, S],
    ),
    // The care worker's phone page.
    ("GET", "/today", [D, D, D, A, D, S]),
    ("POST", "/today/events", [D, D, D, A, D, S]),
    ("GET", "/phone-sw.js", [A, A, A, A, A, A]),
    // Rostering.
    ("GET", "/workers/{id}/runs.ics", [D, D, A, A, D, S]),
    ("GET", "/rosters", [D, D, A, D, D, S]),
    ("POST", "/rosters/plan", [D, D, A, D, D, S]),
    ("GET", "/rosters/{id}", [D, D, A, D, D, S]),
    ("POST", "/rosters/{id}/publish", [D, D, A, D, D, S]),
    ("GET", "/rosters/{id}/move", [D, D, A, D, D, S]),
    ("POST", "/rosters/{id}/move", [D, D, A, D, D, S]),
    // Rostering API.
    ("GET", "/api/v1/rosters", [D, D, A, D, D, S]),
    ("POST", "/api/v1/rosters", [D, D, A, D, D, S]),
    ("GET", "/api/v1/rosters/{id}", [D, D, A, D, D, S]),
    ("POST", "/api/v1/rosters/{id}/move", [D, D, A, D, D, S]),
    ("POST", "/api/v1/rosters/{id}/publish", [D, D, A, D, D, S]),
    ("GET", "/api/v1/workers/{id}/runs.ics", [D, D, A, A, D, S]),
    // Fair work figures.
    ("GET", "/fair-work", [A, A, D, D, D, S]),
    ("GET", "/providers/{id}/fair-work", [A, A, A, D, D, S]),
    ("GET", "/api/v1/fair-work", [A, A, A, D, D, S]),
];

#[test]
fn the_matrix_lists_exactly_the_routes_of_the_application() {
    let routes: BTreeSet<(&str, &str)> = homeward_web::ROUTES
        .iter()
        .map(|route| (route.method, route.path))
        .collect();
    let matrix: BTreeSet<(&str, &str)> = MATRIX
        .iter()
        .map(|(method, path, _)| (*method, *path))
        .collect();
    let missing: Vec<_> = routes.difference(&matrix).collect();
    let stale: Vec<_> = matrix.difference(&routes).collect();
    assert!(
        missing.is_empty(),
        "routes missing from the authorisation matrix: {missing:?}"
    );
    assert!(
        stale.is_empty(),
        "matrix rows for routes that do not exist: {stale:?}"
    );
    assert_eq!(
        MATRIX.len(),
        homeward_web::ROUTES.len(),
        "a route is listed twice"
    );
}

async fn make_token_to_revoke(app: &App, role: Role, id: &str) {
    let token = homeward_store::ApiToken {
        id: homeward_domain::TokenId::parse(id, "id").unwrap(),
        account_id: app.accounts[&role].id.clone(),
        name: "to revoke".into(),
        created_at: jiff::Timestamp::now(),
        expires_at: jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24),
        revoked_at: None,
    };
    app.store
        .create_api_token(
            &token,
            &homeward_web::hash_secret(&format!("secret-{id}")),
            "test",
        )
        .await
        .unwrap();
}

async fn call(app: &App, method: &str, path: &str, role: Option<Role>) -> support::Response {
    let api = path.starts_with("/api/");
    let caller = match (role, api) {
        (None, _) => Caller::Anonymous,
        (Some(role), false) => Caller::Browser(role),
        (Some(role), true) => Caller::Client(role),
    };
    let csrf = role.map(csrf_token).unwrap_or_default();
    // Rostering API: a plan of worker A's branch for the test visit's day, and a
    // move of that visit off every run, as JSON.
    if let Some(body) = rostering_api_body(app, method, path) {
        return app.send_json(method, path, caller, &body).await;
    }
    match (method, path) {
        ("POST", "/sign-in") => {
            app.post_form(
                path,
                caller,
                "email=nobody%40test.example&password=wrong&csrf_token=x",
            )
            .await
        }
        ("POST", _) if path.ends_with("/edit") => {
            app.post_form(
                path,
                caller,
                &format!("csrf_token={csrf}&name=Bognor+East&district=Arun&tier=1"),
            )
            .await
        }
        ("POST", _) if path.ends_with("/move") => {
            app.post_form(
                path,
                caller,
                &format!(
                    "csrf_token={csrf}&visit_id={}&part=0&worker_id=none",
                    app.ids.roster_visit.id
                ),
            )
            .await
        }
        ("POST", _) if !api => {
            app.post_form(path, caller, &format!("csrf_token={csrf}&name=matrix"))
                .await
        }
        ("POST", _) => {
            app.send_json("POST", path, caller, r#"{"name":"matrix"}"#)
                .await
        }
        ("PATCH", _) => {
            app.send_json("PATCH", path, caller, r#"{"rural":false}"#)
                .await
        }
        (method, _) => app.send(method, path, caller, None, "", &[]).await,
    }
}

/// The JSON body of a rostering API call that takes one.
fn rostering_api_body(app: &App, method: &str, path: &str) -> Option<String> {
    let visit = &app.ids.roster_visit;
    match (method, path) {
        ("POST", "/api/v1/rosters") => {
            let branch = &app
                .market
                .workers
                .iter()
                .find(|worker| worker.id == app.ids.worker_a)?
                .branch_id;
            Some(format!(
                r#"{{"branch_id":"{branch}","date":"{}","span":"day"}}"#,
                visit.dated.date
            ))
        }
        ("POST", _) if path.starts_with("/api/v1/rosters/") && path.ends_with("/move") => Some(
            format!(r#"{{"visit_id":"{}","part":0,"worker_id":null}}"#, visit.id),
        ),
        _ => None,
    }
}

fn observed(response: &support::Response, api: bool) -> Outcome {
    let to_sign_in = response
        .header("location")
        .is_some_and(|location| location.starts_with("/sign-in?next="));
    match response.status {
        401 if api => Outcome::SignIn,
        303 if to_sign_in => Outcome::SignIn,
        403 => Outcome::Deny,
        200..=399 | 422 => Outcome::Allow,
        other => panic!("unexpected status {other}: {}", response.body),
    }
}

#[tokio::test]
async fn every_route_allows_and_denies_each_role_as_specified() {
    let app = support::start(Backend::Sqlite).await;
    let mut failures = Vec::new();
    let callers: Vec<Option<Role>> = ROLES.iter().copied().map(Some).chain([None]).collect();
    // Signing out ends the session the other rows use, so it goes last.
    let mut rows: Vec<_> = MATRIX.iter().collect();
    rows.sort_by_key(|(_, path, _)| *path == "/sign-out");
    for (method, path, expected) in rows {
        for (caller, expected) in callers.iter().zip(expected) {
            let concrete = concrete_path(&app, method, path, *caller);
            if let (Some(role), true) = (caller, path.contains("/tokens/")) {
                make_token_to_revoke(
                    &app,
                    *role,
                    concrete
                        .rsplit('/')
                        .find(|part| part.starts_with("tok_"))
                        .unwrap(),
                )
                .await;
            }
            let response = call(&app, method, &concrete, *caller).await;
            let got = observed(&response, path.starts_with("/api/"));
            if got != *expected {
                failures.push(format!(
                    "{method} {path} as {caller:?}: expected {expected:?}, got {got:?} ({})",
                    response.status
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

async fn provider_sees_only_its_own(backend: Backend) {
    let app = support::start(backend).await;
    let ids = &app.ids;
    let provider = Caller::Client(Role::ProviderUser);
    let browser = Caller::Browser(Role::ProviderUser);

    // The API lists only the people the provider serves, and none of B's.
    let served: BTreeSet<String> = app
        .market
        .packages
        .iter()
        .filter(|package| package.provider_id.as_ref() == Some(&ids.provider_a))
        .map(|package| package.person_id.to_string())
        .collect();
    let listed = app
        .get("/api/v1/people?per_page=200", provider)
        .await
        .json();
    assert_eq!(listed["total"].as_u64().unwrap() as usize, served.len());
    let mut listed_ids = BTreeSet::new();
    for page in 1..=listed["total"].as_u64().unwrap().div_ceil(200) {
        let body = app
            .get(
                &format!("/api/v1/people?per_page=200&page={page}"),
                provider,
            )
            .await
            .json();
        for item in body["items"].as_array().unwrap() {
            listed_ids.insert(item["id"].as_str().unwrap().to_owned());
        }
    }
    assert_eq!(listed_ids, served);
    assert!(!listed_ids.contains(ids.person_b.as_str()));

    // Another provider's person, worker and provider record are not found, in API and pages,
    // as an id that names nothing is.
    for path in [
        format!("/api/v1/people/{}", ids.person_b),
        format!("/api/v1/workers/{}", ids.worker_b),
        format!("/api/v1/providers/{}", ids.provider_b),
        "/api/v1/people/per_nobody".to_owned(),
        "/api/v1/workers/not-an-id".to_owned(),
    ] {
        let response = app.get(&path, provider).await;
        assert_eq!(response.status, 404, "{path}: {}", response.body);
        assert_eq!(response.json()["error"]["code"], "not_found");
    }
    for path in [
        format!("/people/{}", ids.person_b),
        format!("/workers/{}", ids.worker_b),
        format!("/providers/{}", ids.provider_b),
        "/people/per_nobody".to_owned(),
        "/providers/not-an-id".to_owned(),
    ] {
        assert_eq!(app.get(&path, browser).await.status, 404, "{path}");
    }

    // Workers: only A's branches' staff.
    let workers = app
        .get("/api/v1/workers?per_page=200", provider)
        .await
        .json();
    let branches_a: BTreeSet<String> = app
        .market
        .branches
        .iter()
        .filter(|branch| branch.provider_id == ids.provider_a)
        .map(|branch| branch.id.to_string())
        .collect();
    for worker in workers["items"].as_array().unwrap() {
        assert!(
            branches_a.contains(worker["branch_id"].as_str().unwrap()),
            "{worker}"
        );
    }
    assert!(workers["total"].as_u64().unwrap() > 0);

    // Its own provider record shows its contracts; the people page names none of B's people.
    let own = app
        .get(&format!("/api/v1/providers/{}", ids.provider_a), provider)
        .await
        .json();
    let contracts = own["contracts"]
        .as_array()
        .expect("a provider sees its own contracts");
    assert!(!contracts.is_empty());
    let person_b = app
        .market
        .people
        .iter()
        .find(|person| person.id == ids.person_b)
        .unwrap();
    let mut page = 1;
    loop {
        let response = app.get(&format!("/people?page={page}"), browser).await;
        assert!(
            !response.body.contains(&format!("/people/{}", person_b.id)),
            "page {page} links to B's person"
        );
        if !response.body.contains("rel=\"next\"") {
            break;
        }
        page += 1;
    }

    // The care worker and the person see only themselves.
    assert_eq!(
        app.get(
            &format!("/api/v1/workers/{}", ids.worker_b),
            Caller::Client(Role::CareWorker)
        )
        .await
        .status,
        404
    );
    assert_eq!(
        app.get(
            &format!("/api/v1/people/{}", ids.person_b),
            Caller::Client(Role::Person)
        )
        .await
        .status,
        404
    );
    assert_eq!(
        app.get(
            &format!("/people/{}", ids.person_b),
            Caller::Browser(Role::Person)
        )
        .await
        .status,
        404
    );
}

#[tokio::test]
async fn a_provider_never_sees_another_providers_records_on_sqlite() {
    provider_sees_only_its_own(Backend::Sqlite).await;
}

#[tokio::test]
async fn a_provider_never_sees_another_providers_records_on_postgres() {
    provider_sees_only_its_own(Backend::Postgres).await;
}
