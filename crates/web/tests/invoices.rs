//! Invoices and reconciliation over the real server, on SQLite and PostgreSQL: a past period of
//! providers A's and B's care (the shared fixture), each provider seeing only its own invoice,
//! reconciliation and lines (another's answers 404), the council every provider's; issuing
//! once after the period; bad input named by field; the page, the API and the CSV agreeing.

mod support;

use homeward_app::testing::{past_period, test_period};
use homeward_domain::Role;
use homeward_store::Backend;
use std::collections::BTreeSet;
use support::{App, Caller, csrf_token};

const PERIOD: &str = "2026-06-01";

async fn with_past_period(backend: Backend) -> App {
    let app = support::start(backend).await;
    let providers = [app.ids.provider_a.clone(), app.ids.provider_b.clone()];
    past_period(app.store.as_ref(), &providers, test_period())
        .await
        .unwrap();
    app
}

/// The sum of a CSV column by provider.
fn csv_sums(csv: &str, column: &str) -> std::collections::BTreeMap<String, i64> {
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().unwrap().clone();
    let position = |name: &str| header.iter().position(|field| field == name).unwrap();
    let (provider, wanted) = (position("provider_id"), position(column));
    let mut sums = std::collections::BTreeMap::new();
    for record in reader.records() {
        let record = record.unwrap();
        *sums.entry(record[provider].to_owned()).or_insert(0) +=
            record[wanted].parse::<i64>().unwrap();
    }
    sums
}

async fn each_provider_sees_only_its_own_invoice(backend: Backend) {
    let app = with_past_period(backend).await;
    let (a, b) = (&app.ids.provider_a, &app.ids.provider_b);
    let provider = Caller::Browser(Role::ProviderUser);
    let client = Caller::Client(Role::ProviderUser);
    let council = Caller::Browser(Role::Commissioner);

    // The list: a provider its own, the council both.
    let own = app
        .get(&format!("/invoices?period={PERIOD}"), provider)
        .await;
    assert_eq!(own.status, 200, "{}", own.body);
    assert!(own.body.contains(&format!("/invoices/{a}/{PERIOD}")));
    assert!(!own.body.contains(&format!("/invoices/{b}/")));
    let every = app
        .get(&format!("/invoices?period={PERIOD}"), council)
        .await;
    assert!(every.body.contains(&format!("/invoices/{a}/{PERIOD}")));
    assert!(every.body.contains(&format!("/invoices/{b}/{PERIOD}")));
    let listed = app
        .get(&format!("/api/v1/invoices?period={PERIOD}"), client)
        .await
        .json();
    let providers: BTreeSet<&str> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["provider_id"].as_str().unwrap())
        .collect();
    assert_eq!(providers, BTreeSet::from([a.as_str()]));

    // Another provider's invoice, reconciliation and lines are not found, in pages and API.
    for path in [
        format!("/invoices/{b}/{PERIOD}"),
        format!("/reconciliation?period={PERIOD}&provider={b}"),
        format!("/reconciliation/lines.csv?period={PERIOD}&provider={b}"),
    ] {
        assert_eq!(app.get(&path, provider).await.status, 404, "{path}");
    }
    let response = app
        .get(&format!("/api/v1/invoices/{b}/{PERIOD}"), client)
        .await;
    assert_eq!(response.status, 404, "{}", response.body);
    assert_eq!(response.json()["error"]["code"], "not_found");
    let reconciled = app
        .get(&format!("/api/v1/reconciliation?period={PERIOD}"), client)
        .await
        .json();
    let items = reconciled["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["provider_id"], a.as_str());
    let page = app
        .get(&format!("/reconciliation?period={PERIOD}"), provider)
        .await;
    assert_eq!(page.status, 200);
    assert!(!page.body.contains(&format!("/invoices/{b}/")));
    let csv = app
        .get(
            &format!("/reconciliation/lines.csv?period={PERIOD}"),
            provider,
        )
        .await;
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    let sums = csv_sums(&csv.body, "amount_pence");
    assert_eq!(sums.keys().collect::<Vec<_>>(), [&a.to_string()]);

    // The council's figures: the page shows each provider's amount, the CSV adds up to it.
    let reconciled = app
        .get(
            &format!("/api/v1/reconciliation?period={PERIOD}"),
            Caller::Client(Role::Commissioner),
        )
        .await
        .json();
    let page = app
        .get(&format!("/reconciliation?period={PERIOD}"), council)
        .await;
    let csv = app
        .get(
            &format!("/reconciliation/lines.csv?period={PERIOD}"),
            council,
        )
        .await;
    let amounts = csv_sums(&csv.body, "amount_pence");
    let charged = csv_sums(&csv.body, "charged_minutes");
    for item in reconciled["items"].as_array().unwrap() {
        let provider = item["provider_id"].as_str().unwrap();
        let pence = item["invoiced_pence"].as_i64().unwrap();
        assert_eq!(
            amounts.get(provider).copied().unwrap_or(0),
            pence,
            "{provider}"
        );
        assert_eq!(
            charged.get(provider).copied().unwrap_or(0),
            item["invoiced_minutes"].as_i64().unwrap(),
            "{provider}"
        );
        let shown = homeward_domain::Pence(pence).to_string();
        assert!(
            page.body.contains(&shown),
            "the page shows {provider}'s {shown}"
        );
    }
    assert!(amounts[a.as_str()] > 0 && amounts[b.as_str()] > 0);
}

