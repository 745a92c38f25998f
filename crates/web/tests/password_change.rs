//! Changing a password, signed in: the current one is required (and throttled as sign-in is),
//! the new one meets the rules and is typed twice, and the change ends every other session of
//! the account and gives this one a new token, audited without any secret. Passwords typed to
//! sign in are bounded as new ones are. On SQLite and PostgreSQL.

mod support;

use homeward_domain::Role;
use homeward_store::{AuditFilter, Backend, NewSession};
use support::{App, Caller, csrf_token, on_both, session_token};

const PASSWORD: &str = "correct horse battery";
const NEW_PASSWORD: &str = "staple lantern orchard";

fn encode(value: &str) -> String {
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

async fn change(
    app: &App,
    caller: Caller,
    role: Role,
    current: &str,
    new: &str,
    confirm: &str,
) -> support::Response {
    app.post_form(
        "/account/password",
        caller,
        &format!(
            "csrf_token={}&current_password={}&new_password={}&confirm_password={}",
            csrf_token(role),
            encode(current),
            encode(new),
            encode(confirm)
        ),
    )
    .await
}

/// Signs in through the form; the answer's status and the session cookie it set, if any.
async fn sign_in(app: &App, role: Role, password: &str) -> (u16, Option<String>) {
    let email = app.accounts[&role].email.to_string();
    let answer = app
        .send(
            "POST",
            "/sign-in",
            Caller::Anonymous,
            Some("application/x-www-form-urlencoded"),
            &format!(
                "email={}&password={}&csrf_token=form-token&next=/",
                encode(&email),
                encode(password)
            ),
            &[("Cookie", "homeward_sign_in=form-token")],
        )
        .await;
    let session = answer
        .headers_named("set-cookie")
        .into_iter()
        .find(|cookie| cookie.starts_with("homeward_session=") && !cookie.contains("Max-Age=0"))
        .map(|cookie| cookie.split(';').next().unwrap().to_owned());
    (answer.status, session)
}

async fn with_cookie(app: &App, path: &str, cookie: &str) -> support::Response {
    app.send(
        "GET",
        path,
        Caller::Anonymous,
        None,
        "",
        &[("Cookie", cookie)],
    )
    .await
}

fn signed_out(response: &support::Response) -> bool {
    response.status == 303
        && response
            .header("location")
            .is_some_and(|location| location.starts_with("/sign-in"))
}

async fn a_password_change_ends_every_other_session(backend: Backend) {
    let app = support::start(backend).await;
    let role = Role::ProviderUser;
    let browser = Caller::Browser(role);
    let account = app.accounts[&role].clone();
    // The account is signed in on another device too.
    let now = jiff::Timestamp::now();
    app.store
        .create_session(
            &NewSession {
                token_hash: homeward_web::hash_secret("other-device"),
                account_id: account.id.clone(),
                csrf_token: "csrf-other".into(),
                created_at: now,
                expires_at: now + jiff::SignedDuration::from_hours(1),
            },
            "192.0.2.1",
        )
        .await
        .unwrap();

    // Linked from every page's header, for every account.
    let page = app.get("/account/password", browser).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains(r#"href="/account/password">Change your password</a>"#)
    );
    for field in ["current_password", "new_password", "confirm_password"] {
        assert!(
            page.body
                .contains(&format!(r#"name="{field}" type="password""#)),
            "{field}"
        );
    }

    // A form without the session's anti-forgery token changes nothing.
    let forged = app
        .post_form(
            "/account/password",
            browser,
            &format!(
                "csrf_token=forged&current_password={}&new_password={}&confirm_password={}",
                encode(PASSWORD),
                encode(NEW_PASSWORD),
                encode(NEW_PASSWORD)
            ),
        )
        .await;
    assert_eq!(forged.status, 403);

    // Each mistake is named by its field, and none checks a password.
    let empty = change(&app, browser, role, "", "", "").await;
    assert_eq!(empty.status, 422);
    for (field, message) in [
        ("current_password", "Enter your current password"),
        ("new_password", "Password must be 12 characters or more"),
        ("confirm_password", "Confirm your new password"),
    ] {
        assert!(
            empty
                .body
                .contains(&format!(r##"<a href="#{field}">{message}</a>"##)),
            "{field}: {}",
            empty.body
        );
    }
    let too_long = "x".repeat(129);
    let long = change(&app, browser, role, PASSWORD, &too_long, &too_long).await;
    assert!(
        long.body
            .contains(r##"<a href="#new_password">Password must be 128 characters or fewer</a>"##)
    );
    let mismatch = change(
        &app,
        browser,
        role,
        PASSWORD,
        NEW_PASSWORD,
        "staple lantern orcharD",
    )
    .await;
    assert!(
        mismatch
            .body
            .contains(r##"<a href="#confirm_password">The new passwords do not match</a>"##)
    );
    let wrong = change(
        &app,
        browser,
        role,
        "not my password",
        NEW_PASSWORD,
        NEW_PASSWORD,
    )
    .await;
    assert_eq!(wrong.status, 422);
    assert!(
        wrong
            .body
            .contains(r##"<a href="#current_password">Your current password is not right</a>"##)
    );
    assert!(
        !signed_out(&app.get("/account/password", browser).await),
        "nothing changed yet"
    );

    // The change.
    let since = app.store.register_version().await.unwrap();
    let changed = change(&app, browser, role, PASSWORD, NEW_PASSWORD, NEW_PASSWORD).await;
    assert_eq!(changed.status, 303, "{}", changed.body);
    assert_eq!(
        changed.header("location"),
        Some("/account/password?changed=yes")
    );
    let rotated = changed
        .headers_named("set-cookie")
        .into_iter()
        .find(|cookie| cookie.starts_with("homeward_session="))
        .map(|cookie| cookie.split(';').next().unwrap().to_owned())
        .expect("this browser's session gets a new token");
    assert_ne!(rotated, format!("homeward_session={}", session_token(role)));

    // This browser goes on under the new token, and is told; the old token and the other
    // device's session are ended; another account's session is untouched.
    let after = with_cookie(&app, "/account/password?changed=yes", &rotated).await;
    assert_eq!(after.status, 200);
    assert!(after.body.contains("Your password has been changed"));
    assert!(
        signed_out(&app.get("/account/password", browser).await),
        "the old token is ended"
    );
    assert!(signed_out(
        &with_cookie(&app, "/account/password", "homeward_session=other-device").await
    ));
    assert_eq!(
        app.get("/account/password", Caller::Browser(Role::Broker))
            .await
            .status,
        200
    );

    // The new password signs in; the old one does not.
    assert_eq!(sign_in(&app, role, PASSWORD).await.0, 422);
    let (status, session) = sign_in(&app, role, NEW_PASSWORD).await;
    assert_eq!(status, 303);
    assert!(session.is_some());

    // Audited as the account, with no password or hash anywhere in the trail.
    let filter = AuditFilter {
        action: Some("password-change".into()),
        ..AuditFilter::default()
    };
    let events = app.store.audit_events(&filter, 0, 10).await.unwrap().events;
    assert_eq!(events.len(), 1);
    assert!(events[0].sequence > since);
    assert_eq!(events[0].actor, account.id.as_str());
    assert_eq!(events[0].record_id.as_deref(), Some(account.id.as_str()));
    let after: serde_json::Value =
        serde_json::from_str(events[0].after.as_deref().unwrap()).unwrap();
    assert_eq!(after["other_sessions_ended"], 1);
    let (_, hash) = app
        .store
        .account_for_sign_in(&account.email)
        .await
        .unwrap()
        .unwrap();
    let everything = app
        .store
        .audit_events(&AuditFilter::default(), 0, 500)
        .await
        .unwrap();
    for event in &everything.events {
        let text = format!("{event:?}");
        for secret in [
            NEW_PASSWORD,
            PASSWORD,
            "not my password",
            hash.as_str(),
            rotated.as_str(),
        ] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
    }
}

/// Guessing the current password from a session left open is throttled as signing in is.
async fn the_current_password_is_throttled_as_sign_in_is(backend: Backend) {
    let app = support::start(backend).await;
    let role = Role::Person;
    let browser = Caller::Browser(role);
    for guess in 0..5 {
        let answer = change(
            &app,
            browser,
            role,
            &format!("guess {guess}"),
            NEW_PASSWORD,
            NEW_PASSWORD,
        )
        .await;
        assert_eq!(answer.status, 422, "guess {guess}");
    }
    let locked = change(&app, browser, role, PASSWORD, NEW_PASSWORD, NEW_PASSWORD).await;
    assert_eq!(locked.status, 429, "{}", locked.body);
    assert!(locked.header("retry-after").is_some());
    assert!(
        locked.body.contains(
            r##"<a href="#current_password">Too many wrong passwords. Try again in 15 minutes</a>"##
        ),
        "{}",
        locked.body
    );
    // Even the right password waits, and nothing changed.
    assert_eq!(
        sign_in(&app, role, PASSWORD).await.0,
        429,
        "this client is locked out of the account"
    );
}

/// Signing in takes a password of at most 128 characters, as new passwords are, and says so.
async fn sign_in_bounds_the_password_it_takes(backend: Backend) {
    let app = support::start(backend).await;
    let email = app.accounts[&Role::Broker].email.to_string();
    let answer = app
        .send(
            "POST",
            "/sign-in",
            Caller::Anonymous,
            Some("application/x-www-form-urlencoded"),
            &format!(
                "email={}&password={}&csrf_token=form-token&next=/",
                encode(&email),
                "a".repeat(129)
            ),
            &[("Cookie", "homeward_sign_in=form-token")],
        )
        .await;
    assert_eq!(answer.status, 422);
    assert!(
        answer
            .body
            .contains(r##"<a href="#password">Password must be 128 characters or fewer</a>"##),
        "{}",
        answer.body
    );
    // Not a failure: nothing was checked or counted.
    let filter = AuditFilter {
        action: Some("sign-in-failed".into()),
        ..AuditFilter::default()
    };
    assert_eq!(
        app.store.audit_events(&filter, 0, 10).await.unwrap().total,
        0
    );
}

on_both!(
    a_password_change_ends_every_other_session,
    the_current_password_is_throttled_as_sign_in_is,
    sign_in_bounds_the_password_it_takes
);
