//! A care worker's runs over a span of days, with each visit and person: for their page, their
//! phone and their calendar. The caller has already checked that the account may see the
//! worker (`visibility::worker`); a care worker sees only published rosters, their provider's
//! coordinators drafts too.

use std::collections::{HashMap, HashSet};

use homeward_domain::{Account, BranchId, Person, Role, RosterStop, Visit, VisitStatus, WorkerId};
use homeward_store::{Store, StoreError, VisitFilter};
use jiff::civil::Date;

/// One visit of a care worker's run.
#[derive(Debug, Clone)]
pub struct RunStop {
    /// The stop on the roster.
    pub stop: RosterStop,
    /// The visit.
    pub visit: Visit,
    /// Who is visited.
    pub person: Person,
    /// Whether the roster is published (the care worker has it).
    pub published: bool,
}

/// The runs of `worker` (of `branch`) on local dates `from` to `until`, in order of start, as
/// `account` may see them; cancelled visits are left out.
pub async fn of_worker(
    store: &dyn Store,
    account: &Account,
    worker: &WorkerId,
    branch: &BranchId,
    from: Date,
    until: Date,
) -> Result<Vec<RunStop>, StoreError> {
    let published_stops = store.worker_stops(worker, from, until, true).await?;
    let published: HashSet<_> = published_stops
        .iter()
        .map(|stop| (stop.visit_id.clone(), stop.part))
        .collect();
    let stops = if account.role == Role::CareWorker {
        published_stops
    } else {
        store.worker_stops(worker, from, until, false).await?
    };
    if stops.is_empty() {
        return Ok(Vec::new());
    }
    let Some(provider) = store.branch(branch).await?.map(|branch| branch.provider_id) else {
        return Ok(Vec::new());
    };
    let filter = VisitFilter {
        provider_id: Some(provider),
        ..VisitFilter::between(
            from.yesterday().unwrap_or(from),
            until.tomorrow().unwrap_or(until),
        )
    };
    let visits: HashMap<_, _> = store
        .visits(&filter)
        .await?
        .into_iter()
        .map(|visit| (visit.id.clone(), visit))
        .collect();
    let people: HashMap<_, _> = store
        .people()
        .await?
        .into_iter()
        .map(|person| (person.id.clone(), person))
        .collect();
    Ok(stops
        .into_iter()
        .filter_map(|stop| {
            let visit = visits.get(&stop.visit_id)?.clone();
            if visit.status != VisitStatus::Planned {
                return None;
            }
            let person = people.get(&visit.dated.person_id)?.clone();
            let published = published.contains(&(stop.visit_id.clone(), stop.part));
            Some(RunStop {
                stop,
                visit,
                person,
                published,
            })
        })
        .collect())
}

/// Days before today a care worker's calendar reaches back, and days ahead it reaches.
pub const CALENDAR_DAYS_BEFORE: i64 = 7;
/// See [`CALENDAR_DAYS_BEFORE`].
pub const CALENDAR_DAYS_AHEAD: i64 = 28;

/// The published runs of care worker `id` for their calendar, from a week before `today` to
/// four weeks after it, if `account` may see the worker (`None` otherwise, which callers answer
/// as not found). Drafts are left out even for coordinators: a calendar is what the worker has
/// been given.
pub async fn calendar_of(
    store: &dyn Store,
    account: &Account,
    id: &WorkerId,
    today: Date,
) -> Result<Option<Vec<RunStop>>, StoreError> {
    let Some(worker) = crate::visibility::worker(store, account, id).await? else {
        return Ok(None);
    };
    let span = |days: i64| {
        today
            .checked_add(jiff::Span::new().days(days))
            .unwrap_or(today)
    };
    let runs = of_worker(
        store,
        account,
        &worker.id,
        &worker.branch_id,
        span(-CALENDAR_DAYS_BEFORE),
        span(CALENDAR_DAYS_AHEAD),
    )
    .await?;
    Ok(Some(runs.into_iter().filter(|run| run.published).collect()))
}
