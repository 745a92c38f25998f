//! Call monitoring's rules: whether a visit was on time, late or missed, who is alerted and
//! when, and whether a call was short, judged from the planned start and length and the care
//! worker's check-in and check-out.
//!
//! All times are measured from the planned start `S`:
//! - a check-in from `S − window` to `S + window + late_tolerance` is on time, before it early,
//!   after it late (by how far past `S + window`);
//! - with no check-in by `S + window + late_tolerance` the visit is *running late*, and the
//!   provider is alerted; by `S + missed_after` it is *missed*, and the provider is alerted
//!   again; by `S + council_after` the council is alerted too;
//! - a call is short when it lasted under `short_call_minutes`, or under `short_share_percent`
//!   of the planned length.
//!
//! A check-in after the missed deadline still counts: the visit is then late, not missed, and
//! the alerts already raised stand.

use jiff::{SignedDuration, Timestamp};

/// The thresholds of call monitoring, in minutes (and a percentage).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonitoringRules {
    /// A visit may start this far either side of its planned time.
    pub window_minutes: u16,
    /// Past the window, this much more before a check-in is late.
    pub late_tolerance_minutes: u16,
    /// With no check-in this long after the planned start, the visit is missed.
    pub missed_after_minutes: u16,
    /// With no check-in this long after the planned start, the council is alerted.
    pub council_after_minutes: u16,
    /// A call shorter than this is short, whatever was planned.
    pub short_call_minutes: u16,
    /// A call shorter than this share of the planned length is short.
    pub short_share_percent: u8,
}

impl Default for MonitoringRules {
    /// A visit within 15 minutes of its time is on time, 15 more are allowed before it is late;
    /// missed after an hour, the council told after two; short under 15 minutes or under two
    /// thirds of the plan (the Ethical Care Charter's concern with 15-minute calls).
    fn default() -> Self {
        Self {
            window_minutes: 15,
            late_tolerance_minutes: 15,
            missed_after_minutes: 60,
            council_after_minutes: 120,
            short_call_minutes: 15,
            short_share_percent: 67,
        }
    }
}

/// When the care worker arrived, against the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Punctuality {
    /// Not yet due to be judged: no check-in, and not yet running late.
    Pending,
    /// Checked in before the window opened.
    Early {
        /// Minutes before the window opened.
        minutes: i64,
    },
    /// Checked in within the window and its tolerance.
    OnTime,
    /// Checked in late.
    Late {
        /// Minutes past the end of the window.
        minutes: i64,
    },
    /// No check-in, and past the late deadline: the worker is running late.
    RunningLate,
    /// No check-in by the missed deadline.
    Missed,
}

/// Who is told about a visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Alert {
    /// The provider: the visit is running late (no check-in past the late deadline).
    ProviderLate,
    /// The provider: the visit was missed.
    ProviderMissed,
    /// The council: the visit was missed and still nobody came by the council's deadline.
    CouncilMissed,
}

/// What monitoring makes of one visit at one moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    /// Arrival against the plan.
    pub punctuality: Punctuality,
    /// Alerts raised so far, in order of deadline.
    pub alerts: Vec<Alert>,
    /// Minutes between check-in and check-out, once both are known.
    pub actual_minutes: Option<i64>,
    /// Whether the call was short (known once checked out).
    pub short_call: bool,
}

/// What monitoring makes, at `now`, of a visit planned to start at `planned_start` for
/// `planned_minutes`, with the check-in and check-out recorded so far.
pub fn assess(
    rules: &MonitoringRules,
    planned_start: Timestamp,
    planned_minutes: u16,
    check_in: Option<Timestamp>,
    check_out: Option<Timestamp>,
    now: Timestamp,
) -> Assessment {
    let at = |minutes: u16| planned_start + SignedDuration::from_mins(i64::from(minutes));
    let window_opens = planned_start - SignedDuration::from_mins(i64::from(rules.window_minutes));
    let window_closes = at(rules.window_minutes);
    let late_deadline = at(rules.window_minutes + rules.late_tolerance_minutes);
    let missed_deadline = at(rules.missed_after_minutes);
    let council_deadline = at(rules.council_after_minutes);

    // Deadlines pass while nobody has checked in, up to the check-in if there is one.
    let waited_until = check_in.map_or(now, |arrived| arrived.min(now));
    let mut alerts = Vec::new();
    for (deadline, alert) in [
        (late_deadline, Alert::ProviderLate),
        (missed_deadline, Alert::ProviderMissed),
        (council_deadline, Alert::CouncilMissed),
    ] {
        if waited_until > deadline {
            alerts.push(alert);
        }
    }

    let punctuality = match check_in {
        Some(arrived) if arrived < window_opens => Punctuality::Early {
            minutes: minutes_between(arrived, window_opens),
        },
        Some(arrived) if arrived <= late_deadline => Punctuality::OnTime,
        Some(arrived) => Punctuality::Late {
            minutes: minutes_between(window_closes, arrived),
        },
        None if now > missed_deadline => Punctuality::Missed,
        None if now > late_deadline => Punctuality::RunningLate,
        None => Punctuality::Pending,
    };

    let actual_minutes = match (check_in, check_out) {
        (Some(arrived), Some(left)) if left >= arrived => Some(minutes_between(arrived, left)),
        _ => None,
    };
    let short_call = actual_minutes.is_some_and(|actual| {
        actual < i64::from(rules.short_call_minutes)
            || actual * 100 < i64::from(planned_minutes) * i64::from(rules.short_share_percent)
    });
    Assessment {
        punctuality,
        alerts,
        actual_minutes,
        short_call,
    }
}

