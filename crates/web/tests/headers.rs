//! Every response of the server carries the security headers: a content security policy that
//! forbids inline script, no framing, no sniffing, a referrer policy, HSTS when the server is
//! reached over TLS, and `Cache-Control: no-store` on everything that is not public. The test
//! walks every route of `ROUTES`, as a caller allowed it and as nobody, plus the compiled assets,
//! a page and an API address that do not exist, and a method a path does not take; every HTML page
//! it gets back must also hold no inline script, style or event handler, which the policy would
//! block in a browser.

mod support;

use homeward_domain::Role;
use homeward_store::Backend;
use homeward_web::{Access, ROUTES, Route};
use std::collections::BTreeMap;
use std::path::PathBuf;
use support::{App, Caller, Response, csrf_token, record_path};

/// What a route's walk sends and expects.
struct Visit {
    label: String,
    method: &'static str,
    path: String,
    caller: Caller,
    /// Whether the response may be kept by a browser or a proxy (compiled assets, public scripts).
    may_be_cached: bool,
}

/// The directives the policy must hold, exactly.
const REQUIRED_DIRECTIVES: &[(&str, &str)] = &[
    ("default-src", "'self'"),
    ("script-src", "'self'"),
    ("style-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'none'"),
    ("form-action", "'self'"),
    ("frame-ancestors", "'none'"),
];

/// A folder of compiled assets of the test's own, so that the test does not depend on
/// `scripts/build-assets.sh` having run.
fn assets_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("headers-assets");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("homeward.css"), "body { margin: 0 }\n").unwrap();
    dir
}

async fn start(secure_cookies: bool) -> App {
    let config = homeward_web::WebConfig {
        assets_dir: assets_dir(),
        secure_cookies,
        roster_seconds_per_day: 0.5,
        ..homeward_web::WebConfig::default()
    };
    support::start_with(Backend::Sqlite, config).await
}

/// A caller the route lets in: anybody for a public route, otherwise a role it allows, through
/// a browser session for pages and an API token for the API.
fn allowed_caller(route: &Route) -> Caller {
    let role = match route.access {
        Access::Public => return Caller::Anonymous,
        Access::SignedIn => Role::Commissioner,
        Access::Roles(roles) => roles[0],
    };
    if route.path.starts_with("/api/") {
        Caller::Client(role)
    } else {
        Caller::Browser(role)
    }
}

/// Every route as a caller allowed it and as nobody, then the assets, not found and a wrong
/// method. Signing out ends the session the other visits use, so it goes last.
fn visits(app: &App) -> Vec<Visit> {
    let mut routes: Vec<&Route> = ROUTES.iter().collect();
    routes.sort_by_key(|route| route.path == "/sign-out");
    let mut visits = Vec::new();
    for route in routes {
        let path = record_path(app, route.path);
        let public_script = route.access == Access::Public && route.path.ends_with(".js");
        let mut callers = vec![allowed_caller(route)];
        if route.access != Access::Public {
            callers.push(Caller::Anonymous);
        }
        for caller in callers {
            visits.push(Visit {
                label: format!("{} {} as {caller:?}", route.method, route.path),
                method: route.method,
                path: path.clone(),
                caller,
                may_be_cached: public_script,
            });
        }
    }
    let commissioner = Caller::Browser(Role::Commissioner);
    for (label, method, path, caller, may_be_cached) in [
        (
            "a compiled asset",
            "GET",
            "/assets/homeward.css",
            Caller::Anonymous,
            true,
        ),
        (
            "a missing asset",
            "GET",
            "/assets/missing.css",
            Caller::Anonymous,
            true,
        ),
        (
            "a page that does not exist",
            "GET",
            "/no-such-page",
            commissioner,
            false,
        ),
        (
            "an API address that does not exist",
            "GET",
            "/api/v1/no-such",
            Caller::Client(Role::Commissioner),
            false,
        ),
        (
            "a method a page does not take",
            "PUT",
            "/market",
            commissioner,
            false,
        ),
        (
            "a method the API does not take",
            "PUT",
            "/api/v1/areas",
            Caller::Client(Role::Commissioner),
            false,
        ),
    ] {
        visits.push(Visit {
            label: label.to_owned(),
            method,
            path: path.to_owned(),
            caller,
            may_be_cached,
        });
    }
    visits
}

