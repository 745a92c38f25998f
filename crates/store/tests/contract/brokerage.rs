//! The contract for brokerage: referrals, offers and answers, placements (one winner among
//! concurrent callers), reablement, capacity returns and incentives; suite functions that
//! `contract.rs` runs against both backends.

use super::brokerage_fixtures::{
    BROKER, capacity, discharge, instant, offer, offer_id, placed_package, placement, referral,
    referral_id, with_market,
};
use super::fixtures::{self, provider_id};
use homeward_domain::brokerage::{
    AccessRoute, DeclineReason, Needs, OfferResponse, ReablementOutcome, StepKind,
};
use homeward_domain::brokerage::{
    Incentive, Offer, Placement, ReablementEpisode, Referral, ReferralStatus,
};
use homeward_domain::{CarePackage, Pence, WeeklyPattern};
use homeward_store::testing::TestDatabase;
use homeward_store::{
    AnswerOutcome, AuditEvent, AuditFilter, RecordKind, ReferralStart, Store, StoreError,
};
use jiff::civil::Date;
use serde_json::Value;
use std::sync::Arc;
use tokio::sync::Barrier;

/// Events about records of `kind`, oldest first.
async fn events_of(store: &Arc<dyn Store>, kind: &str) -> Vec<AuditEvent> {
    let filter = AuditFilter {
        record_kind: Some(kind.to_owned()),
        ..AuditFilter::default()
    };
    let mut events = store.audit_events(&filter, 0, 500).await.unwrap().events;
    events.reverse();
    events
}

/// `referral` stored as offering, with the one offer `won` sent, and the placement on it (the
/// package `package_suffix`, placed `placed` minutes into the day) with its package, made but
/// not stored: the set-up every placement starts from.
async fn offered_and_won(
    store: &Arc<dyn Store>,
    referral: &Referral,
    won: &Offer,
    package_suffix: &str,
    placed: i64,
) -> (Placement, CarePackage) {
    store
        .create_referral(referral, ReferralStatus::Offering, BROKER)
        .await
        .unwrap();
    store
        .create_offers(std::slice::from_ref(won), &referral.id, BROKER)
        .await
        .unwrap();
    let placement = placement(won, package_suffix, placed);
    let package = placed_package(&placement);
    (placement, package)
}

fn json(text: Option<&str>) -> Value {
    serde_json::from_str(text.expect("a JSON object")).unwrap()
}

pub async fn referrals_are_created_read_and_listed(
    store: Arc<dyn Store>,
    _database: &TestDatabase,
) {
    with_market(&store).await;
    let community = referral("a-first");
    let hospital = discharge("b-second");
    store
        .create_referral(&community, ReferralStatus::Offering, BROKER)
        .await
        .unwrap();
    store
        .create_referral(&hospital, ReferralStatus::Reablement, BROKER)
        .await
        .unwrap();

    let stored = store.referral(&community.id).await.unwrap().unwrap();
    assert_eq!(stored.referral, community, "skills keep the order written");
    assert_eq!(
        (stored.status, stored.placement.clone()),
        (ReferralStatus::Offering, None)
    );
    let stored_hospital = store.referral(&hospital.id).await.unwrap().unwrap();
    assert_eq!(stored_hospital.referral, hospital);
    assert_eq!(
        stored_hospital.referral.discharge_on,
        Some(Date::constant(2019, 8, 6))
    );
    assert!(stored_hospital.created_at >= stored.created_at);
    assert_eq!(store.referral(&referral_id("nobody")).await.unwrap(), None);

    // Newest first, and by status.
    let all = store.referrals(None).await.unwrap();
    let ids: Vec<&str> = all
        .iter()
        .map(|record| record.referral.id.as_str())
        .collect();
    assert_eq!(ids, ["ref_b-second", "ref_a-first"]);
    assert_eq!(all[1], stored);
    let in_reablement = store
        .referrals(Some(ReferralStatus::Reablement))
        .await
        .unwrap();
    assert_eq!(in_reablement, [stored_hospital]);
    assert!(
        store
            .referrals(Some(ReferralStatus::Placed))
            .await
            .unwrap()
            .is_empty()
    );

    let events = events_of(&store, "referral").await;
    assert_eq!(events.len(), 2);
    assert_eq!(
        (
            events[0].action.as_str(),
            events[0].record_id.as_deref(),
            events[0].actor.as_str()
        ),
        ("create", Some("ref_a-first"), BROKER)
    );
    let after = json(events[0].after.as_deref());
    assert_eq!(after["status"], "offering");
    assert_eq!(after["skills"], "hoist;dementia");
    assert_eq!(after["weekly_minutes"], 7 * 90 + 5 * 30);
    assert_eq!(after["placed_offer_id"], Value::Null);
    assert_eq!(events[0].before, None);
}

