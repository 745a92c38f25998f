//! Every cascade path of every preset: acceptance at each step, each decline reason, deadline
//! expiry, no eligible provider, and the provider of last resort, on every tier's ladder.

use homeward_domain::brokerage::{
    CascadeContext, CascadeRules, Decision, DeclineReason, Offer, OfferResponse, StepKind, decide,
};
use homeward_domain::{OfferId, ProviderId, Tier};
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};

fn provider(name: &str) -> ProviderId {
    ProviderId::from_suffix(name).unwrap()
}

/// Someone to ask at every kind of step; the council's own provider only where the preset has one.
fn full_context(has_council_provider: bool) -> CascadeContext {
    CascadeContext {
        lead: Some(provider("lead")),
        secondary: Some(provider("second")),
        dynamic_market: vec![provider("market-a"), provider("market-b")],
        community: vec![provider("community")],
        spot: vec![provider("spot-a"), provider("spot-b")],
        last_resort: has_council_provider.then(|| provider("council")),
        ratings: Default::default(),
    }
}

/// The step a provider of the full context is first asked at.
fn step_of(provider: &ProviderId) -> StepKind {
    match provider.as_str() {
        "prov_lead" => StepKind::Lead,
        "prov_second" => StepKind::Secondary,
        "prov_market-a" | "prov_market-b" => StepKind::DynamicMarket,
        "prov_community" => StepKind::CommunityOptions,
        "prov_spot-a" | "prov_spot-b" => StepKind::Spot,
        _ => StepKind::LastResort,
    }
}

fn walk(
    rules: &CascadeRules,
    tier: Tier,
    context: &CascadeContext,
    answer: &dyn Fn(StepKind) -> Option<OfferResponse>,
) -> (Decision, Vec<Offer>) {
    let mut offers: Vec<Offer> = Vec::new();
    let mut now: Timestamp = "2019-09-02T09:00:00Z".parse().unwrap();
    for _ in 0..40 {
        match decide(rules, tier, context, &offers, now) {
            Decision::Send {
                step_index,
                step,
                providers,
                deadline,
            } => {
                for provider_id in providers {
                    assert_eq!(
                        step_of(&provider_id),
                        step,
                        "{provider_id} asked at the wrong step"
                    );
                    let response = answer(step)
                        .map(|response| (now + SignedDuration::from_hours(1), response));
                    let id = OfferId::from_suffix(&format!("offer-{}", offers.len())).unwrap();
                    offers.push(Offer {
                        id,
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

fn accept() -> Option<OfferResponse> {
    Some(OfferResponse::Accept {
        start_on: Date::constant(2019, 9, 4),
        hourly_rate: None,
    })
}

/// Each built-in preset, its rules, and whether it has a council provider of last resort.
fn presets() -> Vec<(String, CascadeRules, bool)> {
    homeward_preset::builtin_names()
        .map(|name| {
            let preset = homeward_preset::builtin(name).unwrap();
            (
                name.to_owned(),
                preset.brokerage.cascade.clone(),
                preset.market.in_house.is_some(),
            )
        })
        .collect()
}

/// What a ladder should end in when every step before the last resort says no.
fn expected_when_all_decline(ladder: &[StepKind], has_council_provider: bool) -> Option<StepKind> {
    (has_council_provider && ladder.contains(&StepKind::LastResort)).then_some(StepKind::LastResort)
}

#[test]
fn acceptance_at_each_step_places_the_package_there() {
    for (name, rules, council) in presets() {
        let context = full_context(council);
        for tier in Tier::ALL {
            for step in rules.ladder(*tier).iter().map(|step| step.kind) {
                if step == StepKind::LastResort && !council {
                    continue;
                }
                let (decision, _) = walk(&rules, *tier, &context, &|asked| {
                    if asked == step {
                        accept()
                    } else {
                        Some(OfferResponse::Decline(DeclineReason::NoCapacity))
                    }
                });
                match decision {
                    Decision::Award { step: won_at, .. } => {
                        assert_eq!(won_at, step, "{name} tier {}", tier.number())
                    }
                    other => panic!(
                        "{name} tier {}: accepting at {step:?} gave {other:?}",
                        tier.number()
                    ),
                }
            }
        }
    }
}

#[test]
fn every_decline_reason_and_expiry_moves_down_the_whole_ladder() {
    let answers: Vec<(String, Option<OfferResponse>)> = DeclineReason::ALL
        .iter()
        .map(|reason| {
            (
                reason.code().to_owned(),
                Some(OfferResponse::Decline(*reason)),
            )
        })
        .chain([("expiry".to_owned(), None)])
        .collect();
    for (name, rules, council) in presets() {
        let context = full_context(council);
        for tier in Tier::ALL {
            let ladder: Vec<StepKind> = rules.ladder(*tier).iter().map(|step| step.kind).collect();
            for (label, answer) in &answers {
                // Everyone but the council's provider declines (or lets the offer expire).
                let (decision, offers) = walk(&rules, *tier, &context, &|asked| {
                    if asked == StepKind::LastResort {
                        accept()
                    } else {
                        answer.clone()
                    }
                });
                let asked: Vec<StepKind> = offers.iter().map(|offer| offer.step).collect();
                let mut expected_steps: Vec<StepKind> = Vec::new();
                for step in &ladder {
                    if *step == StepKind::LastResort && !council {
                        continue;
                    }
                    let askers = match step {
                        StepKind::DynamicMarket | StepKind::Spot => 2,
                        _ => 1,
                    };
                    expected_steps.extend(std::iter::repeat_n(*step, askers));
                }
                assert_eq!(
                    asked,
                    expected_steps,
                    "{name} tier {} {label}",
                    tier.number()
                );
                match (expected_when_all_decline(&ladder, council), decision) {
                    (Some(step), Decision::Award { step: won_at, .. }) => assert_eq!(won_at, step),
                    (None, Decision::Unplaced) => {}
                    (expected, other) => panic!(
                        "{name} tier {} {label}: expected {expected:?}, got {other:?}",
                        tier.number()
                    ),
                }
            }
        }
    }
}

#[test]
fn with_no_eligible_provider_the_referral_waits_unplaced() {
    for (name, rules, _) in presets() {
        for tier in Tier::ALL {
            let (decision, offers) = walk(&rules, *tier, &CascadeContext::default(), &|_| accept());
            assert_eq!((decision, offers.len()), (Decision::Unplaced, 0), "{name}");
        }
    }
}

#[test]
fn the_council_provider_is_the_last_resort_only_where_there_is_one() {
    for (name, rules, council) in presets() {
        let (decision, _) = walk(&rules, Tier::Level1, &full_context(council), &|asked| {
            if asked == StepKind::LastResort {
                accept()
            } else {
                Some(OfferResponse::Decline(DeclineReason::Other))
            }
        });
        let placed_by_council = matches!(
            decision,
            Decision::Award {
                step: StepKind::LastResort,
                ..
            }
        );
        assert_eq!(placed_by_council, council, "{name}");
    }
    let with_council: Vec<String> = presets()
        .into_iter()
        .filter(|(_, _, council)| *council)
        .map(|(name, _, _)| name)
        .collect();
    assert_eq!(with_council, ["norfolk-2014", "worcestershire-2019"]);
}
