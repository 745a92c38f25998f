//! The contract for issued invoices: stored whole with their lines in one audited transaction,
//! once per provider and period, each visit on one invoice at most, read back exactly; suite
//! functions that `contract.rs` runs against both backends.

use super::fixtures::provider_id;
use super::visits::{planned, week, with_market};
use homeward_domain::{
    ContractId, ContractKind, Invoice, InvoiceId, InvoiceLine, InvoicePeriod, LineKind, Pence,
    VisitId,
};
use homeward_store::testing::TestDatabase;
use homeward_store::{AuditFilter, IssuedInvoice, RecordKind, Store, StoreError, VisitChanges};
use jiff::Timestamp;
use std::collections::HashSet;
use std::sync::Arc;

const PROVIDER: &str = "coordinator@downs";

/// The period of the fixture week: 2019–20 period 5, 22 July to 18 August 2019.
fn period() -> InvoicePeriod {
    InvoicePeriod::containing(week().0)
}

fn issued_at() -> Timestamp {
    "2019-08-20T09:00:00Z".parse().unwrap()
}

/// Stores Ada's main visits of the fixture week and gives them.
pub async fn with_visits(store: &Arc<dyn Store>) -> Vec<homeward_domain::Visit> {
    with_market(store).await;
    let monday = "2019-08-05T00:00:00Z".parse().unwrap();
    let visits = planned("ada-main", monday);
    let changes = VisitChanges {
        cancel: vec![],
        add: visits.clone(),
    };
    store
        .change_visits(&changes, monday, "homeward visits")
        .await
        .unwrap();
    visits
}

/// A line about `visit`, charged `amount` pence.
pub fn visit_line(number: u32, visit: &VisitId, amount: i64) -> InvoiceLine {
    InvoiceLine {
        number,
        kind: LineKind::Visit,
        contract_id: Some(ContractId::from_suffix("block-bognor").unwrap()),
        contract_kind: Some(ContractKind::Block),
        visit_id: Some(visit.clone()),
        person_id: Some(super::fixtures::person_id("ada1")),
        referral_id: None,
        date: week().0,
        planned_minutes: 45,
        verified_minutes: 43,
        counted_minutes: 0,
        charged_minutes: 45,
        rate: Pence(1_527),
        amount: Pence(amount),
        note: "planned time 45 min, 45 chargeable; no enhancement".into(),
    }
}

pub fn issued(suffix: &str, provider: &str, lines: Vec<InvoiceLine>) -> IssuedInvoice {
    IssuedInvoice {
        id: InvoiceId::from_suffix(suffix).unwrap(),
        invoice: Invoice {
            provider_id: provider_id(provider),
            period: period(),
            lines,
        },
        issued_at: issued_at(),
        issued_by: PROVIDER.into(),
    }
}

pub async fn an_invoice_is_issued_once_with_its_lines_and_audited(
    store: Arc<dyn Store>,
    _database: &TestDatabase,
) {
    let visits = with_visits(&store).await;
    let guarantee = InvoiceLine {
        number: 3,
        kind: LineKind::Guarantee,
        visit_id: None,
        person_id: None,
        planned_minutes: 0,
        verified_minutes: 0,
        charged_minutes: 700 * 60 * 4,
        amount: Pence(4_275_600),
        note: "700 h a week for 4 weeks".into(),
        ..visit_line(3, &visits[0].id, 0)
    };
    let invoice = issued(
        "first",
        "ab-z",
        vec![
            visit_line(1, &visits[0].id, 1_145),
            visit_line(2, &visits[1].id, 1_146),
            guarantee,
        ],
    );
    store.issue_invoice(&invoice, PROVIDER).await.unwrap();
    assert_eq!(
        store
            .issued_invoice(&provider_id("ab-z"), &period())
            .await
            .unwrap(),
        Some(invoice.clone()),
        "an invoice reads back exactly, its lines in order"
    );
    assert_eq!(
        store.issued_invoices(&period()).await.unwrap(),
        std::slice::from_ref(&invoice)
    );
    assert!(
        store
            .issued_invoices(&period().next())
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store
            .issued_invoice(&provider_id("weald"), &period())
            .await
            .unwrap(),
        None
    );

    // Audited once, with the header as stored.
    let filter = AuditFilter {
        record_kind: Some("invoice".into()),
        ..AuditFilter::default()
    };
    let events = store.audit_events(&filter, 0, 10).await.unwrap().events;
    assert_eq!(events.len(), 1);
    assert_eq!(
        (
            events[0].action.as_str(),
            events[0].actor.as_str(),
            events[0].record_id.as_deref()
        ),
        ("issue", PROVIDER, Some("inv_first"))
    );
    let after: serde_json::Value =
        serde_json::from_str(events[0].after.as_deref().unwrap()).unwrap();
    assert_eq!(after["total_pence"], 1_145 + 1_146 + 4_275_600);
    assert_eq!(after["line_count"], 3);
    assert_eq!(after["period_starts_on"], "2019-07-22");

    // A second invoice for the same provider and period is refused, whatever its id.
    let again = issued("second", "ab-z", vec![visit_line(1, &visits[2].id, 1_000)]);
    let error = store.issue_invoice(&again, PROVIDER).await.unwrap_err();
    assert_store_error!(error, StoreError::Duplicate { kind: RecordKind::Invoice, id, .. } if id == "prov_ab-z/2019-07-22");

    // Which visits are locked by invoicing.
    let asked = [
        visits[0].id.clone(),
        visits[2].id.clone(),
        VisitId::from_suffix("nowhere").unwrap(),
    ];
    assert_eq!(
        store.invoiced_visits(&asked).await.unwrap(),
        HashSet::from([visits[0].id.clone()])
    );
    assert!(store.invoiced_visits(&[]).await.unwrap().is_empty());
    let many: Vec<VisitId> = (0..450)
        .map(|n| VisitId::from_suffix(&format!("many-{n:04}")).unwrap())
        .chain([visits[1].id.clone()])
        .collect();
    assert_eq!(
        store.invoiced_visits(&many).await.unwrap(),
        HashSet::from([visits[1].id.clone()]),
        "asked in chunks"
    );
    assert_eq!(store.audit_events(&filter, 0, 10).await.unwrap().total, 1);
}

