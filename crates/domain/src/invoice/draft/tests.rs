//! One provider's invoice for 2026–27 period 1 (Monday 6 April to Sunday 3 May 2026), worked
//! out by hand line by line.
//!
//! The provider holds three contracts:
//! - spot, £18.00 an hour on actual time, 5-minute increments, 15 minutes' minimum; unsocial
//!   hours +10%, rural +15%, complex needs +20%;
//! - a block in the north area, £16.50 an hour on planned time, 15-minute increments, 30
//!   minutes' minimum, guaranteeing 1 hour a week (4 hours, 240 minutes, over the period);
//! - an individual service fund, £18.00 an hour on actual time, 5-minute increments, 15
//!   minutes' minimum.
//!
//! The people: Ann (south, council-arranged), Bob (north, council-arranged: the block), Cat (an
//! individual service fund of 60 minutes a week), Dan (a self-funder) and Eve (a rural area,
//! complex needs, council-arranged). London is on BST (UTC+1) throughout.

use super::*;
use crate::invoice::reconcile::{GuaranteeUse, reconcile};
use crate::{ChargeTerms, DatedVisit, Enhancements, PackageId, VisitId, VisitStatus};
use crate::{ContractKind, london_instant};
use jiff::civil::Time;

fn provider() -> ProviderId {
    ProviderId::from_suffix("care").unwrap()
}

fn period() -> InvoicePeriod {
    InvoicePeriod::containing(Date::constant(2026, 4, 6))
}

fn area(name: &str) -> AreaId {
    AreaId::from_suffix(name).unwrap()
}

fn person(name: &str) -> PersonId {
    PersonId::from_suffix(&format!("person-{name}")).unwrap()
}

/// Visit ids are the test's names for them: `vis_visit-a1`.
fn visit_id(name: &str) -> VisitId {
    VisitId::from_suffix(&format!("visit-{name}")).unwrap()
}

fn contracts() -> Vec<Contract> {
    let contract = |suffix: &str, kind, area: Option<AreaId>, rate, guaranteed, terms| Contract {
        id: ContractId::from_suffix(suffix).unwrap(),
        provider_id: provider(),
        area_id: area,
        kind,
        hourly_rate: Pence(rate),
        enhancements: Enhancements {
            unsocial_hours_bp: 1_000,
            rural_bp: 1_500,
            complexity_bp: 2_000,
        },
        guaranteed_weekly_minutes: guaranteed,
        charge_terms: terms,
        starts_on: Date::constant(2026, 4, 1),
        ends_on: None,
    };
    let actual = ChargeTerms::default();
    let planned = ChargeTerms {
        basis: ChargeBasis::Planned,
        increment_minutes: 15,
        minimum_minutes: 30,
    };
    vec![
        contract("spot", ContractKind::Spot, None, 1_800, 0, actual),
        contract(
            "block",
            ContractKind::Block,
            Some(area("north")),
            1_650,
            60,
            planned,
        ),
        contract(
            "fund",
            ContractKind::IndividualServiceFund,
            None,
            1_800,
            0,
            actual,
        ),
    ]
}

fn people() -> HashMap<PersonId, PersonTerms> {
    let terms = |area_name: &str, rural, complex, funding_route| PersonTerms {
        area_id: area(area_name),
        rural,
        complex,
        funding_route,
    };
    HashMap::from([
        (
            person("ann"),
            terms("south", false, false, FundingRoute::CouncilArranged),
        ),
        (
            person("bob"),
            terms("north", false, false, FundingRoute::CouncilArranged),
        ),
        (
            person("cat"),
            terms("south", false, false, FundingRoute::IndividualServiceFund),
        ),
        (
            person("dan"),
            terms("south", false, false, FundingRoute::SelfFunder),
        ),
        (
            person("eve"),
            terms("fell", true, true, FundingRoute::CouncilArranged),
        ),
    ])
}

/// A visit to `who` on 2026-04-`day` at `hh:mm` London time for `minutes` with `carers`,
/// checked in `in_after` minutes after its start and out `stayed` minutes later.
struct Made {
    id: &'static str,
    who: &'static str,
    day: i8,
    start: (i8, i8),
    minutes: u16,
    carers: u8,
    check_in: Option<i64>,
    stayed: Option<i64>,
}

