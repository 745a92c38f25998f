//! `homeward export invoices` end to end, against a real SQLite file and a real PostgreSQL
//! database: the demo county with a past period of care (the shared fixture), exported by the
//! real binary, whose lines add up, provider by provider, to the figures the reconciliation
//! page shows (served by the real server over the same database), draft and issued.

use common::{fail, succeed};
use homeward_app::testing::{largest_providers, past_period, test_period};
use homeward_app::{Ids, invoicing};
use homeward_domain::{Account, AccountId, Email, Pence, Role, Scope};
use homeward_store::testing::TestDatabase;
use homeward_store::{ApiToken, Backend, NewSession, Store};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

mod common;

/// Any day of the fixture's period names it.
const PERIOD: &str = "2026-06-10";
const SESSION: &str = "session-finance-check";
const TOKEN: &str = "hw_api-finance-check";

/// Per provider: planned, verified and charged minutes, and the amount, summed over its lines.
type Sums = BTreeMap<String, [i64; 4]>;

fn sums_of_csv(csv: &str) -> (Sums, BTreeMap<String, String>) {
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|field| field == name).unwrap();
    let columns = [
        column("planned_minutes"),
        column("verified_minutes"),
        column("charged_minutes"),
        column("amount_pence"),
    ];
    let (provider, status) = (column("provider_id"), column("status"));
    let mut sums = Sums::new();
    let mut statuses = BTreeMap::new();
    for record in reader.records() {
        let record = record.unwrap();
        let entry = sums.entry(record[provider].to_owned()).or_default();
        for (sum, column) in entry.iter_mut().zip(columns) {
            *sum += record[column].parse::<i64>().unwrap();
        }
        statuses.insert(record[provider].to_owned(), record[status].to_owned());
    }
    (sums, statuses)
}

/// A commissioner who can sign in to the page and call the API.
async fn commissioner(store: &dyn Store) {
    let account = Account {
        id: AccountId::from_suffix("finance-check").unwrap(),
        email: Email::parse("finance@test.example", "email").unwrap(),
        name: "Finance check".into(),
        role: Role::Commissioner,
        scope: Scope::Council,
        disabled: false,
    };
    store
        .put_account(
            &account,
            &homeward_web::hash_password("correct horse battery"),
            "test",
        )
        .await
        .unwrap();
    let now = jiff::Timestamp::now();
    let session = NewSession {
        token_hash: homeward_web::hash_secret(SESSION),
        account_id: account.id.clone(),
        csrf_token: "csrf-finance".into(),
        created_at: now,
        expires_at: now + jiff::SignedDuration::from_hours(1),
    };
    store.create_session(&session, "test").await.unwrap();
    let token = ApiToken {
        id: homeward_domain::TokenId::from_suffix("finance-check").unwrap(),
        account_id: account.id.clone(),
        name: "finance check".into(),
        created_at: now,
        expires_at: now + jiff::SignedDuration::from_hours(24),
        revoked_at: None,
    };
    store
        .create_api_token(&token, &homeward_web::hash_secret(TOKEN), "test")
        .await
        .unwrap();
}

/// The body of `GET path` from the server at `address`, as the commissioner.
async fn get(address: SocketAddr, path: &str) -> String {
    let mut stream = TcpStream::connect(address).await.unwrap();
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\
         Cookie: homeward_session={SESSION}\r\nAuthorization: Bearer {TOKEN}\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let text = String::from_utf8(raw).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    assert!(head.starts_with("HTTP/1.1 200"), "{path}: {head}\n{body}");
    body.to_owned()
}

/// The real binary's export of the fixture's period.
fn export(url: &str, format: &str) -> String {
    succeed(&[
        "export",
        "invoices",
        "--period",
        PERIOD,
        "--database",
        url,
        "--format",
        format,
    ])
}

