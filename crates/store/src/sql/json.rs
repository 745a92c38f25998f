//! Records as JSON objects of their stored columns, for the audit trail's before and after.
//!
//! The object holds what the row holds, column by column: text as strings, integers as numbers
//! (flags as 0 or 1), NULL as null. Keys are sorted, whatever features of `serde_json` other
//! crates turn on, so the same record always gives the same text.

use super::values::SqlValue;
use serde_json::Value;
use sqlx::Row;
use sqlx::any::AnyRow;
use std::collections::BTreeMap;

/// The JSON object of `columns` holding `values`, in the same order.
pub(crate) fn object(columns: &[&str], values: &[SqlValue]) -> String {
    let object: BTreeMap<&str, Value> = columns
        .iter()
        .copied()
        .zip(values.iter().map(json_value))
        .collect();
    serde_json::to_string(&object).expect("a map of strings to JSON values always serialises")
}

/// One column's value as JSON.
fn json_value(value: &SqlValue) -> Value {
    match value {
        SqlValue::Integer(number) => Value::from(*number),
        SqlValue::Text(text) => Value::from(text.as_str()),
        SqlValue::OptionalText(text) => text.as_deref().map_or(Value::Null, Value::from),
        SqlValue::OptionalInteger(number) => number.map_or(Value::Null, Value::from),
    }
}

/// The values of `columns` in `row`, each read as the same type as the value at its position
/// in `like` (the values a record of the same kind would write), so that a row reads back
/// whatever it holds, even what its record's rules would refuse.
pub(crate) fn row_values(
    row: &AnyRow,
    columns: &[&str],
    like: &[SqlValue],
) -> Result<Vec<SqlValue>, sqlx::Error> {
    columns
        .iter()
        .zip(like)
        .map(|(column, kind)| {
            Ok(match kind {
                SqlValue::Integer(_) => SqlValue::Integer(row.try_get(*column)?),
                SqlValue::Text(_) => SqlValue::Text(row.try_get(*column)?),
                SqlValue::OptionalText(_) => SqlValue::OptionalText(row.try_get(*column)?),
                SqlValue::OptionalInteger(_) => SqlValue::OptionalInteger(row.try_get(*column)?),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_hold_the_stored_values_with_sorted_keys() {
        let json = object(
            &["name", "disabled", "scope_id", "count"],
            &[
                SqlValue::text("Sam \"the\" carer"),
                SqlValue::flag(true),
                SqlValue::OptionalText(None),
                SqlValue::Integer(-3),
            ],
        );
        assert_eq!(
            json,
            r#"{"count":-3,"disabled":1,"name":"Sam \"the\" carer","scope_id":null}"#
        );
    }
}
