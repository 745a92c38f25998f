//! Invoicing over real databases: a past period of the West Sussex demo's care, drafted from
//! the visits and their check-ins and check-outs, every visit on exactly one line, issued once
//! after the period has ended and fixed from then on.

use homeward_app::invoicing::{self, InvoiceStatus};
use homeward_app::testing::{PastPeriod, largest_providers, past_period, test_period};
use homeward_app::{Ids, InvoicingError, ProviderInvoice};
use homeward_domain::invoice::draft::call_minutes;
use homeward_domain::{
    CallEvent, CallEventKind, EventKey, FundingRoute, LineKind, ProviderId, Visit,
};
use homeward_store::testing::TestDatabase;
use homeward_store::{Backend, Store};
use jiff::Timestamp;
use std::collections::HashMap;
use std::sync::Arc;

/// 1 July 2026: the period (June) has ended.
fn after_the_period() -> Timestamp {
    "2026-07-01T09:00:00Z".parse().unwrap()
}

async fn county(backend: Backend) -> (TestDatabase, Arc<dyn Store>, Vec<ProviderId>, PastPeriod) {
    let database = TestDatabase::new(backend).await.unwrap();
    let store = database.store().await.unwrap();
    let preset = homeward_preset::builtin("west-sussex-2019").unwrap();
    let market = homeward_demo::generate(&preset, 1, &mut homeward_demo::NoProgress);
    store.replace_market(&market, "test").await.unwrap();
    let providers = largest_providers(&market.providers, &market.packages, 2);
    let past = past_period(store.as_ref(), &providers, test_period())
        .await
        .unwrap();
    (database, store, providers, past)
}

/// Each laid visit's check-in and check-out, as stored.
async fn events_of(store: &dyn Store, visit: &Visit) -> (Option<Timestamp>, Option<Timestamp>) {
    let events: Vec<CallEvent> = store.call_events(&visit.id).await.unwrap();
    let at = |kind| {
        events
            .iter()
            .find(|event| event.kind == kind)
            .map(|event| event.at)
    };
    (at(CallEventKind::CheckIn), at(CallEventKind::CheckOut))
}

/// Checks `invoice` against the visits laid for its provider: one line each, of the kind the
/// call events make, and the reconciliation's planned and delivered their sums.
async fn check_against_the_visits(store: &dyn Store, invoice: &ProviderInvoice, past: &PastPeriod) {
    let provider = &invoice.invoice.provider_id;
    let funding: HashMap<_, _> = store
        .people()
        .await
        .unwrap()
        .into_iter()
        .map(|person| (person.id, person.funding_route))
        .collect();
    let laid = past.visits_of(provider);
    assert!(laid.len() > 50, "a meaningful test: {} visits", laid.len());
    let (mut planned, mut delivered) = (0, 0);
    for visit in &laid {
        let lines: Vec<_> = invoice
            .invoice
            .lines
            .iter()
            .filter(|line| line.visit_id.as_ref() == Some(&visit.id))
            .collect();
        assert_eq!(lines.len(), 1, "{} is on one line", visit.id);
        let line = lines[0];
        let (check_in, check_out) = events_of(store, visit).await;
        let carers = u32::from(visit.dated.carers);
        if check_in.is_none() {
            assert!(
                matches!(
                    line.kind,
                    LineKind::NotDelivered | LineKind::NotCouncilFunded
                ),
                "{}: {:?}",
                visit.id,
                line.kind
            );
        }
        if line.kind == LineKind::Unverified {
            assert!(check_in.is_some() && check_out.is_none(), "{}", visit.id);
        }
        if funding[&visit.dated.person_id] != FundingRoute::SelfFunder
            && funding[&visit.dated.person_id] != FundingRoute::DirectPayment
        {
            planned += u64::from(visit.dated.duration_minutes) * u64::from(carers);
            delivered += u64::from(call_minutes(check_in, check_out).unwrap_or(0) * carers);
        }
    }
    let figures = invoice.reconciliation();
    assert_eq!(
        (figures.planned_minutes, figures.delivered_minutes),
        (planned, delivered)
    );
    assert_eq!(figures.visits as usize, laid.len());
    assert_eq!(figures.invoiced_amount, invoice.invoice.total());
    let numbers: Vec<u32> = invoice
        .invoice
        .lines
        .iter()
        .map(|line| line.number)
        .collect();
    assert_eq!(numbers, (1..=numbers.len() as u32).collect::<Vec<_>>());
}

