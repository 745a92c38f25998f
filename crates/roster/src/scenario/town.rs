//! The town: a centre and its neighbourhoods, and places scattered around them.
//!
//! Places are drawn as kilometre offsets east and north of the town centre and turned into
//! latitude and longitude only at the end, so that distances are easy to reason about.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::draw::{chance, normal, weighted_index};

/// Latitude of the town centre (Nottingham's Old Market Square, roughly).
pub(super) const CENTRE_LATITUDE: f64 = 52.95;
/// Longitude of the town centre.
pub(super) const CENTRE_LONGITUDE: f64 = -1.15;
/// Radius of the branch's patch, in km: places lie within about 8 km of each other.
pub(super) const PATCH_RADIUS: f64 = 4.0;
/// Kilometres per degree of latitude.
const KM_PER_DEGREE: f64 = 111.195;

/// A point as kilometres east and north of the centre.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Point {
    /// Kilometres east.
    pub east: f64,
    /// Kilometres north.
    pub north: f64,
}

impl Point {
    /// The centre.
    pub const CENTRE: Point = Point {
        east: 0.0,
        north: 0.0,
    };

    /// Straight-line distance to `other`, in km (flat-earth, fine at town scale).
    pub fn distance(self, other: Point) -> f64 {
        (self.east - other.east).hypot(self.north - other.north)
    }

    /// `[latitude, longitude]` in degrees, to the micro-degree (about 10 cm), as Homeward
    /// stores coordinates; such numbers also survive JSON unchanged.
    pub fn degrees(self) -> [f64; 2] {
        let latitude = CENTRE_LATITUDE + self.north / KM_PER_DEGREE;
        let longitude =
            CENTRE_LONGITUDE + self.east / (KM_PER_DEGREE * CENTRE_LATITUDE.to_radians().cos());
        [micro(latitude), micro(longitude)]
    }

    /// The same direction from the centre, pulled in to at most `radius` km.
    fn within(self, radius: f64) -> Point {
        let distance = self.distance(Point::CENTRE);
        if distance <= radius {
            return self;
        }
        let scale = radius / distance;
        Point {
            east: self.east * scale,
            north: self.north * scale,
        }
    }
}

/// `degrees` rounded to the nearest micro-degree.
fn micro(degrees: f64) -> f64 {
    (degrees * 1e6).round() / 1e6
}

/// A neighbourhood: where people cluster, and how many live there relative to the others.
#[derive(Debug, Clone, Copy)]
pub(super) struct Neighbourhood {
    /// Its centre.
    pub centre: Point,
    /// How tightly its homes cluster (standard deviation, km).
    pub spread: f64,
    /// Relative share of the people.
    pub weight: f64,
}

/// The town centre and seven neighbourhoods around it, the centre the densest.
pub(super) fn neighbourhoods(rng: &mut ChaCha8Rng) -> Vec<Neighbourhood> {
    let mut all = vec![Neighbourhood {
        centre: Point::CENTRE,
        spread: 0.8,
        weight: 3.0,
    }];
    let turn = rng.random::<f64>() * std::f64::consts::TAU;
    for index in 0..7 {
        let angle = turn + index as f64 * std::f64::consts::TAU / 7.0 + 0.3 * normal(rng);
        let radius = rng.random_range(1.4..3.3);
        all.push(Neighbourhood {
            centre: Point {
                east: radius * angle.cos(),
                north: radius * angle.sin(),
            },
            spread: rng.random_range(0.4..0.8),
            weight: rng.random_range(1.0..2.0),
        });
    }
    all
}

/// A point around `centre` with standard deviation `spread`, kept inside `radius` of the town
/// centre.
pub(super) fn near(rng: &mut ChaCha8Rng, centre: Point, spread: f64, radius: f64) -> Point {
    Point {
        east: centre.east + spread * normal(rng),
        north: centre.north + spread * normal(rng),
    }
    .within(radius)
}

/// Anywhere in a disc of `radius` km around the centre, uniformly.
pub(super) fn anywhere(rng: &mut ChaCha8Rng, radius: f64) -> Point {
    let angle = rng.random::<f64>() * std::f64::consts::TAU;
    let distance = radius * rng.random::<f64>().sqrt();
    Point {
        east: distance * angle.cos(),
        north: distance * angle.sin(),
    }
}

/// A person's home: in a neighbourhood (85%) or anywhere in the patch.
pub(super) fn home(rng: &mut ChaCha8Rng, neighbourhoods: &[Neighbourhood]) -> Point {
    if chance(rng, 0.15) {
        return anywhere(rng, PATCH_RADIUS);
    }
    let weights: Vec<f64> = neighbourhoods.iter().map(|n| n.weight).collect();
    let chosen = neighbourhoods[weighted_index(rng, &weights).unwrap_or(0)];
    near(rng, chosen.centre, chosen.spread, PATCH_RADIUS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::draw::stream;

    #[test]
    fn homes_stay_in_the_patch() {
        let mut rng = stream(1, "town");
        let hoods = neighbourhoods(&mut rng);
        for _ in 0..1000 {
            assert!(home(&mut rng, &hoods).distance(Point::CENTRE) <= PATCH_RADIUS + 1e-9);
        }
    }

    #[test]
    fn a_kilometre_north_is_about_a_hundredth_of_a_degree() {
        let [latitude, longitude] = Point {
            east: 0.0,
            north: 1.0,
        }
        .degrees();
        assert_eq!(latitude, 52.958_993);
        assert_eq!(longitude, CENTRE_LONGITUDE);
    }
}
