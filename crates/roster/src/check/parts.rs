//! The parts of a visit: how many it has, and each part's skills, duration and name.

use crate::Visit;

/// How many parts a visit has: two for two carers, otherwise one.
pub(super) fn part_count(visit: &Visit) -> u8 {
    if visit.carers == 2 { 2 } else { 1 }
}

pub(super) fn part_skills(visit: &Visit, part: u8) -> &[String] {
    let second = visit.second.as_ref().and_then(|s| s.skills.as_ref());
    match second {
        Some(skills) if part == 1 => skills,
        _ => &visit.skills,
    }
}

pub(super) fn part_duration(visit: &Visit, part: u8) -> f64 {
    let second = visit.second.as_ref().and_then(|s| s.duration);
    match second {
        Some(duration) if part == 1 => duration,
        _ => visit.duration,
    }
}

pub(super) fn part_name(visit: &Visit, part: u8) -> String {
    if part_count(visit) == 2 {
        format!("visit {} part {part}", visit.id)
    } else {
        format!("visit {}", visit.id)
    }
}
