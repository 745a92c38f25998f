use std::collections::BTreeSet;

use super::*;
use crate::{Link, Mode};

fn day(seed: u64) -> Problem {
    branch_day(seed, BranchSize::default())
}

fn people(problem: &Problem) -> BTreeSet<&str> {
    problem
        .visits
        .iter()
        .filter_map(|visit| visit.person.as_deref())
        .collect()
}

#[test]
fn counts_are_those_of_a_branch_day() {
    for seed in 0..8 {
        let problem = day(seed);
        assert!((40..=60).contains(&problem.workers.len()));
        assert!((400..=600).contains(&problem.visits.len()));
        let people = people(&problem).len();
        assert!((150..=250).contains(&people), "{people} people");
        let Travel::Geographic { places, .. } = &problem.travel else {
            panic!("geographic travel expected");
        };
        assert_eq!(places.len(), people + problem.workers.len());
    }
}

#[test]
fn the_size_is_honoured_exactly() {
    let problem = branch_day(
        3,
        BranchSize {
            workers: 7,
            visits: 61,
        },
    );
    assert_eq!(problem.workers.len(), 7);
    assert_eq!(problem.visits.len(), 61);
}

#[test]
fn the_same_seed_gives_the_same_day_and_another_seed_another() {
    assert_eq!(day(11), day(11));
    assert_ne!(day(11), day(12));
    let json = |p: &Problem| serde_json::to_string(p).unwrap();
    assert_eq!(json(&day(11)), json(&day(11)));
}

#[test]
fn every_visit_window_lies_inside_some_shift() {
    for seed in 0..8 {
        let problem = day(seed);
        for visit in &problem.visits {
            assert!(
                problem.workers.iter().any(|worker| {
                    worker.shift.start <= visit.window.start && visit.window.end <= worker.shift.end
                }),
                "{} has no shift around it",
                visit.id
            );
        }
    }
}

#[test]
fn every_visit_part_has_a_skilled_unexcluded_worker_on_a_covering_shift() {
    for seed in 0..8 {
        let problem = day(seed);
        for visit in &problem.visits {
            let second = visit
                .second
                .as_ref()
                .and_then(|second| second.skills.clone());
            let needs = [
                Some(visit.skills.clone()),
                second.or(Some(visit.skills.clone())),
            ];
            for skills in needs.iter().take(usize::from(visit.carers)).flatten() {
                let able = problem.workers.iter().filter(|worker| {
                    worker.shift.start <= visit.window.start
                        && visit.window.end <= worker.shift.end
                        && skills.iter().all(|skill| worker.skills.contains(skill))
                        && !visit.excluded.contains(&worker.id)
                });
                assert!(able.count() >= 1, "{} needs {skills:?}", visit.id);
            }
        }
    }
}

#[test]
fn ten_to_fifteen_percent_are_double_handed_mostly_together() {
    let mut together = 0;
    let mut ordered = 0;
    for seed in 0..8 {
        let problem = day(seed);
        let doubles: Vec<_> = problem
            .visits
            .iter()
            .filter(|visit| visit.carers == 2)
            .collect();
        let share = doubles.len() as f64 / problem.visits.len() as f64;
        assert!((0.10..=0.15).contains(&share), "share {share}");
        for visit in doubles {
            match visit.link {
                Some(Link::Together { tolerance }) => {
                    assert_eq!(tolerance, 5.0);
                    together += 1;
                }
                Some(Link::Ordered { min_gap, max_gap }) => {
                    assert!(min_gap < max_gap);
                    ordered += 1;
                }
                None => panic!("{} has no link", visit.id),
            }
        }
    }
    assert!(
        together > 2 * ordered && ordered > 0,
        "{together} together, {ordered} ordered"
    );
}

#[test]
fn windows_are_an_hour_around_the_plan_with_half_an_hour_of_lateness() {
    let problem = day(5);
    for visit in &problem.visits {
        assert_eq!(visit.window.end - visit.window.start, 60.0);
        assert_eq!(visit.max_lateness, Some(30.0));
        assert!([15.0, 30.0, 45.0, 60.0].contains(&visit.duration));
        assert_eq!(visit.window.start % 15.0, 0.0);
    }
}

#[test]
fn modes_and_preferences_are_as_described() {
    let problem = day(2);
    let count = |mode| {
        problem
            .workers
            .iter()
            .filter(|worker| worker.mode == mode)
            .count()
    };
    assert_eq!(
        (count(Mode::Car), count(Mode::Foot), count(Mode::Bike)),
        (33, 10, 7)
    );
    let ids: BTreeSet<&str> = problem
        .workers
        .iter()
        .map(|worker| worker.id.as_str())
        .collect();
    for visit in &problem.visits {
        assert!((1..=3).contains(&visit.preferred.len()), "{}", visit.id);
        assert!(visit.preferred.iter().all(|id| ids.contains(id.as_str())));
        assert!(
            visit
                .excluded
                .iter()
                .all(|id| !visit.preferred.contains(id))
        );
    }
    let long_days = problem
        .workers
        .iter()
        .filter(|worker| !worker.breaks.is_empty());
    for worker in long_days {
        assert_eq!(worker.breaks[0].duration, 30.0);
        assert_eq!(worker.start_place, worker.end_place);
    }
}

#[test]
fn places_are_in_the_town() {
    let problem = day(9);
    let Travel::Geographic {
        places,
        detour_factor,
        ..
    } = &problem.travel
    else {
        panic!("geographic travel expected");
    };
    assert_eq!(*detour_factor, 1.3);
    for [latitude, longitude] in places {
        assert!((52.89..=53.01).contains(latitude), "{latitude}");
        assert!((-1.24..=-1.06).contains(longitude), "{longitude}");
    }
}

#[test]
fn json_round_trips() {
    let problem = day(4);
    let json = serde_json::to_string(&problem).unwrap();
    let back: Problem = serde_json::from_str(&json).unwrap();
    assert_eq!(back, problem);
}
