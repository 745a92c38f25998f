//! The cascade walked step by step on a ladder with every kind of step.

use super::*;

fn provider(name: &str) -> ProviderId {
    ProviderId::from_suffix(name).unwrap()
}

fn step(kind: StepKind, response_hours: u32) -> Step {
    Step {
        kind,
        response_hours,
    }
}

/// Every step, as West Sussex Level 1 with community options added and a council provider.
fn rules() -> CascadeRules {
    let full = vec![
        step(StepKind::Lead, 24),
        step(StepKind::Secondary, 24),
        step(StepKind::DynamicMarket, 48),
        step(StepKind::CommunityOptions, 72),
        step(StepKind::Spot, 24),
        step(StepKind::LastResort, 4),
    ];
    CascadeRules {
        ladders: [full.clone(), full.clone(), full.clone(), full],
        award: AwardRule {
            quality_weight: 60,
            price_weight: 40,
        },
    }
}

fn context() -> CascadeContext {
    let mut ratings = BTreeMap::new();
    for (name, rating) in [
        ("lead", CqcRating::Good),
        ("seco", CqcRating::Good),
        ("dma1", CqcRating::Good),
        ("dma2", CqcRating::Outstanding),
        ("dma3", CqcRating::RequiresImprovement),
    ] {
        ratings.insert(provider(name), rating);
    }
    CascadeContext {
        lead: Some(provider("lead")),
        secondary: Some(provider("seco")),
        dynamic_market: vec![
            provider("dma1"),
            provider("dma2"),
            provider("dma3"),
            provider("lead"),
        ],
        community: vec![provider("comm")],
        spot: vec![provider("spt1"), provider("spt2")],
        last_resort: Some(provider("cncl")),
        ratings,
    }
}

fn start() -> Timestamp {
    "2019-09-02T09:00:00Z".parse().unwrap()
}

/// Walks the cascade, answering each offer with `answer` (none: the offer expires), until it
/// awards or runs out; returns the outcome and the offers made, in order.
fn walk(
    context: &CascadeContext,
    answer: impl Fn(&ProviderId, StepKind) -> Option<OfferResponse>,
) -> (Decision, Vec<Offer>) {
    let rules = rules();
    let mut offers: Vec<Offer> = Vec::new();
    let mut now = start();
    for _ in 0..50 {
        match decide(&rules, Tier::Level1, context, &offers, now) {
            Decision::Send {
                step_index,
                step,
                providers,
                deadline,
            } => {
                for (number, provider_id) in providers.into_iter().enumerate() {
                    let response = answer(&provider_id, step)
                        .map(|response| (now + SignedDuration::from_hours(1), response));
                    offers.push(Offer {
                        id: OfferId::from_suffix(&format!("o{}-{number}", offers.len())).unwrap(),
                        provider_id,
                        step_index,
                        step,
                        sent_at: now,
                        deadline,
                        response,
                    });
                }
                now += SignedDuration::from_hours(2);
            }
            Decision::Wait { until } => now = until,
            done => return (done, offers),
        }
    }
    panic!("the cascade did not finish");
}

fn accept(day: i8) -> Option<OfferResponse> {
    Some(OfferResponse::Accept {
        start_on: Date::constant(2019, 9, day),
        hourly_rate: None,
    })
}

fn quote(day: i8, pence: i64) -> Option<OfferResponse> {
    Some(OfferResponse::Accept {
        start_on: Date::constant(2019, 9, day),
        hourly_rate: Some(Pence(pence)),
    })
}

fn decline(reason: DeclineReason) -> Option<OfferResponse> {
    Some(OfferResponse::Decline(reason))
}

fn awarded(decision: &Decision) -> (String, StepKind) {
    match decision {
        Decision::Award {
            provider_id, step, ..
        } => (provider_id.to_string(), *step),
        other => panic!("expected an award, got {other:?}"),
    }
}

#[test]
fn the_lead_accepting_places_the_package_at_once() {
    let (decision, offers) = walk(&context(), |_, _| accept(4));
    assert_eq!(awarded(&decision), ("prov_lead".into(), StepKind::Lead));
    assert_eq!(offers.len(), 1);
}

