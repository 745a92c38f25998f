//! Fair work figures over real databases: a month of two providers' visits, check-ins and
//! rosters built through the store, and each provider's figures worked out by hand.

use homeward_app::Ids;
use homeward_app::corrections::{self, CorrectionRequest};
use homeward_app::fair_work::{ProviderFairWork, fair_work};
use homeward_app::testing::largest_providers;
use homeward_domain::fair_work::{CalendarMonth, Continuity, Share, Travel, TravelPay};
use homeward_domain::{
    CallEvent, CallEventKind, CallNote, CorrectionReason, DatedVisit, EventKey, Market, ProviderId,
    Roster, RosterId, RosterStatus, RosterStop, Visit, VisitId, VisitStatus, WorkerId,
    london_instant,
};
use homeward_store::testing::TestDatabase;
use homeward_store::{Backend, Store, VisitChanges};
use jiff::civil::{Date, Time};
use jiff::{SignedDuration, Timestamp};

fn june() -> CalendarMonth {
    CalendarMonth::parse("2026-06", "month").unwrap()
}

/// 1 July 2026: June is over.
fn after_june() -> Timestamp {
    "2026-07-01T09:00:00Z".parse().unwrap()
}

/// Before June began, when the visits were planned.
fn planned_at() -> Timestamp {
    "2026-05-20T09:00:00Z".parse().unwrap()
}

/// A provider's first package (by id), its first care workers (by id) and one of its branches.
struct Provider {
    id: ProviderId,
    package: homeward_domain::CarePackage,
    workers: Vec<WorkerId>,
    branch: homeward_domain::BranchId,
}

fn provider(market: &Market, id: &ProviderId) -> Provider {
    let package = market
        .packages
        .iter()
        .filter(|package| package.provider_id.as_ref() == Some(id))
        .min_by_key(|package| package.id.clone())
        .unwrap()
        .clone();
    let branches: Vec<_> = market
        .branches
        .iter()
        .filter(|branch| &branch.provider_id == id)
        .map(|branch| branch.id.clone())
        .collect();
    let mut workers: Vec<WorkerId> = market
        .workers
        .iter()
        .filter(|worker| branches.contains(&worker.branch_id))
        .map(|worker| worker.id.clone())
        .collect();
    workers.sort();
    Provider {
        id: id.clone(),
        package,
        workers: workers.into_iter().take(3).collect(),
        branch: branches[0].clone(),
    }
}

fn visit(
    provider: &Provider,
    suffix: &str,
    date: Date,
    hour: i8,
    minutes: u16,
    carers: u8,
) -> Visit {
    let local_start = Time::constant(hour, 0, 0, 0);
    Visit {
        id: VisitId::from_suffix(&format!("fw-{suffix}")).unwrap(),
        provider_id: provider.id.clone(),
        dated: DatedVisit {
            package_id: provider.package.id.clone(),
            person_id: provider.package.person_id.clone(),
            date,
            local_start,
            starts_at: london_instant(date, local_start),
            duration_minutes: minutes,
            carers,
        },
        status: VisitStatus::Planned,
    }
}

/// A check-in at the visit's start and, when `lasted` is given, a check-out that long after.
async fn came(store: &dyn Store, visit: &Visit, worker: &WorkerId, lasted: Option<i64>) {
    let event = |kind: CallEventKind, at: Timestamp| CallEvent {
        key: EventKey::parse(&format!("{}-{}-{}", visit.id, worker, kind.code()), "key").unwrap(),
        visit_id: visit.id.clone(),
        worker_id: worker.clone(),
        kind,
        at,
        location: None,
        tasks: Default::default(),
        note: None,
    };
    let arrived = visit.dated.starts_at;
    store
        .record_call_event(&event(CallEventKind::CheckIn, arrived), arrived, "test")
        .await
        .unwrap();
    if let Some(minutes) = lasted {
        let left = arrived + SignedDuration::from_mins(minutes);
        store
            .record_call_event(&event(CallEventKind::CheckOut, left), left, "test")
            .await
            .unwrap();
    }
}

fn stop(visit: &Visit, part: u8, worker: &WorkerId, travel_minutes: u16) -> RosterStop {
    RosterStop {
        visit_id: visit.id.clone(),
        part,
        worker_id: worker.clone(),
        starts_at: visit.dated.starts_at,
        travel_minutes,
    }
}

