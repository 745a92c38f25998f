//! Generated providers' answers, and replaying referrals through brokerage on simulated time:
//! the demo's history of referrals, offers and answers, and the brokerage benchmark.

use crate::{Brokerage, BrokerageError, Progress};
use homeward_domain::brokerage::{
    DeclineReason, OfferResponse, ReablementOutcome, Referral, StepKind,
};
use homeward_domain::{Pence, WeeklyPattern, london_date};
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Answers offers as providers plausibly would: lead providers mostly say yes; of the many asked
/// at once on the dynamic market or by spot purchase, most stay silent and some quote; the
/// council's own provider always takes the package; rural packages are declined more.
pub struct Responder {
    rng: ChaCha8Rng,
    /// The hourly rate quotes are drawn around.
    pub typical_rate: Pence,
}

/// One generated answer: how long after the offer it came, and what it was; `None` is silence.
pub type Answer = Option<(SignedDuration, OfferResponse)>;

impl Responder {
    /// A responder drawing from `seed`.
    pub fn new(seed: u64, typical_rate: Pence) -> Responder {
        Responder {
            rng: ChaCha8Rng::seed_from_u64(seed),
            typical_rate,
        }
    }

    /// The answer to an offer at `step` of `referral`, sent at `sent_at`, within
    /// `response_hours`; an acceptance starts care no earlier than the day it is given.
    pub fn answer(
        &mut self,
        step: StepKind,
        referral: &Referral,
        rural: bool,
        sent_at: Timestamp,
        response_hours: u32,
    ) -> Answer {
        let acceptance = match step {
            StepKind::Lead => 0.65,
            StepKind::Secondary => 0.55,
            StepKind::DynamicMarket => 0.35,
            StepKind::CommunityOptions => 0.3,
            StepKind::Spot => 0.6,
            StepKind::LastResort => 1.0,
        } * if rural { 0.7 } else { 1.0 };
        // Most providers asked at once never answer: their offers lapse at the deadline. A
        // provider asked alone nearly always does; the council's own provider always takes it.
        let silence = match step {
            StepKind::LastResort => 0.0,
            step if step.is_broadcast() => 0.6,
            _ => 0.08,
        };
        if self.rng.random::<f64>() < silence {
            return None;
        }
        let always = step == StepKind::LastResort;
        let after = SignedDuration::from_mins(
            self.rng
                .random_range(30..=i64::from(response_hours.max(1)) * 60 - 1),
        );
        if always || self.rng.random::<f64>() < acceptance {
            let lead_days = self.rng.random_range(0..=if rural { 4 } else { 2 });
            let answered_on = london_date(sent_at + after);
            let start_on = referral.needed_by.max(
                answered_on
                    .checked_add(jiff::Span::new().days(lead_days))
                    .unwrap_or(answered_on),
            );
            let hourly_rate = step
                .is_broadcast()
                .then(|| Pence(self.typical_rate.0 + self.rng.random_range(-150..=250)));
            return Some((
                after,
                OfferResponse::Accept {
                    start_on,
                    hourly_rate,
                },
            ));
        }
        let small = referral.needs.weekly_minutes() < 3 * 60;
        let reasons = [
            (DeclineReason::NoCapacity, 0.5),
            (DeclineReason::RuralTravel, if rural { 0.3 } else { 0.05 }),
            (
                DeclineReason::Skills,
                if referral.needs.skills.is_empty() {
                    0.03
                } else {
                    0.15
                },
            ),
            (
                DeclineReason::PackageTooSmall,
                if small { 0.2 } else { 0.02 },
            ),
            (DeclineReason::Other, 0.05),
        ];
        let total: f64 = reasons.iter().map(|(_, weight)| weight).sum();
        let mut pick = self.rng.random::<f64>() * total;
        let reason = reasons
            .iter()
            .find(|(_, weight)| {
                pick -= weight;
                pick < 0.0
            })
            .map_or(DeclineReason::Other, |(reason, _)| *reason);
        Some((after, OfferResponse::Decline(reason)))
    }

