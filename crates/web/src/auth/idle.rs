//! When a session left unused ends. A session lasts a working day at most (sign-in's
//! `SESSION_HOURS`), but one left open on a shared computer or a lost phone must not last that
//! long: after [`IDLE_TIMEOUT`] without a request it no longer signs anyone in. Each request
//! tells the store the session was used, but at most once every [`TOUCH_EVERY`], so that
//! browsing costs no write per request; a session is therefore ended between 29 and 30
//! minutes after its last use, never later.

use jiff::{SignedDuration, Timestamp};

/// How long a session may go unused: 30 minutes, ASVS's level 2 bound, which a care worker's
/// phone page (sending every 20 seconds while open) and a coordinator at work never reach.
pub const IDLE_TIMEOUT: SignedDuration = SignedDuration::from_mins(30);
/// How often a session's last use is written, at most.
pub const TOUCH_EVERY: SignedDuration = SignedDuration::from_mins(1);

/// Whether a session last seen at `last_seen` has been unused too long at `now`.
pub fn is_idle(last_seen: Timestamp, now: Timestamp) -> bool {
    now.duration_since(last_seen) >= IDLE_TIMEOUT
}

/// Whether a use at `now` of a session last seen at `last_seen` is worth writing down.
pub fn due_for_touch(last_seen: Timestamp, now: Timestamp) -> bool {
    now.duration_since(last_seen) >= TOUCH_EVERY
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_ends_after_thirty_minutes_unused_and_is_touched_once_a_minute() {
        let seen = Timestamp::from_second(1_800_000_000).unwrap();
        let after = |seconds: i64| seen + SignedDuration::from_secs(seconds);
        assert!(!is_idle(seen, after(29 * 60 + 59)));
        assert!(is_idle(seen, after(30 * 60)));
        assert!(!due_for_touch(seen, after(59)));
        assert!(due_for_touch(seen, after(60)));
        // A clock that went back never makes a session idle or writes.
        assert!(!is_idle(seen, after(-3600)));
        assert!(!due_for_touch(seen, after(-3600)));
    }
}
