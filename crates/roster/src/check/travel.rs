//! Travel, computed here afresh so that the solver's travel is checked too: the checker's own
//! place count and travel times, sharing nothing with the solver's.

use crate::{Mode, Rounding, Travel};

/// Radius of the sphere used for great-circle distances, in km (the mean Earth radius).
pub(super) const EARTH_RADIUS_KM: f64 = 6371.0088;

pub(super) fn place_count(travel: &Travel) -> usize {
    match travel {
        Travel::Euclidean { places, .. } | Travel::Geographic { places, .. } => places.len(),
        Travel::Matrix { car, .. } => car.len(),
    }
}

/// Travel time from place `from` to place `to` for a worker travelling by `mode`; `0` for a
/// place that does not exist (reported by `check_places`).
pub(super) fn travel_time(travel: &Travel, mode: Mode, from: usize, to: usize) -> f64 {
    match travel {
        Travel::Euclidean { places, rounding } => euclidean(places, *rounding, from, to),
        Travel::Geographic {
            places,
            detour_factor,
            speeds,
        } => {
            let speed = match mode {
                Mode::Car => speeds.car,
                Mode::Bike => speeds.bike,
                Mode::Foot => speeds.foot,
            };
            great_circle_km(places, from, to) * detour_factor / speed * 60.0
        }
        Travel::Matrix { car, bike, foot } => {
            let matrix = match mode {
                Mode::Car => car,
                Mode::Bike => bike.as_ref().unwrap_or(car),
                Mode::Foot => foot.as_ref().unwrap_or(car),
            };
            matrix
                .get(from)
                .and_then(|row| row.get(to))
                .copied()
                .unwrap_or(0.0)
        }
    }
}

fn euclidean(places: &[[f64; 2]], rounding: Rounding, from: usize, to: usize) -> f64 {
    let (Some(a), Some(b)) = (places.get(from), places.get(to)) else {
        return 0.0;
    };
    let d = (a[0] - b[0]).hypot(a[1] - b[1]);
    match rounding {
        Rounding::Exact => d,
        Rounding::TruncateTenth => (10.0 * d).floor() / 10.0,
    }
}

/// Haversine distance between two `[latitude, longitude]` places in degrees, in km.
fn great_circle_km(places: &[[f64; 2]], from: usize, to: usize) -> f64 {
    let (Some(a), Some(b)) = (places.get(from), places.get(to)) else {
        return 0.0;
    };
    let (lat1, lat2) = (a[0].to_radians(), b[0].to_radians());
    let half_dlat = (lat2 - lat1) / 2.0;
    let half_dlon = (b[1] - a[1]).to_radians() / 2.0;
    let h = half_dlat.sin().powi(2) + lat1.cos() * lat2.cos() * half_dlon.sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.clamp(0.0, 1.0).sqrt().asin()
}