async fn send(app: &App, visit: &Visit) -> Response {
    let api = visit.path.starts_with("/api/");
    match (visit.method, api) {
        ("GET", _) => app.get(&visit.path, visit.caller).await,
        (method, true) => app.send_json(method, &visit.path, visit.caller, "{}").await,
        (method, false) => {
            let csrf = match visit.caller {
                Caller::Browser(role) => csrf_token(role),
                _ => String::new(),
            };
            app.send(
                method,
                &visit.path,
                visit.caller,
                Some("application/x-www-form-urlencoded"),
                &format!("csrf_token={csrf}"),
                &[],
            )
            .await
        }
    }
}

/// The policy's directives: name → sources.
fn directives(policy: &str) -> BTreeMap<String, Vec<String>> {
    policy
        .split(';')
        .filter_map(|directive| {
            let mut words = directive.split_whitespace();
            let name = words.next()?.to_ascii_lowercase();
            Some((name, words.map(str::to_owned).collect()))
        })
        .collect()
}

/// What is wrong with the content security policy.
fn policy_problems(policy: &str) -> Vec<String> {
    let directives = directives(policy);
    let mut problems = Vec::new();
    for (name, source) in REQUIRED_DIRECTIVES {
        if directives.get(*name).map(Vec::as_slice) != Some(&[(*source).to_owned()]) {
            problems.push(format!("{name} is not just {source}"));
        }
    }
    for (name, sources) in &directives {
        for source in sources {
            let lax = source.starts_with("'unsafe-")
                || source.contains('*')
                || (name.starts_with("script") && source.ends_with(':'));
            if lax {
                problems.push(format!("{name} allows {source}"));
            }
        }
    }
    problems
}

/// Inline script, inline style and event handler attributes in an HTML page: the policy blocks
/// them, so a page holding one is broken in a browser.
fn inline_code(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        let Some(end) = rest[start..].find('>') else {
            break;
        };
        let tag = &rest[start..start + end + 1];
        let lower = tag.to_ascii_lowercase();
        if lower.starts_with("<script") && !lower.contains(" src=") {
            found.push(format!("inline script: {tag}"));
        }
        let attributes = lower.split_whitespace().skip(1);
        for attribute in attributes {
            let name = attribute.split('=').next().unwrap_or_default();
            let handler = name.len() > 2
                && name.starts_with("on")
                && name[2..].chars().all(|c| c.is_ascii_lowercase());
            if name == "style" || (handler && attribute.contains('=')) {
                found.push(format!("{name} attribute: {tag}"));
            }
        }
        if lower.contains("javascript:") {
            found.push(format!("javascript: address: {tag}"));
        }
        rest = &rest[start + end + 1..];
    }
    found
}

