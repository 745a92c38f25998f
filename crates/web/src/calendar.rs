//! A care worker's runs as an iCalendar file (RFC 5545, written by the `ics` crate), for the
//! calendar on their phone: one event per visit of a published roster.
//!
//! Calendars are copied to other people's servers (a phone's calendar account), so an event
//! says no more than a care worker needs to plan their day: the person's first name and the
//! initial of their family name, when and for how long. Not where they live (the phone page
//! gives the way there), and no NHS number, needs or notes.

use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use homeward_app::runs::RunStop;
use homeward_domain::{Person, RosterStop, Visit};
use ics::properties::{Description, DtEnd, DtStart, Status, Summary};
use ics::{Event, ICalendar, escape_text};
use jiff::{SignedDuration, Timestamp};

/// The product that wrote the calendar, as RFC 5545 asks.
const PRODUCT: &str = "-//Homeward//Care worker runs//EN";

/// One visit of a run, with what its event shows.
pub struct CalendarVisit<'a> {
    /// The stop on the run.
    pub stop: &'a RosterStop,
    /// The visit.
    pub visit: &'a Visit,
    /// The person visited.
    pub person: &'a Person,
}

/// An instant in the iCalendar form for UTC: `20261201T083000Z`.
fn ical_instant(at: Timestamp) -> String {
    at.strftime("%Y%m%dT%H%M%SZ").to_string()
}

/// "Frank P.": the person's first name and the initial of their last.
pub fn short_name(person: &Person) -> String {
    let mut words = person.name.split_whitespace();
    let first = words.next().unwrap_or_default();
    match words.last().and_then(|last| last.chars().next()) {
        Some(initial) => format!("{first} {initial}."),
        None => first.to_owned(),
    }
}

/// The calendar of `visits`, stamped `now`.
pub fn runs_calendar(visits: &[CalendarVisit<'_>], now: Timestamp) -> String {
    let mut calendar = ICalendar::new("2.0", PRODUCT);
    let stamp = ical_instant(now);
    for entry in visits {
        let minutes = i64::from(entry.visit.dated.duration_minutes);
        let start = entry.stop.starts_at;
        let uid = format!("{}-{}@homeward", entry.visit.id, entry.stop.part);
        let mut event = Event::new(uid, stamp.clone());
        event.push(DtStart::new(ical_instant(start)));
        event.push(DtEnd::new(ical_instant(
            start + SignedDuration::from_mins(minutes),
        )));
        event.push(Summary::new(escape_text(format!(
            "Home care visit: {}",
            short_name(entry.person)
        ))));
        let carers = if entry.visit.dated.carers == 2 {
            " with a second carer"
        } else {
            ""
        };
        event.push(Description::new(escape_text(format!(
            "{minutes} minutes{carers}. Check in and out on Homeward."
        ))));
        event.push(Status::confirmed());
        calendar.add_event(event);
    }
    calendar.to_string()
}

/// The published runs `runs` as an iCalendar download named `runs.ics`, stamped `now`, never
/// cached on the way: what the worker page's link and the API's calendar both answer.
pub fn response(runs: &[RunStop], now: Timestamp) -> Response {
    let visits: Vec<CalendarVisit<'_>> = runs
        .iter()
        .map(|run| CalendarVisit {
            stop: &run.stop,
            visit: &run.visit,
            person: &run.person,
        })
        .collect();
    (
        [
            (CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (CONTENT_DISPOSITION, "attachment; filename=\"runs.ics\""),
            (CACHE_CONTROL, "private, no-store"),
        ],
        runs_calendar(&visits, now),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use homeward_domain::{
        AreaId, Coordinates, DatedVisit, FundingRoute, PackageId, PersonId, ProviderId,
        SupportReason, VisitId, VisitStatus, WorkerId,
    };

    #[test]
    fn a_visit_becomes_an_event_saying_no_more_than_needed() {
        let person = Person {
            id: PersonId::from_suffix("frank").unwrap(),
            council_reference: "WSCC-1".into(),
            nhs_number: None,
            name: "Frank de la Patel".into(),
            area_id: AreaId::from_suffix("bognor").unwrap(),
            location: Coordinates::from_degrees(50.7831, -0.6739).unwrap(),
            funding_route: FundingRoute::CouncilArranged,
            support_reason: SupportReason::PhysicalSupport,
            complex_needs: true,
        };
        let starts_at: Timestamp = "2026-12-02T08:30:00Z".parse().unwrap();
        let visit = Visit {
            id: VisitId::from_suffix("morning").unwrap(),
            provider_id: ProviderId::from_suffix("care").unwrap(),
            dated: DatedVisit {
                package_id: PackageId::from_suffix("pack").unwrap(),
                person_id: person.id.clone(),
                date: jiff::civil::Date::constant(2026, 12, 2),
                local_start: jiff::civil::Time::constant(8, 30, 0, 0),
                starts_at,
                duration_minutes: 45,
                carers: 2,
            },
            status: VisitStatus::Planned,
        };
        let stop = RosterStop {
            visit_id: visit.id.clone(),
            part: 1,
            worker_id: WorkerId::from_suffix("sam1").unwrap(),
            starts_at: starts_at + SignedDuration::from_mins(3),
            travel_minutes: 12,
        };
        let text = runs_calendar(
            &[CalendarVisit {
                stop: &stop,
                visit: &visit,
                person: &person,
            }],
            "2026-12-01T18:00:00Z".parse().unwrap(),
        );
        assert!(text.starts_with(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Homeward//Care worker runs//EN\r\n"
        ));
        for line in [
            "UID:vis_morning-1@homeward",
            "DTSTAMP:20261201T180000Z",
            "DTSTART:20261202T083300Z",
            "DTEND:20261202T091800Z",
            "SUMMARY:Home care visit: Frank P.",
            "DESCRIPTION:45 minutes with a second carer. Check in and out on Homeward.",
        ] {
            assert!(text.contains(&format!("{line}\r\n")), "{line} in\n{text}");
        }
        assert!(!text.contains("Patel") && !text.contains("WSCC"), "{text}");
        // Where the person lives stays off calendar servers: the phone page has the way there.
        assert!(!text.contains("GEO") && !text.contains("50.78"), "{text}");
        assert!(text.ends_with("END:VCALENDAR\r\n"));
    }
}
