//! Quotes bind, over real databases: a referral placed at the spot step on a quote below the
//! winner's contract rate is invoiced at the quote. Before, the package forgot the quote and the
//! invoice charged the contract's rate, so a provider could win on a low price and bill a high one.

use homeward_app::{Brokerage, BrokerageError, Ids, Progress, invoicing};
use homeward_domain::brokerage::{AccessRoute, DeclineReason, Needs, OfferResponse, Referral};
use homeward_domain::brokerage::{Offer, StepKind};
use homeward_domain::{
    CallEvent, CallEventKind, CarePackage, Contract, ContractKind, EventKey, FundingRoute,
    InvoicePeriod, LineKind, Market, Pence, Person, ProviderId, ReferralId, Visit, VisitId,
    VisitStatus, WeeklyPattern, WorkerId, amount_for, visits_between,
};
use homeward_store::testing::TestDatabase;
use homeward_store::{Backend, Store, VisitChanges};
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use std::sync::Arc;

/// Tuesday 26 May 2026, when the referral is made.
fn referred_at() -> Timestamp {
    "2026-05-26T09:00:00Z".parse().unwrap()
}

/// June 2026 (2026–27 period 3), when care runs.
fn period() -> InvoicePeriod {
    InvoicePeriod::containing(Date::constant(2026, 6, 1))
}

/// 1 July 2026: the period has ended.
fn after_the_period() -> Timestamp {
    "2026-07-01T09:00:00Z".parse().unwrap()
}

/// Council-arranged people with their areas' rurality, in id order.
fn council_arranged(market: &Market) -> Vec<(&Person, bool)> {
    let mut people: Vec<(&Person, bool)> = market
        .people
        .iter()
        .filter(|person| person.funding_route == FundingRoute::CouncilArranged)
        .filter_map(|person| {
            let area = market.areas.iter().find(|area| area.id == person.area_id)?;
            Some((person, area.rural))
        })
        .collect();
    people.sort_by(|a, b| a.0.id.cmp(&b.0.id));
    people
}

/// A referral for `person` (numbered `attempt`): weekday mornings (no unsocial hours) through
/// June.
fn referral_for(person: &Person, attempt: usize) -> Referral {
    Referral {
        id: ReferralId::from_suffix(&format!("quoted-{attempt:04}")).unwrap(),
        person_id: person.id.clone(),
        area_id: person.area_id.clone(),
        route: AccessRoute::Community,
        needs: Needs {
            pattern: WeeklyPattern::parse("Mon-Fri 10:00 1h").unwrap(),
            skills: vec![],
            complex: person.complex_needs,
        },
        funding_route: FundingRoute::CouncilArranged,
        reablement_potential: false,
        referred_on: Date::constant(2026, 5, 26),
        needed_by: Date::constant(2026, 6, 1),
        discharge_on: None,
    }
}

/// Refers people in turn, every provider declining each step before spot, until a referral
/// reaches spot purchase with a provider whose spot contract would charge its visits; returns
/// the referral, its person's rurality, the spot offers, the provider and its contract.
async fn a_referral_at_spot<'a>(
    brokerage: &Brokerage,
    market: &'a Market,
) -> (Referral, &'a Person, bool, Vec<Offer>, ProviderId, Contract) {
    let answered = referred_at() + SignedDuration::from_hours(1);
    for (attempt, (person, rural)) in council_arranged(market).into_iter().enumerate().take(200) {
        let referral = referral_for(person, attempt);
        let mut progress = brokerage
            .refer(&referral, referred_at(), "broker")
            .await
            .unwrap();
        while let Progress::Offered { step, .. } = progress {
            if step == StepKind::Spot {
                break;
            }
            let open = brokerage.open_offers(&referral.id).await.unwrap();
            progress = answer_all(brokerage, &open, answered, |_| {
                OfferResponse::Decline(DeclineReason::NoCapacity)
            })
            .await
            .expect("a declined step moves on");
        }
        if !matches!(
            progress,
            Progress::Offered {
                step: StepKind::Spot,
                ..
            }
        ) {
            continue;
        }
        let spot = brokerage.open_offers(&referral.id).await.unwrap();
        let chosen = spot.iter().find_map(|offer| {
            spot_contract(market, &offer.provider_id, person)
                .map(|contract| (offer.provider_id.clone(), contract.clone()))
        });
        if let Some((winner, contract)) = chosen {
            return (referral, person, rural, spot, winner, contract);
        }
    }
    panic!("no referral of the demo reached a spot provider with a spot contract");
}