#[test]
fn each_decline_reason_at_the_lead_moves_to_the_secondary() {
    for reason in DeclineReason::ALL {
        let (decision, offers) = walk(&context(), |provider, _| {
            if provider.as_str() == "prov_lead" {
                decline(*reason)
            } else {
                accept(5)
            }
        });
        assert_eq!(
            awarded(&decision),
            ("prov_seco".into(), StepKind::Secondary),
            "{reason:?}"
        );
        assert_eq!(
            offers.iter().map(|offer| offer.step).collect::<Vec<_>>(),
            [StepKind::Lead, StepKind::Secondary]
        );
    }
}

#[test]
fn an_unanswered_offer_expires_at_its_deadline_and_the_cascade_moves_on() {
    let (decision, offers) = walk(&context(), |provider, _| {
        if provider.as_str() == "prov_lead" {
            None
        } else {
            accept(5)
        }
    });
    assert_eq!(awarded(&decision).1, StepKind::Secondary);
    assert!(offers[0].response.is_none());
    assert_eq!(
        offers[1].sent_at, offers[0].deadline,
        "the secondary is asked when the lead's offer expires"
    );
}

#[test]
fn the_dynamic_market_is_asked_at_once_and_awarded_by_quality_and_price() {
    // dma1 (Good) quotes £18.00 from the 6th; dma2 (Outstanding) £20.00 from the 9th; dma3 declines.
    // Scores: dma1 60×75 + 40×100 = 8,500; dma2 60×100 + 40×90 = 9,600. dma2 wins on the rule.
    let (decision, offers) = walk(&context(), |provider, step| {
        match (step, provider.as_str()) {
            (StepKind::DynamicMarket, "prov_dma1") => quote(6, 1_800),
            (StepKind::DynamicMarket, "prov_dma2") => quote(9, 2_000),
            (StepKind::DynamicMarket, _) => decline(DeclineReason::NoCapacity),
            _ => decline(DeclineReason::NoCapacity),
        }
    });
    assert_eq!(
        awarded(&decision),
        ("prov_dma2".into(), StepKind::DynamicMarket)
    );
    let asked: Vec<&str> = offers
        .iter()
        .filter(|offer| offer.step == StepKind::DynamicMarket)
        .map(|offer| offer.provider_id.as_str())
        .collect();
    assert_eq!(
        asked,
        ["prov_dma1", "prov_dma2", "prov_dma3"],
        "the lead, already asked, is not asked again"
    );
}

