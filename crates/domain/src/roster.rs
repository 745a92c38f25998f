//! Rosters: a branch's day of care workers' runs, planned by the scheduling engine or moved by
//! hand, and whether the care workers have been given it.
//!
//! A roster is a draft until its coordinator publishes it; only a published roster reaches the
//! care workers' phones and calendars. Changing a published roster (planning it again, or
//! moving a visit) makes it a draft again, to be published once more, so that care workers
//! never see half a change.

use jiff::Timestamp;
use jiff::civil::Date;

use crate::{BranchId, FieldError, RosterId, VisitId, WorkerId};

/// Whether the care workers have been given the roster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RosterStatus {
    /// Being planned: only the branch's coordinators see it.
    Draft,
    /// Given to the care workers.
    Published,
}

impl RosterStatus {
    /// The name stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            RosterStatus::Draft => "draft",
            RosterStatus::Published => "published",
        }
    }

    /// The label shown to people.
    pub fn label(self) -> &'static str {
        match self {
            RosterStatus::Draft => "Draft",
            RosterStatus::Published => "Published",
        }
    }

    /// Parses a stored name for `field`.
    pub fn parse(text: &str, field: &str) -> Result<Self, FieldError> {
        match text {
            "draft" => Ok(RosterStatus::Draft),
            "published" => Ok(RosterStatus::Published),
            _ => Err(FieldError::new(
                field,
                format!("'{text}' is not a roster status (draft or published)"),
            )),
        }
    }
}

/// One carer's part of a visit, in a care worker's run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterStop {
    /// The visit.
    pub visit_id: VisitId,
    /// 0, or 1 for the second carer of a double-handed visit.
    pub part: u8,
    /// Who makes it.
    pub worker_id: WorkerId,
    /// When the carer is to start it (within the visit's window, or late).
    pub starts_at: Timestamp,
    /// Minutes of travel from the carer's previous place (home, for the first visit).
    pub travel_minutes: u16,
}

/// A visit of the branch's day that no run holds, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnmadeVisit {
    /// The visit.
    pub visit_id: VisitId,
    /// Why: what the engine found, or that a coordinator took it off every run.
    pub reason: String,
}

/// A branch's runs for one local date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Roster {
    /// Stable id.
    pub id: RosterId,
    /// The branch whose care workers make the runs.
    pub branch_id: BranchId,
    /// The local date.
    pub date: Date,
    /// Draft or published.
    pub status: RosterStatus,
    /// When it was last planned or changed.
    pub changed_at: Timestamp,
    /// When it was published, if it is.
    pub published_at: Option<Timestamp>,
    /// Every visit part made, run by run: by worker, then start.
    pub stops: Vec<RosterStop>,
    /// The day's visits no run holds.
    pub unmade: Vec<UnmadeVisit>,
}

impl Roster {
    /// The stops of one worker's run, in order of start.
    pub fn run_of<'a>(&'a self, worker: &'a WorkerId) -> impl Iterator<Item = &'a RosterStop> {
        self.stops
            .iter()
            .filter(move |stop| &stop.worker_id == worker)
    }

    /// Checks what a stored roster must meet: parts are 0 or 1, no part is made twice, no
    /// visit is both made and unmade. Errors name the field as `stops[3].part`.
    pub fn validate(&self) -> Result<(), crate::Invalid> {
        let mut errors = Vec::new();
        let mut made = std::collections::HashSet::new();
        for (index, stop) in self.stops.iter().enumerate() {
            if stop.part > 1 {
                errors.push(FieldError::new(
                    format!("stops[{index}].part"),
                    "must be 0 or 1",
                ));
            }
            if !made.insert((&stop.visit_id, stop.part)) {
                errors.push(FieldError::new(
                    format!("stops[{index}].visit_id"),
                    format!(
                        "{} part {} is in the roster twice",
                        stop.visit_id, stop.part
                    ),
                ));
            }
        }
        for (index, unmade) in self.unmade.iter().enumerate() {
            if made.iter().any(|(visit, _)| *visit == &unmade.visit_id) {
                errors.push(FieldError::new(
                    format!("unmade[{index}].visit_id"),
                    format!("{} is both made and unmade", unmade.visit_id),
                ));
            }
        }
        crate::Invalid::check(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stop(visit: &str, part: u8, worker: &str, minute: i64) -> RosterStop {
        RosterStop {
            visit_id: VisitId::from_suffix(visit).unwrap(),
            part,
            worker_id: WorkerId::from_suffix(worker).unwrap(),
            starts_at: Timestamp::from_second(1_780_000_000 + minute * 60).unwrap(),
            travel_minutes: 5,
        }
    }

    fn roster(stops: Vec<RosterStop>) -> Roster {
        Roster {
            id: RosterId::from_suffix("test").unwrap(),
            branch_id: BranchId::from_suffix("test").unwrap(),
            date: Date::constant(2026, 6, 1),
            status: RosterStatus::Draft,
            changed_at: Timestamp::from_second(1_780_000_000).unwrap(),
            published_at: None,
            stops,
            unmade: Vec::new(),
        }
    }

    #[test]
    fn runs_are_read_per_worker() {
        let day = roster(vec![
            stop("aaaa", 0, "ann1", 0),
            stop("bbbb", 0, "bob1", 10),
            stop("cccc", 0, "ann1", 60),
        ]);
        let ann = WorkerId::from_suffix("ann1").unwrap();
        let visits: Vec<&str> = day.run_of(&ann).map(|s| s.visit_id.as_str()).collect();
        assert_eq!(visits, ["vis_aaaa", "vis_cccc"]);
        assert!(day.validate().is_ok());
    }

    #[test]
    fn a_part_made_twice_or_also_unmade_is_refused() {
        let mut day = roster(vec![
            stop("aaaa", 0, "ann1", 0),
            stop("aaaa", 0, "bob1", 0),
            stop("bbbb", 2, "bob1", 30),
        ]);
        day.unmade.push(UnmadeVisit {
            visit_id: VisitId::from_suffix("aaaa").unwrap(),
            reason: "no run had room".into(),
        });
        let fields: Vec<String> = day
            .validate()
            .unwrap_err()
            .0
            .into_iter()
            .map(|error| error.field)
            .collect();
        assert_eq!(
            fields,
            ["stops[1].visit_id", "stops[2].part", "unmade[0].visit_id"]
        );
    }

    #[test]
    fn statuses_round_trip() {
        for status in [RosterStatus::Draft, RosterStatus::Published] {
            assert_eq!(
                RosterStatus::parse(status.as_str(), "status").unwrap(),
                status
            );
        }
        assert_eq!(
            RosterStatus::parse("final", "status").unwrap_err().field,
            "status"
        );
    }
}
