//! Brokerage end to end over real databases: reablement first, the cascade, expiry, and two
//! providers accepting a dynamic-market offer at the same moment.

use homeward_app::{Brokerage, Ids, Progress};
use homeward_domain::brokerage::ReferralStatus;
use homeward_domain::brokerage::{
    AccessRoute, DeclineReason, Needs, OfferResponse, ReablementOutcome, Referral, StepKind,
};
use homeward_domain::{FundingRoute, Market, Pence, ReferralId, Tier, WeeklyPattern};
use homeward_store::testing::TestDatabase;
use homeward_store::{Backend, Store};
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use std::sync::Arc;

struct Setup {
    store: Arc<dyn Store>,
    market: Market,
    brokerage: Arc<Brokerage>,
    _database: TestDatabase,
}

async fn setup(backend: Backend, preset: &str) -> Setup {
    let database = TestDatabase::new(backend).await.unwrap();
    let store = database.store().await.unwrap();
    let preset = homeward_preset::builtin(preset).unwrap();
    let market = homeward_demo::generate(&preset, 1, &mut homeward_demo::NoProgress);
    store.replace_market(&market, "test").await.unwrap();
    let brokerage = Arc::new(Brokerage::new(
        store.clone(),
        preset.brokerage.clone(),
        Ids::seeded(7),
    ));
    Setup {
        store,
        market,
        brokerage,
        _database: database,
    }
}

fn now() -> Timestamp {
    "2019-09-02T09:00:00Z".parse().unwrap()
}

/// A referral for someone living in an area of `tier`.
fn referral(
    market: &Market,
    tier: Tier,
    number: usize,
    route: AccessRoute,
    potential: bool,
) -> Referral {
    let people_in = |area: &homeward_domain::Area| {
        market
            .people
            .iter()
            .filter(|person| person.area_id == area.id)
            .count()
    };
    let areas: Vec<_> = market
        .areas
        .iter()
        .filter(|area| area.tier == tier && people_in(area) >= 4)
        .collect();
    let area = areas[number % areas.len()];
    let person = market
        .people
        .iter()
        .filter(|person| person.area_id == area.id)
        .nth(number / areas.len())
        .unwrap();
    Referral {
        id: ReferralId::from_suffix(&format!("test-{number:04}-{}", tier.number())).unwrap(),
        person_id: person.id.clone(),
        area_id: area.id.clone(),
        route,
        needs: Needs {
            pattern: WeeklyPattern::parse("daily 08:00 45m; daily 19:30 30m").unwrap(),
            skills: vec![],
            complex: false,
        },
        funding_route: FundingRoute::CouncilArranged,
        reablement_potential: potential,
        referred_on: Date::constant(2019, 9, 2),
        needed_by: Date::constant(2019, 9, 4),
        discharge_on: (route == AccessRoute::HospitalDischarge)
            .then_some(Date::constant(2019, 9, 3)),
    }
}

fn accept(day: i8, pence: Option<i64>) -> OfferResponse {
    OfferResponse::Accept {
        start_on: Date::constant(2019, 9, day),
        hourly_rate: pence.map(Pence),
    }
}

