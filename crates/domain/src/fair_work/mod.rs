//! Fair work figures: the measurable points of Unison's Ethical Care Charter that the data
//! Homeward holds can show, for one provider over one calendar month.
//!
//! - **Travel time per visit**: the mean of the `travel_minutes` of the provider's stops on the
//!   month's published rosters (each carer's journey to a visit, from home for a run's first,
//!   as the branch-day figures count travel); drafts were never given to anyone to travel.
//! - **Whether travel time is paid**: the register holds no pay records, so the provider's
//!   Charter stage says it: stage 1 and above commit to paying travel time ([`TravelPay`]).
//! - **Short visits**: the shares of the month's planned visits planned for 15 minutes or less
//!   (the Charter's "15-minute visits") and for under 30 minutes; and, of the visits with a
//!   check-in and a check-out, the shares that lasted that long.
//! - **Continuity**: distinct carers per person over the month. A visit's carers are the care
//!   workers who checked in or out of it; a visit nobody checked in or out of counts the carers
//!   rostered to it on a published roster; a visit with neither says nothing. People with no
//!   visit that says anything are left out.

mod month;

pub use month::CalendarMonth;

use crate::{CharterStage, PersonId, WorkerId};
use std::collections::{BTreeMap, BTreeSet};

/// A visit "15 minutes or less" is planned (or lasts) at most this long.
pub const SHORT_VISIT_MINUTES: u32 = 15;
/// A visit "under 30 minutes" is planned (or lasts) less than this.
pub const HALF_HOUR_MINUTES: u32 = 30;

/// One of the month's planned visits, with who came and who was rostered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitRecord {
    /// Who was visited.
    pub person_id: PersonId,
    /// The planned length.
    pub planned_minutes: u16,
    /// Whole minutes from check-in to check-out, when both are known.
    pub actual_minutes: Option<u32>,
    /// The care workers who checked in or out of it.
    pub came: Vec<WorkerId>,
    /// The care workers rostered to it on a published roster.
    pub rostered: Vec<WorkerId>,
}

/// Whether a provider pays its care workers for travel time, as far as the register says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TravelPay {
    /// Committed to by the Charter stage held (1, 2 or 3).
    Paid(CharterStage),
    /// Not signed up to the Charter: the register does not say it is paid.
    NotCommitted,
}

impl TravelPay {
    /// What the Charter stage says of travel pay: stage 1 commits to paying travel time, and
    /// every later stage includes stage 1.
    pub fn of(stage: CharterStage) -> TravelPay {
        match stage {
            CharterStage::None => TravelPay::NotCommitted,
            CharterStage::Stage1 | CharterStage::Stage2 | CharterStage::Stage3 => {
                TravelPay::Paid(stage)
            }
        }
    }

    /// Whether travel time is paid.
    pub fn is_paid(self) -> bool {
        matches!(self, TravelPay::Paid(_))
    }

    /// The stable code: `paid` or `not-committed`.
    pub fn code(self) -> &'static str {
        match self {
            TravelPay::Paid(_) => "paid",
            TravelPay::NotCommitted => "not-committed",
        }
    }

    /// The text shown to people.
    pub fn label(self) -> String {
        match self {
            TravelPay::Paid(stage) => {
                format!(
                    "Paid (Ethical Care Charter {})",
                    stage.label().to_lowercase()
                )
            }
            TravelPay::NotCommitted => {
                "Not known to be paid (not signed up to the Ethical Care Charter)".to_owned()
            }
        }
    }
}

/// A count out of a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Share {
    /// How many.
    pub count: u32,
    /// Out of how many.
    pub of: u32,
}

impl Share {
    /// The share in per cent; `None` of nothing.
    pub fn percent(self) -> Option<f64> {
        (self.of > 0).then(|| 100.0 * f64::from(self.count) / f64::from(self.of))
    }
}

/// Travel on the month's published rosters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Travel {
    /// Visit parts on published runs (a double-handed visit has two).
    pub stops: u32,
    /// Their minutes of travel, added up.
    pub minutes: u64,
}

impl Travel {
    /// Mean minutes of travel to a visit; `None` with no stops.
    pub fn per_visit(self) -> Option<f64> {
        (self.stops > 0).then(|| self.minutes as f64 / f64::from(self.stops))
    }
}

/// Distinct carers per person over the month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Continuity {
    /// People whose carers are known.
    pub people: u32,
    /// Each such person's distinct carers, added up.
    pub carers: u32,
    /// The most distinct carers any one person saw.
    pub most: u32,
    /// Visits whose carers came from check-ins and check-outs.
    pub from_check_ins: u32,
    /// Visits whose carers came from a published roster (nobody checked in or out).
    pub from_rosters: u32,
    /// Visits with neither, which say nothing of continuity.
    pub unknown: u32,
}

impl Continuity {
    /// Mean distinct carers per person; `None` when no one's carers are known.
    pub fn per_person(self) -> Option<f64> {
        (self.people > 0).then(|| f64::from(self.carers) / f64::from(self.people))
    }
}