#[test]
fn equal_scores_go_to_the_earliest_start() {
    let (decision, _) = walk(&context(), |provider, step| {
        match (step, provider.as_str()) {
            (StepKind::Spot, "prov_spt1") => quote(10, 1_900),
            (StepKind::Spot, "prov_spt2") => quote(7, 1_900),
            _ => decline(DeclineReason::RuralTravel),
        }
    });
    match decision {
        Decision::Award {
            provider_id,
            start_on,
            step,
            ..
        } => {
            assert_eq!(
                (provider_id.as_str(), start_on, step),
                ("prov_spt2", Date::constant(2019, 9, 7), StepKind::Spot)
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_broadcast_step_waits_for_its_deadline_while_anyone_may_still_answer() {
    let rules = rules();
    let context = context();
    let sent = start();
    let deadline = sent + SignedDuration::from_hours(48);
    let offer = |name: &str, response: Option<OfferResponse>| Offer {
        id: OfferId::from_suffix(&format!("w-{name}")).unwrap(),
        provider_id: provider(name),
        step_index: 2,
        step: StepKind::DynamicMarket,
        sent_at: sent,
        deadline,
        response: response.map(|response| (sent, response)),
    };
    let offers = [offer("dma1", quote(6, 1_800)), offer("dma2", None)];
    assert_eq!(
        decide(
            &rules,
            Tier::Level1,
            &context,
            &offers,
            sent + SignedDuration::from_hours(3)
        ),
        Decision::Wait { until: deadline }
    );
    assert_eq!(
        awarded(&decide(&rules, Tier::Level1, &context, &offers, deadline)).0,
        "prov_dma1"
    );
}

#[test]
fn steps_with_nobody_to_ask_are_skipped() {
    let mut context = context();
    context.lead = None;
    context.secondary = None;
    context.dynamic_market.clear();
    let (decision, offers) = walk(&context, |_, _| accept(8));
    assert_eq!(
        awarded(&decision),
        ("prov_comm".into(), StepKind::CommunityOptions)
    );
    assert_eq!(offers[0].step_index, 3);
}

#[test]
fn when_everyone_declines_the_council_provider_of_last_resort_is_asked() {
    let (decision, offers) = walk(&context(), |provider, _| {
        if provider.as_str() == "prov_cncl" {
            accept(3)
        } else {
            decline(DeclineReason::Skills)
        }
    });
    assert_eq!(
        awarded(&decision),
        ("prov_cncl".into(), StepKind::LastResort)
    );
    assert_eq!(offers.last().unwrap().step, StepKind::LastResort);
}

#[test]
fn with_no_one_left_to_ask_the_referral_waits_unplaced() {
    let mut without_council = context();
    without_council.last_resort = None;
    let (decision, offers) = walk(&without_council, |_, _| {
        decline(DeclineReason::PackageTooSmall)
    });
    assert_eq!(decision, Decision::Unplaced);
    assert_eq!(offers.len(), 1 + 1 + 3 + 1 + 2);
    let (decision, _) = walk(&CascadeContext::default(), |_, _| accept(4));
    assert_eq!(decision, Decision::Unplaced, "no eligible provider at all");
}

fn agreed_rate(decision: &Decision) -> Option<Pence> {
    match decision {
        Decision::Award {
            agreed_hourly_rate, ..
        } => *agreed_hourly_rate,
        other => panic!("expected an award, got {other:?}"),
    }
}

#[test]
fn the_winning_quote_at_a_broadcast_step_is_the_rate_agreed() {
    // spt1 quotes £18.00, spt2 £25.00, both Not rated: spt1 scores 60×40 + 40×100 = 6,400,
    // spt2 60×40 + 40×72 = 5,280. spt1 wins on price, and £18.00 is what it will be paid.
    let (decision, _) = walk(&context(), |provider, step| {
        match (step, provider.as_str()) {
            (StepKind::Spot, "prov_spt1") => quote(8, 1_800),
            (StepKind::Spot, "prov_spt2") => quote(8, 2_500),
            _ => decline(DeclineReason::NoCapacity),
        }
    });
    assert_eq!(awarded(&decision), ("prov_spt1".into(), StepKind::Spot));
    assert_eq!(agreed_rate(&decision), Some(Pence(1_800)));
}

#[test]
fn a_quote_at_a_one_provider_step_is_not_the_rate_agreed() {
    // The lead is paid its contract's rate, whatever it wrote in its answer.
    let (decision, _) = walk(&context(), |_, _| quote(4, 1_500));
    assert_eq!(awarded(&decision), ("prov_lead".into(), StepKind::Lead));
    assert_eq!(agreed_rate(&decision), None);
}

#[test]
fn an_acceptance_without_a_quote_cannot_win_on_price() {
    // Both Not rated. spt1 accepts without a price and earns no price points (60×40 = 2,400);
    // spt2 quotes £30.00, the only price, scoring 60×40 + 40×100 = 6,400, and wins.
    let (decision, _) = walk(&context(), |provider, step| {
        match (step, provider.as_str()) {
            (StepKind::Spot, "prov_spt1") => accept(8),
            (StepKind::Spot, "prov_spt2") => quote(9, 3_000),
            _ => decline(DeclineReason::NoCapacity),
        }
    });
    assert_eq!(awarded(&decision), ("prov_spt2".into(), StepKind::Spot));
    assert_eq!(agreed_rate(&decision), Some(Pence(3_000)));
}