fn visit(made: &Made) -> (Visit, Option<Timestamp>, Option<Timestamp>) {
    let date = Date::constant(2026, 4, made.day);
    let local_start = Time::new(made.start.0, made.start.1, 0, 0).unwrap();
    let starts_at = london_instant(date, local_start);
    let visit = Visit {
        id: visit_id(made.id),
        provider_id: provider(),
        dated: DatedVisit {
            package_id: PackageId::from_suffix(&format!("package-{}", made.who)).unwrap(),
            person_id: person(made.who),
            date,
            local_start,
            starts_at,
            duration_minutes: made.minutes,
            carers: made.carers,
        },
        status: VisitStatus::Planned,
    };
    let minutes = |m: i64| jiff::SignedDuration::from_mins(m);
    let check_in = made.check_in.map(|after| starts_at + minutes(after));
    let check_out = check_in
        .zip(made.stayed)
        .map(|(arrived, stayed)| arrived + minutes(stayed));
    (visit, check_in, check_out)
}

fn made(id: &'static str, who: &'static str, day: i8, start: (i8, i8), minutes: u16) -> Made {
    Made {
        id,
        who,
        day,
        start,
        minutes,
        carers: 1,
        check_in: Some(0),
        stayed: Some(i64::from(minutes)),
    }
}

fn visits() -> Vec<Made> {
    vec![
        // Week 1 (6–12 April).
        Made {
            stayed: Some(40),
            ..made("b1", "bob", 7, (8, 0), 45)
        },
        Made {
            check_in: Some(2),
            stayed: Some(28),
            ..made("c1", "cat", 8, (10, 0), 30)
        },
        // Week 2 (13–19 April).
        made("c2", "cat", 13, (10, 0), 45),
        Made {
            check_in: Some(2),
            stayed: Some(32),
            ..made("a1", "ann", 14, (9, 0), 30)
        },
        Made {
            stayed: None,
            ..made("b2", "bob", 14, (8, 0), 45)
        },
        Made {
            stayed: None,
            ..made("a2", "ann", 15, (9, 0), 30)
        },
        Made {
            check_in: None,
            stayed: None,
            ..made("a3", "ann", 16, (9, 0), 30)
        },
        made("d1", "dan", 16, (11, 0), 30),
        Made {
            stayed: Some(50),
            ..made("c3", "cat", 17, (10, 0), 45)
        },
        Made {
            stayed: Some(58),
            ..made("e1", "eve", 18, (8, 0), 60)
        },
        // Week 3 (20–26 April).
        Made {
            carers: 2,
            stayed: Some(44),
            ..made("b3", "bob", 21, (8, 0), 45)
        },
        Made {
            check_in: None,
            stayed: None,
            ..made("b5", "bob", 22, (8, 0), 45)
        },
        // Week 4 (27 April – 3 May).
        made("b4", "bob", 28, (8, 0), 45),
        Made {
            stayed: Some(40),
            ..made("c4", "cat", 29, (10, 0), 45)
        },
        Made {
            stayed: Some(20),
            ..made("b6", "bob", 30, (8, 0), 30)
        },
    ]
}

fn incentives() -> Vec<EarnedIncentive> {
    let incentive = |suffix: &str, starts_on| EarnedIncentive {
        referral_id: ReferralId::from_suffix(suffix).unwrap(),
        person_id: Some(person("ann")),
        amount: Pence(25_000),
        starts_on,
        pickup_days: 2,
    };
    vec![
        incentive("early", Date::constant(2026, 4, 20)),
        incentive("later", Date::constant(2026, 5, 4)),
    ]
}

/// The invoice the fixture's visits make under `contracts`, with Cat's fund budget of 60 minutes
/// a week when `budgets` and the two incentives when `incentives`.
fn drafted(contracts: &[Contract], budgets: bool, incentives: bool) -> Invoice {
    drafted_with_rates(contracts, budgets, incentives, &HashMap::new())
}

/// As [`drafted`], with packages placed on a quote at `agreed_rates`.
fn drafted_with_rates(
    contracts: &[Contract],
    budgets: bool,
    incentives: bool,
    agreed_rates: &HashMap<PackageId, Pence>,
) -> Invoice {
    let made: Vec<_> = visits().iter().map(visit).collect();
    let times: Vec<VisitTimes<'_>> = made
        .iter()
        .map(|(visit, check_in, check_out)| VisitTimes {
            visit,
            check_in: *check_in,
            check_out: *check_out,
        })
        .collect();
    let people = people();
    let budgets = if budgets {
        BTreeMap::from([(person("cat"), vec![60; 4])])
    } else {
        BTreeMap::new()
    };
    let incentives = if incentives {
        self::incentives()
    } else {
        Vec::new()
    };
    draft_invoice(&DraftInputs {
        provider_id: &provider(),
        period: period(),
        contracts,
        visits: &times,
        people: &people,
        fund_budgets: &budgets,
        incentives: &incentives,
        agreed_rates,
    })
}

