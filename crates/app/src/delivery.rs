//! A simulated history of delivered care, for the demo: who made each past visit, and when they
//! checked in and out, so that call monitoring, invoices and fair-work figures have something to
//! show on the day the demo is built.
//!
//! Each person has two or three regular carers at the branch that serves them (their
//! provider's nearest); most visits are made by the first, some by the second, a few by anyone
//! else at the branch. A visit on a roster is made by its rostered carer. Of every hundred
//! visits, about 85 begin within ten minutes of the plan, 7 are late by half an hour or more,
//! 3 are missed (nobody checks in), 1 has no check-out and 4 are short calls. Nothing after
//! `now` is made up. Everything is drawn from a stream seeded by the seed and the visit, so the
//! same seed gives the same history.

use std::collections::{BTreeMap, HashMap};

use homeward_domain::{
    Branch, CallEvent, CallEventKind, CallNote, CareTask, CareWorker, Coordinates, EventKey,
    PersonId, ProviderId, Visit, VisitId, WorkerId, london,
};
use homeward_store::{Store, StoreError, VisitFilter};
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use rand::Rng;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// What the simulation made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DeliveryReport {
    /// Past visits seen.
    pub visits: usize,
    /// Check-ins and check-outs stored.
    pub events: usize,
    /// Visits begun late.
    pub late: usize,
    /// Visits nobody checked in to.
    pub missed: usize,
    /// Short calls.
    pub short: usize,
}

/// What happens at a visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    OnTime,
    Late,
    Missed,
    NoCheckOut,
    Short,
}

fn outcome(rng: &mut ChaCha8Rng) -> Outcome {
    match rng.random_range(0..100) {
        0..85 => Outcome::OnTime,
        85..92 => Outcome::Late,
        92..95 => Outcome::Missed,
        95..96 => Outcome::NoCheckOut,
        _ => Outcome::Short,
    }
}

/// A 64-bit FNV-1a hash: a stable seed from an id (the standard hasher may change between
/// releases, which would change the demo).
fn stable_hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn stream(seed: u64, id: &str) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed ^ stable_hash(id))
}

/// Notes care workers leave now and then.
const NOTES: &[&str] = &[
    "Ate well and in good spirits.",
    "Prescription collected from the pharmacy.",
    "Asked about the time of Friday's visit.",
    "A little unsteady this morning; sat with them a while.",
    "Daughter visited; nothing to report.",
];

