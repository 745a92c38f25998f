//! A care package's weekly pattern of visits, in Europe/London wall-clock time.
//!
//! Written as text people can read and type, one slot per `;`:
//! `daily 07:30 45m x2; Mon,Thu 12:00 30m; Mon-Fri 19:00 1h`.
//! A slot is the days, the start time, the duration and, optionally, the number of carers.
//! Times are local: a visit at 07:30 stays at 07:30 across the clock changes.

use crate::FieldError;
use jiff::civil::Time;
use std::fmt;

const DAY_NAMES: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const EVERY_DAY: u8 = 0b111_1111;
const MIN_VISIT_MINUTES: u16 = 10;
const MAX_VISIT_MINUTES: u16 = 12 * 60;
const MAX_SLOTS: usize = 60;

/// One repeating visit: on these weekdays, at this local time, for this long, with this many carers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct VisitSlot {
    days: u8,
    start: Time,
    duration_minutes: u16,
    carers: u8,
}

impl VisitSlot {
    /// A slot on the weekdays in `days` (bit 0 Monday … bit 6 Sunday).
    pub fn new(
        days: u8,
        start: Time,
        duration_minutes: u16,
        carers: u8,
    ) -> Result<Self, FieldError> {
        let field = "visit_pattern";
        if days == 0 || days > EVERY_DAY {
            return Err(FieldError::new(field, "a visit needs at least one weekday"));
        }
        if start.second() != 0 || start.subsec_nanosecond() != 0 {
            return Err(FieldError::new(field, "visit times are whole minutes"));
        }
        if !(MIN_VISIT_MINUTES..=MAX_VISIT_MINUTES).contains(&duration_minutes) {
            return Err(FieldError::new(
                field,
                format!("a visit lasts {MIN_VISIT_MINUTES} minutes to 12 hours"),
            ));
        }
        if !(1..=2).contains(&carers) {
            return Err(FieldError::new(field, "a visit has one or two carers"));
        }
        Ok(Self {
            days,
            start,
            duration_minutes,
            carers,
        })
    }

    /// The weekdays as a bit set, bit 0 Monday.
    pub fn days(self) -> u8 {
        self.days
    }

    /// Whether the slot falls on weekday `index` (0 Monday … 6 Sunday).
    pub fn is_on(self, index: usize) -> bool {
        index < 7 && self.days & (1 << index) != 0
    }

    /// Local start time.
    pub fn start(self) -> Time {
        self.start
    }

    /// Length of each visit.
    pub fn duration_minutes(self) -> u16 {
        self.duration_minutes
    }

    /// Carers on each visit.
    pub fn carers(self) -> u8 {
        self.carers
    }

    /// Visits a week.
    pub fn visits_per_week(self) -> u32 {
        self.days.count_ones()
    }

    /// Carer minutes a week: visits × duration × carers.
    pub fn weekly_carer_minutes(self) -> u32 {
        self.visits_per_week() * u32::from(self.duration_minutes) * u32::from(self.carers)
    }
}

/// The visits a package buys each week; never empty.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct WeeklyPattern(Vec<VisitSlot>);

impl WeeklyPattern {
    /// A pattern from slots, put in the canonical order (by start time, then days).
    pub fn new(mut slots: Vec<VisitSlot>) -> Result<Self, FieldError> {
        if slots.is_empty() {
            return Err(FieldError::new("visit_pattern", "needs at least one visit"));
        }
        if slots.len() > MAX_SLOTS {
            return Err(FieldError::new(
                "visit_pattern",
                format!("has more than {MAX_SLOTS} slots"),
            ));
        }
        slots.sort_by_key(|slot| {
            (
                slot.start,
                slot.days.reverse_bits(),
                slot.duration_minutes,
                slot.carers,
            )
        });
        Ok(Self(slots))
    }

