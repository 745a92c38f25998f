//! A generated day of a UK home care branch, for tests and benchmarks of the engine.
//!
//! [`branch_day`] makes one deterministic [`Problem`] per seed: the care workers of one branch
//! in an English town (around Nottingham's centre, 52.95° N 1.15° W) and the visits they are to
//! make on one day. Times are minutes of the day (`480.0` is 08:00).
//!
//! What it models, with the figures used:
//!
//! * **Town.** A town centre and seven neighbourhoods 1.4–3.3 km out; people's homes cluster
//!   around them (15% anywhere), all within 4 km of the centre, so about 8 km across.
//!   [`Travel::Geographic`] with a detour factor of 1.3 and the default speeds (car 30, bike
//!   14, foot 4.8 km/h).
//! * **People** (about 165 for the default size) have 1–4 calls a day (weights 20/30/25/25):
//!   a getting-up call planned 07:30–10:00, lunch 12:00–13:00, tea 16:30–17:30 and bed
//!   19:00–21:00, at quarter hours, most around 08:30 and 20:00. One call is usually the morning; two are morning and bed
//!   (or tea), or lunch and bed; three add lunch or tea; four are all. Durations are 15, 30,
//!   45 or 60 minutes, longer in the morning (personal care: mostly 30 or 45) than later (bed
//!   calls mostly 15 or 30).
//! * **Windows** run 30 minutes either side of the planned time (an hour in all), with a
//!   `max_lateness` of 30 minutes beyond: the latest a call may start is an hour after it was
//!   planned, the point at which a branch would ring the person. Because morning calls are
//!   planned from 07:30 and bed calls until 21:00, every window lies inside some shift.
//! * **Skills.** `medication` for the 40% of people on medication support (every call but tea;
//!   such calls are time-critical, priority 2), `peg` for the 3% fed through a PEG tube (every
//!   call, priority 2), `hoist` for double-handed calls.
//! * **Double-handed.** Every call of the people who need two carers, 11–14% of all visits
//!   (so always within 10–15%). Most (85%) are hoist transfers: both carers together within 5
//!   minutes, both hoist-trained, only the first needing the person's other skills. The rest
//!   are two-stage: the first carer starts, the second (hoist-trained) arrives 15–30 minutes
//!   later and stays half as long.
//! * **Workers.** 65% drive, 20% walk, 15% cycle (exact quotas); drivers live anywhere within
//!   5 km, cyclists and walkers nearer the centre; each starts and ends at home. Shift
//!   patterns: 35% morning (07:00–14:00), 35% evening (16:00–22:00), 30% long day (07:00–22:00,
//!   a split shift over both peaks with a 30-minute break starting 11:30–14:30, but at most 14
//!   hours from leaving home to getting back, so not from the first call to the last).
//!   Contracted time 6, 5 and 9 hours; 55% are on guaranteed-hours contracts guaranteeing 80%
//!   of it, the rest on zero-hours contracts. Skills: medication 70%, hoist 55%, PEG 20%, topped
//!   up so that each pattern has at least two workers holding every combination of them.
//! * **Continuity.** Each person's `preferred` carers are the 1–3 workers (at least 2 for
//!   double-handed people) who saw them last week, drawn among workers whose shift covers one
//!   of their calls and who hold its skills, nearer workers likelier. 3% of people have
//!   `excluded` one other such worker.
//!
//! The default size is a stretched but workable branch: the morning and bed-time peaks fill
//! most of the workforce, the greedy baseline ([`crate::greedy`]) leaves a few percent of the
//! visits unmade, and a good solver nearly none. About 8–9 visits per worker is what these
//! shift patterns carry; more leaves visits unmade whatever the solver.
//!
//! Places are numbered people first (place `i` is the `i`-th person's home), then workers'
//! homes. Weights are the home care defaults ([`crate::Weights::default`]).

mod continuity;
mod draw;
mod people;
mod town;
mod workers;

use crate::{Problem, Speeds, Travel, Visit, Weights, Worker};

/// How big a branch day to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BranchSize {
    /// Care workers on shift.
    pub workers: usize,
    /// Visits (double-handed visits count once).
    pub visits: usize,
}

impl Default for BranchSize {
    /// A mid-sized branch: 50 workers and 420 visits.
    fn default() -> Self {
        Self {
            workers: 50,
            visits: 420,
        }
    }
}

/// Skills used by the generator: medication, hoist, PEG feeding.
pub(crate) const SKILLS: [&str; 3] = [MEDICATION, HOIST, PEG];
/// Administering or prompting medication.
const MEDICATION: &str = "medication";
/// Trained on the hoist (moving and handling).
const HOIST: &str = "hoist";
/// PEG (tube) feeding.
const PEG: &str = "peg";
/// Half the width of a visit's window around its planned time, in minutes.
const WINDOW_HALF_WIDTH: f64 = 30.0;
/// How late after its window a visit may still start, in minutes.
const LATENESS: f64 = 30.0;
/// Range of the share of visits that are double-handed.
const DOUBLE_SHARE: (f64, f64) = (0.11, 0.14);
/// Largest difference between two carers' starts working together, in minutes.
const TOGETHER_TOLERANCE: f64 = 5.0;
/// Gap between the first and second carer's starts in two-stage care, in minutes.
const ORDERED_GAP: (f64, f64) = (15.0, 30.0);
/// Road distance over straight-line distance.
const DETOUR_FACTOR: f64 = 1.3;

/// Minutes of the day at `hour:minute`.
fn clock(hour: u32, minute: u32) -> f64 {
    f64::from(hour * 60 + minute)
}

/// One day of a home care branch, the same for the same seed and size (see the module docs
/// for what it models).
pub fn branch_day(seed: u64, size: BranchSize) -> Problem {
    let neighbourhoods = town::neighbourhoods(&mut draw::stream(seed, "town"));
    let staff = workers::staff(&mut draw::stream(seed, "workers"), size.workers);
    let mut people = people::people(
        &mut draw::stream(seed, "people"),
        size.visits,
        &neighbourhoods,
    );
    continuity::assign(&mut draw::stream(seed, "continuity"), &mut people, &staff);
    assemble(seed, &people, &staff)
}

/// Numbers the places and puts the problem together.
fn assemble(seed: u64, people: &[people::Person], staff: &[workers::Staff]) -> Problem {
    let mut places: Vec<[f64; 2]> = people.iter().map(|person| person.home.degrees()).collect();
    let workers: Vec<Worker> = staff
        .iter()
        .map(|member| {
            places.push(member.home.degrees());
            Worker {
                start_place: places.len() - 1,
                end_place: places.len() - 1,
                ..member.worker.clone()
            }
        })
        .collect();
    let visits: Vec<Visit> = people
        .iter()
        .enumerate()
        .flat_map(|(place, person)| {
            person.visits.iter().map(move |visit| Visit {
                place,
                ..visit.clone()
            })
        })
        .collect();
    Problem {
        name: format!("branch-day-{seed}"),
        travel: Travel::Geographic {
            places,
            detour_factor: DETOUR_FACTOR,
            speeds: Speeds::default(),
        },
        workers,
        visits,
        weights: Weights::default(),
    }
}

#[cfg(test)]
mod tests;
