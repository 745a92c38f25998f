//! The people visited and their visits: how many calls a day, when, how long, what skills,
//! and which are double-handed.

use rand::Rng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use super::draw::{chance, pick};
use super::town::{Neighbourhood, Point, home};
use super::{
    DOUBLE_SHARE, HOIST, LATENESS, MEDICATION, ORDERED_GAP, PEG, TOGETHER_TOLERANCE,
    WINDOW_HALF_WIDTH, clock,
};
use crate::{Link, SecondPart, Visit, Window};

/// The four calls of a UK home care day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Slot {
    /// Getting up: planned 07:30–10:00.
    Morning,
    /// Lunch: planned 12:00–13:00.
    Lunch,
    /// Tea: planned 16:30–17:30.
    Tea,
    /// Bed: planned 19:00–21:00.
    Bed,
}

impl Slot {
    /// Planned start times (minutes of the day) with their weights.
    fn planned(self) -> Vec<(f64, f64)> {
        let quarters = |hour: u32, minute: u32, weights: &[f64]| -> Vec<(f64, f64)> {
            weights
                .iter()
                .enumerate()
                .map(|(index, weight)| (clock(hour, minute) + 15.0 * index as f64, *weight))
                .collect()
        };
        match self {
            Slot::Morning => quarters(
                7,
                30,
                &[3.0, 4.0, 6.0, 6.0, 6.0, 5.0, 5.0, 4.0, 3.0, 2.0, 2.0],
            ),
            Slot::Lunch => quarters(12, 0, &[3.0, 3.0, 4.0, 3.0, 2.0]),
            Slot::Tea => quarters(16, 30, &[3.0, 4.0, 4.0, 3.0, 2.0]),
            Slot::Bed => quarters(19, 0, &[2.0, 3.0, 4.0, 4.0, 4.0, 3.0, 3.0, 2.0, 1.0]),
        }
    }

    /// Durations (minutes) with their weights: long personal care in the morning, short
    /// medication and meal calls later.
    fn durations(self) -> &'static [(f64, f64)] {
        match self {
            Slot::Morning => &[(15.0, 15.0), (30.0, 55.0), (45.0, 20.0), (60.0, 10.0)],
            Slot::Lunch => &[(15.0, 30.0), (30.0, 60.0), (45.0, 10.0)],
            Slot::Tea => &[(15.0, 35.0), (30.0, 60.0), (45.0, 5.0)],
            Slot::Bed => &[(15.0, 40.0), (30.0, 55.0), (45.0, 5.0)],
        }
    }

    /// Whether a person on medication support needs it prompted at this call.
    fn medication(self) -> bool {
        self != Slot::Tea
    }
}

/// Calls a day per person, with weights.
const CALLS: [(usize, f64); 4] = [(1, 20.0), (2, 30.0), (3, 25.0), (4, 25.0)];
/// Share of people on medication support.
const MEDICATION_SHARE: f64 = 0.40;
/// Share of people fed through a PEG tube.
const PEG_SHARE: f64 = 0.03;
/// Share of double-handed people whose two carers work in two stages (ordered) rather than
/// together.
const ORDERED_SHARE: f64 = 0.15;

/// How a double-handed person's two carers work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Pair {
    /// Both at once (hoist transfers).
    Together,
    /// The second arrives after the first has started (two-stage care).
    Ordered,
}

/// A person and their calls, before places are numbered.
#[derive(Debug, Clone)]
pub(super) struct Person {
    /// Where they live.
    pub home: Point,
    /// Their visits, in the order of the day; `place` still 0, no `preferred` yet.
    pub visits: Vec<Visit>,
    /// Whether their calls are double-handed, and how.
    pub pair: Option<Pair>,
}

/// People with `total` visits between them, exactly; a share of 10–15% of the visits
/// double-handed (every call of the people who need two carers).
pub(super) fn people(
    rng: &mut ChaCha8Rng,
    total: usize,
    neighbourhoods: &[Neighbourhood],
) -> Vec<Person> {
    let calls = call_counts(rng, total);
    let pairs = pairs(rng, &calls, total);
    let width = calls.len().to_string().len().max(3);
    let mut numbered = 0;
    calls
        .iter()
        .zip(pairs)
        .enumerate()
        .map(|(index, (count, pair))| {
            let id = format!("per_{:0width$}", index + 1);
            let person = person(rng, id, *count, pair, neighbourhoods, numbered);
            numbered += count;
            person
        })
        .collect()
}

/// Calls per person, adding up to `total`.
fn call_counts(rng: &mut ChaCha8Rng, total: usize) -> Vec<usize> {
    let mut counts = Vec::new();
    let mut left = total;
    while left > 0 {
        let count = (*pick(rng, &CALLS)).min(left);
        counts.push(count);
        left -= count;
    }
    counts
}

