//! Test data for invoicing, shared by the tests of this crate, the web server and the command
//! line: a past period of care made through the store as it would have happened, on any stored
//! register.
//!
//! [`past_period`] lays out the visits of a few packages of each provider named over one past
//! invoice period (stored with `now` just before the period began, as a planner would have), then
//! records their check-ins and check-outs by one of the provider's care workers, in a fixed
//! pattern: of every twelve visits one has no check-in and one no check-out, and the rest vary a
//! few minutes either side of the plan. For the first provider it also adds a block contract in
//! the area of one of its people (so guarantees are exercised whatever the preset) and places a
//! referral that earns an early-start incentive starting in the period. Nothing is random: the
//! same register and period give the same data.

use homeward_domain::brokerage::{AccessRoute, Needs, Offer, Referral, StepKind};
use homeward_domain::brokerage::{Incentive, Placement, ReferralStatus};
use homeward_domain::{
    CallEvent, CallEventKind, CarePackage, ChargeBasis, ChargeTerms, Contract, ContractId,
    ContractKind, EventKey, FundingRoute, InvoicePeriod, OfferId, PackageId, Pence, ProviderId,
    ReferralId, Visit, VisitId, VisitStatus, WeeklyPattern, WorkerId, london_instant,
    visits_between,
};
use homeward_store::{Records, Store, StoreError, VisitChanges};
use jiff::civil::Time;
use jiff::{SignedDuration, Timestamp};

/// Packages of each provider whose visits are laid out.
const PACKAGES_EACH: usize = 5;
/// The actor the fixture's writes are audited as.
const ACTOR: &str = "test fixture";

/// What [`past_period`] made.
#[derive(Debug, Clone)]
pub struct PastPeriod {
    /// The period.
    pub period: InvoicePeriod,
    /// Every visit laid out, with the provider's.
    pub visits: Vec<Visit>,
    /// The block contract added for the first provider.
    pub block: Contract,
    /// The referral whose placement earned the incentive.
    pub incentive_referral: ReferralId,
}

impl PastPeriod {
    /// The visits of `provider`.
    pub fn visits_of(&self, provider: &ProviderId) -> Vec<&Visit> {
        self.visits
            .iter()
            .filter(|visit| &visit.provider_id == provider)
            .collect()
    }
}

/// The period the shared tests invoice: 2026–27 period 3, Monday 1 to Sunday 28 June 2026.
pub fn test_period() -> InvoicePeriod {
    InvoicePeriod::containing(jiff::civil::Date::constant(2026, 6, 1))
}