/// Simulates the delivery of every planned visit from local date `from` that began before
/// `now`, and stores the check-ins and check-outs, one day to a transaction. Visits of `leave_out`
/// today are left for that care worker to check in to (the demo's own care worker).
pub async fn simulate_delivery(
    store: &dyn Store,
    seed: u64,
    from: Date,
    now: Timestamp,
    leave_out: Option<&WorkerId>,
    actor: &str,
) -> Result<DeliveryReport, StoreError> {
    let today = now.to_zoned(london().clone()).date();
    let (branches, workers, people) =
        tokio::try_join!(store.branches(), store.workers(), store.people())?;
    let location: HashMap<&PersonId, Coordinates> = people
        .iter()
        .map(|person| (&person.id, person.location))
        .collect();
    let mut staff: HashMap<&homeward_domain::BranchId, Vec<&CareWorker>> = HashMap::new();
    for worker in &workers {
        staff.entry(&worker.branch_id).or_default().push(worker);
    }
    let mut provider_branches: HashMap<&ProviderId, Vec<&Branch>> = HashMap::new();
    for branch in &branches {
        provider_branches
            .entry(&branch.provider_id)
            .or_default()
            .push(branch);
    }
    let rostered: HashMap<(VisitId, u8), WorkerId> = store
        .roster_stops_of(&VisitFilter::between(from, today), true)
        .await?
        .into_iter()
        .map(|stop| ((stop.visit_id, stop.part), stop.worker_id))
        .collect();
    let mut regulars: HashMap<(ProviderId, PersonId), Vec<WorkerId>> = HashMap::new();
    let mut report = DeliveryReport::default();
    let mut date = from;
    while date <= today {
        let day = VisitFilter {
            planned_only: true,
            ..VisitFilter::between(date, date)
        };
        let mut events = Vec::new();
        for visit in store.visits(&day).await? {
            if visit.dated.starts_at >= now {
                continue;
            }
            let Some(&home) = location.get(&visit.dated.person_id) else {
                continue;
            };
            let key = (visit.provider_id.clone(), visit.dated.person_id.clone());
            let regular = regulars
                .entry(key)
                .or_insert_with(|| regular_carers(&visit, &provider_branches, &staff, home, seed));
            if regular.is_empty() {
                continue;
            }
            report.visits += 1;
            let mut rng = stream(seed, visit.id.as_str());
            let happened = outcome(&mut rng);
            match happened {
                Outcome::Late => report.late += 1,
                Outcome::Missed => report.missed += 1,
                Outcome::Short => report.short += 1,
                Outcome::OnTime | Outcome::NoCheckOut => {}
            }
            let carers = carers_for(
                &visit,
                regular,
                &rostered,
                &staff,
                &provider_branches,
                home,
                &mut rng,
            );
            if date == today && leave_out.is_some_and(|worker| carers.contains(worker)) {
                continue;
            }
            if happened == Outcome::Missed {
                continue;
            }
            let (arrived, left) = times(&visit, happened, &mut rng);
            for (part, worker) in carers.iter().enumerate() {
                let made =
                    |kind: CallEventKind, at: Timestamp, rng: &mut ChaCha8Rng| CallEvent {
                        key: EventKey::parse(
                            &format!("demo-{}-{part}-{}", visit.id, kind.code()),
                            "key",
                        )
                        .expect("a demo key is valid"),
                        visit_id: visit.id.clone(),
                        worker_id: worker.clone(),
                        kind,
                        at,
                        location: Some(home.offset_km(
                            rng.random_range(-0.03..0.03),
                            rng.random_range(-0.03..0.03),
                        )),
                        tasks: Default::default(),
                        note: None,
                    };
                if arrived > now {
                    continue;
                }
                let check_in = made(CallEventKind::CheckIn, arrived, &mut rng);
                events.push((check_in, arrived));
                if happened == Outcome::NoCheckOut || left > now {
                    continue;
                }
                let mut check_out = made(CallEventKind::CheckOut, left, &mut rng);
                check_out.tasks = tasks(&mut rng);
                if rng.random_range(0..10) == 0 {
                    check_out.note =
                        CallNote::parse(NOTES[rng.random_range(0..NOTES.len())], "note")
                            .expect("a demo note is valid");
                }
                events.push((check_out, left));
            }
        }
        report.events += store.import_call_events(&events, actor).await?;
        date = match date.tomorrow() {
            Ok(next) => next,
            Err(_) => break,
        };
    }
    Ok(report)
}

/// Two or three care workers of the branch that serves the person, drawn for the person.
fn regular_carers(
    visit: &Visit,
    provider_branches: &HashMap<&ProviderId, Vec<&Branch>>,
    staff: &HashMap<&homeward_domain::BranchId, Vec<&CareWorker>>,
    home: Coordinates,
    seed: u64,
) -> Vec<WorkerId> {
    let Some(branch) = provider_branches
        .get(&visit.provider_id)
        .and_then(|branches| Branch::nearest(branches.iter().copied(), home))
    else {
        return Vec::new();
    };
    let Some(team) = staff.get(&branch.id).filter(|team| !team.is_empty()) else {
        return Vec::new();
    };
    let mut rng = stream(seed, visit.dated.person_id.as_str());
    let mut chosen: Vec<WorkerId> = Vec::new();
    let wanted = rng.random_range(2..=3).min(team.len());
    while chosen.len() < wanted {
        let worker = &team[rng.random_range(0..team.len())].id;
        if !chosen.contains(worker) {
            chosen.push(worker.clone());
        }
    }
    chosen
}

/// Who makes each carer's part: the rostered carer, else mostly the person's first regular.
fn carers_for(
    visit: &Visit,
    regular: &[WorkerId],
    rostered: &HashMap<(VisitId, u8), WorkerId>,
    staff: &HashMap<&homeward_domain::BranchId, Vec<&CareWorker>>,
    provider_branches: &HashMap<&ProviderId, Vec<&Branch>>,
    home: Coordinates,
    rng: &mut ChaCha8Rng,
) -> Vec<WorkerId> {
    let mut carers: Vec<WorkerId> = Vec::new();
    for part in 0..visit.dated.carers {
        if let Some(worker) = rostered.get(&(visit.id.clone(), part)) {
            carers.push(worker.clone());
            continue;
        }
        let draw = rng.random_range(0..10);
        let mut pick = match draw {
            0..7 => regular[0].clone(),
            7..9 => regular[1 % regular.len()].clone(),
            _ => provider_branches
                .get(&visit.provider_id)
                .and_then(|branches| Branch::nearest(branches.iter().copied(), home))
                .and_then(|branch| staff.get(&branch.id))
                .map(|team| team[rng.random_range(0..team.len())].id.clone())
                .unwrap_or_else(|| regular[0].clone()),
        };
        // The second carer of a double-handed visit is someone else.
        if carers.contains(&pick) {
            match regular.iter().find(|worker| !carers.contains(worker)) {
                Some(other) => pick = other.clone(),
                None => continue,
            }
        }
        carers.push(pick);
    }
    carers
}