#[tokio::test]
async fn each_provider_sees_only_its_own_invoice_on_sqlite() {
    each_provider_sees_only_its_own_invoice(Backend::Sqlite).await;
}

#[tokio::test]
async fn each_provider_sees_only_its_own_invoice_on_postgres() {
    each_provider_sees_only_its_own_invoice(Backend::Postgres).await;
}

async fn an_invoice_is_issued_once_after_its_period(backend: Backend) {
    let app = with_past_period(backend).await;
    let a = &app.ids.provider_a;
    let provider = Caller::Browser(Role::ProviderUser);
    let csrf = csrf_token(Role::ProviderUser);
    let page = app.get(&format!("/invoices/{a}/{PERIOD}"), provider).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Issue this invoice"));
    assert!(page.body.contains(&format!("value=\"{csrf}\"")));
    let council = app
        .get(
            &format!("/invoices/{a}/{PERIOD}"),
            Caller::Browser(Role::Broker),
        )
        .await;
    assert!(
        !council.body.contains("Issue this invoice"),
        "only the provider issues"
    );

    // Without the anti-forgery token nothing is issued.
    let issue = format!("/invoices/{a}/{PERIOD}/issue");
    assert_eq!(
        app.post_form(&issue, provider, "csrf_token=wrong")
            .await
            .status,
        403
    );

    // The current period has not ended: refused, naming the period.
    let today = jiff::Timestamp::now()
        .to_zoned(homeward_domain::london().clone())
        .date();
    let current = format!("/invoices/{a}/{today}/issue");
    let refused = app
        .post_form(&current, provider, &format!("csrf_token={csrf}"))
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("govuk-error-summary"));
    assert!(refused.body.contains("href=\"#period\""));
    assert!(refused.body.contains("its invoice can be issued from"));

    let issued = app
        .post_form(&issue, provider, &format!("csrf_token={csrf}"))
        .await;
    assert_eq!(issued.status, 303, "{}", issued.body);
    assert_eq!(
        issued.header("location"),
        Some(format!("/invoices/{a}/{PERIOD}").as_str())
    );
    let page = app.get(&format!("/invoices/{a}/{PERIOD}"), provider).await;
    assert!(page.body.contains("Issued as inv_"));
    assert!(!page.body.contains("Issue this invoice"));
    let again = app
        .post_form(&issue, provider, &format!("csrf_token={csrf}"))
        .await;
    assert_eq!(again.status, 409, "{}", again.body);

    // The API shows it issued, its total the sum of its lines; the CSV says which lines are issued.
    let invoice = app
        .get(
            &format!("/api/v1/invoices/{a}/{PERIOD}"),
            Caller::Client(Role::Commissioner),
        )
        .await
        .json();
    assert_eq!(invoice["status"], "issued");
    let lines = invoice["lines"].as_array().unwrap();
    assert_eq!(lines.len() as u64, invoice["line_count"].as_u64().unwrap());
    let sum: i64 = lines
        .iter()
        .map(|line| line["amount_pence"].as_i64().unwrap())
        .sum();
    assert_eq!(sum, invoice["total_pence"].as_i64().unwrap());
    let csv = app
        .get(
            &format!("/reconciliation/lines.csv?period={PERIOD}"),
            Caller::Browser(Role::Commissioner),
        )
        .await
        .body;
    assert!(
        csv.lines()
            .any(|row| row.starts_with(&format!("{a},")) && row.contains(",issued,inv_"))
    );
    assert!(csv.lines().any(
        |row| row.starts_with(&format!("{},", app.ids.provider_b)) && row.contains(",draft,,")
    ));
}

#[tokio::test]
async fn an_invoice_is_issued_once_after_its_period_on_sqlite() {
    an_invoice_is_issued_once_after_its_period(Backend::Sqlite).await;
}

#[tokio::test]
async fn an_invoice_is_issued_once_after_its_period_on_postgres() {
    an_invoice_is_issued_once_after_its_period(Backend::Postgres).await;
}