/// The spot contract that would charge `provider`'s visits to `person` through June: one in
/// force all month, with no block or group fund for the person's area before it.
fn spot_contract<'a>(
    market: &'a Market,
    provider: &ProviderId,
    person: &Person,
) -> Option<&'a Contract> {
    let (first, last) = (period().starts_on(), period().ends_on());
    let own = || {
        market.contracts.iter().filter(move |contract| {
            &contract.provider_id == provider
                && contract.is_in_force_on(first)
                && contract.is_in_force_on(last)
        })
    };
    let area_based = own().any(|contract| {
        matches!(
            contract.kind,
            ContractKind::Block | ContractKind::GroupServiceFund
        ) && contract.area_id.as_ref() == Some(&person.area_id)
    });
    if area_based {
        return None;
    }
    own()
        .filter(|contract| contract.kind == ContractKind::Spot)
        .min_by(|a, b| a.id.cmp(&b.id))
}

/// The first care worker (by id) of `provider`.
fn worker_of(market: &Market, provider: &ProviderId) -> WorkerId {
    market
        .workers
        .iter()
        .filter(|worker| {
            market
                .branches
                .iter()
                .any(|branch| branch.id == worker.branch_id && &branch.provider_id == provider)
        })
        .map(|worker| worker.id.clone())
        .min()
        .expect("the provider employs a care worker")
}

async fn answer_all(
    brokerage: &Brokerage,
    offers: &[Offer],
    at: Timestamp,
    answer: impl Fn(&Offer) -> OfferResponse,
) -> Option<Progress> {
    let mut last = None;
    for offer in offers {
        last = brokerage
            .answer(
                &offer.id,
                &offer.provider_id,
                &answer(offer),
                at,
                "provider",
            )
            .await
            .unwrap();
    }
    last
}

async fn a_quote_won_at_spot_is_what_the_invoice_charges(backend: Backend) {
    let database = TestDatabase::new(backend).await.unwrap();
    let store: Arc<dyn Store> = database.store().await.unwrap();
    let preset = homeward_preset::builtin("oxfordshire-2014").unwrap();
    let market = homeward_demo::generate(&preset, 1, &mut homeward_demo::NoProgress);
    store.replace_market(&market, "test").await.unwrap();
    let brokerage = Brokerage::new(store.clone(), preset.brokerage.clone(), Ids::seeded(11));

    let (referral, person, rural, spot, winner, contract) =
        a_referral_at_spot(&brokerage, &market).await;
    let answered = referred_at() + SignedDuration::from_hours(1);

    // The winner quotes £3.00 an hour below its contract's rate; the rest decline.
    let quote = Pence(contract.hourly_rate.0 - 300);
    let starts_on = Date::constant(2026, 6, 1);

    // An acceptance at a broadcast step without a quote is refused, naming the field.
    let unquoted = spot
        .iter()
        .find(|offer| offer.provider_id == winner)
        .unwrap();
    let refused = brokerage
        .answer(
            &unquoted.id,
            &winner,
            &OfferResponse::Accept {
                start_on: starts_on,
                hourly_rate: None,
            },
            answered,
            "provider",
        )
        .await
        .unwrap_err();
    let BrokerageError::Invalid(invalid) = &refused else {
        panic!("{refused:?}")
    };
    assert_eq!(invalid.0[0].field, "hourly_rate_pence");

    let placed = answer_all(&brokerage, &spot, answered, |offer| {
        if offer.provider_id == winner {
            OfferResponse::Accept {
                start_on: starts_on,
                hourly_rate: Some(quote),
            }
        } else {
            OfferResponse::Decline(DeclineReason::NoCapacity)
        }
    })
    .await;
    assert_eq!(
        placed,
        Some(Progress::Placed {
            provider_id: winner.clone(),
            start_on: starts_on,
        })
    );

    // The package carries the quote.
    let record = store.referral(&referral.id).await.unwrap().unwrap();
    let placement = record.placement.expect("placed");
    assert_eq!(placement.step, StepKind::Spot);
    let package: CarePackage = store
        .packages()
        .await
        .unwrap()
        .into_iter()
        .find(|package| package.id == placement.package_id)
        .expect("the package is stored");
    assert_eq!(package.agreed_hourly_rate, Some(quote));

    // June's visits are made as planned, each checked in and out on time.
    let laid: Vec<Visit> = visits_between(&package, period().starts_on(), period().ends_on())
        .into_iter()
        .enumerate()
        .map(|(number, dated)| Visit {
            id: VisitId::from_suffix(&format!("quoted-{number:03}")).unwrap(),
            provider_id: winner.clone(),
            dated,
            status: VisitStatus::Planned,
        })
        .collect();
    assert_eq!(laid.len(), 20, "weekdays of June 2026");
    store
        .change_visits(
            &VisitChanges {
                cancel: vec![],
                add: laid.clone(),
            },
            answered,
            "planner",
        )
        .await
        .unwrap();
    let worker = worker_of(&market, &winner);
    for visit in &laid {
        for (kind, at) in [
            (CallEventKind::CheckIn, visit.dated.starts_at),
            (
                CallEventKind::CheckOut,
                visit.dated.starts_at + SignedDuration::from_hours(1),
            ),
        ] {
            let event = CallEvent {
                key: EventKey::parse(&format!("{}-{}", visit.id, kind.code()), "key").unwrap(),
                visit_id: visit.id.clone(),
                worker_id: worker.clone(),
                kind,
                at,
                location: None,
                tasks: Default::default(),
                note: None,
            };
            store.record_call_event(&event, at, "phone").await.unwrap();
        }
    }

    // The invoice charges every visit at the quote (with the contract's enhancements for
    // rurality and complexity, as it states them), not at the contract's rate.
    let invoice = invoicing::invoice(store.as_ref(), &winner, period(), after_the_period())
        .await
        .unwrap()
        .expect("the provider is in the register");
    let agreed = contract.enhance(quote, false, rural, person.complex_needs);
    let contract_rate = contract.enhanced_rate(false, rural, person.complex_needs);
    assert!(agreed < contract_rate, "{agreed} is below {contract_rate}");
    let lines: Vec<_> = invoice
        .invoice
        .lines
        .iter()
        .filter(|line| {
            line.visit_id
                .as_ref()
                .is_some_and(|id| laid.iter().any(|visit| &visit.id == id))
        })
        .collect();
    assert_eq!(lines.len(), laid.len());
    for line in &lines {
        assert_eq!(line.kind, LineKind::Visit, "{line:?}");
        assert_eq!(line.contract_id.as_ref(), Some(&contract.id));
        assert_eq!((line.charged_minutes, line.rate), (60, agreed), "{line:?}");
        assert_eq!(line.amount, amount_for(agreed, 60));
        assert!(
            line.note
                .contains(&format!("rate agreed at placement {quote}")),
            "{}",
            line.note
        );
    }
    let charged: i64 = lines.iter().map(|line| line.amount.0).sum();
    assert_eq!(charged, 20 * amount_for(agreed, 60).0);
}