/// The invoice of the module's worked example.
fn invoice() -> Invoice {
    drafted(&contracts(), true, true)
}

/// The line about visit `id`.
fn line_of(invoice: &Invoice, id: &str) -> InvoiceLine {
    let id = visit_id(id);
    invoice
        .lines
        .iter()
        .find(|line| line.visit_id.as_ref() == Some(&id))
        .cloned()
        .unwrap_or_else(|| panic!("no line for {id}"))
}

/// (kind, planned, verified, counted, charged, rate, amount) of a line.
fn figures(line: &InvoiceLine) -> (LineKind, u32, u32, u32, u32, i64, i64) {
    (
        line.kind,
        line.planned_minutes,
        line.verified_minutes,
        line.counted_minutes,
        line.charged_minutes,
        line.rate.0,
        line.amount.0,
    )
}

#[test]
fn a_spot_visit_on_actual_time_rounds_up_to_the_increment() {
    // Ann, Tuesday 14 April 09:00, 30 planned: in 09:02, out 09:34, 32 minutes; rounded up to
    // 35; £18.00 × 35 ÷ 60 = £10.50.
    let line = line_of(&invoice(), "a1");
    assert_eq!(
        figures(&line),
        (LineKind::Visit, 30, 32, 0, 35, 1_800, 1_050)
    );
    assert_eq!(
        line.note,
        "actual time 32 min, 35 chargeable; no enhancement"
    );
    assert_eq!(
        line.contract_id,
        Some(ContractId::from_suffix("spot").unwrap())
    );
}

#[test]
fn a_package_placed_on_a_quote_is_charged_at_the_quote_not_the_contract_rate() {
    // The spot contract pays £25.00 an hour; Ann's package was won at spot quoting £18.00.
    let mut dear = contracts();
    dear[0].hourly_rate = Pence(2_500);
    let quoted = HashMap::from([(PackageId::from_suffix("package-ann").unwrap(), Pence(1_800))]);
    let invoice = drafted_with_rates(&dear, true, true, &quoted);
    // Ann, Tuesday 14 April: 35 chargeable minutes at £18.00 = £10.50 (at £25.00 it would be
    // £14.58).
    let line = line_of(&invoice, "a1");
    assert_eq!(
        figures(&line),
        (LineKind::Visit, 30, 32, 0, 35, 1_800, 1_050)
    );
    assert_eq!(
        line.note,
        "actual time 32 min, 35 chargeable; rate agreed at placement £18.00; no enhancement"
    );
    // Eve's package had no quote: the contract's £25.00 + 10% + 15% + 20% = £36.25, for 60
    // minutes £36.25.
    assert_eq!(
        figures(&line_of(&invoice, "e1")),
        (LineKind::Visit, 60, 58, 0, 60, 3_625, 3_625)
    );
}

#[test]
fn enhancements_for_unsocial_hours_rurality_and_complexity_add_up() {
    // Eve, Saturday 18 April 08:00 (a weekend: unsocial), rural and complex: £18.00 + 10% +
    // 15% + 20% = £26.10 an hour; 58 minutes round up to 60: £26.10.
    let line = line_of(&invoice(), "e1");
    assert_eq!(
        figures(&line),
        (LineKind::Visit, 60, 58, 0, 60, 2_610, 2_610)
    );
    assert_eq!(
        line.note,
        "actual time 58 min, 60 chargeable; unsocial hours +10%, rural +15%, complex needs +20%"
    );
}

#[test]
fn a_visit_without_check_out_on_actual_time_is_unverified_and_one_without_check_in_not_delivered() {
    let invoice = invoice();
    // Ann, Wednesday: checked in, never out: nothing until verified.
    let unverified = line_of(&invoice, "a2");
    assert_eq!(
        figures(&unverified),
        (LineKind::Unverified, 30, 0, 0, 0, 0, 0)
    );
    assert_eq!(unverified.note, "charged on actual time: no check-out yet");
    // Ann, Thursday, and Bob, Wednesday 22: nobody checked in.
    assert_eq!(figures(&line_of(&invoice, "a3")).0, LineKind::NotDelivered);
    assert_eq!(
        figures(&line_of(&invoice, "b5")),
        (LineKind::NotDelivered, 45, 0, 0, 0, 0, 0)
    );
}