/// Whole minutes from `from` to `to`, rounded down.
fn minutes_between(from: Timestamp, to: Timestamp) -> i64 {
    from.duration_until(to).as_mins()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 45-minute visit planned for 08:00 UTC on 1 June 2026, under the default rules: on time
    /// from 07:45 to 08:30, running late after 08:30, missed after 09:00, the council told
    /// after 10:00.
    fn at(time: &str) -> Timestamp {
        format!("2026-06-01T{time}:00Z").parse().unwrap()
    }

    fn judge(check_in: Option<&str>, check_out: Option<&str>, now: &str) -> Assessment {
        assess(
            &MonitoringRules::default(),
            at("08:00"),
            45,
            check_in.map(at),
            check_out.map(at),
            at(now),
        )
    }

    #[test]
    fn before_the_late_deadline_a_visit_without_check_in_is_pending() {
        let assessment = judge(None, None, "08:30");
        assert_eq!(assessment.punctuality, Punctuality::Pending);
        assert!(assessment.alerts.is_empty(), "08:30 is the deadline itself");
    }

    #[test]
    fn a_check_in_within_the_window_and_tolerance_is_on_time() {
        for arrived in ["07:45", "08:00", "08:15", "08:30"] {
            let assessment = judge(Some(arrived), None, "08:40");
            assert_eq!(assessment.punctuality, Punctuality::OnTime, "{arrived}");
            assert!(assessment.alerts.is_empty(), "{arrived}");
        }
    }

    #[test]
    fn before_the_window_a_check_in_is_early() {
        // 07:30 is 15 minutes before the window opens at 07:45.
        let assessment = judge(Some("07:30"), None, "07:35");
        assert_eq!(assessment.punctuality, Punctuality::Early { minutes: 15 });
    }

    #[test]
    fn past_the_tolerance_a_check_in_is_late_by_the_time_past_the_window() {
        // 08:31 is one minute past the tolerance, 16 past the window (08:15).
        let assessment = judge(Some("08:31"), None, "08:40");
        assert_eq!(assessment.punctuality, Punctuality::Late { minutes: 16 });
        assert_eq!(
            assessment.alerts,
            [Alert::ProviderLate],
            "raised at 08:30 +"
        );
    }

    #[test]
    fn nobody_by_the_late_deadline_raises_running_late_for_the_provider() {
        let assessment = judge(None, None, "08:31");
        assert_eq!(assessment.punctuality, Punctuality::RunningLate);
        assert_eq!(assessment.alerts, [Alert::ProviderLate]);
    }

    #[test]
    fn nobody_by_the_missed_deadline_is_missed_and_the_provider_told_again() {
        let assessment = judge(None, None, "09:01");
        assert_eq!(assessment.punctuality, Punctuality::Missed);
        assert_eq!(
            assessment.alerts,
            [Alert::ProviderLate, Alert::ProviderMissed]
        );
    }

    #[test]
    fn nobody_by_the_council_deadline_tells_the_council() {
        let assessment = judge(None, None, "10:01");
        assert_eq!(
            assessment.alerts,
            [
                Alert::ProviderLate,
                Alert::ProviderMissed,
                Alert::CouncilMissed
            ]
        );
        assert_eq!(
            judge(None, None, "10:00").alerts.len(),
            2,
            "the deadline itself"
        );
    }

    #[test]
    fn a_check_in_after_the_missed_deadline_is_late_and_the_alerts_stand() {
        // Arrived at 09:30: 75 minutes past the window; missed was raised at 09:00, the
        // council's deadline (10:00) never passed.
        let assessment = judge(Some("09:30"), Some("10:15"), "12:00");
        assert_eq!(assessment.punctuality, Punctuality::Late { minutes: 75 });
        assert_eq!(
            assessment.alerts,
            [Alert::ProviderLate, Alert::ProviderMissed]
        );
        assert_eq!(assessment.actual_minutes, Some(45));
        assert!(!assessment.short_call);
    }

    #[test]
    fn short_calls_are_under_fifteen_minutes_or_under_two_thirds_of_the_plan() {
        // 45 planned: two thirds (67%) is 30.15 minutes, so 30 is short and 31 is not.
        for (left, actual, short) in [
            ("08:14", 14, true),
            ("08:15", 15, true),
            ("08:30", 30, true),
            ("08:31", 31, false),
            ("08:45", 45, false),
        ] {
            let assessment = judge(Some("08:00"), Some(left), "09:00");
            assert_eq!(assessment.actual_minutes, Some(actual), "{left}");
            assert_eq!(assessment.short_call, short, "{left}");
        }
        // A planned 15-minute call is short only under 15 minutes.
        let quick = assess(
            &MonitoringRules::default(),
            at("08:00"),
            15,
            Some(at("08:00")),
            Some(at("08:14")),
            at("09:00"),
        );
        assert!(quick.short_call);
        let full = assess(
            &MonitoringRules::default(),
            at("08:00"),
            15,
            Some(at("08:00")),
            Some(at("08:15")),
            at("09:00"),
        );
        assert!(!full.short_call);
    }

    #[test]
    fn until_checked_out_there_is_no_length_and_no_short_call() {
        let assessment = judge(Some("08:00"), None, "08:05");
        assert_eq!(
            (assessment.actual_minutes, assessment.short_call),
            (None, false)
        );
    }
}
