//! Areas: the geography a council commissions by.

use crate::validation::required_text;
use crate::{AreaId, Coordinates, FieldError, Invalid, Tier};

/// An area of a council's market: a lot for awards, a unit for demand and pick-up figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Area {
    /// Stable id.
    pub id: AreaId,
    /// Name as the council uses it ("Bognor East").
    pub name: String,
    /// An approximate centre, where demo people are placed around.
    pub centroid: Coordinates,
    /// An optional boundary polygon, at least three points, not closed.
    pub boundary: Option<Vec<Coordinates>>,
    /// How the area is served.
    pub tier: Tier,
    /// Rural areas need more volume for a viable run and carry a rural enhancement.
    pub rural: bool,
    /// The district, borough or GP cluster the area belongs to.
    pub district: String,
    /// Named by the council as hard to serve (Oxfordshire's preferred-provider pilot places).
    pub hard_to_serve: bool,
}

impl Area {
    /// Checks the rules a stored area must meet.
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut errors = Vec::new();
        if let Err(error) = required_text(&self.name, "name", 100) {
            errors.push(error);
        }
        if let Err(error) = required_text(&self.district, "district", 100) {
            errors.push(error);
        }
        if let Some(boundary) = &self.boundary
            && boundary.len() < 3
        {
            errors.push(FieldError::new("boundary", "needs at least three points"));
        }
        Invalid::check(errors)
    }
}

/// Parses a boundary written as `lat lon; lat lon; lat lon`; blank means none.
pub fn parse_boundary(text: &str, field: &str) -> Result<Option<Vec<Coordinates>>, FieldError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let mut points = Vec::new();
    for (index, pair) in text.split(';').enumerate() {
        let mut parts = pair.split_whitespace();
        let (Some(latitude), Some(longitude), None) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(FieldError::new(
                field,
                format!("point {} must be 'latitude longitude'", index + 1),
            ));
        };
        points.push(Coordinates::parse(latitude, longitude, field, field)?);
    }
    if points.len() < 3 {
        return Err(FieldError::new(field, "needs at least three points"));
    }
    Ok(Some(points))
}

/// Formats a boundary as [`parse_boundary`] reads it; `None` is blank.
pub fn format_boundary(boundary: Option<&[Coordinates]>) -> String {
    boundary
        .unwrap_or_default()
        .iter()
        .map(|point| format!("{} {}", point.latitude_text(), point.longitude_text()))
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn area() -> Area {
        Area {
            id: AreaId::parse("area_test", "id").unwrap(),
            name: "Bognor East".into(),
            centroid: Coordinates::from_degrees(50.79, -0.66).unwrap(),
            boundary: None,
            tier: Tier::Level1,
            rural: false,
            district: "Arun".into(),
            hard_to_serve: false,
        }
    }

    #[test]
    fn a_named_area_is_valid() {
        assert!(area().validate().is_ok());
    }

    #[test]
    fn blank_names_and_short_boundaries_are_named() {
        let mut bad = area();
        bad.name = " ".into();
        bad.boundary = Some(vec![bad.centroid]);
        let Invalid(errors) = bad.validate().unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|error| error.field.as_str()).collect();
        assert_eq!(fields, ["name", "boundary"]);
    }

    #[test]
    fn boundaries_round_trip() {
        let text = "50.800000 -0.700000; 50.780000 -0.640000; 50.770000 -0.690000";
        let boundary = parse_boundary(text, "boundary").unwrap().unwrap();
        assert_eq!(format_boundary(Some(&boundary)), text);
        assert_eq!(parse_boundary("", "boundary").unwrap(), None);
        assert!(
            parse_boundary("50 -0.7; 51", "boundary")
                .unwrap_err()
                .message
                .contains("point 2")
        );
    }
}
