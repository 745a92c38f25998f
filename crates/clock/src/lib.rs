//! The one clock Homeward reads: every "now" and "today" of a running server, and every instant
//! the store writes of its own accord, comes from the [`Clock`] it was given, so that tests and
//! the browser tests run on time they control, and "today" is always London's date, whatever
//! the machine's own time zone.
//!
//! A crate of its own because both the application and the store take it, and the store cannot
//! depend on the application.

use homeward_domain::london_date;
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use std::time::Instant;

/// Where the time comes from.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    source: Source,
}

#[derive(Debug, Clone, Copy)]
enum Source {
    /// The machine's clock: a server in service.
    System,
    /// One instant, for ever: a test that must see the same time at every read.
    Fixed(Timestamp),
    /// `start`, then running at the machine's pace from `started`: a demo or browser test that
    /// must run at a chosen time of day (visits are checked in around their planned times).
    Running { start: Timestamp, started: Instant },
}

impl Clock {
    /// The machine's clock.
    pub fn system() -> Clock {
        Clock {
            source: Source::System,
        }
    }

    /// A clock that always reads `at`.
    pub fn fixed(at: Timestamp) -> Clock {
        Clock {
            source: Source::Fixed(at),
        }
    }

    /// A clock that reads `start` now and runs on from it.
    pub fn starting_at(start: Timestamp) -> Clock {
        Clock {
            source: Source::Running {
                start,
                started: Instant::now(),
            },
        }
    }

    /// The time now, to the microsecond (as the store keeps instants, so that what is stored
    /// reads back the same).
    pub fn now(&self) -> Timestamp {
        let now = match self.source {
            Source::System => Timestamp::now(),
            Source::Fixed(at) => at,
            Source::Running { start, started } => {
                let elapsed =
                    SignedDuration::try_from(started.elapsed()).unwrap_or(SignedDuration::MAX);
                start.saturating_add(elapsed).unwrap_or(start)
            }
        };
        Timestamp::from_microsecond(now.as_microsecond()).unwrap_or(now)
    }

    /// Today's date in London.
    pub fn today(&self) -> Date {
        london_date(self.now())
    }
}

impl Default for Clock {
    fn default() -> Self {
        Clock::system()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    #[test]
    fn a_fixed_clock_always_reads_its_instant() {
        let clock = Clock::fixed(at("2026-12-07T10:00:00Z"));
        assert_eq!(clock.now(), at("2026-12-07T10:00:00Z"));
        assert_eq!(clock.now(), clock.now());
    }

    #[test]
    fn a_running_clock_starts_at_its_instant_and_moves_on() {
        let start = at("2026-12-07T10:00:00Z");
        let clock = Clock::starting_at(start);
        let first = clock.now();
        assert!(first >= start && first < start + SignedDuration::from_secs(60));
        std::thread::sleep(std::time::Duration::from_millis(5));
        assert!(clock.now() > first);
    }

    #[test]
    fn today_is_london_s_date_not_the_machine_s() {
        // 23:30 UTC on a summer Sunday is already Monday in London (BST).
        let clock = Clock::fixed(at("2026-06-28T23:30:00Z"));
        assert_eq!(clock.today(), jiff::civil::date(2026, 6, 29));
        // In winter London is on UTC.
        let clock = Clock::fixed(at("2026-12-06T23:30:00Z"));
        assert_eq!(clock.today(), jiff::civil::date(2026, 12, 6));
    }

    #[test]
    fn today_follows_the_clock_change() {
        // The clocks go back at 02:00 BST on 25 October 2026: 00:30 BST is 23:30 UTC the day before.
        let clock = Clock::fixed(at("2026-10-24T23:30:00Z"));
        assert_eq!(clock.today(), jiff::civil::date(2026, 10, 25));
        let clock = Clock::fixed(at("2026-10-25T23:30:00Z"));
        assert_eq!(clock.today(), jiff::civil::date(2026, 10, 25));
    }
}