async fn a_period_is_drafted_from_its_visits_and_issued_once(backend: Backend) {
    let (_database, store, providers, past) = county(backend).await;
    let store = store.as_ref();
    let period = past.period;
    let now = after_the_period();
    let drafts = invoicing::invoices(store, period, None, now).await.unwrap();
    let drafted: Vec<&ProviderId> = drafts
        .iter()
        .map(|draft| &draft.invoice.provider_id)
        .collect();
    for provider in &providers {
        assert!(drafted.contains(&provider), "{provider} has an invoice");
    }
    assert!(
        drafts
            .iter()
            .all(|draft| draft.status == InvoiceStatus::Draft),
        "nothing is issued yet"
    );
    for draft in drafts
        .iter()
        .filter(|draft| providers.contains(&draft.invoice.provider_id))
    {
        check_against_the_visits(store, draft, &past).await;
    }

    // The first provider's block and incentive.
    let first = drafts
        .iter()
        .find(|draft| draft.invoice.provider_id == providers[0])
        .unwrap();
    let guarantee = first
        .invoice
        .lines
        .iter()
        .find(|line| line.kind == LineKind::Guarantee)
        .expect("the block's guarantee");
    assert_eq!(guarantee.contract_id.as_ref(), Some(&past.block.id));
    let guaranteed = past.block.guaranteed_weekly_minutes * 4;
    assert_eq!(
        (guarantee.charged_minutes, guarantee.amount),
        (
            guaranteed,
            homeward_domain::amount_for(past.block.hourly_rate, guaranteed)
        )
    );
    let figures = first.reconciliation();
    assert_eq!(figures.guarantees.len(), 1);
    assert!(
        figures.guarantees[0].counted_minutes > 0,
        "visits counted against the block"
    );
    let incentive = first
        .invoice
        .lines
        .iter()
        .find(|line| line.kind == LineKind::Incentive)
        .expect("the early-start incentive");
    assert_eq!(
        incentive.referral_id.as_ref(),
        Some(&past.incentive_referral)
    );
    assert_eq!(incentive.amount.0, 5_000);
    assert!(
        figures.unverified > 0 && figures.not_delivered > 0,
        "{figures:?}"
    );

    // One provider's alone is the same as in the list.
    let alone = invoicing::invoice(store, &providers[1], period, now)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        Some(&alone),
        drafts
            .iter()
            .find(|draft| draft.invoice.provider_id == providers[1])
    );
    assert_eq!(
        invoicing::invoices(store, period, Some(&providers[1]), now)
            .await
            .unwrap(),
        std::slice::from_ref(&alone)
    );

    // Not before the period has ended.
    let ids = Ids::seeded(6);
    let during: Timestamp = "2026-06-28T20:00:00Z".parse().unwrap();
    let error = invoicing::issue(store, &ids, &providers[0], period, during, "acc_test")
        .await
        .unwrap_err();
    let InvoicingError::Invalid(problem) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(problem.field, "period");
    assert!(
        problem.message.contains("2026-06-29"),
        "{}",
        problem.message
    );

    // Issued once, with the lines of the draft.
    let issued = invoicing::issue(store, &ids, &providers[0], period, now, "acc_test")
        .await
        .unwrap();
    assert_eq!(issued.invoice, first.invoice);
    let again = invoicing::issue(store, &ids, &providers[0], period, now, "acc_test").await;
    assert!(
        matches!(again, Err(InvoicingError::AlreadyIssued)),
        "{again:?}"
    );
    let idle = a_provider_with_nothing(store, &providers, period, now).await;
    let nothing = invoicing::issue(store, &ids, &idle, period, now, "acc_test").await;
    assert!(
        matches!(&nothing, Err(InvoicingError::Invalid(problem)) if problem.field == "period"),
        "{nothing:?}"
    );
    let unknown = ProviderId::from_suffix("nobody").unwrap();
    assert!(matches!(
        invoicing::issue(store, &ids, &unknown, period, now, "acc_test").await,
        Err(InvoicingError::UnknownProvider(_))
    ));
    assert_eq!(
        invoicing::invoice(store, &unknown, period, now)
            .await
            .unwrap(),
        None
    );

    // A late check-out reaches the draft, never the issued invoice (which refuses it).
    for provider in &providers {
        let unverified = invoicing::invoice(store, provider, period, now)
            .await
            .unwrap()
            .unwrap()
            .invoice
            .lines
            .into_iter()
            .find(|line| line.kind == LineKind::Unverified)
            .and_then(|line| line.visit_id)
            .expect("an unverified visit");
        let visit = store.visit(&unverified).await.unwrap().unwrap();
        let (check_in, _) = events_of(store, &visit).await;
        let worker = store.call_events(&visit.id).await.unwrap()[0]
            .worker_id
            .clone();
        let left = check_in.unwrap() + jiff::SignedDuration::from_mins(30);
        let late = CallEvent {
            key: EventKey::parse(&format!("late-{}", visit.id), "key").unwrap(),
            visit_id: visit.id.clone(),
            worker_id: worker,
            kind: CallEventKind::CheckOut,
            at: left,
            location: None,
            tasks: Default::default(),
            note: None,
        };
        let recorded = store.record_call_event(&late, now, "test").await;
        if provider == &providers[0] {
            // Once invoiced, the visit takes no more events: its times are locked.
            assert!(
                matches!(recorded, Err(homeward_store::StoreError::Locked { .. })),
                "{recorded:?}"
            );
        } else {
            recorded.unwrap();
        }
    }
    let after = invoicing::invoices(store, period, None, now).await.unwrap();
    let of = |provider: &ProviderId| {
        after
            .iter()
            .find(|invoice| &invoice.invoice.provider_id == provider)
            .unwrap()
    };
    assert!(of(&providers[0]).is_issued());
    assert_eq!(
        of(&providers[0]).invoice,
        issued.invoice,
        "issued lines never change"
    );
    assert_ne!(
        of(&providers[1]).reconciliation().unverified,
        alone.reconciliation().unverified,
        "the draft follows the late check-out"
    );

    // Once invoiced, the first provider's visits are locked; the second's are not.
    let ids_of = |provider: &ProviderId| {
        past.visits_of(provider)
            .into_iter()
            .map(|visit| visit.id.clone())
            .collect::<Vec<_>>()
    };
    let locked = store.invoiced_visits(&ids_of(&providers[0])).await.unwrap();
    assert_eq!(locked.len(), past.visits_of(&providers[0]).len());
    assert!(
        store
            .invoiced_visits(&ids_of(&providers[1]))
            .await
            .unwrap()
            .is_empty()
    );
}

