//! The branch's care workers: travel mode, home, shift pattern, contract and skills.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::draw::{chance, quotas};
use super::town::{PATCH_RADIUS, Point, anywhere, near};
use super::{SKILLS, clock};
use crate::{Break, Mode, Window, Worker};

/// The three shift patterns of a home care branch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Pattern {
    /// 07:00–14:00: the morning calls and lunch.
    Morning,
    /// 16:00–22:00: tea and bed calls.
    Evening,
    /// 07:00–22:00: a split shift working both peaks, with a 30-minute break.
    LongDay,
}

impl Pattern {
    /// The shift window, in minutes of the day.
    pub fn shift(self) -> Window {
        match self {
            Pattern::Morning => Window::new(clock(7, 0), clock(14, 0)),
            Pattern::Evening => Window::new(clock(16, 0), clock(22, 0)),
            Pattern::LongDay => Window::new(clock(7, 0), clock(22, 0)),
        }
    }

    /// Longest time from leaving home to getting back: the shift, except that a long day may
    /// span at most 14 hours (the branch's rule, so that a split shift cannot run from the
    /// first call to the last).
    fn max_working_time(self) -> f64 {
        match self {
            Pattern::Morning => 7.0 * 60.0,
            Pattern::Evening => 6.0 * 60.0,
            Pattern::LongDay => 14.0 * 60.0,
        }
    }

    /// Paid time the contract expects on such a day.
    fn contracted_time(self) -> f64 {
        match self {
            Pattern::Morning => 6.0 * 60.0,
            Pattern::Evening => 5.0 * 60.0,
            Pattern::LongDay => 9.0 * 60.0,
        }
    }

    /// Breaks: a long day has one of 30 minutes starting between 11:30 and 14:30.
    fn breaks(self) -> Vec<Break> {
        match self {
            Pattern::LongDay => vec![Break {
                window: Window::new(clock(11, 30), clock(14, 30)),
                duration: 30.0,
            }],
            _ => Vec::new(),
        }
    }
}

/// Share of workers on each pattern.
const PATTERNS: [(Pattern, f64); 3] = [
    (Pattern::Morning, 0.35),
    (Pattern::LongDay, 0.30),
    (Pattern::Evening, 0.35),
];
/// Share of workers by travel mode.
const MODES: [(Mode, f64); 3] = [(Mode::Car, 0.65), (Mode::Foot, 0.20), (Mode::Bike, 0.15)];
/// Share of workers holding each skill of [`SKILLS`] (medication, hoist, PEG feeding).
const SKILL_SHARES: [f64; 3] = [0.70, 0.55, 0.20];
/// Share of workers on guaranteed-hours contracts; the rest are on zero-hours contracts.
const GUARANTEED_SHARE: f64 = 0.55;
/// Share of the contracted time that a guaranteed-hours contract guarantees.
const GUARANTEED_PART: f64 = 0.8;
/// Fewest workers of each pattern holding each skill, where there are that many on the pattern.
const SKILL_COVER: usize = 2;

/// A worker as generated, before places are numbered.
#[derive(Debug, Clone)]
pub(super) struct Staff {
    /// The worker, with `start_place` and `end_place` still 0.
    pub worker: Worker,
    /// Where they live.
    pub home: Point,
    /// Their shift pattern.
    pub pattern: Pattern,
}

/// `count` workers with exact shares of patterns and modes, each skill held by at least
/// [`SKILL_COVER`] workers of every pattern.
pub(super) fn staff(rng: &mut ChaCha8Rng, count: usize) -> Vec<Staff> {
    let patterns = quotas(rng, count, &PATTERNS);
    let modes = quotas(rng, count, &MODES);
    let width = count.to_string().len().max(3);
    let mut all: Vec<Staff> = (0..count)
        .map(|index| {
            let id = format!("wkr_{:0width$}", index + 1);
            one(rng, id, patterns[index], modes[index])
        })
        .collect();
    cover_skills(rng, &mut all);
    all
}

/// One worker.
fn one(rng: &mut ChaCha8Rng, id: String, pattern: Pattern, mode: Mode) -> Staff {
    let home = match mode {
        Mode::Car => anywhere(rng, PATCH_RADIUS + 1.0),
        Mode::Bike => near(rng, Point::CENTRE, 1.5, PATCH_RADIUS),
        Mode::Foot => near(rng, Point::CENTRE, 0.7, PATCH_RADIUS),
    };
    let skills = SKILLS
        .iter()
        .zip(SKILL_SHARES)
        .filter(|(_, share)| chance(rng, *share))
        .map(|(skill, _)| (*skill).to_owned())
        .collect();
    let contracted_time = pattern.contracted_time();
    let guaranteed_time = if chance(rng, GUARANTEED_SHARE) {
        GUARANTEED_PART * contracted_time
    } else {
        0.0
    };
    let worker = Worker {
        id,
        start_place: 0,
        end_place: 0,
        shift: pattern.shift(),
        breaks: pattern.breaks(),
        max_working_time: Some(pattern.max_working_time()),
        contracted_time,
        guaranteed_time,
        mode,
        skills,
        capacity: None,
        fixed_cost: 1.0,
    };
    Staff {
        worker,
        home,
        pattern,
    }
}

/// Gives skills to random workers until every pattern has [`SKILL_COVER`] workers holding each
/// combination of skills a visit may need (any non-empty set of [`SKILLS`]).
fn cover_skills(rng: &mut ChaCha8Rng, all: &mut [Staff]) {
    let combinations = (1..1usize << SKILLS.len()).map(|mask| {
        let chosen = SKILLS
            .iter()
            .enumerate()
            .filter(move |(bit, _)| mask & (1 << bit) != 0);
        chosen.map(|(_, skill)| *skill).collect::<Vec<&str>>()
    });
    for needed in combinations {
        for (pattern, _) in PATTERNS {
            let on: Vec<usize> = (0..all.len())
                .filter(|index| all[*index].pattern == pattern)
                .collect();
            let (holders, mut without): (Vec<usize>, Vec<usize>) = on
                .into_iter()
                .partition(|index| holds(&all[*index], &needed));
            for _ in holders.len()..SKILL_COVER {
                if without.is_empty() {
                    break;
                }
                let chosen = without.swap_remove(rng.random_range(0..without.len()));
                grant(&mut all[chosen].worker.skills, &needed);
            }
        }
    }
}

/// Adds the `needed` skills the worker lacks, keeping the skills in [`SKILLS`] order.
fn grant(skills: &mut Vec<String>, needed: &[&str]) {
    for skill in needed {
        if !skills.iter().any(|held| held == skill) {
            skills.push((*skill).to_owned());
        }
    }
    skills.sort_by_key(|held| SKILLS.iter().position(|known| known == held));
}

fn holds(staff: &Staff, needed: &[&str]) -> bool {
    needed
        .iter()
        .all(|skill| staff.worker.skills.iter().any(|held| held == skill))
}