/// Checks that the export's sums are the figures the API and the page show.
async fn the_export_agrees_with_the_page(
    address: SocketAddr,
    url: &str,
) -> BTreeMap<String, String> {
    let csv = export(url, "csv");
    let (sums, statuses) = sums_of_csv(&csv);
    let api: serde_json::Value = serde_json::from_str(
        &get(address, &format!("/api/v1/reconciliation?period={PERIOD}")).await,
    )
    .unwrap();
    let page = get(address, &format!("/reconciliation?period={PERIOD}")).await;
    let items = api["items"].as_array().unwrap();
    assert_eq!(items.len(), sums.len(), "the same providers");
    for item in items {
        let provider = item["provider_id"].as_str().unwrap();
        let figures = [
            "planned_minutes",
            "delivered_minutes",
            "invoiced_minutes",
            "invoiced_pence",
        ]
        .map(|name| item[name].as_i64().unwrap());
        assert_eq!(
            sums[provider], figures,
            "{provider}: the lines add up to the page's figures"
        );
        assert_eq!(
            statuses[provider],
            item["status"].as_str().unwrap(),
            "{provider}"
        );
        let amount = Pence(figures[3]).to_string();
        assert!(
            page.contains(&amount),
            "the page shows {provider}'s {amount}"
        );
    }
    let json = export(url, "json");
    let rows: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    assert_eq!(
        rows.len(),
        csv.lines().count() - 1,
        "JSON has the CSV's lines"
    );
    let total: i64 = rows
        .iter()
        .map(|row| row["amount_pence"].as_i64().unwrap())
        .sum();
    assert_eq!(total, sums.values().map(|sum| sum[3]).sum::<i64>());
    statuses
}

async fn invoices_export_and_agree(backend: Backend) {
    let database = TestDatabase::new(backend).await.unwrap();
    let url = database.url().to_owned();
    succeed(&[
        "demo",
        "--preset",
        "west-sussex-2019",
        "--seed",
        "1",
        "--no-serve",
        // The period invoiced is the fixture's, laid out below.
        "--history-days",
        "0",
        "--database",
        &url,
    ]);
    let store: Arc<dyn Store> = database.store().await.unwrap();
    let providers = largest_providers(
        &store.providers().await.unwrap(),
        &store.packages().await.unwrap(),
        2,
    );
    past_period(store.as_ref(), &providers, test_period())
        .await
        .unwrap();
    commissioner(store.as_ref()).await;
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(homeward_web::serve(
        store.clone(),
        homeward_web::WebConfig::default(),
        listener,
        async {
            let _ = stopped.await;
        },
    ));

    let statuses = the_export_agrees_with_the_page(address, &url).await;
    assert!(statuses.values().all(|status| status == "draft"));
    for provider in &providers {
        assert!(
            statuses.contains_key(provider.as_str()),
            "{provider} is exported"
        );
    }

    // Issued: the first provider's lines come from the stored invoice, and still agree.
    let now: jiff::Timestamp = "2026-07-01T09:00:00Z".parse().unwrap();
    invoicing::issue(
        store.as_ref(),
        &Ids::seeded(1),
        &providers[0],
        test_period(),
        now,
        "test",
    )
    .await
    .unwrap();
    let statuses = the_export_agrees_with_the_page(address, &url).await;
    assert_eq!(statuses[providers[0].as_str()], "issued");
    assert_eq!(statuses[providers[1].as_str()], "draft");
    let _ = stop.send(());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invoices_export_and_agree_with_the_page_on_sqlite() {
    invoices_export_and_agree(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invoices_export_and_agree_with_the_page_on_postgres() {
    invoices_export_and_agree(Backend::Postgres).await;
}

#[tokio::test]
async fn a_bad_period_is_refused_clearly() {
    let database = TestDatabase::new(Backend::Sqlite).await.unwrap();
    let url = database.url();
    let error = fail(&["export", "invoices", "--database", url]);
    assert!(error.contains("--period is needed"), "{error}");
    let error = fail(&[
        "export",
        "invoices",
        "--period",
        "10/06/2026",
        "--database",
        url,
    ]);
    assert!(
        error.contains("--period: '10/06/2026' is not a date in the form YYYY-MM-DD"),
        "{error}"
    );
    let error = fail(&["export", "people", "--period", PERIOD, "--database", url]);
    assert!(
        error.contains("--period applies to invoices only"),
        "{error}"
    );
    // An empty register exports the header alone.
    let csv = succeed(&["export", "invoices", "--period", PERIOD, "--database", url]);
    assert_eq!(
        csv.trim_end(),
        homeward_interchange::INVOICE_LINE_COLUMNS.join(",")
    );
}