/// Lays out and checks in a past period of care for `providers`, as the module describes.
/// `providers` must each deliver packages running in `period` and employ a care worker.
pub async fn past_period(
    store: &dyn Store,
    providers: &[ProviderId],
    period: InvoicePeriod,
) -> Result<PastPeriod, StoreError> {
    let planned_at =
        london_instant(period.starts_on(), Time::midnight()) - SignedDuration::from_hours(1);
    let packages = store.packages().await?;
    let people = store.people().await?;
    let funding = |package: &CarePackage| {
        people
            .iter()
            .find(|person| person.id == package.person_id)
            .map(|person| person.funding_route)
    };
    let mut visits = Vec::new();
    let mut block = None;
    let mut incentive_referral = None;
    for (index, provider) in providers.iter().enumerate() {
        let mut own: Vec<&CarePackage> = packages
            .iter()
            .filter(|package| package.provider_id.as_ref() == Some(provider))
            .filter(|package| {
                package.starts_on <= period.starts_on()
                    && package
                        .ends_on
                        .is_none_or(|ends_on| ends_on >= period.ends_on())
            })
            .collect();
        own.sort_by(|a, b| a.id.cmp(&b.id));
        let mut chosen: Vec<&CarePackage> = own.iter().copied().take(PACKAGES_EACH).collect();
        // An individual service fund too, when the provider holds one.
        if let Some(fund) = own
            .iter()
            .find(|package| funding(package) == Some(FundingRoute::IndividualServiceFund))
            && !chosen.iter().any(|package| package.id == fund.id)
        {
            chosen.push(fund);
        }
        let worker = worker_of(store, provider).await?;
        let mut laid = Vec::new();
        for package in &chosen {
            for dated in visits_between(package, period.starts_on(), period.ends_on()) {
                laid.push(Visit {
                    id: VisitId::from_suffix(&format!("fx{index}-{:05}", laid.len()))
                        .expect("a valid suffix"),
                    provider_id: provider.clone(),
                    dated,
                    status: VisitStatus::Planned,
                });
            }
        }
        store
            .change_visits(
                &VisitChanges {
                    cancel: vec![],
                    add: laid.clone(),
                },
                planned_at,
                ACTOR,
            )
            .await?;
        for (number, visit) in laid.iter().enumerate() {
            check_in_and_out(store, visit, &worker, number).await?;
        }
        if index == 0 {
            let arranged = chosen
                .iter()
                .find(|package| funding(package) == Some(FundingRoute::CouncilArranged))
                .copied()
                .unwrap_or(chosen[0]);
            let area_id = people
                .iter()
                .find(|person| person.id == arranged.person_id)
                .map(|person| person.area_id.clone())
                .expect("a package's person is stored");
            // The block guarantees four fifths of the weekly hours it covers among the chosen
            // packages, so the period is about as used as a well-sized block would be.
            let covered: u32 = chosen
                .iter()
                .filter(|package| funding(package) == Some(FundingRoute::CouncilArranged))
                .filter(|package| {
                    people
                        .iter()
                        .any(|person| person.id == package.person_id && person.area_id == area_id)
                })
                .map(|package| package.weekly_minutes())
                .sum();
            let guaranteed_hours = (covered * 4 / 5 / 60).max(1);
            let contract = Contract {
                id: ContractId::from_suffix("fx-block").expect("a valid suffix"),
                provider_id: provider.clone(),
                area_id: Some(area_id),
                kind: ContractKind::Block,
                hourly_rate: Pence(1_650),
                enhancements: Default::default(),
                guaranteed_weekly_minutes: guaranteed_hours * 60,
                charge_terms: ChargeTerms {
                    basis: ChargeBasis::Planned,
                    increment_minutes: 15,
                    minimum_minutes: 30,
                },
                starts_on: period.starts_on(),
                ends_on: None,
            };
            store
                .insert(Records::Contracts(vec![contract.clone()]), ACTOR)
                .await?;
            block = Some(contract);
            incentive_referral =
                Some(place_with_incentive(store, provider, arranged, period, planned_at).await?);
        }
        visits.extend(laid);
    }
    Ok(PastPeriod {
        period,
        visits,
        block: block.expect("at least one provider"),
        incentive_referral: incentive_referral.expect("at least one provider"),
    })
}

/// The first care worker (by id) of `provider`'s branches.
async fn worker_of(store: &dyn Store, provider: &ProviderId) -> Result<WorkerId, StoreError> {
    let branches: Vec<_> = store
        .branches()
        .await?
        .into_iter()
        .filter(|branch| &branch.provider_id == provider)
        .map(|branch| branch.id)
        .collect();
    let worker = store
        .workers()
        .await?
        .into_iter()
        .filter(|worker| branches.contains(&worker.branch_id))
        .map(|worker| worker.id)
        .min();
    Ok(worker.unwrap_or_else(|| panic!("{provider} employs no care worker")))
}

/// The `number`th visit's check-in and check-out: every twelfth from the sixth has no
/// check-in, every twelfth from the eighth no check-out; the rest start from 3 minutes early to
/// 3 late and last from 6 minutes less to 2 more than planned.
async fn check_in_and_out(
    store: &dyn Store,
    visit: &Visit,
    worker: &WorkerId,
    number: usize,
) -> Result<(), StoreError> {
    if number % 12 == 5 {
        return Ok(());
    }
    let minutes = |value: i64| SignedDuration::from_mins(value);
    let arrived = visit.dated.starts_at + minutes((number % 7) as i64 - 3);
    let event = |kind: CallEventKind, at: Timestamp| CallEvent {
        key: EventKey::parse(&format!("{}-{}", visit.id, kind.code()), "key").expect("a valid key"),
        visit_id: visit.id.clone(),
        worker_id: worker.clone(),
        kind,
        at,
        location: None,
        tasks: Default::default(),
        note: None,
    };
    store
        .record_call_event(&event(CallEventKind::CheckIn, arrived), arrived, ACTOR)
        .await?;
    if number % 12 == 7 {
        return Ok(());
    }
    let stayed = (i64::from(visit.dated.duration_minutes) + (number % 9) as i64 - 6).max(1);
    let left = arrived + minutes(stayed);
    store
        .record_call_event(&event(CallEventKind::CheckOut, left), left, ACTOR)
        .await?;
    Ok(())
}