/// When the visit began and ended.
fn times(visit: &Visit, happened: Outcome, rng: &mut ChaCha8Rng) -> (Timestamp, Timestamp) {
    let planned = i64::from(visit.dated.duration_minutes);
    let (offset, length) = match happened {
        Outcome::Late => (
            rng.random_range(31..=75),
            planned + rng.random_range(-5..=2),
        ),
        Outcome::Short => (
            rng.random_range(-5..=10),
            planned * rng.random_range(35..=60) / 100,
        ),
        _ => (
            rng.random_range(-10..=10),
            planned + rng.random_range(-4..=3),
        ),
    };
    let arrived = visit.dated.starts_at
        + SignedDuration::from_mins(offset)
        + SignedDuration::from_secs(rng.random_range(0..60));
    (arrived, arrived + SignedDuration::from_mins(length.max(5)))
}

/// One to three tasks, personal care the likeliest.
fn tasks(rng: &mut ChaCha8Rng) -> std::collections::BTreeSet<CareTask> {
    let mut done = std::collections::BTreeSet::new();
    done.insert(if rng.random_range(0..4) == 0 {
        CareTask::MealOrDrink
    } else {
        CareTask::PersonalCare
    });
    for _ in 0..rng.random_range(0..=2) {
        done.insert(CareTask::ALL[rng.random_range(0..CareTask::ALL.len())]);
    }
    done
}

/// The branches, for [`roster_today`]: every branch with care workers, by id.
fn branches_with_staff(branches: &[Branch], workers: &[CareWorker]) -> Vec<Branch> {
    let staffed: std::collections::HashSet<_> =
        workers.iter().map(|worker| &worker.branch_id).collect();
    let mut found: BTreeMap<_, _> = BTreeMap::new();
    for branch in branches
        .iter()
        .filter(|branch| staffed.contains(&branch.id))
    {
        found.insert(branch.id.clone(), branch.clone());
    }
    found.into_values().collect()
}

/// Plans and publishes today's runs of every branch with care workers, with the engine's first
/// solution only (no search: the demo must start in seconds; a coordinator plans again for a
/// better one). Returns how many rosters it published.
pub async fn roster_today(
    store: &dyn Store,
    ids: &crate::Ids,
    now: Timestamp,
    actor: &str,
) -> Result<usize, crate::rostering::RosterError> {
    let today = now.to_zoned(london().clone()).date();
    let (branches, workers) = tokio::try_join!(store.branches(), store.workers())?;
    let settings = crate::rostering::PlanSettings {
        seconds_per_day: 0.0,
        iterations: Some(0),
        ..crate::rostering::PlanSettings::default()
    };
    let mut published = 0;
    for branch in branches_with_staff(&branches, &workers) {
        let roster =
            crate::rostering::plan_day(store, ids, &branch.id, today, &settings, now, actor)
                .await?;
        crate::rostering::publish(store, &roster.id, now, actor).await?;
        published += 1;
    }
    Ok(published)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_come_in_the_stated_shares() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for _ in 0..10_000 {
            let name = match outcome(&mut rng) {
                Outcome::OnTime => "on time",
                Outcome::Late => "late",
                Outcome::Missed => "missed",
                Outcome::NoCheckOut => "no check-out",
                Outcome::Short => "short",
            };
            *counts.entry(name).or_default() += 1;
        }
        let share = |name: &str| counts[name] as f64 / 100.0;
        assert!((share("on time") - 85.0).abs() < 1.5, "{counts:?}");
        assert!((share("late") - 7.0).abs() < 1.0, "{counts:?}");
        assert!((share("missed") - 3.0).abs() < 0.7, "{counts:?}");
        assert!((share("short") - 4.0).abs() < 0.8, "{counts:?}");
    }

    #[test]
    fn the_hash_is_stable() {
        // FNV-1a of "per_abcd", as any implementation of it gives.
        assert_eq!(stable_hash(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(stable_hash("a"), 0xaf63_dc4c_8601_ec8c);
    }
}
