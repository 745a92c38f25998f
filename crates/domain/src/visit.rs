//! Dated visits: a package's weekly pattern laid out on the calendar in Europe/London time.
//!
//! Visits are made date by date, never by adding 24 hours, so a clock change can neither lose
//! nor double one: each slot gives exactly one visit on each of its weekdays. A local time the
//! clocks skip (01:30 on the last Sunday of March) happens an hour later by the clock (02:30
//! BST, the same instant as 01:30 GMT would have been); a local time that happens twice (01:30
//! on the last Sunday of October) is the first of the two (BST).

use std::sync::OnceLock;

use jiff::Timestamp;
use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;

use crate::{CarePackage, FieldError, PackageId, PersonId, ProviderId, VisitId};

/// One visit of a package on one date.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DatedVisit {
    /// The package it comes from.
    pub package_id: PackageId,
    /// Who receives it.
    pub person_id: PersonId,
    /// The local date.
    pub date: Date,
    /// The local start time, as the pattern says.
    pub local_start: Time,
    /// The instant it starts.
    pub starts_at: Timestamp,
    /// Planned length.
    pub duration_minutes: u16,
    /// Carers on the visit.
    pub carers: u8,
}

impl DatedVisit {
    /// Whether two visits are the same planned care (date, local time, length and carers),
    /// whatever else differs.
    pub fn same_care(&self, other: &Self) -> bool {
        (
            self.date,
            self.local_start,
            self.duration_minutes,
            self.carers,
        ) == (
            other.date,
            other.local_start,
            other.duration_minutes,
            other.carers,
        )
    }
}

/// Where a visit stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VisitStatus {
    /// To be made.
    Planned,
    /// No longer wanted: the package changed or ended before it was due.
    Cancelled,
}

impl VisitStatus {
    /// The name stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            VisitStatus::Planned => "planned",
            VisitStatus::Cancelled => "cancelled",
        }
    }

    /// Parses a stored name for `field`.
    pub fn parse(text: &str, field: &str) -> Result<Self, FieldError> {
        match text {
            "planned" => Ok(VisitStatus::Planned),
            "cancelled" => Ok(VisitStatus::Cancelled),
            _ => Err(FieldError::new(
                field,
                format!("'{text}' is not a visit status (planned or cancelled)"),
            )),
        }
    }
}

/// A dated visit as the market holds it: who delivers it and where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visit {
    /// Stable id.
    pub id: VisitId,
    /// The provider delivering the package when the visit was planned.
    pub provider_id: ProviderId,
    /// When, for whom, how long, how many carers.
    pub dated: DatedVisit,
    /// Planned or cancelled.
    pub status: VisitStatus,
}

impl Visit {
    /// The instant it is planned to end.
    pub fn ends_at(&self) -> Timestamp {
        self.dated.starts_at
            + jiff::SignedDuration::from_mins(i64::from(self.dated.duration_minutes))
    }
}

/// The Europe/London time zone (bundled with the binary, so it does not depend on the machine).
pub fn london() -> &'static TimeZone {
    static LONDON: OnceLock<TimeZone> = OnceLock::new();
    LONDON.get_or_init(|| {
        TimeZone::get("Europe/London").expect("the bundled time zone database has Europe/London")
    })
}

/// The date in the United Kingdom at `at`: "today" for every rule that speaks of days.
pub fn london_date(at: Timestamp) -> Date {
    at.to_zoned(london().clone()).date()
}

/// The instant a London wall-clock time happens, as the module documentation describes.
pub fn london_instant(date: Date, time: Time) -> Timestamp {
    date.to_datetime(time)
        .to_zoned(london().clone())
        .expect("a date and time within jiff's range")
        .timestamp()
}

