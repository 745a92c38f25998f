//! Rosters as stored: the roster's own row, its stops and its unmade visits, each in a table
//! of its own (`migrations/0007_rosters.sql`).

use super::row::StoredRow;
use super::values::SqlValue;
use super::{Reference, TableRecord};
use crate::{RecordKind, StoreError};
use homeward_domain::{
    Branch, BranchId, CareWorker, Invalid, Roster, RosterId, RosterStatus, RosterStop, UnmadeVisit,
    Visit, VisitId, WorkerId,
};

/// A roster's own row: everything but its stops and unmade visits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RosterRow(pub(crate) Roster);

impl TableRecord for RosterRow {
    const KIND: RecordKind = RecordKind::Roster;
    const TABLE: &'static str = "rosters";
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "branch_id",
        "roster_date",
        "status",
        "changed_at",
        "published_at",
    ];

    fn order_by(text_order: &str) -> String {
        format!("roster_date{text_order}, branch_id{text_order}")
    }

    fn id(&self) -> &str {
        self.0.id.as_str()
    }

    fn validate(&self) -> Result<(), Invalid> {
        self.0.validate()
    }

    fn values(&self) -> Vec<SqlValue> {
        let roster = &self.0;
        vec![
            SqlValue::text(roster.id.as_str()),
            SqlValue::text(roster.branch_id.as_str()),
            SqlValue::date(roster.date),
            SqlValue::text(roster.status.as_str()),
            SqlValue::timestamp(roster.changed_at),
            SqlValue::optional_timestamp(roster.published_at),
        ]
    }

    fn references(&self) -> Vec<Reference> {
        vec![Reference::to::<Branch>(
            "branch_id",
            self.0.branch_id.as_str(),
        )]
    }

    fn from_row(row: &StoredRow<'_>) -> Result<Self, StoreError> {
        Ok(RosterRow(Roster {
            id: row.parse("id", RosterId::parse)?,
            branch_id: row.parse("branch_id", BranchId::parse)?,
            date: row.date("roster_date")?,
            status: row.parse("status", RosterStatus::parse)?,
            changed_at: row.timestamp("changed_at")?,
            published_at: row.optional_timestamp("published_at")?,
            stops: Vec::new(),
            unmade: Vec::new(),
        }))
    }
}

/// One stop of a roster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StopRow {
    pub(crate) roster_id: RosterId,
    pub(crate) stop: RosterStop,
}

impl TableRecord for StopRow {
    const KIND: RecordKind = RecordKind::Roster;
    const TABLE: &'static str = "roster_stops";
    const COLUMNS: &'static [&'static str] = &[
        "visit_id",
        "part",
        "roster_id",
        "worker_id",
        "starts_at",
        "travel_minutes",
    ];

    fn order_by(text_order: &str) -> String {
        format!("worker_id{text_order}, starts_at{text_order}, part")
    }

    fn id(&self) -> &str {
        self.roster_id.as_str()
    }

    fn validate(&self) -> Result<(), Invalid> {
        Ok(())
    }

    fn values(&self) -> Vec<SqlValue> {
        let stop = &self.stop;
        vec![
            SqlValue::text(stop.visit_id.as_str()),
            SqlValue::count(u32::from(stop.part)),
            SqlValue::text(self.roster_id.as_str()),
            SqlValue::text(stop.worker_id.as_str()),
            SqlValue::timestamp(stop.starts_at),
            SqlValue::count(u32::from(stop.travel_minutes)),
        ]
    }

    fn references(&self) -> Vec<Reference> {
        vec![
            Reference::to::<Visit>("visit_id", self.stop.visit_id.as_str()),
            Reference::to::<CareWorker>("worker_id", self.stop.worker_id.as_str()),
        ]
    }

    fn from_row(row: &StoredRow<'_>) -> Result<Self, StoreError> {
        let part = row.count("part")?;
        let travel = row.count("travel_minutes")?;
        Ok(StopRow {
            roster_id: row.parse("roster_id", RosterId::parse)?,
            stop: RosterStop {
                visit_id: row.parse("visit_id", VisitId::parse)?,
                part: u8::try_from(part)
                    .map_err(|_| row.corrupt("part", format!("{part} is not 0 or 1")))?,
                worker_id: row.parse("worker_id", WorkerId::parse)?,
                starts_at: row.timestamp("starts_at")?,
                travel_minutes: u16::try_from(travel)
                    .map_err(|_| row.corrupt("travel_minutes", format!("{travel} is too large")))?,
            },
        })
    }
}

/// One unmade visit of a roster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UnmadeRow {
    pub(crate) roster_id: RosterId,
    pub(crate) unmade: UnmadeVisit,
}

impl TableRecord for UnmadeRow {
    const KIND: RecordKind = RecordKind::Roster;
    const TABLE: &'static str = "roster_unmade";
    const COLUMNS: &'static [&'static str] = &["visit_id", "roster_id", "reason"];

    fn order_by(text_order: &str) -> String {
        format!("visit_id{text_order}")
    }

    fn id(&self) -> &str {
        self.roster_id.as_str()
    }

    fn validate(&self) -> Result<(), Invalid> {
        Ok(())
    }

    fn values(&self) -> Vec<SqlValue> {
        vec![
            SqlValue::text(self.unmade.visit_id.as_str()),
            SqlValue::text(self.roster_id.as_str()),
            SqlValue::text(&self.unmade.reason),
        ]
    }

    fn references(&self) -> Vec<Reference> {
        vec![Reference::to::<Visit>(
            "visit_id",
            self.unmade.visit_id.as_str(),
        )]
    }

    fn from_row(row: &StoredRow<'_>) -> Result<Self, StoreError> {
        Ok(UnmadeRow {
            roster_id: row.parse("roster_id", RosterId::parse)?,
            unmade: UnmadeVisit {
                visit_id: row.parse("visit_id", VisitId::parse)?,
                reason: row.text("reason")?,
            },
        })
    }
}