async fn two_providers_accepting_at_once_make_one_award(backend: Backend) {
    let setup = setup(backend, "west-sussex-2019").await;
    for round in 0..5 {
        // Level 3: the dynamic market is the first step, offered to every provider at once.
        let referral = referral(
            &setup.market,
            Tier::Level3,
            round,
            AccessRoute::Community,
            false,
        );
        let progress = setup
            .brokerage
            .refer(&referral, now(), "broker")
            .await
            .unwrap();
        assert!(
            matches!(progress, Progress::Offered { step: StepKind::DynamicMarket, providers } if providers >= 2),
            "{progress:?}"
        );
        let offers = setup.store.offers(&referral.id).await.unwrap();
        let at = now() + SignedDuration::from_hours(2);
        for offer in &offers[2..] {
            setup
                .brokerage
                .answer(
                    &offer.id,
                    &offer.provider_id,
                    &OfferResponse::Decline(DeclineReason::NoCapacity),
                    at,
                    "provider",
                )
                .await
                .unwrap();
        }
        let packages_before = setup.store.packages().await.unwrap().len();
        let barrier = Arc::new(tokio::sync::Barrier::new(2));
        let tasks: Vec<_> = offers[..2]
            .iter()
            .map(|offer| {
                let (brokerage, barrier, offer) =
                    (setup.brokerage.clone(), barrier.clone(), offer.clone());
                tokio::spawn(async move {
                    barrier.wait().await;
                    brokerage
                        .answer(
                            &offer.id,
                            &offer.provider_id,
                            &accept(5, Some(1_900)),
                            at + SignedDuration::from_hours(1),
                            "provider",
                        )
                        .await
                        .unwrap()
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
        // Whoever's answer came second may have found the step still open: the deadline settles it.
        setup
            .brokerage
            .advance(&referral.id, at + SignedDuration::from_hours(72), "broker")
            .await
            .unwrap();
        let record = setup.store.referral(&referral.id).await.unwrap().unwrap();
        assert_eq!(record.status, ReferralStatus::Placed, "round {round}");
        let winner = record.placement.unwrap().provider_id;
        assert!(offers[..2].iter().any(|offer| offer.provider_id == winner));
        let packages = setup.store.packages().await.unwrap();
        assert_eq!(
            packages.len(),
            packages_before + 1,
            "round {round}: exactly one package"
        );
        assert_eq!(
            packages
                .iter()
                .filter(|package| package.person_id == referral.person_id
                    && package.starts_on == Date::constant(2019, 9, 5))
                .count(),
            1
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_providers_accepting_at_once_make_one_award_on_sqlite() {
    two_providers_accepting_at_once_make_one_award(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_providers_accepting_at_once_make_one_award_on_postgres() {
    two_providers_accepting_at_once_make_one_award(Backend::Postgres).await;
}

#[tokio::test]
async fn the_lead_accepting_starts_a_package_and_the_pickup_is_counted() {
    let setup = setup(Backend::Sqlite, "west-sussex-2019").await;
    let referral = referral(
        &setup.market,
        Tier::Level1,
        0,
        AccessRoute::Community,
        false,
    );
    let progress = setup
        .brokerage
        .refer(&referral, now(), "broker")
        .await
        .unwrap();
    assert_eq!(
        progress,
        Progress::Offered {
            step: StepKind::Lead,
            providers: 1
        }
    );
    let offer = setup.store.offers(&referral.id).await.unwrap().remove(0);
    let placed = setup
        .brokerage
        .answer(
            &offer.id,
            &offer.provider_id,
            &accept(4, None),
            now() + SignedDuration::from_hours(3),
            "provider",
        )
        .await
        .unwrap();
    assert_eq!(
        placed,
        Some(Progress::Placed {
            provider_id: offer.provider_id.clone(),
            start_on: Date::constant(2019, 9, 4)
        })
    );
    let record = setup.store.referral(&referral.id).await.unwrap().unwrap();
    let placement = record.placement.unwrap();
    assert_eq!(
        (
            placement.step,
            (placement.started_on - referral.referred_on).get_days()
        ),
        (StepKind::Lead, 2)
    );
    // A second answer to the same offer changes nothing.
    assert_eq!(
        setup
            .brokerage
            .answer(
                &offer.id,
                &offer.provider_id,
                &accept(6, None),
                now() + SignedDuration::from_hours(4),
                "provider"
            )
            .await
            .unwrap(),
        None
    );
}

#[tokio::test]
async fn expired_offers_move_the_referral_on_by_themselves() {
    let setup = setup(Backend::Sqlite, "west-sussex-2019").await;
    let referral = referral(
        &setup.market,
        Tier::Level1,
        1,
        AccessRoute::Community,
        false,
    );
    setup
        .brokerage
        .refer(&referral, now(), "broker")
        .await
        .unwrap();
    assert_eq!(
        setup
            .brokerage
            .expire(now() + SignedDuration::from_hours(1), "clock")
            .await
            .unwrap(),
        0,
        "not expired yet"
    );
    assert_eq!(
        setup
            .brokerage
            .expire(now() + SignedDuration::from_hours(25), "clock")
            .await
            .unwrap(),
        1
    );
    let steps: Vec<StepKind> = setup
        .store
        .offers(&referral.id)
        .await
        .unwrap()
        .iter()
        .map(|offer| offer.step)
        .collect();
    assert_eq!(steps, [StepKind::Lead, StepKind::Secondary]);
}

#[tokio::test]
async fn norfolk_sends_referrals_to_reablement_first_and_the_outcome_onward() {
    let setup = setup(Backend::Sqlite, "norfolk-2014").await;
    let first = referral(&setup.market, Tier::Level1, 2, AccessRoute::Community, true);
    assert_eq!(
        setup
            .brokerage
            .refer(&first, now(), "broker")
            .await
            .unwrap(),
        Progress::InReablement
    );
    assert_eq!(
        setup
            .store
            .referral(&first.id)
            .await
            .unwrap()
            .unwrap()
            .status,
        ReferralStatus::Reablement
    );
    let reduced = Needs {
        pattern: WeeklyPattern::parse("daily 08:00 30m").unwrap(),
        skills: vec![],
        complex: false,
    };
    // An episode cannot be recorded as ending after today: on 2 October it may end that day,
    // not the next; nothing changes.
    let on_the_second = now() + SignedDuration::from_hours(24 * 30);
    let too_soon = setup
        .brokerage
        .end_reablement(
            &first.id,
            Date::constant(2019, 10, 3),
            ReablementOutcome::ReducedCare,
            Some(reduced.clone()),
            on_the_second,
            "broker",
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&too_soon, homeward_app::BrokerageError::Invalid(invalid) if invalid.0[0].field == "ended_on"),
        "{too_soon:?}"
    );
    assert_eq!(
        setup
            .store
            .referral(&first.id)
            .await
            .unwrap()
            .unwrap()
            .status,
        ReferralStatus::Reablement
    );
    let onward = setup
        .brokerage
        .end_reablement(
            &first.id,
            Date::constant(2019, 10, 2),
            ReablementOutcome::ReducedCare,
            Some(reduced.clone()),
            now() + SignedDuration::from_hours(24 * 30),
            "broker",
        )
        .await
        .unwrap()
        .unwrap();
    let onward = setup.store.referral(&onward).await.unwrap().unwrap();
    assert_eq!(
        (onward.referral.route, &onward.referral.needs, onward.status),
        (
            AccessRoute::EndOfReablement,
            &reduced,
            ReferralStatus::Offering
        )
    );
    assert!(
        !setup
            .store
            .offers(&onward.referral.id)
            .await
            .unwrap()
            .is_empty(),
        "the onward referral went straight into the cascade"
    );
    assert_eq!(
        setup
            .store
            .referral(&first.id)
            .await
            .unwrap()
            .unwrap()
            .status,
        ReferralStatus::Closed
    );
}