#[test]
fn a_block_pays_its_guarantee_and_the_time_beyond_it() {
    // Bob's visits, on planned time in 15-minute increments with a 30-minute minimum:
    //   b1 45 (stayed 40)                        45
    //   b2 45 (in, never out: planned time needs only the check-in)   45
    //   b3 45 × 2 carers (44 minutes each)       90
    //   b4 45                                     45
    //   b6 30 planned (stayed 20)                 30
    //   b5: no check-in                           —
    // 255 minutes counted against 1 hour a week × 4 weeks = 240 guaranteed.
    let invoice = invoice();
    assert_eq!(
        figures(&line_of(&invoice, "b3")),
        (LineKind::GuaranteedVisit, 90, 88, 90, 0, 0, 0)
    );
    assert_eq!(
        figures(&line_of(&invoice, "b2")),
        (LineKind::GuaranteedVisit, 45, 0, 45, 0, 0, 0)
    );
    let of_kind = |kind| {
        invoice
            .lines
            .iter()
            .find(|line| line.kind == kind)
            .cloned()
            .unwrap()
    };
    // The guarantee: 240 minutes at £16.50 = £66.00, whatever was used.
    let guarantee = of_kind(LineKind::Guarantee);
    assert_eq!(
        figures(&guarantee),
        (LineKind::Guarantee, 0, 0, 0, 240, 1_650, 6_600)
    );
    assert_eq!(guarantee.date, Date::constant(2026, 4, 6));
    assert_eq!(
        guarantee.note,
        "1 h a week for 4 weeks; 4 h 15 min used, 106.25% of it"
    );
    // Beyond it: 15 minutes at £16.50 = 412.5p, rounded half up to £4.13.
    assert_eq!(
        figures(&of_kind(LineKind::BeyondGuarantee)),
        (LineKind::BeyondGuarantee, 0, 0, 0, 15, 1_650, 413)
    );
}

#[test]
fn a_fund_banks_unused_minutes_and_draws_on_them_week_by_week() {
    // Cat's fund: 60 minutes a week at £18.00, on actual time (5-minute increments, 15 minimum).
    //   week 1: c1 stayed 28 → 30 used: 30 from the budget, 30 banked.   Paid 30 = £9.00.
    //   week 2: c2 45 + c3 50 = 95 used: 60 from the budget, 30 from the bank, 5 over.
    //           Paid 90 = £27.00; 5 minutes over budget, not paid.
    //   week 3: nothing used: 60 banked (bank 60).                       Paid 0.
    //   week 4: c4 stayed 40 → 40 used: 40 from the budget, 20 banked (bank 80, which lapses
    //           with the period).                                        Paid 40 = £12.00.
    let invoice = invoice();
    let weeks: Vec<(Date, u32, i64)> = invoice
        .lines
        .iter()
        .filter(|line| line.kind == LineKind::FundWeek)
        .map(|line| (line.date, line.charged_minutes, line.amount.0))
        .collect();
    assert_eq!(
        weeks,
        [
            (Date::constant(2026, 4, 6), 30, 900),
            (Date::constant(2026, 4, 13), 90, 2_700),
            (Date::constant(2026, 4, 20), 0, 0),
            (Date::constant(2026, 4, 27), 40, 1_200),
        ]
    );
    let over: Vec<_> = invoice
        .lines
        .iter()
        .filter(|line| line.kind == LineKind::OverBudget)
        .map(|line| (line.date, line.counted_minutes, line.amount.0))
        .collect();
    assert_eq!(over, [(Date::constant(2026, 4, 13), 5, 0)]);
    assert_eq!(
        figures(&line_of(&invoice, "c3")),
        (LineKind::FundVisit, 45, 50, 50, 0, 0, 0)
    );
}

#[test]
fn self_funders_are_not_billed_and_incentives_fall_in_the_period_care_started() {
    let invoice = invoice();
    let dan = line_of(&invoice, "d1");
    assert_eq!(
        figures(&dan),
        (LineKind::NotCouncilFunded, 0, 0, 0, 0, 0, 0)
    );
    assert_eq!(
        dan.note,
        "paid for by the person (self-funder); planned 30 min, verified 30 min"
    );
    // Care placed by ref_early started on 20 April: £250.00 in this period. ref_later started
    // on 4 May, in the next.
    let incentives: Vec<_> = invoice
        .lines
        .iter()
        .filter(|line| line.kind == LineKind::Incentive)
        .map(|line| (line.referral_id.clone().unwrap().to_string(), line.amount.0))
        .collect();
    assert_eq!(incentives, [("ref_early".to_owned(), 25_000)]);
}