/// The API issues a provider's own invoice as the page does: once, after its period, never
/// another provider's, and not for the council's staff.
async fn the_api_issues_a_providers_own_invoice(backend: Backend) {
    let app = with_past_period(backend).await;
    let (a, b) = (&app.ids.provider_a, &app.ids.provider_b);
    let provider = Caller::Client(Role::ProviderUser);
    let issue = format!("/api/v1/invoices/{a}/{PERIOD}/issue");

    let theirs = app
        .send(
            "POST",
            &format!("/api/v1/invoices/{b}/{PERIOD}/issue"),
            provider,
            None,
            "",
            &[],
        )
        .await;
    assert_eq!(theirs.status, 404, "{}", theirs.body);
    let council = app
        .send(
            "POST",
            &issue,
            Caller::Client(Role::Commissioner),
            None,
            "",
            &[],
        )
        .await;
    assert_eq!(council.status, 403, "{}", council.body);
    let today = jiff::Timestamp::now()
        .to_zoned(homeward_domain::london().clone())
        .date();
    let current = app
        .send(
            "POST",
            &format!("/api/v1/invoices/{a}/{today}/issue"),
            provider,
            None,
            "",
            &[],
        )
        .await;
    assert_eq!(current.status, 422, "{}", current.body);
    assert_eq!(current.json()["error"]["field"], "period");

    let draft = app
        .get(&format!("/api/v1/invoices/{a}/{PERIOD}"), provider)
        .await
        .json();
    assert_eq!(draft["status"], "draft");
    let issued = app.send("POST", &issue, provider, None, "", &[]).await;
    assert_eq!(issued.status, 201, "{}", issued.body);
    let issued = issued.json();
    assert_eq!(issued["status"], "issued");
    assert!(issued["invoice_id"].as_str().unwrap().starts_with("inv_"));
    assert_eq!(issued["total_pence"], draft["total_pence"]);
    assert_eq!(issued["lines"], draft["lines"]);
    let read = app
        .get(
            &format!("/api/v1/invoices/{a}/{PERIOD}"),
            Caller::Client(Role::Commissioner),
        )
        .await
        .json();
    assert_eq!(read["invoice_id"], issued["invoice_id"]);
    let again = app.send("POST", &issue, provider, None, "", &[]).await;
    assert_eq!(again.status, 409, "{}", again.body);
    assert_eq!(again.json()["error"]["code"], "conflict");
    // B's invoice is still a draft.
    let other = app
        .get(
            &format!("/api/v1/invoices/{b}/{PERIOD}"),
            Caller::Client(Role::Commissioner),
        )
        .await
        .json();
    assert_eq!(other["status"], "draft");
}

#[tokio::test]
async fn the_api_issues_a_providers_own_invoice_on_sqlite() {
    the_api_issues_a_providers_own_invoice(Backend::Sqlite).await;
}

#[tokio::test]
async fn the_api_issues_a_providers_own_invoice_on_postgres() {
    the_api_issues_a_providers_own_invoice(Backend::Postgres).await;
}

#[tokio::test]
async fn bad_periods_and_unknown_invoices_are_named() {
    let app = support::start(Backend::Sqlite).await;
    let a = &app.ids.provider_a;
    let client = Caller::Client(Role::Commissioner);
    for path in [
        "/api/v1/invoices?period=notadate".to_owned(),
        format!("/api/v1/invoices/{a}/31-12-2026"),
        "/api/v1/reconciliation?period=2026-13-01".to_owned(),
        "/api/v1/invoices?period=".to_owned(),
        "/api/v1/reconciliation?period=0999-01-01".to_owned(),
    ] {
        let response = app.get(&path, client).await;
        assert_eq!(response.status, 422, "{path}: {}", response.body);
        let error = &response.json()["error"];
        assert_eq!(
            (error["code"].as_str(), error["field"].as_str()),
            (Some("invalid"), Some("period")),
            "{path}"
        );
        let message = error["message"].as_str().unwrap();
        assert!(
            message.contains("YYYY-MM-DD") || message.contains("from 1900-01-01 to 2199-12-31"),
            "{path}: {message}"
        );
    }
    for path in [
        format!("/api/v1/invoices/prov_nobody/{PERIOD}"),
        format!("/api/v1/invoices/not-a-provider/{PERIOD}"),
    ] {
        let response = app.get(&path, client).await;
        assert_eq!(response.status, 404, "{path}");
        assert_eq!(response.json()["error"]["code"], "not_found");
    }
    assert_eq!(
        app.get("/api/v1/invoices?colour=blue", client).await.status,
        400
    );
    let browser = Caller::Browser(Role::Commissioner);
    for path in [
        "/invoices?period=June".to_owned(),
        "/reconciliation?period=2026-02-30".to_owned(),
        format!("/invoices/{a}/someday"),
    ] {
        let response = app.get(&path, browser).await;
        assert_eq!(response.status, 422, "{path}");
        assert!(response.body.contains("href=\"#period\""), "{path}");
        assert!(
            response
                .body
                .contains("is not a date in the form YYYY-MM-DD"),
            "{path}"
        );
    }
    assert_eq!(
        app.get(&format!("/invoices/prov_nobody/{PERIOD}"), browser)
            .await
            .status,
        404
    );
    // With no period, the latest one that has ended.
    let latest = app.get("/api/v1/invoices", client).await.json();
    assert_eq!(latest["total"], 0, "the demo has no past visits");
    let page = app.get("/invoices", browser).await;
    assert_eq!(page.status, 200);
    let ended = homeward_app::invoicing::last_ended_period(jiff::Timestamp::now());
    assert!(page.body.contains(&ended.to_string()));
}