/// Every visit of `package` from `from` to `until` (both included, local dates) while the
/// package runs, in order of start.
pub fn visits_between(package: &CarePackage, from: Date, until: Date) -> Vec<DatedVisit> {
    let mut visits = Vec::new();
    let mut date = from;
    while date <= until {
        if package.is_active_on(date) {
            let weekday = date.weekday().to_monday_zero_offset() as usize;
            for slot in package.pattern.slots() {
                if slot.is_on(weekday) {
                    visits.push(DatedVisit {
                        package_id: package.id.clone(),
                        person_id: package.person_id.clone(),
                        date,
                        local_start: slot.start(),
                        starts_at: london_instant(date, slot.start()),
                        duration_minutes: slot.duration_minutes(),
                        carers: slot.carers(),
                    });
                }
            }
        }
        match date.tomorrow() {
            Ok(next) => date = next,
            Err(_) => break,
        }
    }
    visits.sort_by_key(|visit| visit.starts_at);
    visits
}

/// What a change to a package does to its planned visits.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Replan {
    /// Positions in the existing visits of those to cancel.
    pub cancel: Vec<usize>,
    /// New visits to add.
    pub add: Vec<DatedVisit>,
}

/// Brings a package's `existing` visits into line with `package` as it now is, from the
/// instant `from` to the local date `until`. Visits that start before `from` are left alone,
/// whatever changed; later visits that the new pattern still has are kept (with whatever has
/// been arranged for them), the others cancelled, and the new pattern's missing ones added.
pub fn replan(
    existing: &[DatedVisit],
    package: &CarePackage,
    from: Timestamp,
    until: Date,
) -> Replan {
    let first_date = from.to_zoned(london().clone()).date();
    let wanted: Vec<DatedVisit> = visits_between(package, first_date, until)
        .into_iter()
        .filter(|visit| visit.starts_at >= from)
        .collect();
    let future = |visit: &&DatedVisit| visit.starts_at >= from && visit.date <= until;
    let cancel = existing
        .iter()
        .enumerate()
        .filter(|(_, visit)| future(visit))
        .filter(|(_, visit)| !wanted.iter().any(|new| new.same_care(visit)))
        .map(|(index, _)| index)
        .collect();
    let add = wanted
        .into_iter()
        .filter(|new| !existing.iter().filter(future).any(|old| old.same_care(new)))
        .collect();
    Replan { cancel, add }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::WeeklyPattern;
    use jiff::civil::{date, time};

    fn package(pattern: &str) -> CarePackage {
        CarePackage {
            id: PackageId::from_suffix("clock").unwrap(),
            person_id: PersonId::from_suffix("clock").unwrap(),
            provider_id: None,
            pattern: WeeklyPattern::parse(pattern).unwrap(),
            skills: vec![],
            starts_on: date(2026, 1, 1),
            ends_on: None,
            agreed_hourly_rate: None,
        }
    }

    fn utc(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    fn instants(visits: &[DatedVisit]) -> Vec<Timestamp> {
        visits.iter().map(|visit| visit.starts_at).collect()
    }

    // The clocks go forward at 01:00 GMT on Sunday 29 March 2026 and 28 March 2027, and back
    // at 01:00 GMT (02:00 BST) on Sunday 25 October 2026 and 31 October 2027.

    #[test]
    fn spring_2026_keeps_the_wall_clock_time() {
        let visits = visits_between(
            &package("daily 07:30 45m"),
            date(2026, 3, 28),
            date(2026, 3, 30),
        );
        assert_eq!(
            instants(&visits),
            [
                utc("2026-03-28T07:30Z"),
                utc("2026-03-29T06:30Z"),
                utc("2026-03-30T06:30Z")
            ]
        );
        assert!(
            visits
                .iter()
                .all(|visit| visit.local_start == time(7, 30, 0, 0))
        );
    }

    #[test]
    fn a_time_the_clocks_skip_happens_an_hour_later_by_the_clock() {
        for (day, expected) in [
            (date(2026, 3, 29), "2026-03-29T01:30Z"),
            (date(2027, 3, 28), "2027-03-28T01:30Z"),
        ] {
            let visits = visits_between(&package("Sun 01:30 30m"), day, day);
            assert_eq!(instants(&visits), [utc(expected)], "{day}");
            let shown = visits[0].starts_at.to_zoned(london().clone());
            assert_eq!(shown.time(), time(2, 30, 0, 0), "02:30 BST");
        }
    }

    #[test]
    fn a_time_that_happens_twice_is_visited_once_the_first_time() {
        for (day, expected) in [
            (date(2026, 10, 25), "2026-10-25T00:30Z"),
            (date(2027, 10, 31), "2027-10-31T00:30Z"),
        ] {
            let visits = visits_between(&package("Sun 01:30 30m"), day, day);
            assert_eq!(instants(&visits), [utc(expected)], "{day}: BST, once");
        }
    }

    #[test]
    fn autumn_2027_moves_the_instant_back_an_hour() {
        let visits = visits_between(
            &package("daily 22:00 30m"),
            date(2027, 10, 30),
            date(2027, 11, 1),
        );
        assert_eq!(
            instants(&visits),
            [
                utc("2027-10-30T21:00Z"),
                utc("2027-10-31T22:00Z"),
                utc("2027-11-01T22:00Z")
            ]
        );
    }

    #[test]
    fn a_week_across_each_change_has_every_visit_once() {
        let pattern = package("daily 01:30 30m; daily 07:30 45m x2; Mon-Fri 19:00 1h");
        for monday in [
            date(2026, 3, 23),
            date(2026, 10, 19),
            date(2027, 3, 22),
            date(2027, 10, 25),
        ] {
            let sunday = monday.checked_add(jiff::Span::new().days(6)).unwrap();
            let visits = visits_between(&pattern, monday, sunday);
            assert_eq!(
                visits.len() as u32,
                pattern.pattern.visits_per_week(),
                "{monday}"
            );
            let minutes: u32 = visits
                .iter()
                .map(|visit| u32::from(visit.duration_minutes) * u32::from(visit.carers))
                .sum();
            assert_eq!(minutes, pattern.weekly_minutes(), "{monday}");
        }
    }

    #[test]
    fn only_the_package_s_own_dates() {
        let mut short = package("daily 09:00 30m");
        short.starts_on = date(2026, 5, 2);
        short.ends_on = Some(date(2026, 5, 3));
        let visits = visits_between(&short, date(2026, 5, 1), date(2026, 5, 4));
        let dates: Vec<Date> = visits.iter().map(|visit| visit.date).collect();
        assert_eq!(dates, [date(2026, 5, 2), date(2026, 5, 3)]);
    }

    #[test]
    fn a_change_reaches_future_visits_only() {
        let before = package("daily 08:00 30m; daily 18:00 30m");
        let existing = visits_between(&before, date(2026, 6, 1), date(2026, 6, 3));
        // On 2 June at noon (11:00 UTC, BST) the evening visit moves to 17:00.
        let after = package("daily 08:00 30m; daily 17:00 30m");
        let now = utc("2026-06-02T11:00Z");
        let change = replan(&existing, &after, now, date(2026, 6, 3));
        let cancelled: Vec<(Date, Time)> = change
            .cancel
            .iter()
            .map(|index| (existing[*index].date, existing[*index].local_start))
            .collect();
        assert_eq!(
            cancelled,
            [
                (date(2026, 6, 2), time(18, 0, 0, 0)),
                (date(2026, 6, 3), time(18, 0, 0, 0))
            ]
        );
        let added: Vec<(Date, Time)> = change
            .add
            .iter()
            .map(|visit| (visit.date, visit.local_start))
            .collect();
        assert_eq!(
            added,
            [
                (date(2026, 6, 2), time(17, 0, 0, 0)),
                (date(2026, 6, 3), time(17, 0, 0, 0))
            ]
        );
        // 1 June and the morning of 2 June are history; 3 June's 08:00 is kept as planned.
        assert!(
            change
                .cancel
                .iter()
                .all(|index| existing[*index].starts_at >= now)
        );
    }

    #[test]
    fn an_unchanged_package_replans_to_nothing() {
        let same = package("Mon,Wed,Fri 10:00 1h x2");
        let existing = visits_between(&same, date(2026, 10, 19), date(2026, 11, 1));
        let change = replan(
            &existing,
            &same,
            utc("2026-10-21T12:00Z"),
            date(2026, 11, 1),
        );
        assert_eq!(change, Replan::default());
    }
}
