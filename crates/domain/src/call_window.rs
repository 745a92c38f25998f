//! When a visit's times are believable: the one rule for the times a care worker's phone (or a
//! provider's system) sends and the times a coordinator's correction gives, since both turn
//! into money on the invoice.
//!
//! A visit's check-in and check-out lie within its window: from [`OPENS_BEFORE_START`] before
//! its planned start to [`CLOSES_AFTER_END`] after its planned end (a visit begun earlier, or
//! ended later, was another visit). No time is after the moment it is judged, give or take
//! [`CLOCK_SKEW`] between a phone's clock and the server's. And a phone's events are taken
//! until [`SENDING_CLOSES_AFTER_END`] after the planned end, long enough for a phone that was
//! offline for a day to get through; after that, a coordinator corrects the visit's times.

use jiff::{SignedDuration, Timestamp};

use crate::{DatedVisit, FieldError};

/// How long before its planned start a visit may believably begin.
pub const OPENS_BEFORE_START: SignedDuration = SignedDuration::from_hours(2);

/// How long after its planned end a visit may believably end.
pub const CLOSES_AFTER_END: SignedDuration = SignedDuration::from_hours(12);

/// How far ahead of the server's clock a time may be: a phone's clock is seldom exact.
pub const CLOCK_SKEW: SignedDuration = SignedDuration::from_mins(5);

/// How long after its planned end a visit's check-ins and check-outs are still taken.
pub const SENDING_CLOSES_AFTER_END: SignedDuration = SignedDuration::from_hours(48);

/// The span of a visit within which its times are believable, and the moment after which its
/// events are no longer taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallWindow {
    /// The earliest believable time.
    pub opens: Timestamp,
    /// The latest believable time.
    pub closes: Timestamp,
    /// The last moment an event of the visit is taken.
    pub sending_closes: Timestamp,
}

impl CallWindow {
    /// The window of the visit planned as `plan`.
    pub fn of(plan: &DatedVisit) -> CallWindow {
        let end = plan.starts_at + SignedDuration::from_mins(i64::from(plan.duration_minutes));
        CallWindow {
            opens: plan.starts_at - OPENS_BEFORE_START,
            closes: end + CLOSES_AFTER_END,
            sending_closes: end + SENDING_CLOSES_AFTER_END,
        }
    }

    /// Checks a time given for `field` at `now`: within the window, and not after `now` (give
    /// or take the clock skew). The error says the window, or the latest time taken.
    pub fn check_time(&self, field: &str, at: Timestamp, now: Timestamp) -> Result<(), FieldError> {
        if at < self.opens || at > self.closes {
            return Err(FieldError::new(
                field,
                format!(
                    "must be within the visit's window, from {} before its planned start to {} \
                     after its planned end: {} to {}",
                    hours(OPENS_BEFORE_START),
                    hours(CLOSES_AFTER_END),
                    self.opens,
                    self.closes
                ),
            ));
        }
        let latest = now + CLOCK_SKEW;
        if at > latest {
            return Err(FieldError::new(
                field,
                format!(
                    "is in the future: times are taken up to {} minutes ahead of the server's \
                     clock (no later than {latest})",
                    CLOCK_SKEW.as_mins()
                ),
            ));
        }
        Ok(())
    }

    /// Checks that an event of the visit, timed `at` for `field` and received `now`, is
    /// believable: its time as [`CallWindow::check_time`] says, and received no later than
    /// [`SENDING_CLOSES_AFTER_END`] after the visit's planned end.
    pub fn check_event(
        &self,
        field: &str,
        at: Timestamp,
        now: Timestamp,
    ) -> Result<(), FieldError> {
        self.check_time(field, at, now)?;
        if now > self.sending_closes {
            return Err(FieldError::new(
                field,
                format!(
                    "came too late: a visit's check-ins and check-outs are taken until {} after \
                     its planned end ({}); ask a coordinator to correct the visit's times",
                    hours(SENDING_CLOSES_AFTER_END),
                    self.sending_closes
                ),
            ));
        }
        Ok(())
    }
}

