//! The offer cascade: each tier's ladder of steps, and the state machine that walks it.
//!
//! A referral climbs down its tier's ladder. A one-provider step (lead, secondary, last resort)
//! offers the package to that provider; a broadcast step (dynamic market, community options,
//! spot) offers it to every eligible provider at once and, when all have answered or the deadline
//! has passed, awards it by the preset's rule. A decline or an expired deadline moves the referral
//! to the next step with someone left to ask; when no step has, the referral waits, unplaced.

use crate::codes::{code_enum, impl_code_list};
use crate::{CqcRating, OfferId, Pence, ProviderId, Tier};
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use std::collections::{BTreeMap, BTreeSet};

code_enum! {
    /// A step of the cascade.
    pub enum StepKind {
        /// The area's lead provider.
        Lead => "lead", "Lead provider";
        /// The area's secondary provider.
        Secondary => "secondary", "Secondary provider";
        /// Every provider on the dynamic market covering the area, at once.
        DynamicMarket => "dynamic-market", "Dynamic market";
        /// Community options: micro-providers and personal assistant networks covering the area.
        CommunityOptions => "community", "Community options";
        /// Spot purchase from framework providers covering the area, at once.
        Spot => "spot", "Spot purchase";
        /// The council's own provider, the service of last resort.
        LastResort => "last-resort", "Provider of last resort";
    }
}

code_enum! {
    /// Why a provider declined an offer: a fixed list, so that declines can be counted.
    pub enum DeclineReason {
        /// No care workers free for these visits.
        NoCapacity => "no-capacity", "No capacity";
        /// Too far to travel, or too rural, for a viable run.
        RuralTravel => "rural-travel", "Rural or travel";
        /// The skills needed are not available.
        Skills => "skills", "Skills";
        /// The package is too small to be viable.
        PackageTooSmall => "package-too-small", "Package too small";
        /// Another reason.
        Other => "other", "Other";
    }
}

impl_code_list!(StepKind, DeclineReason);

impl StepKind {
    /// Whether the step offers to every eligible provider at once.
    pub fn is_broadcast(self) -> bool {
        matches!(
            self,
            StepKind::DynamicMarket | StepKind::CommunityOptions | StepKind::Spot
        )
    }
}

/// One rung of a ladder: what kind of step, and how long providers have to answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    /// The kind of step.
    pub kind: StepKind,
    /// Hours a provider has to answer before the offer expires.
    pub response_hours: u32,
}

/// How a broadcast step chooses among acceptances: weights out of 100 for quality (the CQC
/// rating) and price; ties go to the earliest start, then the lower price.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AwardRule {
    /// Weight of quality.
    pub quality_weight: u32,
    /// Weight of price.
    pub price_weight: u32,
}

/// A preset's cascade: a ladder for each tier and the award rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CascadeRules {
    /// The ladders of tiers 1 to 4.
    pub ladders: [Vec<Step>; 4],
    /// How broadcast steps award.
    pub award: AwardRule,
}

impl CascadeRules {
    /// The ladder of `tier`.
    pub fn ladder(&self, tier: Tier) -> &[Step] {
        &self.ladders[usize::from(tier.number() - 1)]
    }
}

/// Who may be offered a referral at each step, worked out for its area (and the capacity
/// providers returned) by the caller.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CascadeContext {
    /// The area's lead provider.
    pub lead: Option<ProviderId>,
    /// The area's secondary provider.
    pub secondary: Option<ProviderId>,
    /// Dynamic market providers covering the area.
    pub dynamic_market: Vec<ProviderId>,
    /// Community options covering the area.
    pub community: Vec<ProviderId>,
    /// Framework providers covering the area, for spot purchase.
    pub spot: Vec<ProviderId>,
    /// The council's own provider.
    pub last_resort: Option<ProviderId>,
    /// The providers' CQC ratings, for the award rule.
    pub ratings: BTreeMap<ProviderId, CqcRating>,
}

impl CascadeContext {
    fn providers_for(&self, kind: StepKind) -> Vec<ProviderId> {
        match kind {
            StepKind::Lead => self.lead.iter().cloned().collect(),
            StepKind::Secondary => self.secondary.iter().cloned().collect(),
            StepKind::DynamicMarket => self.dynamic_market.clone(),
            StepKind::CommunityOptions => self.community.clone(),
            StepKind::Spot => self.spot.clone(),
            StepKind::LastResort => self.last_resort.iter().cloned().collect(),
        }
    }
}

/// A provider's answer to an offer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OfferResponse {
    /// Yes: care can start on this day, at this hourly rate (broadcast steps quote one).
    Accept {
        /// The first day of care.
        start_on: Date,
        /// The quoted hourly rate; none at lead and secondary steps, which pay the contract rate.
        hourly_rate: Option<Pence>,
    },
    /// No, for this reason.
    Decline(DeclineReason),
}

/// An offer made to a provider at a step of a referral's cascade.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    /// Stable id.
    pub id: OfferId,
    /// The provider asked.
    pub provider_id: ProviderId,
    /// The step's position in the ladder.
    pub step_index: usize,
    /// The step's kind.
    pub step: StepKind,
    /// When it was sent.
    pub sent_at: Timestamp,
    /// When it expires unanswered.
    pub deadline: Timestamp,
    /// The answer and when it came, if it has.
    pub response: Option<(Timestamp, OfferResponse)>,
}