/// What is wrong with one response's headers (and, for a page, its markup).
fn problems(response: &Response, visit: &Visit, hsts: bool) -> Vec<String> {
    let mut problems = Vec::new();
    let once = |name: &str, problems: &mut Vec<String>| -> Option<String> {
        let values = response.headers_named(name);
        match values.as_slice() {
            [value] => Some((*value).to_owned()),
            [] => {
                problems.push(format!("no {name}"));
                None
            }
            _ => {
                problems.push(format!("{name} given {} times: {values:?}", values.len()));
                None
            }
        }
    };
    if let Some(policy) = once("content-security-policy", &mut problems) {
        problems.extend(policy_problems(&policy));
    }
    for (name, expected) in [
        ("x-frame-options", "DENY"),
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "same-origin"),
    ] {
        if let Some(value) = once(name, &mut problems)
            && !value.eq_ignore_ascii_case(expected)
        {
            problems.push(format!("{name} is {value}, not {expected}"));
        }
    }
    let transport = response.headers_named("strict-transport-security");
    if hsts {
        if let Some(value) = once("strict-transport-security", &mut problems) {
            let max_age = value
                .split(';')
                .find_map(|part| part.trim().strip_prefix("max-age="))
                .and_then(|seconds| seconds.parse::<u64>().ok());
            if max_age.is_none_or(|seconds| seconds < 31_536_000) {
                problems.push(format!(
                    "strict-transport-security is {value}: under a year"
                ));
            }
        }
    } else if !transport.is_empty() {
        problems.push(format!(
            "strict-transport-security {transport:?} over plain HTTP"
        ));
    }
    if let Some(cache) = once("cache-control", &mut problems) {
        let no_store = cache
            .split(',')
            .any(|directive| directive.trim().eq_ignore_ascii_case("no-store"));
        if !visit.may_be_cached && !no_store {
            problems.push(format!("cache-control is {cache}, without no-store"));
        }
    }
    // Nothing says what software answers (ASVS 14.3.3).
    for name in ["server", "x-powered-by"] {
        if let Some(value) = response.header(name) {
            problems.push(format!("{name} says {value}"));
        }
    }
    // Every body says what it is, and text its character set (ASVS 14.4.1).
    match response.header("content-type") {
        None if !response.body.is_empty() => problems.push("a body without content-type".into()),
        Some(kind) if kind.starts_with("text/") && !kind.contains("charset=") => {
            problems.push(format!("content-type {kind} without a charset"));
        }
        _ => {}
    }
    let html = response
        .header("content-type")
        .is_some_and(|kind| kind.starts_with("text/html"));
    if html {
        problems.extend(inline_code(&response.body));
    }
    problems
}

async fn every_response_carries_the_headers(secure_cookies: bool) {
    let app = start(secure_cookies).await;
    let mut failures = Vec::new();
    let visits = visits(&app);
    assert!(visits.len() > ROUTES.len(), "the walk covers the routes");
    for visit in &visits {
        let response = send(&app, visit).await;
        assert_ne!(response.status, 0, "{}: no response", visit.label);
        for problem in problems(&response, visit, secure_cookies) {
            failures.push(format!(
                "{} ({} {}): {problem}",
                visit.label, visit.method, response.status
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_response_carries_the_security_headers() {
    every_response_carries_the_headers(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_response_over_tls_also_carries_strict_transport_security() {
    every_response_carries_the_headers(true).await;
}

/// Only the compiled assets are served from disk: no listing of their folder, nothing outside
/// it, no metadata files (ASVS 4.3.2, 12.5.1).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_but_the_compiled_assets_is_served_from_disk() {
    let app = start(false).await;
    assert_eq!(
        app.get("/assets/homeward.css", Caller::Anonymous)
            .await
            .status,
        200
    );
    for path in [
        "/assets/",
        "/assets",
        "/.git/config",
        "/assets/../Cargo.toml",
        "/assets/%2e%2e/Cargo.toml",
        "/assets/..%2f..%2fCargo.toml",
        "/Cargo.toml",
        "/.env",
    ] {
        let answer = app.get(path, Caller::Anonymous).await;
        assert!(
            matches!(answer.status, 400 | 404),
            "{path} answered {}: {}",
            answer.status,
            answer.body
        );
        assert!(
            !answer.body.contains("[package]") && !answer.body.contains("Index of"),
            "{path} gave away a file or a listing: {}",
            answer.body
        );
    }
}

#[test]
fn the_checks_see_inline_code_and_a_lax_policy() {
    let page = r#"<body><script>alert(1)</script><p style="color: red" onclick="x()">Hi</p>
        <script type="module" src="/assets/govuk-init.js"></script><a href="javascript:x()">x</a></body>"#;
    let found = inline_code(page);
    assert_eq!(found.len(), 4, "{found:?}");
    assert!(
        inline_code(r#"<p class="online">Sent on time</p><script src="/a.js"></script>"#)
            .is_empty()
    );
    let lax = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self'; \
               object-src 'none'; base-uri 'none'; form-action 'self'";
    let problems = policy_problems(lax);
    assert_eq!(problems.len(), 3, "{problems:?}");
}
