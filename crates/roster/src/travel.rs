//! Dense travel-time matrices, one per travel mode a worker uses, built from the problem's
//! [`Travel`] once before solving.

use crate::{Mode, Rounding, Travel};

/// Earth's mean radius in kilometres (IUGG), for the haversine distance.
const EARTH_RADIUS_KM: f64 = 6371.0088;

/// A square matrix of travel times between places, row-major.
#[derive(Debug, Clone)]
pub(crate) struct Matrix {
    size: usize,
    times: Vec<f64>,
}

impl Matrix {
    /// Travel time from place `from` to place `to`.
    #[inline]
    pub(crate) fn time(&self, from: usize, to: usize) -> f64 {
        self.times[from * self.size + to]
    }

    fn from_fn(size: usize, time: impl Fn(usize, usize) -> f64) -> Self {
        let mut times = Vec::with_capacity(size * size);
        for from in 0..size {
            for to in 0..size {
                times.push(if from == to { 0.0 } else { time(from, to) });
            }
        }
        Self { size, times }
    }
}

/// Number of places a travel description knows.
pub(crate) fn place_count(travel: &Travel) -> usize {
    match travel {
        Travel::Euclidean { places, .. } | Travel::Geographic { places, .. } => places.len(),
        Travel::Matrix { car, .. } => car.len(),
    }
}

/// The matrix for one travel mode.
pub(crate) fn matrix(travel: &Travel, mode: Mode) -> Matrix {
    match travel {
        Travel::Euclidean { places, rounding } => Matrix::from_fn(places.len(), |a, b| {
            let distance = (places[a][0] - places[b][0]).hypot(places[a][1] - places[b][1]);
            match rounding {
                Rounding::Exact => distance,
                Rounding::TruncateTenth => (distance * 10.0).floor() / 10.0,
            }
        }),
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
            Matrix::from_fn(places.len(), |a, b| {
                haversine_km(places[a], places[b]) * detour_factor / speed * 60.0
            })
        }
        Travel::Matrix { car, bike, foot } => {
            let chosen = match mode {
                Mode::Car => car,
                Mode::Bike => bike.as_ref().unwrap_or(car),
                Mode::Foot => foot.as_ref().unwrap_or(car),
            };
            Matrix::from_fn(chosen.len(), |a, b| chosen[a][b])
        }
    }
}

/// Great-circle distance between two `[latitude, longitude]` points in degrees.
pub(crate) fn haversine_km(a: [f64; 2], b: [f64; 2]) -> f64 {
    let (lat_a, lat_b) = (a[0].to_radians(), b[0].to_radians());
    let half_dlat = (lat_b - lat_a) / 2.0;
    let half_dlon = (b[1] - a[1]).to_radians() / 2.0;
    let h = half_dlat.sin().powi(2) + lat_a.cos() * lat_b.cos() * half_dlon.sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Speeds;

    #[test]
    fn truncated_euclidean_drops_the_second_decimal() {
        let travel = Travel::Euclidean {
            places: vec![[0.0, 0.0], [1.0, 1.0]],
            rounding: Rounding::TruncateTenth,
        };
        assert_eq!(matrix(&travel, Mode::Car).time(0, 1), 1.4);
    }

    #[test]
    fn walking_a_kilometre_takes_the_speed_s_minutes() {
        // One degree of latitude is 111.195 km on this sphere; 0.01° is 1.11195 km.
        let travel = Travel::Geographic {
            places: vec![[52.0, -1.0], [52.01, -1.0]],
            detour_factor: 1.0,
            speeds: Speeds::default(),
        };
        let minutes = matrix(&travel, Mode::Foot).time(0, 1);
        assert!((minutes - 1.111_95 / 4.8 * 60.0).abs() < 1e-3, "{minutes}");
        let by_car = matrix(&travel, Mode::Car).time(1, 0);
        assert!((by_car - 1.111_95 / 30.0 * 60.0).abs() < 1e-3, "{by_car}");
    }

    #[test]
    fn a_missing_mode_matrix_falls_back_to_the_car_s() {
        let travel = Travel::Matrix {
            car: vec![vec![0.0, 7.0], vec![9.0, 0.0]],
            bike: None,
            foot: Some(vec![vec![0.0, 20.0], vec![25.0, 0.0]]),
        };
        assert_eq!(matrix(&travel, Mode::Bike).time(1, 0), 9.0);
        assert_eq!(matrix(&travel, Mode::Foot).time(0, 1), 20.0);
    }
}
