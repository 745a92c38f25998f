//! Every form a page posts is refused without the session's anti-forgery token: the test walks
//! every page POST of `routes::ROUTES` (so a new form is covered the day it is added), signed in
//! as a role allowed to use it, and sends it once with a forged token and once with none. Each
//! is refused with 403 and the register is untouched (no audit row is written). Sign-in, which
//! comes before any session, is the one exception. On SQLite and PostgreSQL.

mod support;

use homeward_store::Backend;
use homeward_web::{Access, ROUTES};
use support::{Caller, concrete_path, on_both};

async fn every_page_form_needs_the_session_s_token(backend: Backend) {
    let app = support::start(backend).await;
    let mut walked = 0;
    for route in ROUTES
        .iter()
        .filter(|route| route.method == "POST" && !route.path.starts_with("/api/"))
    {
        let role = match route.access {
            Access::Public => continue,
            Access::SignedIn => homeward_domain::Role::Commissioner,
            Access::Roles(roles) => roles[0],
        };
        let path = concrete_path(&app, route.method, route.path, Some(role));
        for token in ["csrf_token=forged-0000000000000000&", ""] {
            let before = app.store.register_version().await.unwrap();
            let body = format!(
                "{token}name=forged&visit_id={}&worker_id=none&part=0&kind=check_in&key=forged-1",
                app.ids.roster_visit.id
            );
            let answer = app.post_form(&path, Caller::Browser(role), &body).await;
            assert_eq!(
                answer.status, 403,
                "POST {path} as {role:?} with {token:?} answered {}: {}",
                answer.status, answer.body
            );
            assert_eq!(
                app.store.register_version().await.unwrap(),
                before,
                "POST {path} with {token:?} changed the register"
            );
        }
        walked += 1;
    }
    // Fifteen forms today, sign-in aside: the walk must not quietly lose them.
    assert!(walked >= 15, "only {walked} page forms were walked");
}

on_both!(every_page_form_needs_the_session_s_token);
