//! Tests of the greedy baseline: where it puts each visit, break and double-handed pair, what it
//! leaves unmade and why, and a generated branch day that passes the checker.

use super::*;
use crate::scenario::{BranchSize, branch_day};
use crate::{Break, Rounding, SecondPart, Travel, Weights, Worker};

fn worker(id: &str, place: usize, shift: (f64, f64)) -> Worker {
    Worker::new(id, place, Window::new(shift.0, shift.1))
}

fn visit(id: &str, place: usize, window: (f64, f64), duration: f64) -> Visit {
    Visit {
        max_lateness: Some(0.0),
        ..Visit::new(id, place, Window::new(window.0, window.1), duration)
    }
}

/// Places on a line: place `i` at `(xs[i], 0)`.
fn problem(xs: &[f64], workers: Vec<Worker>, visits: Vec<Visit>) -> Problem {
    Problem {
        name: "tiny".to_owned(),
        travel: Travel::Euclidean {
            places: xs.iter().map(|x| [*x, 0.0]).collect(),
            rounding: Rounding::Exact,
        },
        workers,
        visits,
        weights: Weights::default(),
    }
}

/// Solves and insists that the checker finds nothing wrong.
fn solved(problem: &Problem) -> Solution {
    let solution = solve(problem);
    let report = crate::check(problem, &solution);
    assert!(report.is_feasible(), "{:?}", report.violations);
    assert!(report.objective_matches(&solution.objective));
    solution
}

/// `(worker, visit, part, start)` of every visit stop.
fn starts(solution: &Solution) -> Vec<(String, String, u8, f64)> {
    let stops = solution.runs.iter().flat_map(|run| {
        run.stops.iter().filter_map(|stop| {
            let visit = stop.visit.clone()?;
            Some((run.worker.clone(), visit, stop.part, stop.start))
        })
    });
    stops.collect()
}

fn reason(solution: &Solution, visit: &str) -> String {
    let unmade = solution.unassigned.iter().find(|u| u.visit == visit);
    unmade.map(|u| u.reason.clone()).unwrap_or_default()
}

#[test]
fn each_visit_goes_to_the_end_of_the_cheapest_run_in_window_order() {
    let p = problem(
        &[0.0, 100.0, 10.0, 90.0, 20.0],
        vec![worker("a", 0, (0.0, 500.0)), worker("b", 1, (0.0, 500.0))],
        vec![
            visit("far", 3, (0.0, 100.0), 5.0),
            visit("second", 4, (30.0, 100.0), 5.0),
            visit("first", 2, (0.0, 100.0), 5.0),
        ],
    );
    let s = solved(&p);
    let expected = [
        ("a", "first", 0, 10.0),
        ("a", "second", 0, 30.0),
        ("b", "far", 0, 10.0),
    ];
    let expected: Vec<_> = expected
        .iter()
        .map(|(w, v, part, start)| (w.to_string(), v.to_string(), *part, *start))
        .collect();
    assert_eq!(starts(&s), expected);
    assert_eq!(s.objective.travel, 40.0 + 20.0);
    assert_eq!(s.objective.vehicles, 2.0);
    assert!(s.unassigned.is_empty());
}

#[test]
fn lateness_is_allowed_up_to_max_lateness_and_no_further() {
    let mut late = visit("late", 1, (0.0, 10.0), 5.0);
    late.max_lateness = Some(20.0);
    let p = problem(
        &[0.0, 25.0],
        vec![worker("a", 0, (0.0, 100.0))],
        vec![late.clone()],
    );
    let s = solved(&p);
    assert_eq!(s.objective.lateness, 15.0);
    assert_eq!(s.objective.max_lateness, 15.0);
    late.max_lateness = Some(10.0);
    let p = problem(&[0.0, 25.0], vec![worker("a", 0, (0.0, 100.0))], vec![late]);
    let s = solved(&p);
    assert_eq!(reason(&s, "late"), "no run has room for it in time");
    assert_eq!(s.objective.unassigned, 1.0);
}

#[test]
fn the_shift_end_counts_the_way_home_and_working_time_is_bounded() {
    let far = visit("far", 1, (0.0, 100.0), 10.0);
    let p = problem(
        &[0.0, 50.0],
        vec![worker("a", 0, (0.0, 109.0))],
        vec![far.clone()],
    );
    assert_eq!(reason(&solved(&p), "far"), "no run has room for it in time");
    let mut bounded = worker("a", 0, (0.0, 500.0));
    bounded.max_working_time = Some(109.0);
    let p = problem(&[0.0, 50.0], vec![bounded.clone()], vec![far.clone()]);
    assert_eq!(reason(&solved(&p), "far"), "no run has room for it in time");
    bounded.max_working_time = Some(110.0);
    let p = problem(&[0.0, 50.0], vec![bounded], vec![far]);
    assert!(solved(&p).unassigned.is_empty());
}

#[test]
fn skills_exclusion_and_capacity_rule_workers_out_in_that_order() {
    let mut skilled = worker("a", 0, (0.0, 100.0));
    skilled.skills = vec!["hoist".to_owned()];
    skilled.capacity = Some(5.0);
    let mut needs_peg = visit("peg", 1, (0.0, 50.0), 5.0);
    needs_peg.skills = vec!["peg".to_owned()];
    let mut refused = visit("refused", 1, (0.0, 50.0), 5.0);
    refused.skills = vec!["hoist".to_owned()];
    refused.excluded = vec!["a".to_owned()];
    let mut heavy = visit("heavy", 1, (0.0, 50.0), 5.0);
    heavy.demand = 6.0;
    let p = problem(
        &[0.0, 1.0],
        vec![skilled, worker("b", 0, (0.0, 100.0))],
        vec![needs_peg, refused, heavy.clone()],
    );
    let s = solved(&p);
    assert_eq!(reason(&s, "peg"), "no worker holds the skills");
    assert_eq!(
        reason(&s, "refused"),
        "every worker with the skills is excluded"
    );
    assert_eq!(starts(&s), vec![("b".into(), "heavy".into(), 0, 1.0)]);
    heavy.demand = 6.0;
    let mut small = worker("a", 0, (0.0, 100.0));
    small.capacity = Some(5.0);
    let p = problem(&[0.0, 1.0], vec![small], vec![heavy]);
    let s = solved(&p);
    assert_eq!(
        reason(&s, "heavy"),
        "no worker who may make it has the capacity left"
    );
}

