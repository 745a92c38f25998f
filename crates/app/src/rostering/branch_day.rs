//! What a branch-day's roster is made from: the branch, its care workers, the day's visits it
//! serves, the people and packages behind them, and who made those people's visits the week
//! before.

use std::collections::{BTreeSet, HashMap};

use homeward_domain::{
    Branch, BranchId, CarePackage, CareWorker, PackageId, Person, PersonId, Visit, WorkerId,
};
use homeward_store::{Store, VisitFilter};
use jiff::civil::Date;

use super::RosterError;

/// Days before a branch-day whose carers count as known to the person ("who did the visits
/// last week").
pub const KNOWN_CARER_DAYS: i64 = 7;

/// Everything a branch-day's roster is made from.
#[derive(Debug, Clone)]
pub struct BranchDay {
    /// The branch.
    pub branch: Branch,
    /// The local date.
    pub date: Date,
    /// The branch's care workers, by name.
    pub workers: Vec<CareWorker>,
    /// The day's planned visits of the branch's provider whose person the branch serves (its
    /// provider's branch nearest them), in order of start.
    pub visits: Vec<Visit>,
    /// The people visited.
    pub people: HashMap<PersonId, Person>,
    /// The packages the visits come from.
    pub packages: HashMap<PackageId, CarePackage>,
    /// For each person, the branch's care workers who made (or were rostered to make) their
    /// visits over the [`KNOWN_CARER_DAYS`] before.
    pub known_carers: HashMap<PersonId, BTreeSet<WorkerId>>,
}

impl BranchDay {
    /// Gathers the branch-day from the store. An unknown branch is [`RosterError::NotFound`].
    pub async fn load(
        store: &dyn Store,
        branch_id: &BranchId,
        date: Date,
    ) -> Result<BranchDay, RosterError> {
        let branches = store.branches().await?;
        let branch = branches
            .iter()
            .find(|branch| &branch.id == branch_id)
            .cloned()
            .ok_or_else(|| RosterError::NotFound(format!("branch {branch_id}")))?;
        let siblings: Vec<&Branch> = branches
            .iter()
            .filter(|other| other.provider_id == branch.provider_id)
            .collect();
        let mut workers: Vec<CareWorker> = store
            .workers()
            .await?
            .into_iter()
            .filter(|worker| worker.branch_id == branch.id)
            .collect();
        workers.sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
        let people: HashMap<PersonId, Person> = store
            .people()
            .await?
            .into_iter()
            .map(|person| (person.id.clone(), person))
            .collect();
        // The branch serves the people its provider's nearest branch to them is.
        let serves = |person: &PersonId| {
            people.get(person).is_some_and(|person| {
                Branch::nearest(siblings.iter().copied(), person.location)
                    .is_some_and(|nearest| nearest.id == branch.id)
            })
        };
        let day = VisitFilter {
            provider_id: Some(branch.provider_id.clone()),
            planned_only: true,
            ..VisitFilter::between(date, date)
        };
        let visits: Vec<Visit> = store
            .visits(&day)
            .await?
            .into_iter()
            .filter(|visit| serves(&visit.dated.person_id))
            .collect();
        let wanted: BTreeSet<&PackageId> =
            visits.iter().map(|visit| &visit.dated.package_id).collect();
        let packages = store
            .packages()
            .await?
            .into_iter()
            .filter(|package| wanted.contains(&package.id))
            .map(|package| (package.id.clone(), package))
            .collect();
        let known_carers = known_carers(store, &branch, &workers, &visits, date).await?;
        let visited: BTreeSet<&PersonId> =
            visits.iter().map(|visit| &visit.dated.person_id).collect();
        let people = people
            .into_iter()
            .filter(|(id, _)| visited.contains(id))
            .collect();
        Ok(BranchDay {
            branch,
            date,
            workers,
            visits,
            people,
            packages,
            known_carers,
        })
    }

    /// The care worker with this id, if the branch employs them.
    pub fn worker(&self, id: &WorkerId) -> Option<&CareWorker> {
        self.workers.iter().find(|worker| &worker.id == id)
    }

    /// The visit with this id, if it is one of the day's.
    pub fn visit(&self, id: &homeward_domain::VisitId) -> Option<&Visit> {
        self.visits.iter().find(|visit| &visit.id == id)
    }
}

/// Who made, or was rostered to make, the visits of the day's people over the week before:
/// the care workers of call events, and of roster stops, of the provider's visits then.
async fn known_carers(
    store: &dyn Store,
    branch: &Branch,
    workers: &[CareWorker],
    visits: &[Visit],
    date: Date,
) -> Result<HashMap<PersonId, BTreeSet<WorkerId>>, RosterError> {
    let (Some(from), Some(until)) = (
        date.checked_sub(jiff::Span::new().days(KNOWN_CARER_DAYS))
            .ok(),
        date.yesterday().ok(),
    ) else {
        return Ok(HashMap::new());
    };
    let week = VisitFilter {
        provider_id: Some(branch.provider_id.clone()),
        ..VisitFilter::between(from, until)
    };
    let person_of: HashMap<_, _> = store
        .visits(&week)
        .await?
        .into_iter()
        .map(|visit| (visit.id, visit.dated.person_id))
        .collect();
    let ours: BTreeSet<&WorkerId> = workers.iter().map(|worker| &worker.id).collect();
    let today: BTreeSet<&PersonId> = visits.iter().map(|visit| &visit.dated.person_id).collect();
    let mut known: HashMap<PersonId, BTreeSet<WorkerId>> = HashMap::new();
    let made = store
        .call_timings_of(&week)
        .await?
        .into_iter()
        .map(|event| (event.visit_id, event.worker_id));
    let rostered = store
        .roster_stops_of(&week, false)
        .await?
        .into_iter()
        .map(|stop| (stop.visit_id, stop.worker_id));
    for (visit, worker) in made.chain(rostered) {
        let Some(person) = person_of.get(&visit) else {
            continue;
        };
        if ours.contains(&worker) && today.contains(person) {
            known.entry(person.clone()).or_default().insert(worker);
        }
    }
    Ok(known)
}