pub async fn an_invalid_referral_stores_nothing(store: Arc<dyn Store>, _database: &TestDatabase) {
    with_market(&store).await;
    let mut late = referral("late");
    late.needed_by = Date::constant(2019, 8, 1);
    let error = store
        .create_referral(&late, ReferralStatus::Offering, BROKER)
        .await
        .unwrap_err();
    let StoreError::Invalid {
        kind,
        index,
        id,
        errors,
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(
        (*kind, *index, id.as_str()),
        (RecordKind::Referral, 0, "ref_late")
    );
    assert_eq!(errors.0[0].field, "needed_by");

    let mut no_discharge_date = discharge("no-date");
    no_discharge_date.discharge_on = None;
    let error = store
        .create_referral(&no_discharge_date, ReferralStatus::Offering, BROKER)
        .await
        .unwrap_err();
    assert_store_error!(error, StoreError::Invalid { errors, .. } if errors.0[0].field == "discharge_on");

    let mut stranger = referral("stranger");
    stranger.person_id = fixtures::person_id("nobody");
    let error = store
        .create_referral(&stranger, ReferralStatus::Offering, BROKER)
        .await
        .unwrap_err();
    let StoreError::MissingReference { kind, message, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(
        (*kind, message.as_str()),
        (RecordKind::Referral, "person_id per_nobody does not exist")
    );

    store
        .create_referral(&referral("once"), ReferralStatus::Offering, BROKER)
        .await
        .unwrap();
    let error = store
        .create_referral(&referral("once"), ReferralStatus::Offering, BROKER)
        .await
        .unwrap_err();
    assert_store_error!(error, StoreError::Duplicate { kind: RecordKind::Referral, id, .. } if id == "ref_once");
    let stored = store.referrals(None).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(events_of(&store, "referral").await.len(), 1);
}

pub async fn a_referral_moves_only_from_where_it_stands(
    store: Arc<dyn Store>,
    _database: &TestDatabase,
) {
    with_market(&store).await;
    let first = referral("mover");
    store
        .create_referral(&first, ReferralStatus::Offering, BROKER)
        .await
        .unwrap();
    assert!(
        store
            .move_referral(
                &first.id,
                ReferralStatus::Offering,
                ReferralStatus::Unplaced,
                BROKER
            )
            .await
            .unwrap()
    );
    // A second caller who saw it offering finds it moved on: nothing changes.
    assert!(
        !store
            .move_referral(
                &first.id,
                ReferralStatus::Offering,
                ReferralStatus::Closed,
                BROKER
            )
            .await
            .unwrap()
    );
    let stored = store.referral(&first.id).await.unwrap().unwrap();
    assert_eq!(stored.status, ReferralStatus::Unplaced);

    let error = store
        .move_referral(
            &referral_id("nobody"),
            ReferralStatus::Offering,
            ReferralStatus::Closed,
            BROKER,
        )
        .await
        .unwrap_err();
    assert_store_error!(error, StoreError::NotFound { kind: RecordKind::Referral, id } if id == "ref_nobody");

    let events = events_of(&store, "referral").await;
    let actions: Vec<&str> = events.iter().map(|event| event.action.as_str()).collect();
    assert_eq!(actions, ["create", "move"], "only the move that happened");
    assert_eq!(json(events[1].before.as_deref())["status"], "offering");
    assert_eq!(json(events[1].after.as_deref())["status"], "unplaced");
}

pub async fn offers_are_listed_in_order_and_answered_once(
    store: Arc<dyn Store>,
    _database: &TestDatabase,
) {
    with_market(&store).await;
    let first = referral("offered");
    store
        .create_referral(&first, ReferralStatus::Offering, BROKER)
        .await
        .unwrap();
    let lead = offer("lead", "ab-z", 0, StepKind::Lead, 0);
    let broadcast = vec![
        offer("spot-w", "weald", 2, StepKind::Spot, 300),
        offer("spot-a", "abcd", 2, StepKind::Spot, 300),
    ];
    store
        .create_offers(std::slice::from_ref(&lead), &first.id, BROKER)
        .await
        .unwrap();
    store
        .create_offers(&broadcast, &first.id, BROKER)
        .await
        .unwrap();
    // By time sent, then step, then provider.
    assert_eq!(
        store.offers(&first.id).await.unwrap(),
        [lead.clone(), broadcast[1].clone(), broadcast[0].clone()]
    );

    // The lead provider declines within the deadline: recorded once.
    let decline = OfferResponse::Decline(DeclineReason::RuralTravel);
    let answered_at = instant(30, 7);
    assert_eq!(
        store
            .answer_offer(
                &lead.id,
                &provider_id("ab-z"),
                &decline,
                answered_at,
                BROKER
            )
            .await
            .unwrap(),
        AnswerOutcome::Recorded
    );
    let accept = OfferResponse::Accept {
        start_on: Date::constant(2019, 8, 9),
        hourly_rate: None,
    };
    assert_eq!(
        store
            .answer_offer(
                &lead.id,
                &provider_id("ab-z"),
                &accept,
                instant(31, 0),
                BROKER
            )
            .await
            .unwrap(),
        AnswerOutcome::NotOpen,
        "answered already"
    );

    // Another provider cannot answer an offer that is not theirs.
    let quote = OfferResponse::Accept {
        start_on: Date::constant(2019, 8, 8),
        hourly_rate: Some(Pence(1_850)),
    };
    assert_eq!(
        store
            .answer_offer(
                &broadcast[0].id,
                &provider_id("abcd"),
                &quote,
                instant(301, 0),
                BROKER
            )
            .await
            .unwrap(),
        AnswerOutcome::NotOpen
    );
    // At the deadline the offer has expired.
    assert_eq!(
        store
            .answer_offer(
                &broadcast[0].id,
                &provider_id("weald"),
                &quote,
                broadcast[0].deadline,
                BROKER
            )
            .await
            .unwrap(),
        AnswerOutcome::NotOpen
    );
    // Just before it, the quote is recorded with its rate.
    assert_eq!(
        store
            .answer_offer(
                &broadcast[1].id,
                &provider_id("abcd"),
                &quote,
                instant(300 + 4 * 60, -1),
                BROKER
            )
            .await
            .unwrap(),
        AnswerOutcome::Recorded
    );
    assert_eq!(
        store
            .answer_offer(
                &offer_id("nothing"),
                &provider_id("abcd"),
                &quote,
                instant(301, 0),
                BROKER
            )
            .await
            .unwrap(),
        AnswerOutcome::NotOpen
    );

    let stored = store.offers(&first.id).await.unwrap();
    assert_eq!(stored[0].response, Some((answered_at, decline)));
    assert_eq!(
        stored[1].response,
        Some((instant(300 + 4 * 60, -1), quote.clone()))
    );
    assert_eq!(stored[2].response, None);

    let events = events_of(&store, "offer").await;
    let actions: Vec<(&str, Option<&str>)> = events
        .iter()
        .map(|event| (event.action.as_str(), event.record_id.as_deref()))
        .collect();
    assert_eq!(
        actions,
        [
            ("create", Some("off_lead")),
            ("create", Some("off_spot-w")),
            ("create", Some("off_spot-a")),
            ("answer", Some("off_lead")),
            ("answer", Some("off_spot-a")),
        ]
    );
    let (before, after) = (
        json(events[4].before.as_deref()),
        json(events[4].after.as_deref()),
    );
    assert_eq!(
        (
            &before["response"],
            &before["hourly_rate_pence"],
            &before["referral_id"]
        ),
        (&Value::Null, &Value::Null, &Value::from("ref_offered"))
    );
    assert_eq!(
        (
            &after["response"],
            &after["hourly_rate_pence"],
            &after["start_on"]
        ),
        (
            &Value::from("accept"),
            &Value::from(1_850),
            &Value::from("2019-08-08")
        )
    );

    // Offers need a stored referral and stored providers.
    let error = store
        .create_offers(
            &[offer("orphan", "ab-z", 0, StepKind::Lead, 0)],
            &referral_id("nobody"),
            BROKER,
        )
        .await
        .unwrap_err();
    assert_store_error!(
        error,
        StoreError::NotFound {
            kind: RecordKind::Referral,
            ..
        }
    );
    let error = store
        .create_offers(
            &[
                offer("fine", "ab-z", 3, StepKind::LastResort, 600),
                offer("gone", "gone", 3, StepKind::LastResort, 600),
            ],
            &first.id,
            BROKER,
        )
        .await
        .unwrap_err();
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
        (RecordKind::Offer, 1, "provider_id prov_gone does not exist")
    );
    assert_eq!(store.offers(&first.id).await.unwrap().len(), 3);
}

pub async fn provider_offers_list_newest_first_and_open_only(
    store: Arc<dyn Store>,
    _database: &TestDatabase,
) {
    with_market(&store).await;
    let (first, second) = (referral("first-one"), discharge("second-two"));
    for referral in [&first, &second] {
        store
            .create_referral(referral, ReferralStatus::Offering, BROKER)
            .await
            .unwrap();
    }
    let early = offer("early", "weald", 0, StepKind::Lead, 0);
    let late = offer("late", "weald", 1, StepKind::Secondary, 60);
    let other = offer("other", "abcd", 1, StepKind::Secondary, 90);
    store
        .create_offers(std::slice::from_ref(&early), &first.id, BROKER)
        .await
        .unwrap();
    store
        .create_offers(&[late.clone(), other], &second.id, BROKER)
        .await
        .unwrap();

    let weald = provider_id("weald");
    let all = store.provider_offers(&weald, false).await.unwrap();
    let listed: Vec<(&str, &str)> = all
        .iter()
        .map(|(offer, record)| (offer.id.as_str(), record.referral.id.as_str()))
        .collect();
    assert_eq!(
        listed,
        [
            ("off_late", "ref_second-two"),
            ("off_early", "ref_first-one")
        ]
    );
    assert_eq!(all[0].0, late);
    assert_eq!(all[0].1, store.referral(&second.id).await.unwrap().unwrap());

    // Answered offers are not open, however long their deadline has to run; expired ones are
    // still open until answered.
    store
        .answer_offer(
            &late.id,
            &weald,
            &OfferResponse::Decline(DeclineReason::NoCapacity),
            instant(61, 0),
            BROKER,
        )
        .await
        .unwrap();
    let open = store.provider_offers(&weald, true).await.unwrap();
    assert_eq!(
        open.iter()
            .map(|(offer, _)| offer.id.as_str())
            .collect::<Vec<_>>(),
        ["off_early"]
    );
    assert_eq!(store.provider_offers(&weald, false).await.unwrap().len(), 2);
    assert!(
        store
            .provider_offers(&provider_id("ab-z"), false)
            .await
            .unwrap()
            .is_empty()
    );
}

pub async fn a_package_placed_on_a_quote_keeps_its_rate_and_its_audit_says_so(
    store: Arc<dyn Store>,
    _database: &TestDatabase,
) {
    with_market(&store).await;
    let quoted = referral("quoted");
    let won = offer("spot-winner", "weald", 4, StepKind::Spot, 0);
    let (placement, mut package) = offered_and_won(&store, &quoted, &won, "quoted-one", 45).await;
    package.agreed_hourly_rate = Some(Pence(1_800));

    // The rate belongs to broadcast steps: at the lead's step it is refused, naming the field.
    let mut at_lead = placement.clone();
    at_lead.step = StepKind::Lead;
    let error = store
        .place_referral(&at_lead, &quoted.id, &package, None, BROKER)
        .await
        .unwrap_err();
    assert_store_error!(error, StoreError::Invalid { kind: RecordKind::Package, errors, .. } if errors.0[0].field == "agreed_hourly_rate_pence");
    // So is a rate no quote could be.
    let mut too_dear = package.clone();
    too_dear.agreed_hourly_rate = Some(Pence(20_001));
    let error = store
        .place_referral(&placement, &quoted.id, &too_dear, None, BROKER)
        .await
        .unwrap_err();
    assert_store_error!(error, StoreError::Invalid { errors, .. } if errors.0[0].field == "agreed_hourly_rate_pence");

    assert!(
        store
            .place_referral(&placement, &quoted.id, &package, None, BROKER)
            .await
            .unwrap()
    );
    let stored = store
        .packages()
        .await
        .unwrap()
        .into_iter()
        .find(|stored| stored.id == package.id)
        .expect("the package is stored");
    assert_eq!(stored.agreed_hourly_rate, Some(Pence(1_800)));
    assert_eq!(stored, package);
    let created = events_of(&store, "package")
        .await
        .into_iter()
        .find(|event| event.record_id.as_deref() == Some(package.id.as_str()))
        .expect("the package's creation is audited");
    assert_eq!(
        json(created.after.as_deref())["agreed_hourly_rate_pence"],
        1_800
    );
}

pub async fn placing_a_referral_stores_its_package_and_incentive(
    store: Arc<dyn Store>,
    _database: &TestDatabase,
) {
    with_market(&store).await;
    let first = referral("placed");
    let won = offer("winner", "weald", 0, StepKind::Lead, 0);
    let (placement, package) = offered_and_won(&store, &first, &won, "placed-one", 45).await;
    let incentive = Incentive {
        referral_id: first.id.clone(),
        provider_id: won.provider_id.clone(),
        amount: Pence(15_000),
        pickup_days: 3,
        starts_on: placement.started_on,
    };
    let packages_before = store.packages().await.unwrap().len();
    assert!(
        store
            .place_referral(&placement, &first.id, &package, Some(&incentive), BROKER)
            .await
            .unwrap()
    );

    let stored = store.referral(&first.id).await.unwrap().unwrap();
    assert_eq!(stored.status, ReferralStatus::Placed);
    assert_eq!(stored.placement.as_ref(), Some(&placement));
    let packages = store.packages().await.unwrap();
    assert_eq!(packages.len(), packages_before + 1);
    assert!(packages.contains(&package), "stored as the register's own");
    assert_eq!(
        store.incentives().await.unwrap(),
        std::slice::from_ref(&incentive)
    );

    // A second placement finds it placed: nothing changes.
    let mut again = placement.clone();
    again.package_id = homeward_domain::PackageId::from_suffix("placed-two").unwrap();
    let second_package = placed_package(&again);
    assert!(
        !store
            .place_referral(&again, &first.id, &second_package, None, BROKER)
            .await
            .unwrap()
    );
    assert_eq!(store.packages().await.unwrap().len(), packages_before + 1);
    assert_eq!(
        store.referral(&first.id).await.unwrap().unwrap().placement,
        Some(placement.clone())
    );

    // Only a referral being offered can be placed; a missing one is not found.
    let waiting = referral("waiting");
    store
        .create_referral(&waiting, ReferralStatus::Unplaced, BROKER)
        .await
        .unwrap();
    let mut elsewhere = placement.clone();
    elsewhere.package_id = homeward_domain::PackageId::from_suffix("placed-three").unwrap();
    assert!(
        !store
            .place_referral(
                &elsewhere,
                &waiting.id,
                &placed_package(&elsewhere),
                None,
                BROKER
            )
            .await
            .unwrap()
    );
    let error = store
        .place_referral(
            &elsewhere,
            &referral_id("nobody"),
            &placed_package(&elsewhere),
            None,
            BROKER,
        )
        .await
        .unwrap_err();
    assert_store_error!(
        error,
        StoreError::NotFound {
            kind: RecordKind::Referral,
            ..
        }
    );

    // A package whose person is not stored undoes the whole placement.
    let stranded = referral("stranded");
    store
        .create_referral(&stranded, ReferralStatus::Offering, BROKER)
        .await
        .unwrap();
    let mut orphan = placed_package(&elsewhere);
    orphan.person_id = fixtures::person_id("nobody");
    let error = store
        .place_referral(&elsewhere, &stranded.id, &orphan, None, BROKER)
        .await
        .unwrap_err();
    let StoreError::MissingReference { kind, message, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(
        (*kind, message.as_str()),
        (RecordKind::Package, "person_id per_nobody does not exist")
    );
    let unchanged = store.referral(&stranded.id).await.unwrap().unwrap();
    assert_eq!(
        (unchanged.status, unchanged.placement),
        (ReferralStatus::Offering, None)
    );

    // The placement names its package.
    let error = store
        .place_referral(&placement, &stranded.id, &second_package, None, BROKER)
        .await
        .unwrap_err();
    assert_store_error!(error, StoreError::Invalid { kind: RecordKind::Referral, errors, .. } if errors.0[0].field == "package_id");

    let referral_events = events_of(&store, "referral").await;
    let place = referral_events
        .iter()
        .find(|event| event.action == "place")
        .expect("a place event");
    assert_eq!(place.record_id.as_deref(), Some("ref_placed"));
    let (before, after) = (json(place.before.as_deref()), json(place.after.as_deref()));
    assert_eq!(
        (&before["status"], &before["package_id"]),
        (&Value::from("offering"), &Value::Null)
    );
    assert_eq!(
        (
            &after["status"],
            &after["package_id"],
            &after["placed_provider_id"],
            &after["placed_at"]
        ),
        (
            &Value::from("placed"),
            &Value::from("pkg_placed-one"),
            &Value::from("prov_weald"),
            &Value::from("2019-08-05T09:45:00.000123Z")
        )
    );
    assert_eq!(
        referral_events
            .iter()
            .filter(|event| event.action == "place")
            .count(),
        1
    );
    let package_events = events_of(&store, "package").await;
    assert_eq!(package_events.len(), 1);
    assert_eq!(
        (
            package_events[0].action.as_str(),
            package_events[0].record_id.as_deref()
        ),
        ("create", Some("pkg_placed-one"))
    );
    assert_eq!(events_of(&store, "incentive").await.len(), 1);
}

/// Two callers place the same referral at the same moment, with different offers, providers
/// and packages: exactly one wins, its package alone is stored, and the placement is its own.
pub async fn concurrent_placements_place_each_referral_once(
    store: Arc<dyn Store>,
    _database: &TestDatabase,
) {
    const ROUNDS: usize = 10;
    with_market(&store).await;
    let packages_before = store.packages().await.unwrap().len();
    for round in 0..ROUNDS {
        let first = referral(&format!("race-{round}"));
        store
            .create_referral(&first, ReferralStatus::Offering, BROKER)
            .await
            .unwrap();
        let offers = [
            offer(&format!("race-{round}-a"), "ab-z", 2, StepKind::Spot, 0),
            offer(&format!("race-{round}-b"), "weald", 2, StepKind::Spot, 0),
        ];
        store
            .create_offers(&offers, &first.id, BROKER)
            .await
            .unwrap();

        let barrier = Arc::new(Barrier::new(offers.len()));
        let callers: Vec<_> = offers
            .iter()
            .enumerate()
            .map(|(caller, offer)| {
                let placement = placement(offer, &format!("race-{round}-{caller}"), 60);
                let package = placed_package(&placement);
                let incentive = Incentive {
                    referral_id: first.id.clone(),
                    provider_id: offer.provider_id.clone(),
                    amount: Pence(10_000),
                    pickup_days: 1,
                    starts_on: placement.started_on,
                };
                let (store, barrier, referral_id) =
                    (Arc::clone(&store), Arc::clone(&barrier), first.id.clone());
                tokio::spawn(async move {
                    barrier.wait().await;
                    let placed = store
                        .place_referral(
                            &placement,
                            &referral_id,
                            &package,
                            Some(&incentive),
                            &format!("caller {caller}"),
                        )
                        .await
                        .unwrap();
                    (placed, placement, package, incentive)
                })
            })
            .collect();
        let mut outcomes = Vec::new();
        for caller in callers {
            outcomes.push(caller.await.unwrap());
        }
        let winners: Vec<_> = outcomes.iter().filter(|outcome| outcome.0).collect();
        assert_eq!(
            winners.len(),
            1,
            "round {round}: exactly one placement wins"
        );
        let (_, placement, package, incentive) = winners[0];

        let stored = store.referral(&first.id).await.unwrap().unwrap();
        assert_eq!(stored.status, ReferralStatus::Placed);
        assert_eq!(stored.placement.as_ref(), Some(placement), "round {round}");
        let packages = store.packages().await.unwrap();
        let of_round: Vec<_> = packages
            .iter()
            .filter(|stored| {
                stored
                    .id
                    .as_str()
                    .starts_with(&format!("pkg_race-{round}-"))
            })
            .collect();
        assert_eq!(of_round, [package], "round {round}: one package");
        assert_eq!(packages.len(), packages_before + round + 1);
        let incentives = store.incentives().await.unwrap();
        assert!(incentives.contains(incentive), "round {round}");
        assert_eq!(incentives.len(), round + 1);
    }
    let places = events_of(&store, "referral")
        .await
        .into_iter()
        .filter(|event| event.action == "place")
        .count();
    assert_eq!(places, ROUNDS, "one place event per referral");
}

pub async fn reablement_ends_with_an_onward_referral(
    store: Arc<dyn Store>,
    _database: &TestDatabase,
) {
    with_market(&store).await;
    let first = discharge("first");
    store
        .create_referral(&first, ReferralStatus::Reablement, BROKER)
        .await
        .unwrap();
    let episode = ReablementEpisode {
        referral_id: first.id.clone(),
        started_on: Date::constant(2019, 8, 6),
        ended: None,
        onward_referral_id: None,
    };
    store.start_reablement(&episode, BROKER).await.unwrap();
    assert_eq!(
        store.reablement_episode(&first.id).await.unwrap(),
        Some(episode.clone())
    );
    let error = store.start_reablement(&episode, BROKER).await.unwrap_err();
    assert_store_error!(
        error,
        StoreError::Duplicate {
            kind: RecordKind::ReablementEpisode,
            ..
        }
    );

    // The same care, less of it: an onward referral, offered at once.
    let ended_on = Date::constant(2019, 9, 10);
    let reduced = Needs {
        pattern: WeeklyPattern::parse("Fri 10:00 45m").unwrap(),
        skills: vec![],
        complex: false,
    };
    let onward = ReablementOutcome::ReducedCare
        .onward_referral(
            &first,
            referral_id("onward"),
            episode.started_on,
            ended_on,
            Some(reduced),
        )
        .unwrap()
        .unwrap();
    store
        .end_reablement(
            &first.id,
            ended_on,
            ReablementOutcome::ReducedCare,
            Some(&onward),
            BROKER,
        )
        .await
        .unwrap();

    assert_eq!(
        store.reablement_episode(&first.id).await.unwrap(),
        Some(ReablementEpisode {
            ended: Some((ended_on, ReablementOutcome::ReducedCare)),
            onward_referral_id: Some(onward.id.clone()),
            ..episode.clone()
        })
    );
    let closed = store.referral(&first.id).await.unwrap().unwrap();
    assert_eq!(closed.status, ReferralStatus::Closed);
    let stored_onward = store.referral(&onward.id).await.unwrap().unwrap();
    assert_eq!(stored_onward.referral, onward);
    assert_eq!(stored_onward.status, ReferralStatus::Offering);
    assert_eq!(stored_onward.referral.route, AccessRoute::EndOfReablement);

    // An episode ends once.
    let error = store
        .end_reablement(
            &first.id,
            ended_on,
            ReablementOutcome::NoFurtherCare,
            None,
            BROKER,
        )
        .await
        .unwrap_err();
    assert_store_error!(error, StoreError::Invalid { kind: RecordKind::ReablementEpisode, errors, .. } if errors.0[0].field == "ended_on");
    let error = store
        .end_reablement(
            &referral_id("nobody"),
            ended_on,
            ReablementOutcome::NoFurtherCare,
            None,
            BROKER,
        )
        .await
        .unwrap_err();
    assert_store_error!(error, StoreError::NotFound { kind: RecordKind::ReablementEpisode, id } if id == "ref_nobody");

    // No further care closes the referral without an onward one.
    let second = discharge("second");
    store
        .create_referral(&second, ReferralStatus::Reablement, BROKER)
        .await
        .unwrap();
    store
        .start_reablement(
            &ReablementEpisode {
                referral_id: second.id.clone(),
                ..episode.clone()
            },
            BROKER,
        )
        .await
        .unwrap();
    store
        .end_reablement(
            &second.id,
            Date::constant(2019, 8, 20),
            ReablementOutcome::NoFurtherCare,
            None,
            BROKER,
        )
        .await
        .unwrap();
    let episode_two = store.reablement_episode(&second.id).await.unwrap().unwrap();
    assert_eq!(
        (episode_two.ended, episode_two.onward_referral_id),
        (
            Some((
                Date::constant(2019, 8, 20),
                ReablementOutcome::NoFurtherCare
            )),
            None
        )
    );
    assert_eq!(store.referrals(None).await.unwrap().len(), 3);

    // Only a referral in reablement starts an episode.
    let offered = referral("offered");
    store
        .create_referral(&offered, ReferralStatus::Offering, BROKER)
        .await
        .unwrap();
    let error = store
        .start_reablement(
            &ReablementEpisode {
                referral_id: offered.id.clone(),
                ..episode.clone()
            },
            BROKER,
        )
        .await
        .unwrap_err();
    assert_store_error!(
        error,
        StoreError::Invalid {
            kind: RecordKind::ReablementEpisode,
            ..
        }
    );
    assert_eq!(store.reablement_episode(&offered.id).await.unwrap(), None);

    let episode_events = events_of(&store, "reablement-episode").await;
    let actions: Vec<&str> = episode_events
        .iter()
        .map(|event| event.action.as_str())
        .collect();
    assert_eq!(actions, ["start", "end", "start", "end"]);
    let after = json(episode_events[1].after.as_deref());
    assert_eq!(
        (&after["outcome"], &after["onward_referral_id"]),
        (&Value::from("reduced-care"), &Value::from("ref_onward"))
    );
    let referral_actions: Vec<(String, Option<String>)> = events_of(&store, "referral")
        .await
        .into_iter()
        .map(|event| (event.action, event.record_id))
        .collect();
    assert!(referral_actions.contains(&("create".into(), Some("ref_onward".into()))));
    assert!(referral_actions.contains(&("close".into(), Some("ref_first".into()))));
}

pub async fn capacity_returns_replace_and_the_latest_counts(
    store: Arc<dyn Store>,
    _database: &TestDatabase,
) {
    with_market(&store).await;
    let (week_one, week_two, week_three) = (
        Date::constant(2019, 8, 5),
        Date::constant(2019, 8, 12),
        Date::constant(2019, 8, 19),
    );
    let bognor_one = capacity("bognor-east", week_one, 20, 0);
    let bognor_two = capacity("bognor-east", week_two, 12, 60);
    let midhurst_one = capacity("midhurst", week_one, 5, 0);
    for capacity in [&bognor_one, &bognor_two, &midhurst_one] {
        store.put_capacity_return(capacity, BROKER).await.unwrap();
    }
    // A second return for the same week replaces the first.
    let bognor_two_revised = capacity("bognor-east", week_two, 8, 90);
    store
        .put_capacity_return(&bognor_two_revised, BROKER)
        .await
        .unwrap();

    assert_eq!(
        store.capacity_returns(week_one).await.unwrap(),
        [bognor_one.clone(), midhurst_one.clone()]
    );
    // Later weeks carry each branch and area's latest return forward; a mid-week day is in its
    // week.
    assert_eq!(
        store.capacity_returns(week_two).await.unwrap(),
        [bognor_two_revised.clone(), midhurst_one.clone()]
    );
    assert_eq!(
        store
            .capacity_returns(Date::constant(2019, 8, 14))
            .await
            .unwrap(),
        [bognor_two_revised.clone(), midhurst_one.clone()]
    );
    assert_eq!(
        store.capacity_returns(week_three).await.unwrap(),
        [bognor_two_revised.clone(), midhurst_one.clone()]
    );
    assert!(
        store
            .capacity_returns(Date::constant(2019, 7, 29))
            .await
            .unwrap()
            .is_empty()
    );

    // A week starts on a Monday, and a branch returns for its own provider only.
    let error = store
        .put_capacity_return(
            &capacity("bognor-east", Date::constant(2019, 8, 14), 1, 0),
            BROKER,
        )
        .await
        .unwrap_err();
    assert_store_error!(error, StoreError::Invalid { kind: RecordKind::CapacityReturn, errors, .. } if errors.0[0].field == "week_of");
    let mut wrong_provider = capacity("bognor-east", week_three, 1, 0);
    wrong_provider.provider_id = provider_id("weald");
    let error = store
        .put_capacity_return(&wrong_provider, BROKER)
        .await
        .unwrap_err();
    assert_store_error!(error, StoreError::Invalid { kind: RecordKind::CapacityReturn, errors, .. } if errors.0[0].field == "provider_id");
    let error = store
        .put_capacity_return(&capacity("atlantis", week_three, 1, 0), BROKER)
        .await
        .unwrap_err();
    let StoreError::MissingReference {
        kind, id, message, ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(
        (*kind, id.as_str(), message.as_str()),
        (
            RecordKind::CapacityReturn,
            "br_downs-bognor/area_atlantis/2019-08-19",
            "area_id area_atlantis does not exist"
        )
    );

    let events = events_of(&store, "capacity-return").await;
    let actions: Vec<&str> = events.iter().map(|event| event.action.as_str()).collect();
    assert_eq!(actions, ["create", "create", "create", "update"]);
    assert_eq!(
        events[3].record_id.as_deref(),
        Some("br_downs-bognor/area_bognor-east/2019-08-12")
    );
    assert_eq!(json(events[3].before.as_deref())["hours"], 12);
    assert_eq!(json(events[3].after.as_deref())["hours"], 8);
}

pub async fn replacing_the_market_clears_brokerage(
    store: Arc<dyn Store>,
    _database: &TestDatabase,
) {
    with_market(&store).await;
    // One of everything brokerage stores.
    let first = referral("cleared");
    let won = offer("cleared", "ab-z", 0, StepKind::Lead, 0);
    let (placement, package) = offered_and_won(&store, &first, &won, "cleared", 10).await;
    let incentive = Incentive {
        referral_id: first.id.clone(),
        provider_id: won.provider_id.clone(),
        amount: Pence(5_000),
        pickup_days: 2,
        starts_on: placement.started_on,
    };
    store
        .place_referral(&placement, &first.id, &package, Some(&incentive), BROKER)
        .await
        .unwrap();
    let second = discharge("cleared-two");
    store
        .create_referral(&second, ReferralStatus::Reablement, BROKER)
        .await
        .unwrap();
    let episode = ReablementEpisode {
        referral_id: second.id.clone(),
        started_on: Date::constant(2019, 8, 6),
        ended: None,
        onward_referral_id: None,
    };
    store.start_reablement(&episode, BROKER).await.unwrap();
    store
        .put_capacity_return(
            &capacity("bognor-east", Date::constant(2019, 8, 5), 10, 0),
            BROKER,
        )
        .await
        .unwrap();

    for market in [fixtures::other_market(), fixtures::market()] {
        store
            .replace_market(&market, "homeward demo")
            .await
            .unwrap();
        assert!(store.referrals(None).await.unwrap().is_empty());
        assert!(store.offers(&first.id).await.unwrap().is_empty());
        assert!(
            store
                .provider_offers(&provider_id("ab-z"), false)
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(store.reablement_episode(&second.id).await.unwrap(), None);
        assert!(store.incentives().await.unwrap().is_empty());
        assert!(
            store
                .capacity_returns(Date::constant(2019, 8, 5))
                .await
                .unwrap()
                .is_empty()
        );
    }
    // Brokerage starts again on the new register.
    store
        .create_referral(&first, ReferralStatus::Offering, BROKER)
        .await
        .unwrap();
    assert_eq!(store.referrals(None).await.unwrap().len(), 1);
}

pub async fn a_referral_goes_into_reablement_with_its_episode_or_not_at_all(
    store: Arc<dyn Store>,
    _database: &TestDatabase,
) {
    with_market(&store).await;
    let referral = discharge("to-reablement");
    let episode = ReablementEpisode {
        referral_id: referral.id.clone(),
        started_on: referral.needed_by,
        ended: None,
        onward_referral_id: None,
    };
    let before = store.register_version().await.unwrap();
    let reablement = ReferralStart::Reablement(episode.clone());
    store
        .create_person_and_referral(None, &referral, &reablement, BROKER)
        .await
        .unwrap();
    assert_eq!(
        store.referral(&referral.id).await.unwrap().unwrap().status,
        ReferralStatus::Reablement
    );
    assert_eq!(
        store.reablement_episode(&referral.id).await.unwrap(),
        Some(episode.clone())
    );
    assert_eq!(
        store.register_version().await.unwrap(),
        before + 2,
        "the referral and its episode are audited"
    );

    // Another referral with an episode that is not its own: neither is stored.
    let stray = discharge("stray");
    let error = store
        .create_person_and_referral(None, &stray, &reablement, BROKER)
        .await
        .unwrap_err();
    assert_store_error!(error, StoreError::Invalid { errors, .. } if errors.0[0].field == "referral_id");
    assert_eq!(store.referral(&stray.id).await.unwrap(), None);

    // The same referral again: refused whole, the first left as it was.
    let error = store
        .create_person_and_referral(None, &referral, &reablement, BROKER)
        .await
        .unwrap_err();
    assert_store_error!(error, StoreError::Duplicate { .. });
    assert_eq!(
        store.register_version().await.unwrap(),
        before + 2,
        "nothing more is written"
    );
}
