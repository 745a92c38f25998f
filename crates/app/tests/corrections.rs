//! Manual corrections over real databases: a coordinator's correction stands in for the phone
//! in monitoring and on the invoice, bad corrections are named, another provider's visit is not
//! found, and once the period is invoiced the visit's times are locked.

use homeward_app::corrections::{self, CorrectionError, CorrectionRequest};
use homeward_app::testing::{largest_providers, past_period, test_period};
use homeward_app::{Ids, invoicing, monitor};
use homeward_domain::{
    CallNote, CorrectionReason, MonitoringRules, OVERRUN_ALLOWANCE_MINUTES, Punctuality,
};
use homeward_store::testing::TestDatabase;
use homeward_store::{Backend, VisitFilter};
use jiff::{SignedDuration, Timestamp};

/// 1 July 2026: the June period has ended.
fn after_the_period() -> Timestamp {
    "2026-07-01T09:00:00Z".parse().unwrap()
}

async fn a_correction_stands_in_for_the_phone_until_invoiced(backend: Backend) {
    let database = TestDatabase::new(backend).await.unwrap();
    let store = database.store().await.unwrap();
    let preset = homeward_preset::builtin("west-sussex-2019").unwrap();
    let market = homeward_demo::generate(&preset, 1, &mut homeward_demo::NoProgress);
    store.replace_market(&market, "test").await.unwrap();
    let providers = largest_providers(&market.providers, &market.packages, 2);
    let past = past_period(store.as_ref(), &providers, test_period())
        .await
        .unwrap();
    let ours = &providers[0];
    let now = after_the_period();
    let ids = Ids::seeded(4);

    // A visit the fixture left without a check-in: missed, and charging nothing.
    let period_filter = VisitFilter {
        provider_id: Some(ours.clone()),
        ..VisitFilter::between(test_period().starts_on(), test_period().ends_on())
    };
    let monitored = monitor(
        store.as_ref(),
        &period_filter,
        &MonitoringRules::default(),
        now,
    )
    .await
    .unwrap();
    let missed = monitored
        .iter()
        .find(|visit| visit.check_in.is_none())
        .expect("the fixture leaves some visits without a check-in")
        .visit
        .clone();
    assert_eq!(
        monitored
            .iter()
            .find(|m| m.visit.id == missed.id)
            .unwrap()
            .assessment
            .punctuality,
        Punctuality::Missed
    );
    let verified_before = line_minutes(store.as_ref(), ours, &missed.id, now).await;
    assert_eq!(verified_before, 0);

    // The coordinator says it was made, on time, for its planned length.
    let began = missed.dated.starts_at + SignedDuration::from_mins(4);
    let ended = began + SignedDuration::from_mins(i64::from(missed.dated.duration_minutes));
    let request = CorrectionRequest {
        check_in: Some(began),
        check_out: Some(ended),
        reason: CorrectionReason::PhoneFailed,
        note: CallNote::parse("No signal in the village; times from the visit log", "note")
            .unwrap(),
    };
    let made = corrections::correct(
        store.as_ref(),
        &ids,
        ours,
        &missed.id,
        request.clone(),
        now,
        "acc_coordinator",
    )
    .await
    .unwrap();
    let after = monitor(
        store.as_ref(),
        &period_filter,
        &MonitoringRules::default(),
        now,
    )
    .await
    .unwrap();
    let corrected = after.iter().find(|m| m.visit.id == missed.id).unwrap();
    assert_eq!(corrected.assessment.punctuality, Punctuality::OnTime);
    assert_eq!(
        (corrected.arrived, corrected.left),
        (Some(began), Some(ended))
    );
    assert_eq!(corrected.correction.as_ref(), Some(&made));
    assert!(
        corrected.check_in.is_none(),
        "the phone's events are kept as they came"
    );
    assert_eq!(
        line_minutes(store.as_ref(), ours, &missed.id, now).await,
        u32::from(missed.dated.duration_minutes),
        "the invoice takes the corrected times"
    );

    // A correction saying a spot visit (charged on actual time) ran on for ten hours is taken
    // (its times are within the visit's window), but the invoice pays at most half an hour past
    // the plan a carer and says what it did not charge.
    let mut spot_missed = None;
    for candidate in monitored.iter().filter(|visit| visit.check_in.is_none()) {
        let line = line_of(store.as_ref(), ours, &candidate.visit.id, now).await;
        if line.contract_kind == Some(homeward_domain::ContractKind::Spot) {
            spot_missed = Some(candidate.visit.clone());
            break;
        }
    }
    let spot_missed = spot_missed.expect("the fixture leaves a spot visit without a check-in");
    let began = spot_missed.dated.starts_at;
    let ten_hours = CorrectionRequest {
        check_in: Some(began),
        check_out: Some(began + SignedDuration::from_hours(10)),
        ..request.clone()
    };
    corrections::correct(
        store.as_ref(),
        &ids,
        ours,
        &spot_missed.id,
        ten_hours,
        now,
        "acc_coordinator",
    )
    .await
    .unwrap();
    let line = line_of(store.as_ref(), ours, &spot_missed.id, now).await;
    let carers = u32::from(spot_missed.dated.carers);
    assert_eq!(line.verified_minutes, 600 * carers);
    // Spot visits here are charged on actual time to the next 5 minutes.
    let payable = (u32::from(spot_missed.dated.duration_minutes) + OVERRUN_ALLOWANCE_MINUTES)
        .div_ceil(5)
        * 5
        * carers;
    assert_eq!(line.charged_minutes, payable, "{line:?}");
    assert!(line.note.contains("not charged"), "{}", line.note);

    // Bad corrections are named; another provider's visit is not found.
    let mut backwards = request.clone();
    backwards.check_out = Some(began - SignedDuration::from_mins(1));
    let error = corrections::correct(
        store.as_ref(),
        &ids,
        ours,
        &missed.id,
        backwards,
        now,
        "acc",
    )
    .await
    .unwrap_err();
    assert!(
        matches!(&error, CorrectionError::Invalid(invalid) if invalid.0[0].field == "check_out"),
        "{error:?}"
    );
    let mut far = request.clone();
    far.check_in = Some(missed.dated.starts_at + SignedDuration::from_hours(13));
    far.check_out = None;
    let error = corrections::correct(store.as_ref(), &ids, ours, &missed.id, far, now, "acc")
        .await
        .unwrap_err();
    assert!(
        matches!(&error, CorrectionError::Invalid(invalid) if invalid.0[0].field == "check_in"),
        "{error:?}"
    );
    let error = corrections::correct(
        store.as_ref(),
        &ids,
        &providers[1],
        &missed.id,
        request.clone(),
        now,
        "acc",
    )
    .await
    .unwrap_err();
    assert!(matches!(error, CorrectionError::NotFound), "{error:?}");

    // Invoiced, the visit is locked.
    invoicing::issue(
        store.as_ref(),
        &ids,
        ours,
        test_period(),
        now,
        "acc_coordinator",
    )
    .await
    .unwrap();
    let error = corrections::correct(store.as_ref(), &ids, ours, &missed.id, request, now, "acc")
        .await
        .unwrap_err();
    assert!(matches!(error, CorrectionError::Locked(_)), "{error:?}");
    let _ = past;
}

/// The verified minutes of the invoice line for `visit` in `provider`'s June invoice.
async fn line_minutes(
    store: &dyn homeward_store::Store,
    provider: &homeward_domain::ProviderId,
    visit: &homeward_domain::VisitId,
    now: Timestamp,
) -> u32 {
    line_of(store, provider, visit, now).await.verified_minutes
}

/// The invoice line for `visit` in `provider`'s June invoice.
async fn line_of(
    store: &dyn homeward_store::Store,
    provider: &homeward_domain::ProviderId,
    visit: &homeward_domain::VisitId,
    now: Timestamp,
) -> homeward_domain::InvoiceLine {
    let invoice = invoicing::invoice(store, provider, test_period(), now)
        .await
        .unwrap()
        .unwrap();
    invoice
        .invoice
        .lines
        .into_iter()
        .find(|line| line.visit_id.as_ref() == Some(visit))
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_correction_stands_in_for_the_phone_until_invoiced_on_sqlite() {
    a_correction_stands_in_for_the_phone_until_invoiced(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_correction_stands_in_for_the_phone_until_invoiced_on_postgres() {
    a_correction_stands_in_for_the_phone_until_invoiced(Backend::Postgres).await;
}
