//! The values the store binds: integers and text only, the types both backends share through
//! the Any driver, so nothing is lost or rounded on the way in.

use super::time::stored_timestamp;
use homeward_domain::Coordinates;
use jiff::Timestamp;
use jiff::civil::Date;
use sqlx::any::{Any, AnyArguments};
use sqlx::query::Query;

/// One value for one column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SqlValue {
    /// An integer (BIGINT).
    Integer(i64),
    /// Text.
    Text(String),
    /// Text or NULL.
    OptionalText(Option<String>),
    /// An integer or NULL.
    OptionalInteger(Option<i64>),
}

impl SqlValue {
    /// Text.
    pub(crate) fn text(text: &str) -> SqlValue {
        SqlValue::Text(text.to_owned())
    }

    /// Text or NULL.
    pub(crate) fn optional_text(text: Option<&str>) -> SqlValue {
        SqlValue::OptionalText(text.map(str::to_owned))
    }

    /// A flag as 0 or 1.
    pub(crate) fn flag(value: bool) -> SqlValue {
        SqlValue::Integer(i64::from(value))
    }

    /// A count, a number of minutes or basis points.
    pub(crate) fn count(value: u32) -> SqlValue {
        SqlValue::Integer(i64::from(value))
    }

    /// A date as ISO text, which sorts and compares as dates do.
    pub(crate) fn date(date: Date) -> SqlValue {
        SqlValue::Text(date.to_string())
    }

    /// A date as ISO text, or NULL.
    pub(crate) fn optional_date(date: Option<Date>) -> SqlValue {
        SqlValue::OptionalText(date.map(|date| date.to_string()))
    }

    /// An instant in its stored form (see [`super::time`]).
    pub(crate) fn timestamp(at: Timestamp) -> SqlValue {
        SqlValue::Text(stored_timestamp(at))
    }

    /// An instant in its stored form, or NULL.
    pub(crate) fn optional_timestamp(at: Option<Timestamp>) -> SqlValue {
        SqlValue::OptionalText(at.map(stored_timestamp))
    }

    /// Latitude and longitude in micro-degrees, two columns.
    pub(crate) fn coordinates(point: Coordinates) -> [SqlValue; 2] {
        [
            SqlValue::Integer(i64::from(point.latitude_e6())),
            SqlValue::Integer(i64::from(point.longitude_e6())),
        ]
    }

    /// Binds this value as the query's next parameter.
    pub(crate) fn bind_to<'q>(
        self,
        query: Query<'q, Any, AnyArguments<'q>>,
    ) -> Query<'q, Any, AnyArguments<'q>> {
        match self {
            SqlValue::Integer(value) => query.bind(value),
            SqlValue::Text(value) => query.bind(value),
            SqlValue::OptionalText(value) => query.bind(value),
            SqlValue::OptionalInteger(value) => query.bind(value),
        }
    }
}