    /// Parses the text form described in the module documentation.
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        let slots = text
            .split(';')
            .map(str::trim)
            .filter(|slot| !slot.is_empty())
            .map(parse_slot)
            .collect::<Result<Vec<_>, _>>()?;
        Self::new(slots)
    }

    /// The slots, in canonical order.
    pub fn slots(&self) -> &[VisitSlot] {
        &self.0
    }

    /// Carer minutes a week over all slots: the package's commissioned time.
    pub fn weekly_carer_minutes(&self) -> u32 {
        self.0.iter().map(|slot| slot.weekly_carer_minutes()).sum()
    }

    /// Visits a week over all slots.
    pub fn visits_per_week(&self) -> u32 {
        self.0.iter().map(|slot| slot.visits_per_week()).sum()
    }
}

impl fmt::Display for WeeklyPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, slot) in self.0.iter().enumerate() {
            if index > 0 {
                f.write_str("; ")?;
            }
            write!(
                f,
                "{} {} {}",
                format_days(slot.days),
                format_clock(slot.start),
                format_duration(slot.duration_minutes)
            )?;
            if slot.carers > 1 {
                write!(f, " x{}", slot.carers)?;
            }
        }
        Ok(())
    }
}

fn parse_slot(text: &str) -> Result<VisitSlot, FieldError> {
    let field = "visit_pattern";
    let parts: Vec<&str> = text.split_whitespace().collect();
    let (days, time, duration, carers) = match parts.as_slice() {
        [days, time, duration] => (*days, *time, *duration, "x1"),
        [days, time, duration, carers] => (*days, *time, *duration, *carers),
        _ => {
            return Err(FieldError::new(
                field,
                format!("'{text}' must be 'DAYS HH:MM DURATION [x2]', e.g. 'Mon-Fri 07:30 45m'"),
            ));
        }
    };
    let days = parse_days(days).ok_or_else(|| {
        FieldError::new(
            field,
            format!("'{days}' is not a set of days such as daily, Mon-Fri or Sat,Sun"),
        )
    })?;
    let start = parse_clock(time, field)?;
    let duration = parse_duration(duration).ok_or_else(|| {
        FieldError::new(
            field,
            format!("'{duration}' is not a duration such as 30m or 1h15m"),
        )
    })?;
    let carers = carers
        .strip_prefix('x')
        .and_then(|count| count.parse::<u8>().ok())
        .ok_or_else(|| {
            FieldError::new(
                field,
                format!("'{carers}' is not a number of carers such as x2"),
            )
        })?;
    VisitSlot::new(days, start, duration, carers)
}

fn day_index(name: &str) -> Option<u8> {
    DAY_NAMES
        .iter()
        .position(|day| day.eq_ignore_ascii_case(name))
        .map(|index| index as u8)
}

fn parse_days(text: &str) -> Option<u8> {
    if text.eq_ignore_ascii_case("daily") {
        return Some(EVERY_DAY);
    }
    let mut days = 0u8;
    for part in text.split(',') {
        match part.split_once('-') {
            Some((from, to)) => {
                let (from, to) = (day_index(from)?, day_index(to)?);
                if from > to {
                    return None;
                }
                for index in from..=to {
                    days |= 1 << index;
                }
            }
            None => days |= 1 << day_index(part)?,
        }
    }
    Some(days)
}

fn format_days(days: u8) -> String {
    if days == EVERY_DAY {
        return "daily".into();
    }
    let mut parts = Vec::new();
    let mut index = 0;
    while index < 7 {
        if days & (1 << index) == 0 {
            index += 1;
            continue;
        }
        let run_start = index;
        while index + 1 < 7 && days & (1 << (index + 1)) != 0 {
            index += 1;
        }
        match index - run_start {
            0 => parts.push(DAY_NAMES[run_start].to_owned()),
            1 => parts.extend([DAY_NAMES[run_start].to_owned(), DAY_NAMES[index].to_owned()]),
            _ => parts.push(format!("{}-{}", DAY_NAMES[run_start], DAY_NAMES[index])),
        }
        index += 1;
    }
    parts.join(",")
}

/// A local time of day as the pattern writes it: `07:30`.
pub fn format_clock(time: Time) -> String {
    format!("{:02}:{:02}", time.hour(), time.minute())
}

