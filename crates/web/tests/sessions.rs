//! Sessions end after 30 minutes unused, by the server's clock, and each use is written down at
//! most once a minute; "Your sessions" lists the account's sessions and signs out all but the
//! one in hand. On SQLite and PostgreSQL.

mod support;

use homeward_domain::Role;
use homeward_store::{AuditFilter, Backend, NewSession};
use jiff::{SignedDuration, Timestamp};
use support::{App, Caller, csrf_token, on_both};

/// A session of `role`'s account with the token `token`, started `ago` before `now` from
/// `client`, lasting the usual working day from then.
async fn session_started(
    app: &App,
    role: Role,
    token: &str,
    now: Timestamp,
    ago: SignedDuration,
    client: &str,
) {
    let created_at = now - ago;
    app.store
        .create_session(
            &NewSession {
                token_hash: homeward_web::hash_secret(token),
                account_id: app.accounts[&role].id.clone(),
                csrf_token: format!("csrf-{token}"),
                created_at,
                expires_at: created_at + SignedDuration::from_hours(8),
            },
            client,
        )
        .await
        .unwrap();
}

async fn get_with(app: &App, path: &str, token: &str) -> support::Response {
    let cookie = format!("homeward_session={token}");
    app.send(
        "GET",
        path,
        Caller::Anonymous,
        None,
        "",
        &[("Cookie", &cookie)],
    )
    .await
}

fn sent_to_sign_in(response: &support::Response) -> bool {
    response.status == 303
        && response
            .header("location")
            .is_some_and(|location| location.starts_with("/sign-in"))
}

async fn last_seen(app: &App, token: &str, now: Timestamp) -> Timestamp {
    app.store
        .session(&homeward_web::hash_secret(token), now)
        .await
        .unwrap()
        .unwrap()
        .last_seen_at
}

/// The server's clock stands ten minutes ahead of the machine's, so that only a server that
/// reads its own clock ends the right sessions.
fn server_now() -> Timestamp {
    Timestamp::from_second(Timestamp::now().as_second()).unwrap() + SignedDuration::from_mins(10)
}

async fn start_at(backend: Backend, now: Timestamp) -> App {
    let config = homeward_web::WebConfig {
        clock: homeward_app::Clock::fixed(now),
        ..homeward_web::WebConfig::default()
    };
    support::start_with(backend, config).await
}

async fn a_session_unused_for_thirty_minutes_is_ended(backend: Backend) {
    let now = server_now();
    let app = start_at(backend, now).await;
    let minutes = SignedDuration::from_mins;
    session_started(&app, Role::Broker, "unused", now, minutes(31), "192.0.2.1").await;
    session_started(&app, Role::Broker, "nearly", now, minutes(29), "192.0.2.1").await;
    session_started(
        &app,
        Role::Broker,
        "fresh",
        now,
        SignedDuration::from_secs(30),
        "192.0.2.1",
    )
    .await;

    // 31 minutes unused by the server's clock (21 by the machine's): ended.
    assert!(sent_to_sign_in(
        &get_with(&app, "/account/sessions", "unused").await
    ));
    // 29 minutes: still live, and its use is written down.
    let nearly = get_with(&app, "/account/sessions", "nearly").await;
    assert_eq!(nearly.status, 200, "{}", nearly.body);
    assert_eq!(last_seen(&app, "nearly", now).await, now);
    // Used 30 seconds ago: live, and not written again within the minute.
    assert_eq!(
        get_with(&app, "/account/sessions", "fresh").await.status,
        200
    );
    assert_eq!(
        last_seen(&app, "fresh", now).await,
        now - SignedDuration::from_secs(30)
    );
    // An ended session stays ended: it is never seen again.
    assert!(sent_to_sign_in(&get_with(&app, "/", "unused").await));
}

async fn your_sessions_lists_them_and_signs_out_the_others(backend: Backend) {
    let now = server_now();
    let app = start_at(backend, now).await;
    let role = Role::CareWorker;
    let browser = Caller::Browser(role);
    session_started(
        &app,
        role,
        "phone",
        now,
        SignedDuration::from_mins(5),
        "198.51.100.7",
    )
    .await;
    session_started(
        &app,
        role,
        "idle",
        now,
        SignedDuration::from_mins(45),
        "203.0.113.9",
    )
    .await;
    session_started(
        &app,
        Role::Broker,
        "colleague",
        now,
        SignedDuration::from_mins(5),
        "192.0.2.1",
    )
    .await;

    // Linked from every page's header.
    let page = app.get("/account/sessions", browser).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body
            .contains(r#"href="/account/sessions">Your sessions</a>"#)
    );
    let rows: Vec<&str> = page
        .body
        .split(r#"<tr class="govuk-table__row">"#)
        .skip(2)
        .collect();
    assert_eq!(
        rows.len(),
        2,
        "this browser and the phone; the idle one is ended: {}",
        page.body
    );
    assert!(
        rows[0].contains("This browser"),
        "this one first: {}",
        rows[0]
    );
    assert!(
        rows[1].contains("Another browser") && rows[1].contains("198.51.100.7"),
        "{}",
        rows[1]
    );
    // Shown in London time, as people read it.
    let started = (now - SignedDuration::from_mins(5))
        .to_zoned(homeward_domain::london().clone())
        .strftime("%-d %b %Y, %H:%M")
        .to_string();
    assert!(rows[1].contains(&started), "{}", rows[1]);
    assert!(!page.body.contains("203.0.113.9"));
    assert!(page.body.contains("Sign out all other sessions"));

    // A forged form ends nothing.
    let forged = app
        .post_form("/account/sessions/end-others", browser, "csrf_token=forged")
        .await;
    assert_eq!(forged.status, 403);
    assert_eq!(
        get_with(&app, "/account/sessions", "phone").await.status,
        200
    );

    let ended = app
        .post_form(
            "/account/sessions/end-others",
            browser,
            &format!("csrf_token={}", csrf_token(role)),
        )
        .await;
    assert_eq!(ended.status, 303, "{}", ended.body);
    assert_eq!(
        ended.header("location"),
        Some("/account/sessions?ended=yes")
    );
    let after = app.get("/account/sessions?ended=yes", browser).await;
    assert_eq!(after.status, 200);
    assert!(after.body.contains("Your other sessions were signed out"));
    assert!(after.body.contains("You are not signed in anywhere else"));
    assert!(sent_to_sign_in(
        &get_with(&app, "/account/sessions", "phone").await
    ));
    assert_eq!(
        get_with(&app, "/account/sessions", "colleague")
            .await
            .status,
        200,
        "another account's"
    );

    let filter = AuditFilter {
        action: Some("end-other-sessions".into()),
        ..AuditFilter::default()
    };
    let events = app.store.audit_events(&filter, 0, 10).await.unwrap().events;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].actor, app.accounts[&role].id.as_str());
}

on_both!(
    a_session_unused_for_thirty_minutes_is_ended,
    your_sessions_lists_them_and_signs_out_the_others
);