/// A whole number of hours as words: `2 hours`.
fn hours(span: SignedDuration) -> String {
    format!("{} hours", span.as_hours())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{PackageId, PersonId};
    use jiff::civil::{Date, Time};

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    /// A 45-minute visit planned at 08:00 UTC on 1 December 2026 (GMT, so 08:00 in London).
    fn plan() -> DatedVisit {
        DatedVisit {
            package_id: PackageId::from_suffix("test").unwrap(),
            person_id: PersonId::from_suffix("test").unwrap(),
            date: Date::constant(2026, 12, 1),
            local_start: Time::constant(8, 0, 0, 0),
            starts_at: at("2026-12-01T08:00:00Z"),
            duration_minutes: 45,
            carers: 1,
        }
    }

    #[test]
    fn the_window_runs_from_two_hours_before_the_start_to_twelve_after_the_end() {
        let window = CallWindow::of(&plan());
        assert_eq!(window.opens, at("2026-12-01T06:00:00Z"));
        // 08:45 + 12 hours.
        assert_eq!(window.closes, at("2026-12-01T20:45:00Z"));
        // 08:45 + 48 hours.
        assert_eq!(window.sending_closes, at("2026-12-03T08:45:00Z"));
        let late_evening = at("2026-12-01T23:00:00Z");
        for inside in [
            "2026-12-01T06:00:00Z",
            "2026-12-01T08:03:00Z",
            "2026-12-01T20:45:00Z",
        ] {
            assert!(
                window.check_time("at", at(inside), late_evening).is_ok(),
                "{inside}"
            );
        }
        for outside in [
            "2026-12-01T05:59:59Z",
            "2026-12-01T20:45:01Z",
            "2099-01-01T00:00:00Z",
            "1900-01-01T00:00:00Z",
        ] {
            let error = window
                .check_time("check_in", at(outside), late_evening)
                .unwrap_err();
            assert_eq!(error.field, "check_in", "{outside}");
            assert!(
                error
                    .message
                    .contains("2026-12-01T06:00:00Z to 2026-12-01T20:45:00Z"),
                "{}",
                error.message
            );
        }
    }

    #[test]
    fn nothing_is_after_the_server_clock_beyond_five_minutes() {
        let window = CallWindow::of(&plan());
        let now = at("2026-12-01T08:10:00Z");
        assert!(
            window
                .check_time("at", at("2026-12-01T08:15:00Z"), now)
                .is_ok()
        );
        let error = window
            .check_time("at", at("2026-12-01T08:15:01Z"), now)
            .unwrap_err();
        assert_eq!(error.field, "at");
        assert!(
            error.message.starts_with("is in the future"),
            "{}",
            error.message
        );
        assert!(
            error.message.contains("2026-12-01T08:15:00Z"),
            "{}",
            error.message
        );
    }

    #[test]
    fn events_are_taken_until_two_days_after_the_planned_end() {
        let window = CallWindow::of(&plan());
        let check_in = at("2026-12-01T08:04:00Z");
        // A phone offline for a day gets through.
        assert!(
            window
                .check_event("at", check_in, at("2026-12-02T09:00:00Z"))
                .is_ok()
        );
        assert!(
            window
                .check_event("at", check_in, at("2026-12-03T08:45:00Z"))
                .is_ok()
        );
        let error = window
            .check_event("at", check_in, at("2026-12-03T08:45:01Z"))
            .unwrap_err();
        assert_eq!(error.field, "at");
        assert!(error.message.contains("48 hours"), "{}", error.message);
        // The time itself is judged first.
        let error = window
            .check_event("at", at("2026-12-05T00:00:00Z"), at("2026-12-06T00:00:00Z"))
            .unwrap_err();
        assert!(error.message.contains("window"), "{}", error.message);
    }
}