impl Offer {
    /// Unanswered and not yet expired at `now`.
    pub fn is_open(&self, now: Timestamp) -> bool {
        self.response.is_none() && now < self.deadline
    }
}

/// What happens next to a referral.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Offer the package to these providers at this step, to answer by the deadline.
    Send {
        /// The step's position in the ladder.
        step_index: usize,
        /// The step.
        step: StepKind,
        /// Who to ask.
        providers: Vec<ProviderId>,
        /// When the offers expire.
        deadline: Timestamp,
    },
    /// Wait for answers until this time at the latest.
    Wait {
        /// The deadline of the open offers.
        until: Timestamp,
    },
    /// Place the package with the provider whose acceptance this is.
    Award {
        /// The winning offer.
        offer_id: OfferId,
        /// Its provider.
        provider_id: ProviderId,
        /// The first day of care.
        start_on: Date,
        /// The step it was won at.
        step: StepKind,
        /// The hourly rate the winner quoted at a broadcast step, which binds: the package is
        /// paid at it. None at a one-provider step, where the contract's rate is paid.
        agreed_hourly_rate: Option<Pence>,
    },
    /// No step has anyone left to ask: the referral waits, unplaced.
    Unplaced,
}

/// Decides what happens next to a referral in `tier`, given every offer made so far.
pub fn decide(
    rules: &CascadeRules,
    tier: Tier,
    context: &CascadeContext,
    offers: &[Offer],
    now: Timestamp,
) -> Decision {
    let ladder = rules.ladder(tier);
    let current = offers.iter().map(|offer| offer.step_index).max();
    if let Some(step_index) = current {
        let at_step: Vec<&Offer> = offers
            .iter()
            .filter(|offer| offer.step_index == step_index)
            .collect();
        if let Some(until) = at_step
            .iter()
            .filter(|offer| offer.is_open(now))
            .map(|offer| offer.deadline)
            .max()
        {
            return Decision::Wait { until };
        }
        if let Some(winner) = best_acceptance(&at_step, rules.award, &context.ratings) {
            let Some((
                _,
                OfferResponse::Accept {
                    start_on,
                    hourly_rate,
                },
            )) = &winner.response
            else {
                unreachable!("chosen among acceptances")
            };
            return Decision::Award {
                offer_id: winner.id.clone(),
                provider_id: winner.provider_id.clone(),
                start_on: *start_on,
                step: winner.step,
                agreed_hourly_rate: hourly_rate.filter(|_| winner.step.is_broadcast()),
            };
        }
    }
    let asked: BTreeSet<&ProviderId> = offers.iter().map(|offer| &offer.provider_id).collect();
    let first = current.map_or(0, |index| index + 1);
    for (step_index, step) in ladder.iter().enumerate().skip(first) {
        let providers: Vec<ProviderId> = context
            .providers_for(step.kind)
            .into_iter()
            .filter(|provider| !asked.contains(provider))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        if !providers.is_empty() {
            let deadline = now + SignedDuration::from_hours(i64::from(step.response_hours));
            return Decision::Send {
                step_index,
                step: step.kind,
                providers,
                deadline,
            };
        }
    }
    Decision::Unplaced
}

/// Quality points of a CQC rating, out of 100.
fn quality_points(rating: Option<&CqcRating>) -> u64 {
    match rating {
        Some(CqcRating::Outstanding) => 100,
        Some(CqcRating::Good) => 75,
        Some(CqcRating::RequiresImprovement) => 50,
        Some(CqcRating::NotRated) | None => 40,
        Some(CqcRating::Inadequate) => 0,
    }
}

/// The acceptance the award rule prefers: highest weighted score of quality and price (the
/// lowest quote scores 100, others in proportion, no quote 0), then the earliest start, the lower price and
/// the provider id, so the choice is always the same.
fn best_acceptance<'a>(
    offers: &[&'a Offer],
    rule: AwardRule,
    ratings: &BTreeMap<ProviderId, CqcRating>,
) -> Option<&'a Offer> {
    let accepted: Vec<(&Offer, Date, Option<Pence>)> = offers
        .iter()
        .filter_map(|offer| match &offer.response {
            Some((
                _,
                OfferResponse::Accept {
                    start_on,
                    hourly_rate,
                },
            )) => Some((*offer, *start_on, *hourly_rate)),
            _ => None,
        })
        .collect();
    let lowest = accepted
        .iter()
        .filter_map(|(_, _, rate)| rate.map(|rate| rate.0))
        .filter(|rate| *rate > 0)
        .min();
    let score = |rate: Option<Pence>, provider: &ProviderId| {
        // An acceptance without a quote names no price, so it earns no price points: it cannot
        // win on a price it never gave.
        let price = match (rate, lowest) {
            (Some(rate), Some(lowest)) if rate.0 > 0 => (lowest as u64 * 100) / rate.0 as u64,
            _ => 0,
        };
        u64::from(rule.quality_weight) * quality_points(ratings.get(provider))
            + u64::from(rule.price_weight) * price
    };
    accepted
        .into_iter()
        .min_by(|(a, a_start, a_rate), (b, b_start, b_rate)| {
            score(*b_rate, &b.provider_id)
                .cmp(&score(*a_rate, &a.provider_id))
                .then(a_start.cmp(b_start))
                .then(a_rate.map(|rate| rate.0).cmp(&b_rate.map(|rate| rate.0)))
                .then(a.provider_id.cmp(&b.provider_id))
        })
        .map(|(offer, _, _)| offer)
}

#[cfg(test)]
mod tests;
