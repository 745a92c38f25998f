//! Planning dated visits: every placed package's weekly pattern laid out on the calendar up to
//! a horizon, with changes to packages carried into future visits only (`domain::replan`).
//! Running it again changes nothing unless a package changed or the horizon moved on.

use std::collections::BTreeMap;

use homeward_domain::{CarePackage, PackageId, Visit, VisitId, VisitStatus, london, replan};
use homeward_store::{Store, StoreError, VisitChangeOutcome, VisitChanges, VisitFilter};
use jiff::Timestamp;
use jiff::civil::Date;

use crate::Ids;

/// Brings the planned visits of every package into line with the packages as stored, from
/// `now` to the local date `through`; returns what changed.
pub async fn plan_visits(
    store: &dyn Store,
    ids: &Ids,
    now: Timestamp,
    through: Date,
    actor: &str,
) -> Result<VisitChangeOutcome, StoreError> {
    let packages = store.packages().await?;
    let today = now.to_zoned(london().clone()).date();
    let filter = VisitFilter {
        planned_only: true,
        ..VisitFilter::between(today, through)
    };
    let mut existing: BTreeMap<PackageId, Vec<Visit>> = BTreeMap::new();
    for visit in store.visits(&filter).await? {
        existing
            .entry(visit.dated.package_id.clone())
            .or_default()
            .push(visit);
    }
    let mut changes = VisitChanges::default();
    for package in &packages {
        let planned = existing.remove(&package.id).unwrap_or_default();
        changes_for(package, &planned, now, through, ids, &mut changes);
    }
    store.change_visits(&changes, now, actor).await
}

/// The changes that bring one package's `planned` visits into line with it.
fn changes_for(
    package: &CarePackage,
    planned: &[Visit],
    now: Timestamp,
    through: Date,
    ids: &Ids,
    changes: &mut VisitChanges,
) {
    let future = |visit: &Visit| visit.dated.starts_at >= now;
    let Some(provider_id) = &package.provider_id else {
        // Not placed (or no longer): nothing is planned for it.
        changes.cancel.extend(
            planned
                .iter()
                .filter(|visit| future(visit))
                .map(|visit| visit.id.clone()),
        );
        return;
    };
    // Visits planned with another provider go; the package's provider gets its own.
    let (kept, moved): (Vec<&Visit>, Vec<&Visit>) = planned
        .iter()
        .partition(|visit| &visit.provider_id == provider_id);
    changes.cancel.extend(
        moved
            .iter()
            .filter(|visit| future(visit))
            .map(|visit| visit.id.clone()),
    );
    let dated: Vec<_> = kept.iter().map(|visit| visit.dated.clone()).collect();
    let plan = replan(&dated, package, now, through);
    changes
        .cancel
        .extend(plan.cancel.iter().map(|index| kept[*index].id.clone()));
    changes.add.extend(plan.add.into_iter().map(|dated| Visit {
        id: VisitId::from_suffix(&ids.suffix()).expect("a generated suffix is a valid id"),
        provider_id: provider_id.clone(),
        dated,
        status: VisitStatus::Planned,
    }));
}

#[cfg(test)]
mod tests {
    use super::*;
    use homeward_domain::{PersonId, ProviderId, WeeklyPattern, visits_between};
    use jiff::civil::date;

    fn provider(suffix: &str) -> ProviderId {
        ProviderId::from_suffix(suffix).unwrap()
    }

    fn package(pattern: &str, provider_suffix: Option<&str>) -> CarePackage {
        CarePackage {
            id: PackageId::from_suffix("plan").unwrap(),
            person_id: PersonId::from_suffix("plan").unwrap(),
            provider_id: provider_suffix.map(provider),
            pattern: WeeklyPattern::parse(pattern).unwrap(),
            skills: vec![],
            starts_on: date(2026, 1, 1),
            ends_on: None,
            agreed_hourly_rate: None,
        }
    }

    /// The package's visits from 1 to 7 June 2026 as if planned on 1 June.
    fn planned(package: &CarePackage) -> Vec<Visit> {
        let ids = Ids::seeded(1);
        visits_between(package, date(2026, 6, 1), date(2026, 6, 7))
            .into_iter()
            .map(|dated| Visit {
                id: VisitId::from_suffix(&ids.suffix()).unwrap(),
                provider_id: package.provider_id.clone().unwrap(),
                dated,
                status: VisitStatus::Planned,
            })
            .collect()
    }

    /// Thursday 4 June 2026, 12:00 BST.
    fn thursday_noon() -> Timestamp {
        "2026-06-04T11:00:00Z".parse().unwrap()
    }

    fn changes(package: &CarePackage, planned: &[Visit]) -> VisitChanges {
        let mut changes = VisitChanges::default();
        let ids = Ids::seeded(2);
        changes_for(
            package,
            planned,
            thursday_noon(),
            date(2026, 6, 7),
            &ids,
            &mut changes,
        );
        changes
    }

    #[test]
    fn an_unchanged_package_changes_nothing() {
        let same = package("daily 08:00 30m; daily 18:00 30m", Some("home"));
        assert_eq!(changes(&same, &planned(&same)), VisitChanges::default());
    }

    #[test]
    fn a_new_pattern_replaces_future_visits_only() {
        let before = package("daily 08:00 30m; daily 18:00 30m", Some("home"));
        let planned = planned(&before);
        let after = package("daily 08:00 30m; daily 17:00 45m", Some("home"));
        let change = changes(&after, &planned);
        // Thursday to Sunday evenings: 4 cancelled, 4 added; mornings and the past untouched.
        assert_eq!((change.cancel.len(), change.add.len()), (4, 4));
        for id in &change.cancel {
            let visit = planned.iter().find(|visit| &visit.id == id).unwrap();
            assert!(visit.dated.starts_at >= thursday_noon());
            assert_eq!(visit.dated.local_start, jiff::civil::time(18, 0, 0, 0));
        }
        assert!(
            change
                .add
                .iter()
                .all(|visit| visit.dated.duration_minutes == 45
                    && visit.provider_id == provider("home")
                    && visit.status == VisitStatus::Planned)
        );
    }

    #[test]
    fn a_new_provider_takes_the_future_visits() {
        let before = package("daily 08:00 30m", Some("home"));
        let planned = planned(&before);
        let change = changes(&package("daily 08:00 30m", Some("next")), &planned);
        // Friday to Sunday mornings (Thursday's 08:00 is past at noon).
        assert_eq!((change.cancel.len(), change.add.len()), (3, 3));
        assert!(
            change
                .add
                .iter()
                .all(|visit| visit.provider_id == provider("next"))
        );
    }

    #[test]
    fn a_package_no_longer_placed_loses_its_future_visits() {
        let before = package("daily 08:00 30m", Some("home"));
        let planned = planned(&before);
        let change = changes(&package("daily 08:00 30m", None), &planned);
        assert_eq!((change.cancel.len(), change.add.len()), (3, 0));
    }
}
