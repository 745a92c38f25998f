//! Signing in over the real server: where the form sends people afterwards (a path on this site
//! only, whatever `next` holds), throttling by client address as well as by account (one client
//! cannot lock an account's owner out, nor try address after address), and the audit trail of
//! sign-ins, failures, lock-outs and sign-outs. On SQLite and PostgreSQL.

mod support;

use homeward_domain::Role;
use homeward_store::{AuditEvent, AuditFilter, Backend};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};
use support::{App, Caller, csrf_token, on_both};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpSocket;

const PASSWORD: &str = "correct horse battery";
/// The address the shared client connects from.
const HERE: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);
/// Other clients: on Linux all of 127.0.0.0/8 reaches the loopback interface.
const ELSEWHERE: IpAddr = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2));
const GUESSER: IpAddr = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 3));

/// A response as the sign-in tests read it.
struct Answer {
    status: u16,
    location: Option<String>,
    set_cookies: Vec<String>,
    body: String,
}

/// Percent-encodes `value` for a form body, every byte but unreserved ones.
fn form_encode(value: &str) -> String {
    value
        .bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (byte as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// Sends one request from `local` (a loopback address) to the server and reads the answer.
async fn send_from(app: &App, local: IpAddr, request: String) -> Answer {
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind(SocketAddr::new(local, 0)).unwrap();
    let mut stream = socket.connect(app.address).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|line| line.split_whitespace().nth(1))
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(key, value)| (key.trim().to_lowercase(), value.trim().to_owned()))
        .collect();
    Answer {
        status,
        location: headers
            .iter()
            .find(|(key, _)| key == "location")
            .map(|(_, value)| value.clone()),
        set_cookies: headers
            .iter()
            .filter(|(key, _)| key == "set-cookie")
            .map(|(_, value)| value.clone())
            .collect(),
        body: body.to_owned(),
    }
}

/// Submits the sign-in form from `local`, with a matching anti-forgery cookie and field.
async fn sign_in_from(app: &App, local: IpAddr, email: &str, password: &str, next: &str) -> Answer {
    let form_cookie = if app.secure_cookies {
        "__Host-homeward_sign_in"
    } else {
        "homeward_sign_in"
    };
    sign_in_with(app, local, form_cookie, email, password, next).await
}