async fn roster(
    store: &dyn Store,
    suffix: &str,
    branch: &homeward_domain::BranchId,
    date: Date,
    status: RosterStatus,
    stops: Vec<RosterStop>,
) {
    let at = planned_at();
    let roster = Roster {
        id: RosterId::from_suffix(suffix).unwrap(),
        branch_id: branch.clone(),
        date,
        status,
        changed_at: at,
        published_at: (status == RosterStatus::Published).then_some(at),
        stops,
        unmade: vec![],
    };
    store.save_roster(&roster, "plan", "test").await.unwrap();
}

fn day(number: i8) -> Date {
    Date::constant(2026, 6, number)
}

/// Provider A's June, worked by hand (one person; workers sam, kim and lee are A's first three):
///
/// | visit | day  | planned | carers | checked in or out | lasted | published roster (travel) |
/// |-------|------|---------|--------|-------------------|--------|---------------------------|
/// | a1    | 1st  | 15      | 1      | sam               | 12     | sam (10)                  |
/// | a2    | 2nd  | 30      | 1      | sam               | 31     | sam (4)                   |
/// | a3    | 2nd  | 45      | 2      | —                 | —      | kim (6), lee (8)          |
/// | a4    | 3rd  | 20      | 1      | lee (in only)     | 20 (corrected) | sam (0)           |
/// | a5    | 30th | 60      | 1      | —                 | —      | draft only (kim, 40)      |
/// | a6    | 4th  | 15      | 1      | cancelled         |        |                           |
/// | a7    | 1 July | 15    | 1      | (another month)   |        |                           |
///
/// Visits: a1–a5 = 5. Planned 15 or less: a1 = 1 of 5; under 30: a1, a4 = 2 of 5.
/// Lasted (verified a1, a2, and a4 by the coordinator's correction of its times): 15 or less
/// a1 = 1 of 3; under 30 a1, a4 = 2 of 3.
/// Travel on published rosters: 10 + 4 + 6 + 8 + 0 = 28 minutes over 5 stops (the draft's
/// 40 left out).
/// Carers: a1 sam, a2 sam (check-ins), a3 kim and lee (rostered, nobody checked in), a4 lee
/// (who came, not sam who was rostered), a5 nobody known: the person saw sam, kim and lee = 3.
/// B's one visit in June (checked in by its own worker) is B's alone.
async fn a_month_of_two_providers_worked_by_hand(backend: Backend) {
    let database = TestDatabase::new(backend).await.unwrap();
    let store = database.store().await.unwrap();
    let store = store.as_ref();
    let preset = homeward_preset::builtin("west-sussex-2019").unwrap();
    let market = homeward_demo::generate(&preset, 1, &mut homeward_demo::NoProgress);
    store.replace_market(&market, "test").await.unwrap();
    let largest = largest_providers(&market.providers, &market.packages, 2);
    let (a, b) = (
        provider(&market, &largest[0]),
        provider(&market, &largest[1]),
    );
    let [sam, kim, lee] = [&a.workers[0], &a.workers[1], &a.workers[2]];

    let a1 = visit(&a, "a1", day(1), 8, 15, 1);
    let a2 = visit(&a, "a2", day(2), 8, 30, 1);
    let a3 = visit(&a, "a3", day(2), 12, 45, 2);
    let a4 = visit(&a, "a4", day(3), 8, 20, 1);
    let a5 = visit(&a, "a5", day(30), 8, 60, 1);
    let a6 = visit(&a, "a6", day(4), 8, 15, 1);
    let a7 = visit(&a, "a7", Date::constant(2026, 7, 1), 8, 15, 1);
    let b1 = visit(&b, "b1", day(10), 9, 30, 1);
    let laid = vec![
        a1.clone(),
        a2.clone(),
        a3.clone(),
        a4.clone(),
        a5.clone(),
        a6.clone(),
        a7,
        b1.clone(),
    ];
    store
        .change_visits(
            &VisitChanges {
                cancel: vec![],
                add: laid,
            },
            planned_at(),
            "test",
        )
        .await
        .unwrap();
    store
        .change_visits(
            &VisitChanges {
                cancel: vec![a6.id.clone()],
                add: vec![],
            },
            planned_at(),
            "test",
        )
        .await
        .unwrap();
    came(store, &a1, sam, Some(12)).await;
    came(store, &a2, sam, Some(31)).await;
    came(store, &a4, lee, None).await;
    came(store, &b1, &b.workers[0], Some(30)).await;
    // Lee's phone died before the check-out; the coordinator puts in the times from the log.
    corrections::correct(
        store,
        &Ids::seeded(6),
        &a.id,
        &a4.id,
        CorrectionRequest {
            check_in: Some(a4.dated.starts_at),
            check_out: Some(a4.dated.starts_at + SignedDuration::from_mins(20)),
            reason: CorrectionReason::PhoneFailed,
            note: CallNote::parse("Phone battery ran out; times from the visit log", "note")
                .unwrap(),
        },
        after_june(),
        "test",
    )
    .await
    .unwrap();
    roster(
        store,
        "a-1st",
        &a.branch,
        day(1),
        RosterStatus::Published,
        vec![stop(&a1, 0, sam, 10)],
    )
    .await;
    roster(
        store,
        "a-2nd",
        &a.branch,
        day(2),
        RosterStatus::Published,
        vec![
            stop(&a2, 0, sam, 4),
            stop(&a3, 0, kim, 6),
            stop(&a3, 1, lee, 8),
        ],
    )
    .await;
    roster(
        store,
        "a-3rd",
        &a.branch,
        day(3),
        RosterStatus::Published,
        vec![stop(&a4, 0, sam, 0)],
    )
    .await;
    roster(
        store,
        "a-30th",
        &a.branch,
        day(30),
        RosterStatus::Draft,
        vec![stop(&a5, 0, kim, 40)],
    )
    .await;

    let every = fair_work(store, june(), None, after_june()).await.unwrap();
    assert_eq!(
        every.len(),
        market.providers.len(),
        "a row for every provider"
    );
    let row = |id: &ProviderId| -> &ProviderFairWork {
        every.iter().find(|row| &row.provider.id == id).unwrap()
    };
    let figures = row(&a.id).figures;
    assert_eq!(figures.visits, 5);
    assert_eq!(figures.planned_short, Share { count: 1, of: 5 });
    assert_eq!(figures.planned_under_half_hour, Share { count: 2, of: 5 });
    assert_eq!(figures.actual_short, Share { count: 1, of: 3 });
    assert_eq!(figures.actual_under_half_hour, Share { count: 2, of: 3 });
    assert_eq!(
        figures.travel,
        Travel {
            stops: 5,
            minutes: 28
        }
    );
    assert_eq!(figures.travel.per_visit(), Some(5.6));
    assert_eq!(
        figures.continuity,
        Continuity {
            people: 1,
            carers: 3,
            most: 3,
            from_check_ins: 3,
            from_rosters: 1,
            unknown: 1
        }
    );
    assert_eq!(
        figures.travel_pay,
        TravelPay::of(row(&a.id).provider.charter_stage)
    );

    let theirs = row(&b.id).figures;
    assert_eq!(theirs.visits, 1);
    assert_eq!(theirs.actual_under_half_hour, Share { count: 0, of: 1 });
    assert_eq!(theirs.continuity.per_person(), Some(1.0));
    assert_eq!(theirs.travel, Travel::default());
    let quiet = every
        .iter()
        .find(|row| row.provider.id != a.id && row.provider.id != b.id)
        .unwrap();
    assert_eq!(quiet.figures.visits, 0);

    // Names first, then ids.
    let names: Vec<(&str, &str)> = every
        .iter()
        .map(|row| (row.provider.name.as_str(), row.provider.id.as_str()))
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);

    // One provider's alone is its row in the list, and the month after holds only a7.
    let alone = fair_work(store, june(), Some(&a.id), after_june())
        .await
        .unwrap();
    assert_eq!(alone, vec![row(&a.id).clone()]);
    let july = fair_work(store, june().next(), Some(&a.id), after_june())
        .await
        .unwrap();
    assert_eq!(july[0].figures.visits, 1);
    assert_eq!(july[0].figures.planned_short, Share { count: 1, of: 1 });
}

#[tokio::test]
async fn a_month_of_two_providers_worked_by_hand_on_sqlite() {
    a_month_of_two_providers_worked_by_hand(Backend::Sqlite).await;
}

#[tokio::test]
async fn a_month_of_two_providers_worked_by_hand_on_postgres() {
    a_month_of_two_providers_worked_by_hand(Backend::Postgres).await;
}