/// A provider's fair work figures for a month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FairWorkFigures {
    /// The month's planned visits.
    pub visits: u32,
    /// Of them, planned for 15 minutes or less.
    pub planned_short: Share,
    /// Of them, planned for under 30 minutes.
    pub planned_under_half_hour: Share,
    /// Of the visits with a check-in and a check-out, those that lasted 15 minutes or less.
    pub actual_short: Share,
    /// Of those, the ones that lasted under 30 minutes.
    pub actual_under_half_hour: Share,
    /// Travel on the month's published rosters.
    pub travel: Travel,
    /// Whether travel time is paid.
    pub travel_pay: TravelPay,
    /// Distinct carers per person.
    pub continuity: Continuity,
}

/// The figures of a provider at Charter `stage`, from its month's `visits` and the
/// `travel_minutes` of each of its stops on the month's published rosters.
pub fn fair_work(
    stage: CharterStage,
    visits: &[VisitRecord],
    travel_minutes: &[u16],
) -> FairWorkFigures {
    let count = |test: &dyn Fn(&VisitRecord) -> bool| {
        visits.iter().filter(|visit| test(visit)).count() as u32
    };
    let total = visits.len() as u32;
    let verified = count(&|visit| visit.actual_minutes.is_some());
    let lasted =
        |limit: &dyn Fn(u32) -> bool| count(&|visit| visit.actual_minutes.is_some_and(limit));
    let mut carers_of: BTreeMap<&PersonId, BTreeSet<&WorkerId>> = BTreeMap::new();
    let mut continuity = Continuity::default();
    for visit in visits {
        let carers = if !visit.came.is_empty() {
            continuity.from_check_ins += 1;
            &visit.came
        } else if !visit.rostered.is_empty() {
            continuity.from_rosters += 1;
            &visit.rostered
        } else {
            continuity.unknown += 1;
            continue;
        };
        carers_of
            .entry(&visit.person_id)
            .or_default()
            .extend(carers.iter());
    }
    continuity.people = carers_of.len() as u32;
    continuity.carers = carers_of.values().map(|carers| carers.len() as u32).sum();
    continuity.most = carers_of
        .values()
        .map(|carers| carers.len() as u32)
        .max()
        .unwrap_or(0);
    FairWorkFigures {
        visits: total,
        planned_short: Share {
            count: count(&|visit| u32::from(visit.planned_minutes) <= SHORT_VISIT_MINUTES),
            of: total,
        },
        planned_under_half_hour: Share {
            count: count(&|visit| u32::from(visit.planned_minutes) < HALF_HOUR_MINUTES),
            of: total,
        },
        actual_short: Share {
            count: lasted(&|minutes| minutes <= SHORT_VISIT_MINUTES),
            of: verified,
        },
        actual_under_half_hour: Share {
            count: lasted(&|minutes| minutes < HALF_HOUR_MINUTES),
            of: verified,
        },
        travel: Travel {
            stops: travel_minutes.len() as u32,
            minutes: travel_minutes
                .iter()
                .map(|&minutes| u64::from(minutes))
                .sum(),
        },
        travel_pay: TravelPay::of(stage),
        continuity,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(suffix: &str) -> PersonId {
        PersonId::from_suffix(&format!("{suffix}-1")).unwrap()
    }

    fn workers(suffixes: &[&str]) -> Vec<WorkerId> {
        suffixes
            .iter()
            .map(|suffix| WorkerId::from_suffix(suffix).unwrap())
            .collect()
    }

    fn visit(
        who: &str,
        planned: u16,
        actual: Option<u32>,
        came: &[&str],
        rostered: &[&str],
    ) -> VisitRecord {
        VisitRecord {
            person_id: person(who),
            planned_minutes: planned,
            actual_minutes: actual,
            came: workers(came),
            rostered: workers(rostered),
        }
    }

    /// A month of eight visits to three people, worked by hand:
    ///
    /// | # | person | planned | lasted | checked in or out | rostered |
    /// |---|--------|---------|--------|-------------------|----------|
    /// | 1 | ann    | 15      | 12     | sam               | sam      |
    /// | 2 | ann    | 30      | 31     | sam               | sam      |
    /// | 3 | ann    | 30      | —      | —                 | kim      |
    /// | 4 | ann    | 45      | 40     | lee               | sam      |
    /// | 5 | bob    | 15      | 16     | kim               | kim      |
    /// | 6 | bob    | 60      | 29     | kim, lee (double) | kim, lee |
    /// | 7 | cal    | 20      | —      | —                 | —        |
    /// | 8 | cal    | 45      | —      | —                 | —        |
    ///
    /// Planned 15 or less: #1, #5 = 2 of 8 (25%); under 30: #1, #5, #7 = 3 of 8 (37.5%).
    /// Lasted (5 verified: #1, #2, #4, #5, #6) 15 or less: #1 = 1 of 5 (20%); under 30: #1, #5,
    /// #6 = 3 of 5 (60%).
    /// Carers: ann saw sam (#1, #2), kim (#3, rostered, nobody checked in) and lee (#4: who
    /// came, not who was rostered) = 3; bob kim and lee = 2; cal nobody known, left out.
    /// 5 carers over 2 people = 2.5 a person, at most 3. Check-ins said who for 5 visits,
    /// rosters for 1, and 2 said nothing.
    #[test]
    fn a_month_worked_by_hand() {
        let visits = [
            visit("ann", 15, Some(12), &["sam1"], &["sam1"]),
            visit("ann", 30, Some(31), &["sam1"], &["sam1"]),
            visit("ann", 30, None, &[], &["kim1"]),
            visit("ann", 45, Some(40), &["lee1"], &["sam1"]),
            visit("bob", 15, Some(16), &["kim1"], &["kim1"]),
            visit("bob", 60, Some(29), &["kim1", "lee1"], &["kim1", "lee1"]),
            visit("cal", 20, None, &[], &[]),
            visit("cal", 45, None, &[], &[]),
        ];
        // Seven stops on published runs (the double-handed visit has two): 5 + 12 + 0 + 8 +
        // 20 + 9 + 9 = 63 minutes, 9 a visit.
        let travel = [5, 12, 0, 8, 20, 9, 9];
        let figures = fair_work(CharterStage::Stage2, &visits, &travel);
        assert_eq!(figures.visits, 8);
        assert_eq!(figures.planned_short, Share { count: 2, of: 8 });
        assert_eq!(figures.planned_short.percent(), Some(25.0));
        assert_eq!(figures.planned_under_half_hour, Share { count: 3, of: 8 });
        assert_eq!(figures.planned_under_half_hour.percent(), Some(37.5));
        assert_eq!(figures.actual_short, Share { count: 1, of: 5 });
        assert_eq!(figures.actual_short.percent(), Some(20.0));
        assert_eq!(figures.actual_under_half_hour, Share { count: 3, of: 5 });
        assert_eq!(figures.actual_under_half_hour.percent(), Some(60.0));
        assert_eq!(
            figures.travel,
            Travel {
                stops: 7,
                minutes: 63
            }
        );
        assert_eq!(figures.travel.per_visit(), Some(9.0));
        assert_eq!(figures.travel_pay, TravelPay::Paid(CharterStage::Stage2));
        assert_eq!(
            figures.continuity,
            Continuity {
                people: 2,
                carers: 5,
                most: 3,
                from_check_ins: 5,
                from_rosters: 1,
                unknown: 2,
            }
        );
        assert_eq!(figures.continuity.per_person(), Some(2.5));
    }

    #[test]
    fn an_empty_month_has_no_means() {
        let figures = fair_work(CharterStage::None, &[], &[]);
        assert_eq!(figures.visits, 0);
        assert_eq!(figures.planned_short.percent(), None);
        assert_eq!(figures.actual_short.percent(), None);
        assert_eq!(figures.travel.per_visit(), None);
        assert_eq!(figures.continuity.per_person(), None);
        assert_eq!(figures.travel_pay, TravelPay::NotCommitted);
    }

    #[test]
    fn travel_is_paid_from_charter_stage_one() {
        assert!(!TravelPay::of(CharterStage::None).is_paid());
        for stage in [
            CharterStage::Stage1,
            CharterStage::Stage2,
            CharterStage::Stage3,
        ] {
            assert!(TravelPay::of(stage).is_paid(), "{stage}");
        }
        assert_eq!(TravelPay::of(CharterStage::Stage1).code(), "paid");
        assert_eq!(
            TravelPay::of(CharterStage::Stage3).label(),
            "Paid (Ethical Care Charter stage 3)"
        );
        assert_eq!(TravelPay::of(CharterStage::None).code(), "not-committed");
    }

    /// A person seen by the same carer all month has one carer, however many visits; the
    /// thresholds are at 15 (included) and 30 (excluded).
    #[test]
    fn the_same_carer_all_month_is_one_and_the_limits_are_exact() {
        let visits: Vec<VisitRecord> = [14, 15, 16, 29, 30]
            .into_iter()
            .map(|minutes| visit("dot", minutes, Some(u32::from(minutes)), &["sam1"], &[]))
            .collect();
        let figures = fair_work(CharterStage::Stage1, &visits, &[]);
        assert_eq!(figures.planned_short, Share { count: 2, of: 5 });
        assert_eq!(figures.planned_under_half_hour, Share { count: 4, of: 5 });
        assert_eq!(figures.actual_short, Share { count: 2, of: 5 });
        assert_eq!(figures.actual_under_half_hour, Share { count: 4, of: 5 });
        assert_eq!(figures.continuity.per_person(), Some(1.0));
        assert_eq!(figures.travel.per_visit(), None);
    }
}