/// Which people are double-handed: people taken in random order while their calls fit into
/// a target of [`DOUBLE_SHARE`] of all visits.
fn pairs(rng: &mut ChaCha8Rng, calls: &[usize], total: usize) -> Vec<Option<Pair>> {
    let share = rng.random_range(DOUBLE_SHARE.0..DOUBLE_SHARE.1);
    let mut left = (share * total as f64).round() as usize;
    let mut order: Vec<usize> = (0..calls.len()).collect();
    order.shuffle(rng);
    let mut pairs = vec![None; calls.len()];
    for index in order {
        if calls[index] <= left {
            left -= calls[index];
            let ordered = chance(rng, ORDERED_SHARE);
            pairs[index] = Some(if ordered {
                Pair::Ordered
            } else {
                Pair::Together
            });
        }
    }
    pairs
}

/// Which calls a person with `count` calls a day has.
fn slots(rng: &mut ChaCha8Rng, count: usize) -> Vec<Slot> {
    use Slot::{Bed, Lunch, Morning, Tea};
    let patterns: &[(&[Slot], f64)] = match count {
        1 => &[
            (&[Morning], 50.0),
            (&[Lunch], 20.0),
            (&[Tea], 15.0),
            (&[Bed], 15.0),
        ],
        2 => &[
            (&[Morning, Bed], 55.0),
            (&[Morning, Tea], 25.0),
            (&[Lunch, Bed], 20.0),
        ],
        3 => &[(&[Morning, Lunch, Bed], 65.0), (&[Morning, Tea, Bed], 35.0)],
        _ => &[(&[Morning, Lunch, Tea, Bed], 1.0)],
    };
    pick(rng, patterns).to_vec()
}

/// One person with `count` calls; their visits are numbered from `first` (0-based).
fn person(
    rng: &mut ChaCha8Rng,
    id: String,
    count: usize,
    pair: Option<Pair>,
    neighbourhoods: &[Neighbourhood],
    first: usize,
) -> Person {
    let home = home(rng, neighbourhoods);
    let medication = chance(rng, MEDICATION_SHARE);
    let peg = chance(rng, PEG_SHARE);
    let visits = slots(rng, count)
        .into_iter()
        .enumerate()
        .map(|(index, slot)| {
            let needs = Needs {
                medication: medication && slot.medication(),
                peg,
                pair,
            };
            visit(
                rng,
                format!("vis_{:04}", first + index + 1),
                &id,
                slot,
                needs,
            )
        })
        .collect();
    Person { home, visits, pair }
}

/// What one call needs besides its time.
#[derive(Debug, Clone, Copy)]
struct Needs {
    medication: bool,
    peg: bool,
    pair: Option<Pair>,
}

/// One visit at `slot`.
fn visit(rng: &mut ChaCha8Rng, id: String, person: &str, slot: Slot, needs: Needs) -> Visit {
    let planned = *pick(rng, &slot.planned());
    let mut duration = *pick(rng, slot.durations());
    let mut skills: Vec<String> = Vec::new();
    if needs.medication {
        skills.push(MEDICATION.to_owned());
    }
    if needs.peg {
        skills.push(PEG.to_owned());
    }
    let time_critical = !skills.is_empty();
    let (carers, link, second) = match needs.pair {
        None => (1, None, None),
        Some(Pair::Together) => together(&mut skills),
        Some(Pair::Ordered) => {
            duration = duration.max(30.0);
            ordered(duration)
        }
    };
    Visit {
        id,
        place: 0,
        person: Some(person.to_owned()),
        window: Window::new(planned - WINDOW_HALF_WIDTH, planned + WINDOW_HALF_WIDTH),
        max_lateness: Some(LATENESS),
        duration,
        skills,
        carers,
        link,
        second,
        preferred: Vec::new(),
        excluded: Vec::new(),
        priority: if time_critical { 2.0 } else { 1.0 },
        demand: 0.0,
    }
}

/// A hoist transfer: both carers at once, both trained on the hoist; only the first needs the
/// person's other skills.
fn together(skills: &mut Vec<String>) -> (u8, Option<Link>, Option<SecondPart>) {
    let second = (!skills.is_empty()).then(|| SecondPart {
        skills: Some(vec![HOIST.to_owned()]),
        duration: None,
    });
    skills.push(HOIST.to_owned());
    let link = Link::Together {
        tolerance: TOGETHER_TOLERANCE,
    };
    (2, Some(link), second)
}

/// Two-stage care: the first carer starts (washing, medication), the second arrives
/// [`ORDERED_GAP`] later for the hoist transfer and stays half as long.
fn ordered(duration: f64) -> (u8, Option<Link>, Option<SecondPart>) {
    let second = SecondPart {
        skills: Some(vec![HOIST.to_owned()]),
        duration: Some((duration / 2.0 / 15.0).ceil() * 15.0),
    };
    let link = Link::Ordered {
        min_gap: ORDERED_GAP.0,
        max_gap: ORDERED_GAP.1,
    };
    (2, Some(link), Some(second))
}