/// Submits the sign-in form from `local` with its anti-forgery token in cookie `form_cookie`.
async fn sign_in_with(
    app: &App,
    local: IpAddr,
    form_cookie: &str,
    email: &str,
    password: &str,
    next: &str,
) -> Answer {
    let body = format!(
        "email={}&password={}&csrf_token=form-token&next={}",
        form_encode(email),
        form_encode(password),
        form_encode(next)
    );
    let request = format!(
        "POST /sign-in HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\
         Cookie: {form_cookie}=form-token\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    send_from(app, local, request).await
}

fn email_of(app: &App, role: Role) -> String {
    app.accounts[&role].email.to_string()
}

fn started_a_session(answer: &Answer) -> bool {
    answer.set_cookies.iter().any(|cookie| {
        (cookie.starts_with("homeward_session=") || cookie.starts_with("__Host-homeward_session="))
            && !cookie.contains("Max-Age=0")
    })
}

/// Whether a `Location` is a path on this site, which no browser takes to another one.
fn is_local_path(location: &str) -> bool {
    location.starts_with('/')
        && !location.starts_with("//")
        && !location.starts_with("/\\")
        && location.bytes().all(|byte| byte.is_ascii_graphic())
        && !location.contains('\\')
}

/// `next` values that try to leave the site, or to break the response: each as it reaches the
/// server once the form is decoded.
fn hostile_nexts() -> Vec<String> {
    let mut nexts: Vec<String> = [
        "/\n/x",
        "/\t/evil.example",
        "/\t/",
        "/\r\n/x",
        "/ /evil.example",
        "/\\evil.example",
        "/\\/evil.example",
        "//evil.example",
        "///evil.example",
        "https://evil.example",
        "https:evil.example",
        "javascript:alert(1)",
        "evil.example",
        "/\u{0}/x",
        "/caf\u{e9}",
        "/\u{3000}/evil.example",
        "",
    ]
    .iter()
    .map(|next| (*next).to_owned())
    .collect();
    nexts.push(format!("/{}", "a".repeat(10_000)));
    nexts
}

async fn next_is_always_a_local_path(backend: Backend) {
    let app = support::start(backend).await;
    let email = email_of(&app, Role::Broker);
    // Hostile values are dropped for the home page, after a sign-in that still succeeds.
    for next in hostile_nexts() {
        let answer = sign_in_from(&app, HERE, &email, PASSWORD, &next).await;
        assert_eq!(
            (answer.status, answer.location.as_deref()),
            (303, Some("/")),
            "next {next:?}: {}",
            answer.body
        );
        assert!(started_a_session(&answer), "next {next:?}");
    }
    // Paths of this site are followed, percent-encoded characters and all: a browser does not
    // decode `%2F` or `%5C` in a path, so these stay on the site.
    for next in [
        "/people?page=2",
        "/areas/area_x/edit",
        "/%2F%2Fevil.example",
        "/%5Cevil.example",
        "/%09/evil.example",
        "/audit?actor=acc_x&record_kind=area",
    ] {
        let answer = sign_in_from(&app, HERE, &email, PASSWORD, next).await;
        assert_eq!(answer.status, 303, "next {next:?}: {}", answer.body);
        assert_eq!(answer.location.as_deref(), Some(next));
        assert!(is_local_path(answer.location.as_deref().unwrap()));
    }
    // The form carries only a safe `next` forward.
    for next in hostile_nexts() {
        let path = format!("/sign-in?next={}", form_encode(&next));
        let page = app.get(&path, Caller::Anonymous).await;
        assert_eq!(page.status, 200, "next {next:?}");
        assert!(
            page.body
                .contains(r#"<input type="hidden" name="next" value="/">"#),
            "next {next:?} is not carried forward"
        );
    }
    // A failed sign-in shows the form again with the safe `next` only.
    let failed = sign_in_from(&app, HERE, &email, "wrong", "/\t/evil.example").await;
    assert_eq!(failed.status, 422);
    assert!(
        failed
            .body
            .contains(r#"<input type="hidden" name="next" value="/">"#)
    );
}

/// Five wrong passwords from one client lock that client out of the account, and only it: the
/// account's owner signs in from elsewhere.
async fn a_lock_out_never_blocks_the_owner_on_another_client(backend: Backend) {
    let app = support::start(backend).await;
    let email = email_of(&app, Role::ProviderUser);
    for attempt in 1..=5 {
        let answer = sign_in_from(&app, ELSEWHERE, &email, "wrong", "/").await;
        assert_eq!(answer.status, 422, "attempt {attempt}");
    }
    let locked = sign_in_from(&app, ELSEWHERE, &email, PASSWORD, "/").await;
    assert_eq!(locked.status, 429, "the failing client is locked out");
    assert!(!started_a_session(&locked));
    assert!(locked.body.contains("Too many failed attempts"));

    let owner = sign_in_from(&app, HERE, &email, PASSWORD, "/").await;
    assert_eq!(
        (owner.status, owner.location.as_deref()),
        (303, Some("/")),
        "the owner signs in from a client that has not failed: {}",
        owner.body
    );
    assert!(started_a_session(&owner));
    // And the failing client's lock on this account does not reach the others' accounts.
    let other = sign_in_from(
        &app,
        ELSEWHERE,
        &email_of(&app, Role::Broker),
        PASSWORD,
        "/",
    )
    .await;
    assert_eq!(other.status, 303, "{}", other.body);
}

/// One client guessing address after address is slowed, then refused, well before 30 tries;
/// a refusal checks no password, so even a right one waits.
async fn one_client_trying_many_addresses_is_refused(backend: Backend) {
    let app = support::start(backend).await;
    let mut refused_at = None;
    for attempt in 1..=30 {
        let guess = format!("guess{attempt}@test.example");
        let answer = sign_in_from(&app, GUESSER, &guess, "password1", "/").await;
        match answer.status {
            422 => {}
            429 => {
                refused_at = Some(attempt);
                break;
            }
            other => panic!("attempt {attempt}: {other} {}", answer.body),
        }
    }
    let refused_at = refused_at.expect("the guessing client is refused before the 30th address");
    assert!(refused_at < 30, "refused at {refused_at}");
    let right = sign_in_from(&app, GUESSER, &email_of(&app, Role::Broker), PASSWORD, "/").await;
    assert_eq!(
        right.status, 429,
        "the guessing client waits, whatever it sends"
    );
    assert!(!started_a_session(&right));
    // Other clients are not slowed.
    let owner = sign_in_from(&app, HERE, &email_of(&app, Role::Broker), PASSWORD, "/").await;
    assert_eq!(owner.status, 303, "{}", owner.body);
}

/// The access events after the `since`th event of the trail, oldest first.
async fn access_events(app: &App, since: i64) -> Vec<AuditEvent> {
    let mut events = Vec::new();
    for action in ["sign-in", "sign-in-failed", "lock-out", "sign-out"] {
        let filter = AuditFilter {
            action: Some(action.into()),
            ..AuditFilter::default()
        };
        events.extend(
            app.store
                .audit_events(&filter, 0, 100)
                .await
                .unwrap()
                .events,
        );
    }
    events.retain(|event| event.sequence > since);
    events.sort_by_key(|event| event.sequence);
    events
}

fn client_of(event: &AuditEvent) -> String {
    let after: serde_json::Value = serde_json::from_str(event.after.as_deref().unwrap()).unwrap();
    after["client"].as_str().unwrap().to_owned()
}

/// Sign-ins, failures, lock-outs and sign-outs are audited with the account when it is known
/// and the client's address; never a password or token, nor an address that has no account.
async fn signing_in_and_out_is_audited(backend: Backend) {
    let app = support::start(backend).await;
    let broker = &app.accounts[&Role::Broker];
    let email = broker.email.to_string();
    // The fixtures' own sessions are before this.
    let since = app.store.register_version().await.unwrap();

    let signed_in = sign_in_from(&app, HERE, &email, PASSWORD, "/").await;
    assert_eq!(signed_in.status, 303);
    let failed = sign_in_from(&app, ELSEWHERE, &email, "not-the-password", "/").await;
    assert_eq!(failed.status, 422);
    let guessed = sign_in_from(&app, ELSEWHERE, "guessed@nowhere.example", "hunter2", "/").await;
    assert_eq!(guessed.status, 422);
    for _ in 0..4 {
        sign_in_from(&app, ELSEWHERE, &email, "not-the-password", "/").await;
    }
    let locked = sign_in_from(&app, ELSEWHERE, &email, PASSWORD, "/").await;
    assert_eq!(locked.status, 429);
    let signed_out = app
        .post_form(
            "/sign-out",
            Caller::Browser(Role::Broker),
            &format!("csrf_token={}", csrf_token(Role::Broker)),
        )
        .await;
    assert_eq!(signed_out.status, 303);

    let events = access_events(&app, since).await;
    let summary: Vec<(&str, Option<&str>, String)> = events
        .iter()
        .map(|event| {
            (
                event.action.as_str(),
                event.record_id.as_deref(),
                client_of(event),
            )
        })
        .collect();
    let account = Some(broker.id.as_str());
    let (here, elsewhere) = ("127.0.0.1".to_owned(), "127.0.0.2".to_owned());
    assert_eq!(
        summary,
        [
            ("sign-in", account, here.clone()),
            ("sign-in-failed", account, elsewhere.clone()),
            ("sign-in-failed", None, elsewhere.clone()),
            ("sign-in-failed", account, elsewhere.clone()),
            ("sign-in-failed", account, elsewhere.clone()),
            ("sign-in-failed", account, elsewhere.clone()),
            ("sign-in-failed", account, elsewhere.clone()),
            ("lock-out", account, elsewhere.clone()),
            ("sign-out", account, here.clone()),
        ]
    );
    // A lock-out is recorded when it starts, not for each refusal after it.
    assert_eq!(events.iter().filter(|e| e.action == "lock-out").count(), 1);
    // Who: the account once it has signed in, the client before.
    assert_eq!(events[0].actor, broker.id.as_str());
    assert_eq!(events[8].actor, broker.id.as_str());
    assert_eq!(events[1].actor, "client 127.0.0.2");
    assert!(events.iter().all(|event| event.record_kind == "account"));

    // Nothing secret, and no guessed address, anywhere in the trail.
    let everything = app
        .store
        .audit_events(&AuditFilter::default(), 0, 500)
        .await
        .unwrap();
    for event in &everything.events {
        let text = format!("{event:?}");
        for secret in [
            PASSWORD,
            "not-the-password",
            "hunter2",
            "guessed@nowhere.example",
            "form-token",
            "session-broker",
        ] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
        if let Some(cookie) = signed_in.set_cookies.first() {
            let token = cookie
                .trim_start_matches("homeward_session=")
                .split(';')
                .next()
                .unwrap();
            assert!(!text.contains(token), "the session token in {text}");
            assert!(
                !text.contains(&homeward_web::hash_secret(token)),
                "the session's hash in {text}"
            );
        }
    }
}

/// How long one failed sign-in as `email` with `password` from `client` took; it must be
/// answered as a wrong password is.
async fn failure_took(app: &App, client: IpAddr, email: &str, password: &str) -> Duration {
    let started = Instant::now();
    let answer = sign_in_from(app, client, email, password, "/").await;
    let took = started.elapsed();
    assert_eq!(answer.status, 422, "{email}: {}", answer.body);
    assert!(!started_a_session(&answer));
    assert!(
        answer
            .body
            .contains(r##"<a href="#email">Enter a correct email address and password</a>"##),
        "{email}: the same message as a wrong password: {}",
        answer.body
    );
    took
}

/// A disabled account, even with its right password, and an address with no account cost an
/// argon2 check as a wrong password does, and are answered the same: neither the time nor the
/// answer tells them apart.
async fn a_disabled_or_unknown_account_costs_what_a_wrong_password_does(backend: Backend) {
    let app = support::start(backend).await;
    let mut disabled = app.accounts[&Role::Person].clone();
    disabled.disabled = true;
    app.store
        .put_account(&disabled, &homeward_web::hash_password(PASSWORD), "test")
        .await
        .unwrap();
    // What one argon2 check costs here at the least: the quickest of a few, since a busy
    // machine only ever makes one slower.
    let one_check = (0..3)
        .map(|_| {
            let started = Instant::now();
            homeward_web::hash_password(PASSWORD);
            started.elapsed()
        })
        .min()
        .unwrap();

    let broker = email_of(&app, Role::Broker);
    let cases = [
        (broker.as_str(), "wrong password"),
        (disabled.email.as_str(), PASSWORD),
        ("nobody@test.example", PASSWORD),
    ];
    // The quickest of several tries of each, each from a client of its own so that the
    // throttle slows none. Only a lower bound is asserted: that each failure spent at least
    // half of one check. A busy machine can make an answer slower, never quicker, so the test
    // cannot fail for the machine's load; before the decoy check, a disabled account was
    // answered with no check at all and fell far below it.
    let mut quickest = [Duration::MAX; 3];
    for round in 0..4u8 {
        for (case, (email, password)) in cases.iter().enumerate() {
            let client = IpAddr::V4(Ipv4Addr::new(127, 0, 1, 10 * round + case as u8 + 10));
            let took = failure_took(&app, client, email, password).await;
            quickest[case] = quickest[case].min(took);
        }
    }
    for (what, took) in ["wrong password", "disabled", "unknown"]
        .into_iter()
        .zip(quickest)
    {
        assert!(
            took >= one_check / 2,
            "{what} took {took:?}, less than half of one check ({one_check:?})"
        );
    }
}

/// Over TLS every cookie the server sets is bound to its host (`__Host-`: Secure, the whole
/// site, no domain), and only the bound names are read: a cookie under the plain name, which
/// a sibling subdomain or a plain-HTTP page could have set, is ignored.
async fn over_tls_cookies_are_bound_to_the_host(backend: Backend) {
    let config = homeward_web::WebConfig {
        secure_cookies: true,
        ..homeward_web::WebConfig::default()
    };
    let app = support::start_with(backend, config).await;
    let bound = |cookie: &str, name: &str| {
        cookie.starts_with(&format!("__Host-{name}="))
            && cookie.contains("; Secure")
            && cookie.contains("; Path=/;")
            && !cookie.to_lowercase().contains("domain")
    };
    let form = app.get("/sign-in", Caller::Anonymous).await;
    let form_cookies = form.headers_named("set-cookie");
    assert_eq!(form_cookies.len(), 1);
    assert!(
        bound(form_cookies[0], "homeward_sign_in"),
        "{form_cookies:?}"
    );

    let email = email_of(&app, Role::Broker);
    // The form's token under the plain name is no token: the form starts again.
    let plain = sign_in_with(&app, HERE, "homeward_sign_in", &email, PASSWORD, "/").await;
    assert_eq!(
        (plain.status, plain.location.as_deref()),
        (303, Some("/sign-in"))
    );
    assert!(!started_a_session(&plain));

    let signed_in = sign_in_from(&app, HERE, &email, PASSWORD, "/").await;
    assert_eq!(signed_in.status, 303, "{}", signed_in.body);
    let session = signed_in
        .set_cookies
        .iter()
        .find(|cookie| cookie.contains("homeward_session="))
        .expect("a session cookie");
    assert!(bound(session, "homeward_session"), "{session}");
    let cleared = signed_in
        .set_cookies
        .iter()
        .find(|cookie| cookie.contains("homeward_sign_in="))
        .expect("the form's cookie cleared");
    assert!(bound(cleared, "homeward_sign_in"), "{cleared}");
    let token = session
        .trim_start_matches("__Host-homeward_session=")
        .split(';')
        .next()
        .unwrap();

    // The session is read under its bound name only.
    let cookie = format!("__Host-homeward_session={token}");
    let home = app
        .send(
            "GET",
            "/referrals",
            Caller::Anonymous,
            None,
            "",
            &[("Cookie", &cookie)],
        )
        .await;
    assert_eq!(home.status, 200, "{}", home.body);
    let cookie = format!("homeward_session={token}");
    let home = app
        .send(
            "GET",
            "/referrals",
            Caller::Anonymous,
            None,
            "",
            &[("Cookie", &cookie)],
        )
        .await;
    assert_eq!(home.status, 303);
    assert!(home.header("location").unwrap().starts_with("/sign-in"));

    // Signing out clears the bound name.
    let signed_out = app
        .post_form(
            "/sign-out",
            Caller::Browser(Role::Broker),
            &format!("csrf_token={}", csrf_token(Role::Broker)),
        )
        .await;
    assert_eq!(signed_out.status, 303);
    let cleared = signed_out.headers_named("set-cookie");
    assert!(
        cleared
            .iter()
            .any(|cookie| bound(cookie, "homeward_session") && cookie.contains("Max-Age=0")),
        "{cleared:?}"
    );
}

/// Signing out tells the browser to forget the site's cache and storage (a shared phone keeps
/// no copy of the care worker's pages or runs); nothing else asks it to.
async fn signing_out_clears_what_the_browser_keeps(backend: Backend) {
    let app = support::start(backend).await;
    let worker = Caller::Browser(Role::CareWorker);
    let today = app.get("/today", worker).await;
    assert_eq!(today.status, 200);
    assert_eq!(today.header("clear-site-data"), None);
    let signed_out = app
        .post_form(
            "/sign-out",
            worker,
            &format!("csrf_token={}", csrf_token(Role::CareWorker)),
        )
        .await;
    assert_eq!(signed_out.status, 303);
    assert_eq!(
        signed_out.headers_named("clear-site-data"),
        [r#""cache", "storage""#]
    );
    // A forged sign-out ends nothing and clears nothing.
    let forged = app
        .post_form(
            "/sign-out",
            Caller::Browser(Role::Broker),
            "csrf_token=forged",
        )
        .await;
    assert_eq!(forged.status, 403);
    assert_eq!(forged.header("clear-site-data"), None);
}

on_both!(
    signing_out_clears_what_the_browser_keeps,
    over_tls_cookies_are_bound_to_the_host,
    a_disabled_or_unknown_account_costs_what_a_wrong_password_does,
    next_is_always_a_local_path,
    a_lock_out_never_blocks_the_owner_on_another_client,
    one_client_trying_many_addresses_is_refused,
    signing_in_and_out_is_audited
);
