//! Turns a package's weekly minutes into a weekly pattern of visits that peaks in the morning
//! and the evening, and adds up to exactly those minutes.

use homeward_domain::{VisitSlot, WeeklyPattern};
use jiff::civil::Time;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

const EVERY_DAY: u8 = 0b111_1111;
const WEDNESDAY: u8 = 0b000_0100;
const QUARTER_HOUR: u32 = 15;

/// Daily visit times in the order care is added: morning first, then bedtime, lunch and tea,
/// each as the earliest start and the number of quarter hours it may move later.
const DAILY_SLOTS: [(i8, i8, u32); 4] = [(7, 0, 10), (19, 30, 8), (12, 0, 6), (16, 30, 6)];

/// Weekday sets for care on fewer than seven days: two days, three, and so on.
const SPREAD_DAYS: [u8; 6] = [
    WEDNESDAY, 0b000_1001, 0b001_0101, 0b001_1011, 0b001_1111, 0b011_1111,
];

/// A pattern with `carers` on every visit whose carer minutes add up to `weekly_minutes`.
///
/// `weekly_minutes` must be a positive multiple of 15 × `carers`, at least 30 × `carers`.
pub(crate) fn build(rng: &mut ChaCha8Rng, weekly_minutes: u32, carers: u8) -> WeeklyPattern {
    let minutes_per_carer = weekly_minutes / u32::from(carers);
    let mut slots = Vec::new();
    if minutes_per_carer < 7 * 30 {
        // Less than half an hour a day: a few longer visits in the week (shopping, a bath, a sit).
        let visits = (minutes_per_carer / 30).clamp(1, 6);
        let base = minutes_per_carer / visits / QUARTER_HOUR * QUARTER_HOUR;
        let first = minutes_per_carer - base * (visits - 1);
        let days = SPREAD_DAYS[visits as usize - 1];
        let start = start_time(rng, 10, 0, 6);
        // The first weekday carries any remainder, so the total is exact.
        let first_day = 1 << days.trailing_zeros();
        push(&mut slots, first_day, start, first, carers);
        if visits > 1 {
            push(&mut slots, days & !first_day, start, base, carers);
        }
    } else {
        let daily = minutes_per_carer / 7 / QUARTER_HOUR * QUARTER_HOUR;
        let extra = minutes_per_carer - daily * 7;
        // About 40 minutes a visit: 75 minutes a day is a morning and a bedtime call.
        let visits = ((daily + 20) / 40).clamp(1, 4).min(daily / QUARTER_HOUR);
        let base = daily / visits / QUARTER_HOUR * QUARTER_HOUR;
        let mut remainder = daily - base * visits;
        for &(hour, minute, spread) in DAILY_SLOTS.iter().take(visits as usize) {
            // The morning visit, first in the list, takes what does not divide evenly.
            let duration = base + std::mem::take(&mut remainder);
            push(
                &mut slots,
                EVERY_DAY,
                start_time(rng, hour, minute, spread),
                duration,
                carers,
            );
        }
        if extra > 0 {
            push(
                &mut slots,
                WEDNESDAY,
                start_time(rng, 10, 30, 4),
                extra,
                carers,
            );
        }
    }
    WeeklyPattern::new(slots).expect("generated slots are valid")
}

fn push(slots: &mut Vec<VisitSlot>, days: u8, start: Time, minutes: u32, carers: u8) {
    // A visit lasts at most 12 hours; longer daily care is split into back-to-back visits.
    let mut left = minutes;
    let mut start = start;
    while left > 0 {
        let duration = left.min(12 * 60);
        slots.push(
            VisitSlot::new(days, start, duration as u16, carers).expect("generated slot is valid"),
        );
        left -= duration;
        start = start.wrapping_add(jiff::SignedDuration::from_mins(i64::from(duration)));
    }
}

fn start_time(rng: &mut ChaCha8Rng, hour: i8, minute: i8, spread_quarters: u32) -> Time {
    let offset = rng.random_range(0..=spread_quarters) * QUARTER_HOUR;
    Time::constant(hour, minute, 0, 0)
        .wrapping_add(jiff::SignedDuration::from_mins(i64::from(offset)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::stream;

    #[test]
    fn every_size_adds_up_exactly() {
        let mut rng = stream(3, "test");
        for quarters in 2..=400u32 {
            let minutes = quarters * QUARTER_HOUR;
            let pattern = build(&mut rng, minutes, 1);
            assert_eq!(
                pattern.weekly_carer_minutes(),
                minutes,
                "{minutes}: {pattern}"
            );
            if quarters % 2 == 0 && minutes >= 60 {
                let double = build(&mut rng, minutes, 2);
                assert_eq!(
                    double.weekly_carer_minutes(),
                    minutes,
                    "{minutes}: {double}"
                );
                assert!(double.slots().iter().all(|slot| slot.carers() == 2));
            }
        }
    }

    #[test]
    fn ten_hours_a_week_is_daily_care_morning_first() {
        let mut rng = stream(3, "test");
        let pattern = build(&mut rng, 600, 1);
        // 600 / 7 = 85.7, so 75 minutes a day in two visits (45 + 30) and 75 more on Wednesday.
        let daily: Vec<_> = pattern
            .slots()
            .iter()
            .filter(|slot| slot.days() == EVERY_DAY)
            .collect();
        assert_eq!(daily.len(), 2);
        assert!(
            daily[0].start().hour() < 10 && daily[0].duration_minutes() == 45,
            "{pattern}"
        );
        assert!(daily[1].start().hour() >= 19, "{pattern}");
        assert_eq!(pattern.weekly_carer_minutes(), 600);
    }

    #[test]
    fn an_hour_a_week_is_two_visits() {
        let mut rng = stream(3, "test");
        let pattern = build(&mut rng, 60, 1);
        assert_eq!(pattern.visits_per_week(), 2);
    }
}