    /// How a reablement episode ends, and the reduced care if it was reduced: a little under
    /// half need nothing more (Norfolk: 49% reabled before onward referral).
    pub fn reablement_outcome(
        &mut self,
        referral: &Referral,
    ) -> (i64, ReablementOutcome, Option<WeeklyPattern>) {
        let days = self.rng.random_range(14..=42);
        let draw = self.rng.random::<f64>();
        if draw < 0.45 {
            (days, ReablementOutcome::NoFurtherCare, None)
        } else if draw < 0.75 {
            let slots = referral.needs.pattern.slots();
            let reduced = if slots.len() > 1 {
                WeeklyPattern::new(slots[..slots.len() - 1].to_vec()).ok()
            } else {
                None
            };
            match reduced {
                Some(pattern) => (days, ReablementOutcome::ReducedCare, Some(pattern)),
                None => (days, ReablementOutcome::SameCare, None),
            }
        } else {
            (days, ReablementOutcome::SameCare, None)
        }
    }
}

/// What a replay did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReplayReport {
    /// Referrals taken in.
    pub referrals: usize,
    /// Placed with a provider.
    pub placed: usize,
    /// Left on the waiting list.
    pub unplaced: usize,
    /// Closed after reablement with no further care.
    pub reabled: usize,
    /// Offers sent.
    pub offers: usize,
}

/// Takes each referral in, at its time, through reablement (ending it as the responder says) and
/// the cascade, answering every offer as the responder says, until it is placed, unplaced or
/// closed. Referrals are taken one after another, each on its own simulated clock.
/// With `must_place`, the first step that offers to several providers at once ends with one of
/// them accepting (the broker rings round until someone can): the demo's history uses it, so that
/// every package it takes out is placed again.
pub async fn replay(
    brokerage: &Brokerage,
    referrals: &[(Referral, Timestamp)],
    rural: impl Fn(&Referral) -> bool,
    responder: &mut Responder,
    must_place: bool,
    actor: &str,
) -> Result<ReplayReport, BrokerageError> {
    let mut report = ReplayReport::default();
    for (referral, at) in referrals {
        report.referrals += 1;
        let mut now = *at;
        let mut current = referral.id.clone();
        let mut progress = brokerage.refer(referral, now, actor).await?;
        if progress == Progress::InReablement {
            let (days, outcome, reduced) = responder.reablement_outcome(referral);
            let ended_on = referral
                .needed_by
                .checked_add(jiff::Span::new().days(days))
                .unwrap_or(referral.needed_by);
            now = now.max(noon(ended_on));
            let revised = reduced.map(|pattern| homeward_domain::brokerage::Needs {
                pattern,
                ..referral.needs.clone()
            });
            match brokerage
                .end_reablement(&referral.id, ended_on, outcome, revised, now, actor)
                .await?
            {
                Some(onward) => {
                    current = onward;
                    progress = Progress::Waiting { until: now };
                }
                None => {
                    report.reabled += 1;
                    continue;
                }
            }
        }
        let rural = rural(referral);
        for _ in 0..100 {
            match &progress {
                Progress::Placed { .. } => {
                    report.placed += 1;
                    break;
                }
                Progress::Unplaced => {
                    report.unplaced += 1;
                    break;
                }
                Progress::NotOffering => break,
                Progress::InReablement | Progress::Offered { .. } | Progress::Waiting { .. } => {}
            }
            // Only offers still open now: an expired offer was answered (or not) when it was live.
            let offers: Vec<_> = brokerage
                .open_offers(&current)
                .await?
                .into_iter()
                .filter(|offer| offer.is_open(now))
                .collect();
            if offers.is_empty() {
                progress = brokerage.advance(&current, now, actor).await?;
                continue;
            }
            report.offers += offers.len();
            let record = brokerage.store_referral(&current).await?;
            let mut answers = Vec::new();
            let mut deadline = now;
            for offer in &offers {
                deadline = deadline.max(offer.deadline);
                let hours = u32::try_from(offer.deadline.duration_since(offer.sent_at).as_hours())
                    .unwrap_or(24);
                if let Some((after, response)) =
                    responder.answer(offer.step, &record.referral, rural, offer.sent_at, hours)
                {
                    answers.push((
                        offer.sent_at + after,
                        offer.id.clone(),
                        offer.provider_id.clone(),
                        response,
                    ));
                }
            }
            let accepted = answers
                .iter()
                .any(|(_, _, _, response)| matches!(response, OfferResponse::Accept { .. }));
            if must_place && !accepted && offers[0].step.is_broadcast() {
                let offer = &offers[0];
                let answered_at = offer.sent_at + SignedDuration::from_hours(1);
                let start_on = record.referral.needed_by.max(london_date(answered_at));
                let hourly_rate = offer.step.is_broadcast().then_some(responder.typical_rate);
                answers.retain(|(_, id, _, _)| id != &offer.id);
                answers.push((
                    answered_at,
                    offer.id.clone(),
                    offer.provider_id.clone(),
                    OfferResponse::Accept {
                        start_on,
                        hourly_rate,
                    },
                ));
            }
            answers.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
            // Answers arrive in time order; the first that settles the step moves the referral on,
            // and any later answers to its old offers are no longer wanted.
            let mut moved_on = None;
            for (at, offer_id, provider_id, response) in answers {
                now = now.max(at);
                match brokerage
                    .answer(&offer_id, &provider_id, &response, at, actor)
                    .await?
                {
                    Some(Progress::Waiting { .. }) | None => {}
                    Some(next) => {
                        moved_on = Some(next);
                        break;
                    }
                }
            }
            progress = match moved_on {
                Some(next) => next,
                None => {
                    // Whoever stayed silent let their offer expire at the deadline.
                    now = now.max(deadline);
                    brokerage.advance(&current, now, actor).await?
                }
            };
        }
    }
    Ok(report)
}

