//! The server's log over a real server: each request is logged by its route's template with its
//! status, latency and account id, never a person's details; refused sign-ins, API tokens and
//! forms are warnings that name the client and never what was typed.
//!
//! The server answers on Tokio's worker threads, which a subscriber set for one thread would not
//! reach, so this binary installs one global subscriber writing to a buffer, and its tests take
//! turns so that each reads only its own lines.

mod support;

use homeward_domain::Role;
use homeward_store::Backend;
use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};
use support::{App, Caller, csrf_token};

/// What the subscriber has written since it was last drained.
static LOG: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
/// One test at a time, so that the log holds only its requests.
static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// A writer appending to the shared buffer.
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The buffer, with the subscriber installed on first use: every level of the web crate, as
/// text without colours.
fn log() -> &'static Arc<Mutex<Vec<u8>>> {
    LOG.get_or_init(|| {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let writer = buffer.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new("homeward_web=debug"))
            .with_ansi(false)
            .with_writer(move || Captured(writer.clone()))
            .finish();
        tracing::subscriber::set_global_default(subscriber).unwrap();
        buffer
    })
}

/// The lines logged since the last call.
fn drain() -> Vec<String> {
    let bytes = std::mem::take(&mut *log().lock().unwrap());
    String::from_utf8(bytes)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

/// The one line holding every piece of `parts`, which there must be exactly one of.
fn line_with<'a>(lines: &'a [String], parts: &[&str]) -> &'a str {
    let found: Vec<&String> = lines
        .iter()
        .filter(|line| parts.iter().all(|part| line.contains(part)))
        .collect();
    assert_eq!(found.len(), 1, "one line with {parts:?} in {lines:#?}");
    found[0]
}

/// A fresh server, and this test's turn with the log.
async fn start() -> (App, tokio::sync::MutexGuard<'static, ()>) {
    let turn = TURN.lock().await;
    log();
    let app = support::start(Backend::Sqlite).await;
    drain();
    (app, turn)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_is_logged_by_its_route_with_status_latency_and_account_only() {
    let (app, _turn) = start().await;
    let commissioner = &app.accounts[&Role::Commissioner];
    let person = app.ids.person_a.to_string();

    let page = app
        .get(
            &format!("/people/{person}"),
            Caller::Browser(Role::Commissioner),
        )
        .await;
    assert_eq!(page.status, 200);
    let lines = drain();
    let account = format!("account={}", commissioner.id);
    let answered = line_with(&lines, &["route=/people/{id}", "answered"]);
    for part in [
        "DEBUG",
        "method=GET",
        "status=200",
        "latency_ms=",
        &account,
        "client=127.0.0.1",
    ] {
        assert!(answered.contains(part), "{part} in {answered}");
    }
    let everything = lines.join("\n");
    for personal in [
        person.as_str(),
        commissioner.email.as_str(),
        commissioner.name.as_str(),
    ] {
        assert!(!everything.contains(personal), "{personal} in {everything}");
    }

    // The API's answers too, with the token's account; a record not found is worth a look.
    let missing = app
        .get(
            "/api/v1/people/per_missing",
            Caller::Client(Role::Commissioner),
        )
        .await;
    assert_eq!(missing.status, 404);
    let lines = drain();
    let answered = line_with(&lines, &["route=/api/v1/people/{id}", "answered"]);
    assert!(answered.contains(" INFO "), "{answered}");
    assert!(answered.contains("status=404"), "{answered}");
    assert!(answered.contains(&account), "{answered}");
    assert!(!answered.contains("per_missing"), "{answered}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_sign_in_is_a_warning_without_the_password_or_the_email() {
    let (app, _turn) = start().await;
    let commissioner = &app.accounts[&Role::Commissioner];
    let email = commissioner.email.as_str();
    let password = "a guess of 2026";

    let body = format!(
        "email={}&password={}&csrf_token=form-token&next=%2F",
        email.replace('@', "%40"),
        password.replace(' ', "+")
    );
    let answer = app
        .send(
            "POST",
            "/sign-in",
            Caller::Anonymous,
            Some("application/x-www-form-urlencoded"),
            &body,
            &[("Cookie", "homeward_sign_in=form-token")],
        )
        .await;
    assert_eq!(answer.status, 422);
    let lines = drain();
    let failed = line_with(&lines, &["a sign-in failed"]);
    assert!(failed.contains(" WARN "), "{failed}");
    assert!(failed.contains("client=127.0.0.1"), "{failed}");
    assert!(
        failed.contains(&format!("account={}", commissioner.id)),
        "{failed}"
    );
    let everything = lines.join("\n");
    for typed in [email, "%40", password, "a+guess"] {
        assert!(!everything.contains(typed), "{typed} in {everything}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_tokens_and_forged_forms_are_warnings_naming_the_client() {
    let (app, _turn) = start().await;

    let refused = app
        .send(
            "GET",
            "/api/v1/people",
            Caller::Anonymous,
            None,
            "",
            &[("Authorization", "Bearer hw_api-not-ours")],
        )
        .await;
    assert_eq!(refused.status, 401);
    let lines = drain();
    let warning = line_with(&lines, &["an API token was refused"]);
    assert!(warning.contains(" WARN "), "{warning}");
    assert!(warning.contains("client=127.0.0.1"), "{warning}");
    assert!(!lines.join("\n").contains("hw_api-not-ours"));
    let answered = line_with(&lines, &["route=/api/v1/people", "answered"]);
    assert!(answered.contains(" INFO ") && answered.contains("status=401"));

    let commissioner = &app.accounts[&Role::Commissioner];
    assert_ne!(csrf_token(Role::Commissioner), "forged");
    app.post_form(
        "/sign-out",
        Caller::Browser(Role::Commissioner),
        "csrf_token=forged",
    )
    .await;
    let lines = drain();
    let warning = line_with(&lines, &["anti-forgery token was refused"]);
    assert!(warning.contains(" WARN "), "{warning}");
    assert!(warning.contains("client=127.0.0.1"), "{warning}");
    assert!(
        warning.contains(&format!("account={}", commissioner.id)),
        "{warning}"
    );
}
