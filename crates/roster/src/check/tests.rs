//! Tests of the independent checker: each rule broken on purpose, and objectives worked out by
//! hand.

use super::travel::EARTH_RADIUS_KM;
use super::*;
use crate::{
    Break, Link, Mode, Rounding, Run, SecondPart, Speeds, Stop, Travel, Unassigned, Visit, Weights,
    Window, Worker,
};

fn worker(id: &str) -> Worker {
    Worker::new(id, 0, Window::new(0.0, 200.0))
}

fn visit(id: &str, place: usize, start: f64, end: f64, duration: f64) -> Visit {
    Visit::new(id, place, Window::new(start, end), duration)
}

fn plane(places: Vec<[f64; 2]>) -> Travel {
    Travel::Euclidean {
        places,
        rounding: Rounding::Exact,
    }
}

fn run(worker: &str, stops: Vec<Stop>) -> Run {
    Run {
        worker: worker.to_owned(),
        stops,
    }
}

fn solution(runs: Vec<Run>, unassigned: &[&str]) -> Solution {
    Solution {
        problem: "test".to_owned(),
        runs,
        unassigned: unassigned
            .iter()
            .map(|v| Unassigned {
                visit: (*v).to_owned(),
                reason: "no room".to_owned(),
            })
            .collect(),
        objective: Objective::default(),
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

fn rules(report: &Report) -> Vec<&'static str> {
    report.violations.iter().map(|v| v.rule).collect()
}

/// "Two calls on a line": the office at (0,0), v1 at (3,4), v2 at (6,8); ann and bob.
/// Every leg is 5 except v2 back to the office, 10.
fn base() -> Problem {
    Problem {
        name: "two calls on a line".to_owned(),
        travel: plane(vec![[0.0, 0.0], [3.0, 4.0], [6.0, 8.0]]),
        workers: vec![worker("ann"), worker("bob")],
        visits: vec![
            visit("v1", 1, 10.0, 20.0, 30.0),
            visit("v2", 2, 40.0, 50.0, 20.0),
        ],
        weights: Weights::default(),
    }
}

/// ann: leaves 5, v1 10–40, arrives at v2 45, v2 45–65, home 75.
fn base_stops() -> Vec<Stop> {
    vec![Stop::visit("v1", 0, 10.0), Stop::visit("v2", 0, 45.0)]
}

fn base_solution() -> Solution {
    solution(vec![run("ann", base_stops())], &[])
}

fn assert_close(actual: f64, expected: f64) {
    assert!(
        (actual - expected).abs() < 1e-9,
        "{actual} is not {expected}"
    );
}

#[test]
fn base_is_feasible_with_travel_only() {
    let report = check(&base(), &base_solution());
    assert!(report.is_feasible(), "{:?}", report.violations);
    // Travel 5 + 5 + 10 = 20; ann used once; the vehicle weight is 0 by default.
    assert_close(report.objective.travel, 20.0);
    assert_close(report.objective.vehicles, 1.0);
    assert_close(report.objective.total, 20.0);
}

#[test]
fn feasible_day_objective_by_hand() {
    let mut problem = base();
    problem.name = "a day with every part".to_owned();
    problem.workers[0].contracted_time = 100.0;
    problem.workers[0].guaranteed_time = 60.0;
    problem.workers[1].contracted_time = 50.0;
    problem.workers[1].guaranteed_time = 30.0;
    for v in &mut problem.visits {
        v.person = Some("p1".to_owned());
    }
    problem.visits[0].preferred = strings(&["bob"]);
    let mut v3 = visit("v3", 1, 0.0, 10.0, 5.0);
    v3.priority = 2.0;
    problem.visits.push(v3);
    let stops = vec![Stop::visit("v1", 0, 10.0), Stop::visit("v2", 0, 55.0)];
    let report = check(&problem, &solution(vec![run("ann", stops)], &["v3"]));
    assert!(report.is_feasible(), "{:?}", report.violations);
    // ann: leaves 5, v1 10–40, at v2 by 45, waits, v2 55–75 (5 late), home 85.
    // Working time 85 − (10 − 5) = 80; bob has none, so 0.
    // unassigned 2 (v3's priority); vehicles 1; lateness 5; max lateness 5;
    // travel 5 + 5 + 10 = 20; continuity: p1 sees only ann (0) + v1 by ann, not bob (1) = 1;
    // shortfall: ann max(0, 60 − 80) = 0, bob 30 − 0 = 30;
    // fairness: ann 100·80/100 = 80 %, bob 0 % → 80.
    // Total: 100000·2 + 0·1 + 10·5 + 10·5 + 1·20 + 15·1 + 0.5·30 + 0.2·80
    //      = 200000 + 50 + 50 + 20 + 15 + 15 + 16 = 200166.
    let o = report.objective;
    let expected = [200_166.0, 2.0, 1.0, 5.0, 5.0, 20.0, 1.0, 30.0, 80.0];
    for (actual, expected) in parts_of(&o).into_iter().zip(expected) {
        assert_close(actual, expected);
    }
    assert!(report.objective_matches(&o));
}

/// "Double-handed lift": the office at (0,0), d1 at (0,6), d2 at (8,6); legs 6, 8 and 10.
fn lift() -> Problem {
    let mut d1 = visit("d1", 1, 10.0, 20.0, 30.0);
    d1.carers = 2;
    d1.link = Some(Link::Together { tolerance: 2.0 });
    d1.skills = strings(&["hoist"]);
    d1.second = Some(SecondPart {
        skills: Some(Vec::new()),
        duration: Some(20.0),
    });
    d1.person = Some("pat".to_owned());
    let mut d2 = visit("d2", 2, 50.0, 60.0, 10.0);
    d2.carers = 2;
    d2.link = Some(Link::Ordered {
        min_gap: 5.0,
        max_gap: 15.0,
    });
    d2.person = Some("pat".to_owned());
    let mut ann = worker("ann");
    ann.skills = strings(&["hoist"]);
    Problem {
        name: "double-handed lift".to_owned(),
        travel: plane(vec![[0.0, 0.0], [0.0, 6.0], [8.0, 6.0]]),
        workers: vec![ann, worker("bob")],
        visits: vec![d1, d2],
        weights: Weights::default(),
    }
}

fn lift_solution(bob_d1: f64, bob_d2: f64) -> Solution {
    let ann = vec![Stop::visit("d1", 0, 10.0), Stop::visit("d2", 0, 50.0)];
    let bob = vec![Stop::visit("d1", 1, bob_d1), Stop::visit("d2", 1, bob_d2)];
    solution(vec![run("ann", ann), run("bob", bob)], &[])
}

#[test]
fn double_handed_together_and_ordered_objective_by_hand() {
    let report = check(&lift(), &lift_solution(11.0, 62.0));
    assert!(report.is_feasible(), "{:?}", report.violations);
    // ann: d1 part 0 10–40 (arrives 6), at d2 by 48, d2 part 0 50–60, home 70.
    // bob (no hoist, but part 1 needs none): d1 part 1 11–31 (|11 − 10| = 1 ≤ 2), at d2 by
    // 39, d2 part 1 62–72 (gap 12 within 5 to 15; 2 late), home 82.
    // unassigned 0; vehicles 2; lateness 2; max 2; travel (6 + 8 + 10)·2 = 48;
    // continuity: pat sees ann and bob → 1; no contracts or guarantees → 0 and 0.
    // Total: 10·2 + 10·2 + 48 + 15·1 = 103.
    let expected = [103.0, 0.0, 2.0, 2.0, 2.0, 48.0, 1.0, 0.0, 0.0];
    for (actual, expected) in parts_of(&report.objective).into_iter().zip(expected) {
        assert_close(actual, expected);
    }
}

#[test]
fn together_too_far_apart_is_sync() {
    let report = check(&lift(), &lift_solution(12.5, 62.0));
    assert_eq!(rules(&report), ["sync"]);
    assert_eq!(report.violations[0].visit.as_deref(), Some("d1"));
}

#[test]
fn ordered_gap_outside_is_sync() {
    for bob_d2 in [54.0, 66.0] {
        let report = check(&lift(), &lift_solution(11.0, bob_d2));
        assert_eq!(rules(&report), ["sync"], "at {bob_d2}");
        assert_eq!(report.violations[0].visit.as_deref(), Some("d2"));
    }
}

#[test]
fn second_part_needs_the_visits_skills_unless_told_otherwise() {
    let mut problem = lift();
    problem.visits[0].second = None;
    let report = check(&problem, &lift_solution(11.0, 62.0));
    assert_eq!(rules(&report), ["skills"]);
    // The second part now lasts 30 as well, which still fits.
}

#[test]
fn break_where_the_worker_is() {
    let mut problem = base();
    problem.name = "a break between calls".to_owned();
    problem.visits = vec![
        visit("v1", 1, 0.0, 100.0, 20.0),
        visit("v2", 2, 0.0, 100.0, 10.0),
    ];
    problem.workers[0].breaks = vec![Break {
        window: Window::new(30.0, 40.0),
        duration: 15.0,
    }];
    problem.workers[0].guaranteed_time = 100.0;
    let stops = vec![
        Stop::visit("v1", 0, 5.0),
        Stop::rest(0, 30.0),
        Stop::visit("v2", 0, 50.0),
    ];
    let report = check(&problem, &solution(vec![run("ann", stops)], &[]));
    assert!(report.is_feasible(), "{:?}", report.violations);
    // ann: v1 5–25 at (3,4); break 30–45 there; from there to v2 is 5, so arrives 50;
    // v2 50–60; home 70. Working time 70 − (5 − 5) = 70.
    // travel 5 + 0 + 5 + 10 = 20; shortfall 100 − 70 = 30.
    // Total: 1·20 + 0.5·30 = 35.
    let o = report.objective;
    assert_close(o.travel, 20.0);
    assert_close(o.shortfall, 30.0);
    assert_close(o.total, 35.0);
    // Had the break been taken at the office, v2 could not start before 55.
    let early = vec![
        Stop::visit("v1", 0, 5.0),
        Stop::rest(0, 30.0),
        Stop::visit("v2", 0, 49.0),
    ];
    let report = check(&problem, &solution(vec![run("ann", early)], &[]));
    assert_eq!(rules(&report), ["arrival"]);
}

#[test]
fn geographic_travel_by_bike() {
    // Two places 0.1° apart on a meridian: 6371.0088 · 0.1 · π/180 = 11.119508 km;
    // by bike at 15 km/h with detour 1.5: 11.119508 · 1.5 / 15 · 60 = 66.717048 minutes.
    let leg = EARTH_RADIUS_KM * 0.1_f64.to_radians() * 1.5 / 15.0 * 60.0;
    let mut cyclist = worker("cy");
    cyclist.mode = Mode::Bike;
    let problem = Problem {
        name: "a bike ride".to_owned(),
        travel: Travel::Geographic {
            places: vec![[51.0, -0.5], [51.1, -0.5]],
            detour_factor: 1.5,
            speeds: Speeds {
                car: 30.0,
                bike: 15.0,
                foot: 5.0,
            },
        },
        workers: vec![cyclist],
        visits: vec![visit("v1", 1, 0.0, 1000.0, 10.0)],
        weights: Weights::default(),
    };
    let ok = solution(vec![run("cy", vec![Stop::visit("v1", 0, 70.0)])], &[]);
    let report = check(&problem, &ok);
    assert!(report.is_feasible(), "{:?}", report.violations);
    assert_close(leg, 66.717_048_140_119_74);
    assert_close(report.objective.travel, 2.0 * leg);
    // By car it would take 33.36 minutes, so 60 is fine for a car but not a bike.
    let early = solution(vec![run("cy", vec![Stop::visit("v1", 0, 60.0)])], &[]);
    assert_eq!(rules(&check(&problem, &early)), ["arrival"]);
}

#[test]
fn truncated_euclidean() {
    // (0,0) → (1,1) is 1.414… → 1.4; (1,1) → (2,3) is 2.236… → 2.2; (2,3) → (0,0) is
    // 3.605… → 3.6. v1 1.4–2.4, v2 4.6–5.6, home 9.2 = the shift's end. Travel 7.2.
    let mut problem = base();
    problem.name = "truncated arcs".to_owned();
    problem.travel = Travel::Euclidean {
        places: vec![[0.0, 0.0], [1.0, 1.0], [2.0, 3.0]],
        rounding: Rounding::TruncateTenth,
    };
    problem.workers[0].shift = Window::new(0.0, 9.2);
    problem.visits = vec![
        visit("v1", 1, 0.0, 10.0, 1.0),
        visit("v2", 2, 0.0, 10.0, 1.0),
    ];
    let stops = vec![Stop::visit("v1", 0, 1.4), Stop::visit("v2", 0, 4.6)];
    let sol = solution(vec![run("ann", stops)], &[]);
    let report = check(&problem, &sol);
    assert!(report.is_feasible(), "{:?}", report.violations);
    assert_close(report.objective.travel, 7.2);
    // Unrounded, v1 cannot start at 1.4, nor v2 at 4.6, and home is too late.
    problem.travel = plane(vec![[0.0, 0.0], [1.0, 1.0], [2.0, 3.0]]);
    assert_eq!(
        rules(&check(&problem, &sol)),
        ["arrival", "arrival", "shift_end"]
    );
}

#[test]
fn matrix_falls_back_to_car() {
    let mut problem = base();
    problem.travel = Travel::Matrix {
        car: vec![
            vec![0.0, 4.0, 9.0],
            vec![4.0, 0.0, 5.0],
            vec![9.0, 5.0, 0.0],
        ],
        bike: None,
        foot: Some(vec![vec![0.0; 3]; 3]),
    };
    problem.workers[0].mode = Mode::Bike;
    let report = check(&problem, &base_solution());
    assert!(report.is_feasible(), "{:?}", report.violations);
    assert_close(report.objective.travel, 4.0 + 5.0 + 9.0);
    problem.workers[0].mode = Mode::Foot;
    assert_close(check(&problem, &base_solution()).objective.travel, 0.0);
}

#[test]
fn missing_skill() {
    let mut problem = base();
    problem.visits[0].skills = strings(&["insulin"]);
    let report = check(&problem, &base_solution());
    assert_eq!(rules(&report), ["skills"]);
    let v = &report.violations[0];
    assert_eq!(v.worker.as_deref(), Some("ann"));
    assert_eq!(v.visit.as_deref(), Some("v1"));
    assert_eq!(
        v.to_string(),
        "skills: worker ann lacks insulin needed by visit v1"
    );
}

#[test]
fn excluded_worker() {
    let mut problem = base();
    problem.visits[0].excluded = strings(&["ann"]);
    assert_eq!(rules(&check(&problem, &base_solution())), ["excluded"]);
}

#[test]
fn over_capacity() {
    let mut problem = base();
    problem.workers[0].capacity = Some(5.0);
    problem.visits[0].demand = 3.0;
    problem.visits[1].demand = 3.0;
    assert_eq!(rules(&check(&problem, &base_solution())), ["capacity"]);
    problem.workers[0].capacity = Some(6.0);
    assert!(check(&problem, &base_solution()).is_feasible());
}

#[test]
fn before_the_window_opens() {
    let mut problem = base();
    problem.visits[0].window.start = 12.0;
    assert_eq!(rules(&check(&problem, &base_solution())), ["window"]);
}

#[test]
fn later_than_the_lateness_allowed() {
    let mut problem = base();
    problem.visits[1].window.end = 44.0;
    assert!(check(&problem, &base_solution()).is_feasible());
    problem.visits[1].max_lateness = Some(0.0);
    let report = check(&problem, &base_solution());
    assert_eq!(rules(&report), ["window"]);
    // The lateness still counts in the objective: 45 − 44 = 1.
    assert_close(report.objective.lateness, 1.0);
}

#[test]
fn starts_before_arrival() {
    let stops = vec![Stop::visit("v1", 0, 10.0), Stop::visit("v2", 0, 44.0)];
    let report = check(&base(), &solution(vec![run("ann", stops)], &[]));
    assert_eq!(rules(&report), ["arrival"]);
}

#[test]
fn home_after_the_shift() {
    let mut problem = base();
    problem.workers[0].shift.end = 70.0;
    assert_eq!(rules(&check(&problem, &base_solution())), ["shift_end"]);
}

#[test]
fn too_long_at_work() {
    let mut problem = base();
    // Working time 75 − (10 − 5) = 70.
    problem.workers[0].max_working_time = Some(60.0);
    assert_eq!(rules(&check(&problem, &base_solution())), ["working_time"]);
    problem.workers[0].max_working_time = Some(70.0);
    assert!(check(&problem, &base_solution()).is_feasible());
}

fn with_break(problem: &mut Problem) {
    problem.workers[0].breaks = vec![Break {
        window: Window::new(60.0, 70.0),
        duration: 5.0,
    }];
}

#[test]
fn break_left_out() {
    let mut problem = base();
    with_break(&mut problem);
    assert_eq!(rules(&check(&problem, &base_solution())), ["break"]);
}

#[test]
fn break_taken_twice_or_outside_its_window() {
    let mut problem = base();
    with_break(&mut problem);
    let mut stops = base_stops();
    stops.push(Stop::rest(0, 65.0));
    assert!(check(&problem, &solution(vec![run("ann", stops.clone())], &[])).is_feasible());
    stops.push(Stop::rest(0, 70.0));
    let report = check(&problem, &solution(vec![run("ann", stops)], &[]));
    assert_eq!(rules(&report), ["break"]);
    let mut late = base_stops();
    late.push(Stop::rest(0, 80.0));
    let report = check(&problem, &solution(vec![run("ann", late)], &[]));
    assert_eq!(rules(&report), ["break"]);
}

#[test]
fn break_without_visits_or_unknown() {
    let mut problem = base();
    with_break(&mut problem);
    problem.workers[1].breaks = problem.workers[0].breaks.clone();
    let mut stops = base_stops();
    stops.push(Stop::rest(0, 65.0));
    let idle = run("bob", vec![Stop::rest(0, 60.0)]);
    let report = check(
        &problem,
        &solution(vec![run("ann", stops.clone()), idle], &[]),
    );
    assert_eq!(rules(&report), ["break"]);
    assert_eq!(report.violations[0].worker.as_deref(), Some("bob"));
    // An idle run costs nothing.
    assert_close(report.objective.vehicles, 1.0);
    stops.push(Stop::rest(3, 70.0));
    let report = check(&problem, &solution(vec![run("ann", stops)], &[]));
    assert_eq!(rules(&report), ["break"]);
}

#[test]
fn part_made_twice() {
    let twice = run("bob", vec![Stop::visit("v1", 0, 10.0)]);
    let report = check(
        &base(),
        &solution(vec![run("ann", base_stops()), twice], &[]),
    );
    assert_eq!(rules(&report), ["duplicate"]);
}

#[test]
fn made_and_unassigned() {
    let mut sol = base_solution();
    sol.unassigned = solution(Vec::new(), &["v1"]).unassigned;
    assert_eq!(rules(&check(&base(), &sol)), ["duplicate"]);
}

#[test]
fn unassigned_twice() {
    let mut problem = base();
    problem.visits.push(visit("v3", 1, 0.0, 10.0, 5.0));
    let sol = solution(vec![run("ann", base_stops())], &["v3", "v3"]);
    let report = check(&problem, &sol);
    assert_eq!(rules(&report), ["duplicate"]);
    assert_close(report.objective.unassigned, 1.0);
}

#[test]
fn two_runs_for_one_worker() {
    let sol = solution(vec![run("ann", base_stops()), run("ann", Vec::new())], &[]);
    assert_eq!(rules(&check(&base(), &sol)), ["duplicate"]);
}

#[test]
fn only_one_carer_of_two() {
    let mut problem = base();
    problem.visits[0].carers = 2;
    let report = check(&problem, &base_solution());
    assert_eq!(rules(&report), ["half_assigned"]);
    // Half a visit is not a visit made.
    assert_close(report.objective.unassigned, 1.0);
}

#[test]
fn one_worker_makes_both_parts() {
    let mut problem = base();
    problem.visits[0].carers = 2;
    // v1 part 0 10–40, part 1 40–70 in the same place, v2 from 75 (late, unbounded), home 105.
    let stops = vec![
        Stop::visit("v1", 0, 10.0),
        Stop::visit("v1", 1, 40.0),
        Stop::visit("v2", 0, 75.0),
    ];
    let report = check(&problem, &solution(vec![run("ann", stops)], &[]));
    assert_eq!(rules(&report), ["same_worker"]);
}

#[test]
fn part_one_of_a_single_visit() {
    let stops = vec![Stop::visit("v1", 1, 10.0), Stop::visit("v2", 0, 45.0)];
    let report = check(&base(), &solution(vec![run("ann", stops)], &["v1"]));
    assert_eq!(rules(&report), ["part"]);
}

#[test]
fn unknown_visit_in_a_run_or_unassigned() {
    let mut stops = base_stops();
    stops.push(Stop::visit("v9", 0, 70.0));
    let report = check(&base(), &solution(vec![run("ann", stops)], &[]));
    assert_eq!(rules(&report), ["unknown_visit"]);
    let report = check(&base(), &solution(vec![run("ann", base_stops())], &["v9"]));
    assert_eq!(rules(&report), ["unknown_visit"]);
}

#[test]
fn unknown_worker() {
    let sol = solution(vec![run("ann", base_stops()), run("zed", Vec::new())], &[]);
    let report = check(&base(), &sol);
    assert_eq!(rules(&report), ["unknown_worker"]);
    assert_eq!(report.violations[0].worker.as_deref(), Some("zed"));
}

#[test]
fn visit_neither_made_nor_unassigned() {
    let sol = solution(vec![run("ann", vec![Stop::visit("v1", 0, 10.0)])], &[]);
    let report = check(&base(), &sol);
    assert_eq!(rules(&report), ["missing"]);
    assert_close(report.objective.unassigned, 1.0);
}

#[test]
fn malformed_stop() {
    let mut stops = base_stops();
    stops.push(Stop {
        visit: None,
        part: 0,
        break_index: None,
        start: 70.0,
    });
    let report = check(&base(), &solution(vec![run("ann", stops)], &[]));
    assert_eq!(rules(&report), ["stop"]);
}

#[test]
fn place_out_of_range() {
    let mut problem = base();
    problem.visits[0].place = 7;
    assert_eq!(rules(&check(&problem, &base_solution())), ["place"]);
}

#[test]
fn objective_tolerance() {
    let report = check(&base(), &base_solution());
    let mut claimed = report.objective;
    assert!(report.objective_matches(&claimed));
    claimed.travel += 1e-8;
    assert!(report.objective_matches(&claimed));
    claimed.total += 0.5;
    assert!(!report.objective_matches(&claimed));
    let mut near_zero = report.objective;
    near_zero.lateness = 5e-7;
    assert!(report.objective_matches(&near_zero));
    near_zero.lateness = 2e-6;
    assert!(!report.objective_matches(&near_zero));
}

#[test]
fn empty_run_is_fine() {
    let sol = solution(vec![run("ann", base_stops()), run("bob", Vec::new())], &[]);
    let report = check(&base(), &sol);
    assert!(report.is_feasible(), "{:?}", report.violations);
    assert_close(report.objective.vehicles, 1.0);
}