/// Noon UTC on a day: a plain time for simulated events on that day.
fn noon(date: Date) -> Timestamp {
    date.at(12, 0, 0, 0)
        .to_zoned(jiff::tz::TimeZone::UTC)
        .map_or(Timestamp::UNIX_EPOCH, |zoned| zoned.timestamp())
}

/// Takes out of `market` the packages that started between 98 and 14 days before the council's
/// reference date and returns, for each, the referral that led to it, made some days before it
/// started; replaying them through brokerage places them again, so the demo's register keeps its
/// customers and hours while its recent packages gain a history of referrals, offers and answers.
pub fn recent_referrals(
    market: &mut homeward_domain::Market,
    seed: u64,
) -> Vec<(Referral, Timestamp)> {
    use homeward_domain::ReferralId;
    use homeward_domain::brokerage::referral_funding;
    use homeward_domain::brokerage::{AccessRoute, Needs};
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5eed_b10c);
    let reference = market.council.reference_date;
    let first = reference
        .checked_sub(jiff::Span::new().days(98))
        .unwrap_or(reference);
    let last = reference
        .checked_sub(jiff::Span::new().days(14))
        .unwrap_or(reference);
    let (recent, kept): (Vec<_>, Vec<_>) = std::mem::take(&mut market.packages)
        .into_iter()
        .partition(|package| {
            package.starts_on >= first && package.starts_on <= last && package.ends_on.is_none()
        });
    market.packages = kept;
    let mut referrals = Vec::new();
    for package in recent {
        let Some(person) = market
            .people
            .iter()
            .find(|person| person.id == package.person_id)
        else {
            continue;
        };
        let route = *[
            (AccessRoute::Community, 0.35),
            (AccessRoute::HospitalDischarge, 0.3),
            (AccessRoute::EndOfReablement, 0.2),
            (AccessRoute::SelfOrFamily, 0.1),
            (AccessRoute::Safeguarding, 0.05),
        ]
        .iter()
        .scan(rng.random::<f64>(), |left, (route, weight)| {
            let chosen = *left < *weight;
            *left -= weight;
            Some((route, chosen))
        })
        .find(|(_, chosen)| *chosen)
        .map_or(&AccessRoute::Community, |(route, _)| route);
        let days_before = rng.random_range(1..=6);
        let referred_on = package
            .starts_on
            .checked_sub(jiff::Span::new().days(days_before))
            .unwrap_or(package.starts_on);
        let needed_by = referred_on
            .checked_add(jiff::Span::new().days(rng.random_range(0..=2)))
            .unwrap_or(referred_on);
        let referral = Referral {
            id: ReferralId::from_suffix(&format!("h{}", &package.id.as_str()[4..]))
                .expect("derived from a valid id"),
            person_id: person.id.clone(),
            area_id: person.area_id.clone(),
            route,
            needs: Needs::of_package(&package, person),
            funding_route: referral_funding(person),
            // The history's packages keep their size, so they do not go through reablement again.
            reablement_potential: false,
            referred_on,
            needed_by,
            discharge_on: (route == AccessRoute::HospitalDischarge).then_some(needed_by),
        };
        let at = referred_on
            .at(rng.random_range(8..17), 0, 0, 0)
            .to_zoned(jiff::tz::TimeZone::UTC)
            .map_or(Timestamp::UNIX_EPOCH, |zoned| zoned.timestamp());
        referrals.push((referral, at));
    }
    referrals.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.id.cmp(&b.0.id)));
    referrals
}