#[test]
fn the_total_is_the_sum_of_the_lines_and_every_visit_has_one() {
    // £10.50 + £26.10 (spot) + £66.00 + £4.13 (block) + £9.00 + £27.00 + £12.00 (fund) + £250.00
    // (incentive) = £404.73.
    let invoice = invoice();
    assert_eq!(invoice.total(), Pence(40_473));
    assert_eq!(
        invoice
            .lines
            .iter()
            .filter(|line| line.kind.is_visit())
            .count(),
        visits().len()
    );
    let numbers: Vec<u32> = invoice.lines.iter().map(|line| line.number).collect();
    assert_eq!(
        numbers,
        (1..=invoice.lines.len() as u32).collect::<Vec<_>>()
    );
    assert!(invoice.validate().is_ok());
    // Visits first, in order of start: Bob's on 7 April at 08:00 is line 1.
    assert_eq!(invoice.lines[0].visit_id, Some(visit_id("b1")));
}

#[test]
fn the_reconciliation_reads_planned_delivered_and_invoiced_from_the_lines() {
    // Planned: Ann 90 + Eve 60 + Bob 300 + Cat 165 = 615 (Dan's 30 are not the council's).
    // Delivered (verified): Ann 32 + Eve 58 + Bob 40 + 88 + 45 + 20 + Cat 28 + 45 + 50 + 40 = 446.
    // Invoiced: 35 + 60 (spot) + 240 + 15 (block) + 30 + 90 + 0 + 40 (fund) = 510, £404.73.
    let figures = reconcile(&invoice().lines);
    assert_eq!(
        (
            figures.planned_minutes,
            figures.delivered_minutes,
            figures.invoiced_minutes,
            figures.invoiced_amount
        ),
        (615, 446, 510, Pence(40_473))
    );
    assert_eq!(
        (
            figures.delivered_less_planned(),
            figures.invoiced_less_delivered()
        ),
        (-169, 64)
    );
    assert_eq!(
        (
            figures.visits,
            figures.unverified,
            figures.not_delivered,
            figures.not_council_funded,
            figures.exceptions,
            figures.over_budget_minutes
        ),
        (15, 1, 2, 1, 0, 5)
    );
    assert_eq!(
        figures.guarantees,
        [GuaranteeUse {
            contract_id: ContractId::from_suffix("block").unwrap(),
            guaranteed_minutes: 240,
            counted_minutes: 255,
            utilisation_bp: Some(10_625),
        }]
    );
}

#[test]
fn a_visit_no_contract_covers_is_an_exception_not_dropped() {
    // Only the block remains: Ann (south) has no block, and there is no spot contract.
    let block_only: Vec<Contract> = contracts()
        .into_iter()
        .filter(|contract| contract.kind == ContractKind::Block)
        .collect();
    let invoice = drafted(&block_only, false, false);
    let ann = line_of(&invoice, "a1");
    assert_eq!(figures(&ann), (LineKind::Uncovered, 30, 32, 0, 0, 0, 0));
    assert!(ann.note.contains("no spot contract"), "{}", ann.note);
    assert!(ann.kind.is_exception());
    // Cat's fund visits too: a fund person is never charged to spot or a block.
    assert_eq!(line_of(&invoice, "c1").kind, LineKind::Uncovered);
    let figures = reconcile(&invoice.lines);
    // a1, a2, a3, e1 and c1–c4 are exceptions; Dan is a self-funder; Bob's are the block's.
    assert_eq!(figures.exceptions, 8);
    assert_eq!(invoice.total(), Pence(6_600 + 413));
}

#[test]
fn a_block_starting_mid_period_guarantees_only_its_whole_weeks() {
    // The block starts on Wednesday 15 April: weeks 3 and 4 are wholly within it, so 2 × 60 =
    // 120 minutes are guaranteed (£33.00). Bob's visits before it go to the spot contract.
    let mut contracts = contracts();
    contracts[1].starts_on = Date::constant(2026, 4, 15);
    let invoice = drafted(&contracts, false, false);
    let guarantee = invoice
        .lines
        .iter()
        .find(|line| line.kind == LineKind::Guarantee)
        .unwrap();
    assert_eq!(
        (guarantee.charged_minutes, guarantee.amount),
        (120, Pence(3_300))
    );
    // b1 before the block: spot on actual time, 40 minutes, £12.00; b2 (14 April) too, but it
    // has no check-out, so it is unverified.
    assert_eq!(
        figures(&line_of(&invoice, "b1")),
        (LineKind::Visit, 45, 40, 0, 40, 1_800, 1_200)
    );
    assert_eq!(line_of(&invoice, "b2").kind, LineKind::Unverified);
}