#[tokio::test]
async fn a_quote_won_at_spot_is_what_the_invoice_charges_on_sqlite() {
    a_quote_won_at_spot_is_what_the_invoice_charges(Backend::Sqlite).await;
}

#[tokio::test]
async fn a_quote_won_at_spot_is_what_the_invoice_charges_on_postgres() {
    a_quote_won_at_spot_is_what_the_invoice_charges(Backend::Postgres).await;
}

/// The demo's history replays recent placements through brokerage: each package placed at a
/// broadcast step carries the quote of the offer that won it, and every other none.
async fn the_demo_history_places_packages_at_the_quotes_that_won_them(backend: Backend) {
    let database = TestDatabase::new(backend).await.unwrap();
    let store: Arc<dyn Store> = database.store().await.unwrap();
    // West Sussex's ladders have lead and secondary steps as well as broadcast ones.
    let preset = homeward_preset::builtin("west-sussex-2019").unwrap();
    let mut register = homeward_demo::generate(&preset, 1, &mut homeward_demo::NoProgress);
    let history = homeward_app::history::recent_referrals(&mut register, 1);
    store.replace_market(&register, "test").await.unwrap();
    let brokerage = Brokerage::new(store.clone(), preset.brokerage.clone(), Ids::seeded(1));
    let mut responder = homeward_app::history::Responder::new(1, preset.rates.spot_hourly);
    let report = homeward_app::history::replay(
        &brokerage,
        &history,
        |_| false,
        &mut responder,
        true,
        "test",
    )
    .await
    .unwrap();
    assert!(report.placed > 10, "{report:?}");

    let packages = store.packages().await.unwrap();
    let (mut broadcast, mut single) = (0, 0);
    for record in store.referrals(None).await.unwrap() {
        let Some(placement) = record.placement else {
            continue;
        };
        let package = packages
            .iter()
            .find(|package| package.id == placement.package_id)
            .expect("a placement's package is stored");
        let won = store
            .offers(&record.referral.id)
            .await
            .unwrap()
            .into_iter()
            .find(|offer| offer.id == placement.offer_id)
            .expect("the winning offer is stored");
        let Some((_, OfferResponse::Accept { hourly_rate, .. })) = won.response else {
            panic!("the winning offer was accepted: {won:?}")
        };
        if placement.step.is_broadcast() {
            broadcast += 1;
            assert!(hourly_rate.is_some(), "{won:?}");
            assert_eq!(package.agreed_hourly_rate, hourly_rate, "{}", package.id);
        } else {
            single += 1;
            assert_eq!(package.agreed_hourly_rate, None, "{}", package.id);
        }
    }
    assert!(
        broadcast > 0 && single > 0,
        "{broadcast} by quote, {single} by one provider"
    );
}

#[tokio::test]
async fn the_demo_history_places_packages_at_the_quotes_that_won_them_on_sqlite() {
    the_demo_history_places_packages_at_the_quotes_that_won_them(Backend::Sqlite).await;
}

#[tokio::test]
async fn the_demo_history_places_packages_at_the_quotes_that_won_them_on_postgres() {
    the_demo_history_places_packages_at_the_quotes_that_won_them(Backend::Postgres).await;
}
