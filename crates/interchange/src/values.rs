//! Field encodings shared by the rows: hours with quarter-hour fractions and exact degrees.

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use std::fmt;

/// A number of minutes written as hours: `1206` or `1206.25`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Hours(pub u32);

impl Serialize for Hours {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.0.is_multiple_of(60) {
            serializer.serialize_u32(self.0 / 60)
        } else {
            serializer.serialize_f64(f64::from(self.0) / 60.0)
        }
    }
}

impl<'de> Deserialize<'de> for Hours {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = deserializer.deserialize_any(NumberText)?;
        parse_hours(&text).map(Hours).map_err(de::Error::custom)
    }
}

/// Hours as text to whole minutes; at most two decimals, never negative.
fn parse_hours(text: &str) -> Result<u32, String> {
    let text = text.trim();
    let invalid = || format!("'{text}' is not a number of hours such as 30 or 7.5");
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty()
        || !whole.chars().all(|c| c.is_ascii_digit())
        || fraction.len() > 2
        || !fraction.chars().all(|c| c.is_ascii_digit())
    {
        return Err(invalid());
    }
    let whole: u32 = whole.parse().map_err(|_| invalid())?;
    let hundredths: u32 = format!("{fraction:0<2}").parse().map_err(|_| invalid())?;
    whole
        .checked_mul(60)
        .and_then(|minutes| minutes.checked_add((hundredths * 60 + 50) / 100))
        .ok_or_else(invalid)
}

/// Micro-degrees written as decimal degrees, read back exactly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Degrees(pub String);

impl Degrees {
    pub fn from_micro(micro: i32) -> Degrees {
        let sign = if micro < 0 { "-" } else { "" };
        let magnitude = micro.unsigned_abs();
        let text = format!(
            "{sign}{}.{:06}",
            magnitude / 1_000_000,
            magnitude % 1_000_000
        );
        let trimmed = text.trim_end_matches('0').trim_end_matches('.').to_owned();
        Degrees(if trimmed == "-0" { "0".into() } else { trimmed })
    }
}

impl Serialize for Degrees {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // The shortest decimal form, which an f64 carries exactly enough to read back.
        let value: f64 = self.0.parse().map_err(serde::ser::Error::custom)?;
        serializer.serialize_f64(value)
    }
}

impl<'de> Deserialize<'de> for Degrees {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NumberText).map(Degrees)
    }
}

/// Accepts a number or a string and gives its text.
struct NumberText;

impl Visitor<'_> for NumberText {
    type Value = String;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a number")
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<String, E> {
        Ok(value.to_string())
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<String, E> {
        Ok(value.to_string())
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<String, E> {
        Ok(value.to_string())
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<String, E> {
        Ok(value.to_owned())
    }
}

/// A number as it was written, number or text, for a row to parse with its own message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NumberAsText(pub String);

impl<'de> Deserialize<'de> for NumberAsText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NumberText).map(NumberAsText)
    }
}

/// Blank text as `None`.
pub(crate) fn optional(text: &str) -> Option<&str> {
    let text = text.trim();
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_read_quarter_hours_and_print_whole_hours_plainly() {
        assert_eq!(parse_hours("1206").unwrap(), 72_360);
        assert_eq!(parse_hours("7.25").unwrap(), 435);
        assert_eq!(parse_hours("0.5").unwrap(), 30);
        assert!(parse_hours("-1").is_err());
        assert!(parse_hours("7.125").is_err());
        assert_eq!(serde_json::to_string(&Hours(72_360)).unwrap(), "1206");
        assert_eq!(serde_json::to_string(&Hours(435)).unwrap(), "7.25");
    }

    #[test]
    fn degrees_print_shortest_and_read_exactly() {
        assert_eq!(Degrees::from_micro(50_788_000).0, "50.788");
        assert_eq!(Degrees::from_micro(-662_000).0, "-0.662");
        assert_eq!(Degrees::from_micro(0).0, "0");
        assert_eq!(
            serde_json::to_string(&Degrees::from_micro(-662_000)).unwrap(),
            "-0.662"
        );
    }
}