#[test]
fn a_break_is_taken_once_at_the_first_point_its_window_allows() {
    let mut rested = worker("a", 0, (0.0, 200.0));
    rested.breaks = vec![Break {
        window: Window::new(20.0, 40.0),
        duration: 10.0,
    }];
    let p = problem(
        &[0.0, 5.0, 10.0],
        vec![rested.clone()],
        vec![
            visit("one", 1, (0.0, 100.0), 20.0),
            visit("two", 2, (0.0, 100.0), 20.0),
        ],
    );
    let s = solved(&p);
    let stops = &s.runs[0].stops;
    assert_eq!(stops.len(), 3);
    assert_eq!(stops[1], Stop::rest(0, 25.0));
    assert_eq!(stops[2], Stop::visit("two", 0, 40.0));
    // A lone visit after the window: the break comes first, at home.
    let p = problem(
        &[0.0, 5.0],
        vec![rested],
        vec![visit("late", 1, (60.0, 100.0), 10.0)],
    );
    let s = solved(&p);
    assert_eq!(s.runs[0].stops[0], Stop::rest(0, 20.0));
    assert_eq!(s.runs[0].stops[1], Stop::visit("late", 0, 60.0));
}

#[test]
fn a_worker_without_visits_takes_no_break() {
    let mut idle = worker("idle", 0, (0.0, 100.0));
    idle.breaks = vec![Break {
        window: Window::new(20.0, 40.0),
        duration: 10.0,
    }];
    let s = solved(&problem(&[0.0], vec![idle], Vec::new()));
    assert!(s.runs.is_empty());
}

#[test]
fn two_carers_together_start_within_the_tolerance() {
    let mut double = visit("double", 2, (0.0, 100.0), 10.0);
    double.carers = 2;
    double.link = Some(Link::Together { tolerance: 5.0 });
    let p = problem(
        &[0.0, 40.0, 10.0],
        vec![worker("a", 0, (0.0, 500.0)), worker("b", 1, (0.0, 500.0))],
        vec![double],
    );
    let s = solved(&p);
    let made = starts(&s);
    assert_eq!(made.len(), 2);
    assert_ne!(made[0].0, made[1].0);
    assert!((made[0].3 - made[1].3).abs() <= 5.0);
    assert_eq!(made.iter().map(|m| m.3).fold(0.0, f64::max), 30.0);
}

#[test]
fn two_stage_care_keeps_its_gap_and_the_second_part_its_own_skills() {
    let mut hoist = worker("h", 0, (0.0, 500.0));
    hoist.skills = vec!["hoist".to_owned()];
    let mut two_stage = visit("two-stage", 1, (0.0, 100.0), 30.0);
    two_stage.carers = 2;
    two_stage.link = Some(Link::Ordered {
        min_gap: 15.0,
        max_gap: 20.0,
    });
    two_stage.second = Some(SecondPart {
        skills: Some(vec!["hoist".to_owned()]),
        duration: Some(15.0),
    });
    let p = problem(
        &[0.0, 10.0],
        vec![worker("a", 0, (0.0, 500.0)), hoist],
        vec![two_stage],
    );
    let s = solved(&p);
    let made = starts(&s);
    assert_eq!(made.len(), 2);
    let first = made.iter().find(|m| m.2 == 0).expect("part 0");
    let second = made.iter().find(|m| m.2 == 1).expect("part 1");
    assert_eq!(second.0, "h");
    assert!((15.0..=20.0).contains(&(second.3 - first.3)));
}

#[test]
fn a_double_handed_visit_needs_two_workers() {
    let mut double = visit("double", 1, (0.0, 100.0), 10.0);
    double.carers = 2;
    double.link = Some(Link::Together { tolerance: 0.0 });
    let p = problem(
        &[0.0, 10.0],
        vec![worker("a", 0, (0.0, 500.0))],
        vec![double],
    );
    let s = solved(&p);
    assert_eq!(reason(&s, "double"), "fewer than two workers may make it");
    assert!(s.runs.is_empty());
}

#[test]
fn an_invalid_problem_leaves_every_visit_unmade() {
    let p = problem(
        &[0.0],
        vec![worker("a", 0, (0.0, 100.0))],
        vec![visit("v", 7, (0.0, 10.0), 1.0)],
    );
    let s = solve(&p);
    assert!(s.runs.is_empty());
    assert!(
        reason(&s, "v").starts_with("invalid problem: visits[0].place"),
        "{}",
        reason(&s, "v")
    );
}

#[test]
fn a_generated_branch_day_passes_the_checker() {
    for seed in 0..3 {
        let p = branch_day(seed, BranchSize::default());
        let s = solved(&p);
        assert_eq!(s, solve(&p), "deterministic");
        assert!(
            s.unassigned.len() * 10 < p.visits.len(),
            "{} unmade",
            s.unassigned.len()
        );
        assert!(s.objective.travel > 0.0 && s.objective.continuity > 0.0);
    }
}