pub async fn a_bad_invoice_stores_nothing_and_names_the_line(
    store: Arc<dyn Store>,
    _database: &TestDatabase,
) {
    let visits = with_visits(&store).await;
    store
        .issue_invoice(
            &issued("first", "ab-z", vec![visit_line(1, &visits[0].id, 100)]),
            PROVIDER,
        )
        .await
        .unwrap();
    let nothing_more = |store: Arc<dyn Store>| async move {
        let invoices = store.issued_invoices(&period()).await.unwrap();
        assert_eq!(invoices.len(), 1, "only the first invoice is stored");
        assert!(
            store
                .issued_invoice(&provider_id("weald"), &period())
                .await
                .unwrap()
                .is_none()
        );
    };

    // A visit on an issued invoice already.
    let twice = issued(
        "twice",
        "weald",
        vec![
            visit_line(1, &visits[1].id, 100),
            visit_line(2, &visits[0].id, 100),
        ],
    );
    let error = store.issue_invoice(&twice, PROVIDER).await.unwrap_err();
    assert_store_error!(error, StoreError::Duplicate { kind: RecordKind::Invoice, index: 1, id } if id == visits[0].id.as_str());
    nothing_more(store.clone()).await;

    // A visit that is not stored.
    let missing = issued(
        "missing",
        "weald",
        vec![
            visit_line(1, &visits[1].id, 100),
            visit_line(2, &VisitId::from_suffix("nowhere").unwrap(), 100),
        ],
    );
    let error = store.issue_invoice(&missing, PROVIDER).await.unwrap_err();
    let StoreError::MissingReference {
        kind,
        index,
        message,
        ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(
        (*kind, *index, message.as_str()),
        (
            RecordKind::Invoice,
            1,
            "visit_id vis_nowhere does not exist"
        )
    );
    nothing_more(store.clone()).await;

    // A provider that is not stored.
    let error = store
        .issue_invoice(&issued("nobody", "gone", vec![]), PROVIDER)
        .await
        .unwrap_err();
    assert_store_error!(error, StoreError::MissingReference { kind: RecordKind::Invoice, message, .. } if message == "provider_id prov_gone does not exist");

    // Lines out of order break the invoice's own rules.
    let unnumbered = issued(
        "unnumbered",
        "weald",
        vec![visit_line(2, &visits[1].id, 100)],
    );
    let error = store
        .issue_invoice(&unnumbered, PROVIDER)
        .await
        .unwrap_err();
    let StoreError::Invalid { kind, errors, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(*kind, RecordKind::Invoice);
    assert_eq!(errors.0[0].field, "lines[0].number");
    nothing_more(store.clone()).await;
}

pub async fn replacing_the_market_clears_invoices(store: Arc<dyn Store>, _database: &TestDatabase) {
    let visits = with_visits(&store).await;
    store
        .issue_invoice(
            &issued("cleared", "ab-z", vec![visit_line(1, &visits[0].id, 100)]),
            PROVIDER,
        )
        .await
        .unwrap();
    with_market(&store).await;
    assert!(store.issued_invoices(&period()).await.unwrap().is_empty());
    assert!(
        store
            .invoiced_visits(&[visits[0].id.clone()])
            .await
            .unwrap()
            .is_empty()
    );
}