/// Places a referral for `package`'s person with `provider`, care starting on the period's
/// fourth day, earning a £50.00 early-start incentive.
async fn place_with_incentive(
    store: &dyn Store,
    provider: &ProviderId,
    package: &CarePackage,
    period: InvoicePeriod,
    at: Timestamp,
) -> Result<ReferralId, StoreError> {
    let person = store
        .people()
        .await?
        .into_iter()
        .find(|person| person.id == package.person_id)
        .expect("a package's person is stored");
    let starts_on = period
        .starts_on()
        .checked_add(jiff::Span::new().days(3))
        .expect("within the calendar");
    let referred_on = period
        .starts_on()
        .checked_add(jiff::Span::new().days(1))
        .expect("within the calendar");
    let referral = Referral {
        id: ReferralId::from_suffix("fx-early-start").expect("a valid suffix"),
        person_id: person.id.clone(),
        area_id: person.area_id.clone(),
        route: AccessRoute::Community,
        needs: Needs {
            pattern: WeeklyPattern::parse("Mon,Thu 15:00 30m").expect("a valid pattern"),
            skills: vec![],
            complex: false,
        },
        funding_route: person.funding_route,
        reablement_potential: false,
        referred_on,
        needed_by: starts_on,
        discharge_on: None,
    };
    store
        .create_referral(&referral, ReferralStatus::Offering, ACTOR)
        .await?;
    let offer = Offer {
        id: OfferId::from_suffix("fx-early-start").expect("a valid suffix"),
        provider_id: provider.clone(),
        step_index: 0,
        step: StepKind::Lead,
        sent_at: at,
        deadline: at + SignedDuration::from_hours(24),
        response: None,
    };
    store
        .create_offers(std::slice::from_ref(&offer), &referral.id, ACTOR)
        .await?;
    let placed = CarePackage {
        id: PackageId::from_suffix("fx-early-start").expect("a valid suffix"),
        person_id: person.id.clone(),
        provider_id: Some(provider.clone()),
        pattern: referral.needs.pattern.clone(),
        skills: vec![],
        starts_on,
        ends_on: None,
        // Placed at the lead's step: the contract's rate.
        agreed_hourly_rate: None,
    };
    let placement = Placement {
        offer_id: offer.id.clone(),
        provider_id: provider.clone(),
        step: StepKind::Lead,
        package_id: placed.id.clone(),
        started_on: starts_on,
        placed_at: at,
    };
    let incentive = Incentive {
        referral_id: referral.id.clone(),
        provider_id: provider.clone(),
        amount: Pence(5_000),
        pickup_days: (starts_on - referred_on).get_days(),
        starts_on,
    };
    store
        .place_referral(&placement, &referral.id, &placed, Some(&incentive), ACTOR)
        .await?;
    Ok(referral.id)
}

/// The `count` independent providers delivering the most weekly hours of `packages`, largest
/// first (ties: the greater id first): the ones with enough care to invoice.
pub fn largest_providers(
    providers: &[homeward_domain::Provider],
    packages: &[CarePackage],
    count: usize,
) -> Vec<ProviderId> {
    let mut minutes: std::collections::BTreeMap<&ProviderId, u32> = Default::default();
    for package in packages {
        if let Some(provider) = &package.provider_id {
            *minutes.entry(provider).or_default() += package.weekly_minutes();
        }
    }
    let mut ranked: Vec<(u32, &ProviderId)> = providers
        .iter()
        .filter(|provider| !provider.in_house)
        .map(|provider| {
            (
                minutes.get(&provider.id).copied().unwrap_or(0),
                &provider.id,
            )
        })
        .collect();
    ranked.sort_by(|a, b| b.cmp(a));
    ranked
        .into_iter()
        .take(count)
        .map(|(_, id)| id.clone())
        .collect()
}