/// A provider with nothing to invoice in `period`: none of the fixture's.
async fn a_provider_with_nothing(
    store: &dyn Store,
    providers: &[ProviderId],
    period: homeward_domain::InvoicePeriod,
    now: Timestamp,
) -> ProviderId {
    let drafted: Vec<ProviderId> = invoicing::invoices(store, period, None, now)
        .await
        .unwrap()
        .into_iter()
        .map(|invoice| invoice.invoice.provider_id)
        .collect();
    store
        .providers()
        .await
        .unwrap()
        .into_iter()
        .map(|provider| provider.id)
        .find(|id| !drafted.contains(id) && !providers.contains(id))
        .expect("a provider with no care in the period")
}

#[tokio::test]
async fn a_period_is_drafted_from_its_visits_and_issued_once_on_sqlite() {
    a_period_is_drafted_from_its_visits_and_issued_once(Backend::Sqlite).await;
}

#[tokio::test]
async fn a_period_is_drafted_from_its_visits_and_issued_once_on_postgres() {
    a_period_is_drafted_from_its_visits_and_issued_once(Backend::Postgres).await;
}

#[test]
fn the_last_ended_period_is_the_one_before_today() {
    // 1 July 2026 is in period 4 (29 June to 26 July); period 3 (June) has ended.
    let period = invoicing::last_ended_period(after_the_period());
    assert_eq!(period, test_period());
}
