//! Property tests: on generated small problems (double-handed visits, breaks, skills, soft and
//! hard windows, exclusions), every solution the engine returns passes the independent checker,
//! its objective is the checker's, and the same seed and iteration limit give the same answer.

use homeward_roster::{
    Break, Link, Mode, Options, Problem, Rounding, Travel, Visit, Weights, Window, Worker, check,
    solve,
};
use proptest::prelude::*;

fn worker(index: usize, start: f64, skilled: bool, rest: bool) -> Worker {
    Worker {
        id: format!("w{index}"),
        start_place: 0,
        end_place: 0,
        shift: Window::new(start, start + 480.0),
        breaks: if rest {
            vec![Break {
                window: Window::new(start + 180.0, start + 240.0),
                duration: 30.0,
            }]
        } else {
            Vec::new()
        },
        max_working_time: Some(450.0),
        contracted_time: 420.0,
        guaranteed_time: 120.0,
        mode: [Mode::Car, Mode::Bike, Mode::Foot][index % 3],
        skills: if skilled {
            vec!["hoist".into()]
        } else {
            Vec::new()
        },
        capacity: None,
        fixed_cost: 1.0,
    }
}

#[derive(Debug, Clone)]
struct VisitSeed {
    place: usize,
    start: f64,
    width: f64,
    duration: f64,
    kind: u8,
    hard: bool,
}

fn visit_seed(places: usize) -> impl Strategy<Value = VisitSeed> {
    (
        1..places,
        0.0..420.0f64,
        0.0..90.0f64,
        10.0..60.0f64,
        0u8..10,
        any::<bool>(),
    )
        .prop_map(|(place, start, width, duration, kind, hard)| VisitSeed {
            place,
            start,
            width,
            duration,
            kind,
            hard,
        })
}

fn problem(places: Vec<(f64, f64)>, visits: Vec<VisitSeed>, workers: usize, soft: bool) -> Problem {
    let visits = visits
        .into_iter()
        .enumerate()
        .map(|(index, seed)| {
            let (carers, link) = match seed.kind {
                0 => (2, Some(Link::Together { tolerance: 5.0 })),
                1 => (
                    2,
                    Some(Link::Ordered {
                        min_gap: 10.0,
                        max_gap: 40.0,
                    }),
                ),
                _ => (1, None),
            };
            Visit {
                id: format!("v{index}"),
                place: seed.place,
                person: Some(format!("p{}", seed.place)),
                window: Window::new(420.0 + seed.start, 420.0 + seed.start + seed.width),
                max_lateness: if soft && !seed.hard { None } else { Some(0.0) },
                duration: seed.duration,
                skills: if seed.kind == 2 {
                    vec!["hoist".into()]
                } else {
                    Vec::new()
                },
                carers,
                link,
                second: None,
                preferred: if seed.kind == 3 {
                    vec!["w0".into()]
                } else {
                    Vec::new()
                },
                excluded: if seed.kind == 4 {
                    vec!["w0".into()]
                } else {
                    Vec::new()
                },
                priority: 1.0 + f64::from(seed.kind % 3),
                demand: 0.0,
            }
        })
        .collect();
    Problem {
        name: "generated".into(),
        travel: Travel::Geographic {
            places: places
                .iter()
                .map(|(lat, lon)| [52.9 + lat, -1.2 + lon])
                .collect(),
            detour_factor: 1.3,
            speeds: Default::default(),
        },
        workers: (0..workers)
            .map(|index| {
                worker(
                    index,
                    420.0 + 30.0 * index as f64,
                    index % 2 == 0,
                    index % 3 == 1,
                )
            })
            .collect(),
        visits,
        weights: Weights::default(),
    }
}

fn problems() -> impl Strategy<Value = Problem> {
    (
        proptest::collection::vec((0.0..0.08f64, 0.0..0.12f64), 3..10),
        1usize..5,
        any::<bool>(),
    )
        .prop_flat_map(|(places, workers, soft)| {
            let count = places.len();
            (
                Just(places),
                proptest::collection::vec(visit_seed(count), 1..14),
                Just(workers),
                Just(soft),
            )
        })
        .prop_map(|(places, visits, workers, soft)| problem(places, visits, workers, soft))
}

fn options(seed: u64) -> Options {
    Options {
        time_limit: 1.0e9,
        iterations: Some(60),
        seed,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn solutions_pass_the_checker(problem in problems(), seed in 0u64..1000) {
        let solution = solve(&problem, &options(seed)).expect("generated problems are valid");
        let report = check(&problem, &solution);
        prop_assert!(report.is_feasible(), "{:?}", report.violations);
        prop_assert!(report.objective_matches(&solution.objective),
            "engine {:?} checker {:?}", solution.objective, report.objective);
        for unassigned in &solution.unassigned {
            prop_assert!(!unassigned.reason.is_empty());
        }
    }

    #[test]
    fn the_same_seed_and_iterations_give_the_same_answer(problem in problems(), seed in 0u64..1000) {
        let first = solve(&problem, &options(seed)).expect("valid");
        let second = solve(&problem, &options(seed)).expect("valid");
        prop_assert_eq!(first, second);
    }
}

#[test]
fn solomon_rounding_is_respected_by_solver_and_checker() {
    // Two customers 1.41 apart: truncation makes each arc 1.4.
    let problem = Problem {
        name: "tiny".into(),
        travel: Travel::Euclidean {
            places: vec![[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]],
            rounding: Rounding::TruncateTenth,
        },
        workers: vec![Worker {
            capacity: Some(10.0),
            ..worker(0, 0.0, false, false)
        }],
        visits: (1..3)
            .map(|place| Visit {
                max_lateness: Some(0.0),
                demand: 5.0,
                ..Visit::new(place.to_string(), place, Window::new(0.0, 100.0), 1.0)
            })
            .collect(),
        weights: Weights::distance_only(),
    };
    let solution = solve(&problem, &options(1)).expect("valid");
    let report = check(&problem, &solution);
    assert!(report.is_feasible(), "{:?}", report.violations);
    assert!(
        (solution.objective.travel - 5.6).abs() < 1e-9,
        "{:?}",
        solution.objective
    );
}