/// Reads a time of day written as [`format_clock`] writes it, for `field`.
pub fn parse_clock(text: &str, field: &str) -> Result<Time, FieldError> {
    parse_time(text)
        .ok_or_else(|| FieldError::new(field, format!("'{text}' is not a time such as 07:30")))
}

fn parse_time(text: &str) -> Option<Time> {
    let (hour, minute) = text.split_once(':')?;
    if hour.len() != 2 || minute.len() != 2 {
        return None;
    }
    Time::new(hour.parse().ok()?, minute.parse().ok()?, 0, 0).ok()
}

fn parse_duration(text: &str) -> Option<u16> {
    let (hours, rest) = match text.split_once('h') {
        Some((hours, rest)) => (hours.parse::<u16>().ok()?, rest),
        None => (0, text),
    };
    let minutes = if rest.is_empty() {
        0
    } else {
        rest.strip_suffix('m')?.parse::<u16>().ok()?
    };
    hours.checked_mul(60)?.checked_add(minutes)
}

fn format_duration(minutes: u16) -> String {
    match (minutes / 60, minutes % 60) {
        (0, minutes) => format!("{minutes}m"),
        (hours, 0) => format!("{hours}h"),
        (hours, minutes) => format!("{hours}h{minutes}m"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_canonically() {
        let pattern =
            WeeklyPattern::parse("mon-fri 19:00 60m; daily 07:30 45m x2;Mon,Thu 12:00 30m")
                .unwrap();
        assert_eq!(
            pattern.to_string(),
            "daily 07:30 45m x2; Mon,Thu 12:00 30m; Mon-Fri 19:00 1h"
        );
        assert_eq!(WeeklyPattern::parse(&pattern.to_string()).unwrap(), pattern);
    }

    #[test]
    fn clock_times_round_trip() {
        let time = Time::constant(7, 5, 0, 0);
        assert_eq!(format_clock(time), "07:05");
        assert_eq!(parse_clock("07:05", "local_start").unwrap(), time);
        assert_eq!(
            parse_clock("7h05", "local_start").unwrap_err().field,
            "local_start"
        );
    }

    #[test]
    fn weekly_minutes_count_every_carer() {
        // 7 × 45 × 2 = 630, 2 × 30 = 60, 5 × 60 = 300: 990 carer minutes, 14 visits.
        let pattern =
            WeeklyPattern::parse("daily 07:30 45m x2; Mon,Thu 12:00 30m; Mon-Fri 19:00 1h")
                .unwrap();
        assert_eq!(pattern.weekly_carer_minutes(), 990);
        assert_eq!(pattern.visits_per_week(), 14);
    }

    #[test]
    fn day_sets_collapse_runs_of_three_or_more() {
        assert_eq!(format_days(0b110_0000), "Sat,Sun");
        assert_eq!(format_days(0b101_0111), "Mon-Wed,Fri,Sun");
        assert_eq!(parse_days("Fri-Mon"), None);
    }

    #[test]
    fn bad_slots_say_what_is_wrong() {
        let cases = [
            ("", "needs at least one visit"),
            ("daily 7:30 45m", "not a time"),
            ("daily 07:30 45", "not a duration"),
            ("Someday 07:30 45m", "not a set of days"),
            ("daily 07:30 5m", "10 minutes to 12 hours"),
            ("daily 07:30 30m x3", "one or two carers"),
            ("daily 07:30", "must be 'DAYS HH:MM DURATION"),
        ];
        for (text, expected) in cases {
            let error = WeeklyPattern::parse(text).unwrap_err();
            assert_eq!(error.field, "visit_pattern");
            assert!(
                error.message.contains(expected),
                "{text}: {}",
                error.message
            );
        }
    }

    #[test]
    fn durations_read_hours_and_minutes() {
        assert_eq!(parse_duration("1h15m"), Some(75));
        assert_eq!(parse_duration("2h"), Some(120));
        assert_eq!(parse_duration("h"), None);
        assert_eq!(format_duration(75), "1h15m");
    }
}
