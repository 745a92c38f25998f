//! How the pages write dates, times of day and lengths of time, so that every page writes them
//! alike.

use homeward_domain::london;
use jiff::Timestamp;
use jiff::civil::Date;

/// A date as the pages write it: "Tuesday 27 October 2026".
pub fn long_date(date: Date) -> String {
    date.strftime("%A %-d %B %Y").to_string()
}

/// An instant's London wall-clock time, "08:05".
pub fn clock(at: Timestamp) -> String {
    at.to_zoned(london().clone()).strftime("%H:%M").to_string()
}

/// Minutes as "2 h 05 min" or "35 min".
pub fn duration(minutes: u32) -> String {
    if minutes >= 60 {
        format!("{} h {:02} min", minutes / 60, minutes % 60)
    } else {
        format!("{minutes} min")
    }
}
