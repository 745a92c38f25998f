//! Places on the ground, in integer micro-degrees (WGS 84).

use crate::FieldError;
use std::fmt;

const MEAN_EARTH_RADIUS_KM: f64 = 6_371.008_8;

/// A point as latitude and longitude in millionths of a degree (about 11 cm at UK latitudes).
///
/// Integers, not floats, so a point survives every database and file format unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Coordinates {
    latitude_e6: i32,
    longitude_e6: i32,
}

impl Coordinates {
    /// A point from micro-degrees; `None` when outside the valid ranges.
    pub fn from_micro_degrees(latitude_e6: i64, longitude_e6: i64) -> Option<Self> {
        let valid = (-90_000_000..=90_000_000).contains(&latitude_e6)
            && (-180_000_000..=180_000_000).contains(&longitude_e6);
        valid.then_some(Self {
            latitude_e6: latitude_e6 as i32,
            longitude_e6: longitude_e6 as i32,
        })
    }

    /// A point from decimal degrees, rounded to the nearest micro-degree.
    pub fn from_degrees(latitude: f64, longitude: f64) -> Option<Self> {
        if !latitude.is_finite() || !longitude.is_finite() {
            return None;
        }
        Self::from_micro_degrees(
            (latitude * 1e6).round() as i64,
            (longitude * 1e6).round() as i64,
        )
    }

    /// Parses decimal degrees for the named latitude and longitude fields.
    pub fn parse(
        latitude: &str,
        longitude: &str,
        latitude_field: &str,
        longitude_field: &str,
    ) -> Result<Self, FieldError> {
        let latitude_e6 = parse_micro_degrees(latitude, latitude_field, 90)?;
        let longitude_e6 = parse_micro_degrees(longitude, longitude_field, 180)?;
        Ok(Self {
            latitude_e6,
            longitude_e6,
        })
    }

    /// Latitude in micro-degrees.
    pub fn latitude_e6(self) -> i32 {
        self.latitude_e6
    }

    /// Longitude in micro-degrees.
    pub fn longitude_e6(self) -> i32 {
        self.longitude_e6
    }

    /// Latitude in degrees.
    pub fn latitude(self) -> f64 {
        f64::from(self.latitude_e6) / 1e6
    }

    /// Longitude in degrees.
    pub fn longitude(self) -> f64 {
        f64::from(self.longitude_e6) / 1e6
    }

    /// Latitude as fixed-point text with six decimals, as files carry it.
    pub fn latitude_text(self) -> String {
        micro_degrees_text(self.latitude_e6)
    }

    /// Longitude as fixed-point text with six decimals, as files carry it.
    pub fn longitude_text(self) -> String {
        micro_degrees_text(self.longitude_e6)
    }

    /// Great-circle distance in kilometres (haversine on the mean Earth radius).
    pub fn distance_km(self, other: Coordinates) -> f64 {
        let (lat1, lat2) = (self.latitude().to_radians(), other.latitude().to_radians());
        let half_dlat = (lat2 - lat1) / 2.0;
        let half_dlon = (other.longitude() - self.longitude()).to_radians() / 2.0;
        let a = half_dlat.sin().powi(2) + lat1.cos() * lat2.cos() * half_dlon.sin().powi(2);
        2.0 * MEAN_EARTH_RADIUS_KM * a.sqrt().asin()
    }

    /// The point `north_km` north and `east_km` east of this one (flat-Earth offset, fine for a county).
    pub fn offset_km(self, north_km: f64, east_km: f64) -> Coordinates {
        let km_per_degree = MEAN_EARTH_RADIUS_KM.to_radians();
        let latitude = self.latitude() + north_km / km_per_degree;
        let longitude =
            self.longitude() + east_km / (km_per_degree * self.latitude().to_radians().cos());
        Self::from_degrees(latitude.clamp(-90.0, 90.0), longitude.clamp(-180.0, 180.0))
            .unwrap_or(self)
    }
}

impl fmt::Display for Coordinates {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}, {}", self.latitude_text(), self.longitude_text())
    }
}

fn micro_degrees_text(value: i32) -> String {
    let sign = if value < 0 { "-" } else { "" };
    let magnitude = value.unsigned_abs();
    format!(
        "{sign}{}.{:06}",
        magnitude / 1_000_000,
        magnitude % 1_000_000
    )
}

/// Exact decimal parsing, so that `50.785` is 50 785 000 micro-degrees with no float rounding.
fn parse_micro_degrees(text: &str, field: &str, limit_degrees: i64) -> Result<i32, FieldError> {
    let text = text.trim();
    let invalid = || {
        FieldError::new(
            field,
            format!(
                "'{text}' is not a number of degrees between -{limit_degrees} and {limit_degrees}"
            ),
        )
    };
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = |part: &str| part.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty()
        || whole.len() > 3
        || fraction.len() > 6
        || !all_digits(whole)
        || !all_digits(fraction)
    {
        return Err(invalid());
    }
    let whole: i64 = whole.parse().map_err(|_| invalid())?;
    let fraction_e6: i64 = format!("{fraction:0<6}").parse().map_err(|_| invalid())?;
    let magnitude = whole * 1_000_000 + fraction_e6;
    if magnitude > limit_degrees * 1_000_000 {
        return Err(invalid());
    }
    Ok(if negative { -magnitude } else { magnitude } as i32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_exact_decimals_and_prints_six_places() {
        let point = Coordinates::parse("50.785", "-0.66", "latitude", "longitude").unwrap();
        assert_eq!(
            (point.latitude_e6(), point.longitude_e6()),
            (50_785_000, -660_000)
        );
        assert_eq!(point.to_string(), "50.785000, -0.660000");
        assert_eq!(
            Coordinates::parse("-0.000001", "0", "a", "b")
                .unwrap()
                .latitude_text(),
            "-0.000001"
        );
    }

    #[test]
    fn rejects_out_of_range_and_malformed() {
        assert_eq!(
            Coordinates::parse("91", "0", "latitude", "longitude")
                .unwrap_err()
                .field,
            "latitude"
        );
        assert_eq!(
            Coordinates::parse("50", "east", "latitude", "longitude")
                .unwrap_err()
                .field,
            "longitude"
        );
        assert!(Coordinates::parse("50.1234567", "0", "latitude", "longitude").is_err());
        assert!(Coordinates::from_degrees(f64::NAN, 0.0).is_none());
    }

    #[test]
    fn distance_between_chichester_and_worthing_is_about_30_km() {
        let chichester = Coordinates::from_degrees(50.8365, -0.7792).unwrap();
        let worthing = Coordinates::from_degrees(50.8179, -0.3729).unwrap();
        let km = chichester.distance_km(worthing);
        assert!((28.0..30.0).contains(&km), "{km}");
    }

    #[test]
    fn offsets_move_the_stated_distance() {
        let origin = Coordinates::from_degrees(51.0, -0.5).unwrap();
        let moved = origin.offset_km(3.0, 4.0);
        assert!((origin.distance_km(moved) - 5.0).abs() < 0.01);
    }
}
