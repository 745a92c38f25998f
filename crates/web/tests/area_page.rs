//! The area page in the council's view: its capacity table is part of what it answers, so a
//! failure to read the returns is reported as the failure it is.

mod support;

use homeward_domain::Role;
use homeward_store::Backend;
use support::Caller;

/// The capacity section's heading.
const CAPACITY: &str = r#"<h2 class="govuk-heading-m">Capacity</h2>"#;

#[tokio::test]
async fn a_failure_to_read_capacity_returns_is_reported() {
    let app = support::start(Backend::Sqlite).await;
    let path = format!("/areas/{}", app.ids.area);
    let before = app.get(&path, Caller::Browser(Role::Broker)).await;
    assert_eq!(before.status, 200);
    assert!(before.body.contains(CAPACITY));

    app.database()
        .execute("ALTER TABLE capacity_returns RENAME TO capacity_returns_away")
        .await
        .unwrap();
    let after = app.get(&path, Caller::Browser(Role::Broker)).await;
    assert_eq!(after.status, 500, "{}", after.body);
    assert!(!after.body.contains(CAPACITY));
}
