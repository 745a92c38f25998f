//! Reading a stored row back into domain values; any failure is a [`StoreError::Corrupt`]
//! naming the record and the column.

use super::time::parse_timestamp;
use crate::{RecordKind, StoreError};
use homeward_domain::{Coordinates, FieldError, parse_date};
use jiff::Timestamp;
use jiff::civil::Date;
use sqlx::Row;
use sqlx::any::AnyRow;

/// A row of one kind of record, with its id for error messages.
pub(crate) struct StoredRow<'r> {
    row: &'r AnyRow,
    kind: RecordKind,
    id: String,
}

impl<'r> StoredRow<'r> {
    /// Wraps `row`, reading its text `id` column (the council's key is a number, so it is named
    /// by its kind instead).
    pub(crate) fn new(row: &'r AnyRow, kind: RecordKind) -> Result<Self, StoreError> {
        Self::with_id_column(row, kind, "id")
    }

    /// Wraps `row`, reading the record's id from the text column `id_column` (for a row that
    /// joins two records, where `id` belongs to the other).
    pub(crate) fn with_id_column(
        row: &'r AnyRow,
        kind: RecordKind,
        id_column: &str,
    ) -> Result<Self, StoreError> {
        let id = match kind {
            RecordKind::Council => "council".to_owned(),
            _ => row
                .try_get::<String, _>(id_column)
                .map_err(|error| StoreError::Corrupt {
                    kind,
                    id: "(unreadable)".to_owned(),
                    message: format!("id: {error}"),
                })?,
        };
        Ok(Self { row, kind, id })
    }

    /// Wraps `row`, naming the record by `id` as the caller already knows it.
    pub(crate) fn keyed_by(row: &'r AnyRow, kind: RecordKind, id: String) -> Self {
        Self { row, kind, id }
    }

    /// A Corrupt error for `column`.
    pub(crate) fn corrupt(&self, column: &str, message: impl std::fmt::Display) -> StoreError {
        StoreError::Corrupt {
            kind: self.kind,
            id: self.id.clone(),
            message: format!("{column}: {message}"),
        }
    }

    /// A Corrupt error from a domain parser's complaint.
    fn unparsable(&self, error: FieldError) -> StoreError {
        self.corrupt(&error.field, &error.message)
    }

    /// A text column.
    pub(crate) fn text(&self, column: &str) -> Result<String, StoreError> {
        self.row
            .try_get::<String, _>(column)
            .map_err(|error| self.corrupt(column, error))
    }

    /// A nullable text column.
    pub(crate) fn optional_text(&self, column: &str) -> Result<Option<String>, StoreError> {
        self.row
            .try_get::<Option<String>, _>(column)
            .map_err(|error| self.corrupt(column, error))
    }

    /// An integer column.
    pub(crate) fn integer(&self, column: &str) -> Result<i64, StoreError> {
        self.row
            .try_get::<i64, _>(column)
            .map_err(|error| self.corrupt(column, error))
    }

    /// A nullable integer column.
    pub(crate) fn optional_integer(&self, column: &str) -> Result<Option<i64>, StoreError> {
        self.row
            .try_get::<Option<i64>, _>(column)
            .map_err(|error| self.corrupt(column, error))
    }

    /// A non-negative count, minutes or basis points that fit a `u32`.
    pub(crate) fn count(&self, column: &str) -> Result<u32, StoreError> {
        let value = self.integer(column)?;
        u32::try_from(value).map_err(|_| {
            self.corrupt(
                column,
                format!("{value} is not a count from 0 to {}", u32::MAX),
            )
        })
    }

    /// A 0/1 flag.
    pub(crate) fn flag(&self, column: &str) -> Result<bool, StoreError> {
        match self.integer(column)? {
            0 => Ok(false),
            1 => Ok(true),
            other => Err(self.corrupt(column, format!("{other} is not 0 or 1"))),
        }
    }

    /// An ISO date column.
    pub(crate) fn date(&self, column: &str) -> Result<Date, StoreError> {
        self.parse(column, parse_date)
    }

    /// A nullable ISO date column.
    pub(crate) fn optional_date(&self, column: &str) -> Result<Option<Date>, StoreError> {
        self.parse_optional(column, parse_date)
    }

    /// A stored instant (see [`super::time`]).
    pub(crate) fn timestamp(&self, column: &str) -> Result<Timestamp, StoreError> {
        self.parse(column, parse_timestamp)
    }

    /// A nullable stored instant.
    pub(crate) fn optional_timestamp(&self, column: &str) -> Result<Option<Timestamp>, StoreError> {
        self.parse_optional(column, parse_timestamp)
    }

    /// A point from two micro-degree columns.
    pub(crate) fn coordinates(
        &self,
        latitude_column: &str,
        longitude_column: &str,
    ) -> Result<Coordinates, StoreError> {
        let (latitude, longitude) = (
            self.integer(latitude_column)?,
            self.integer(longitude_column)?,
        );
        Coordinates::from_micro_degrees(latitude, longitude).ok_or_else(|| {
            self.corrupt(
                latitude_column,
                format!("({latitude}, {longitude}) micro-degrees is off the globe"),
            )
        })
    }

    /// A text column read by a domain parser that takes the text and the field name.
    pub(crate) fn parse<T>(
        &self,
        column: &str,
        parser: impl FnOnce(&str, &str) -> Result<T, FieldError>,
    ) -> Result<T, StoreError> {
        parser(&self.text(column)?, column).map_err(|error| self.unparsable(error))
    }

    /// A nullable text column read by a domain parser.
    pub(crate) fn parse_optional<T>(
        &self,
        column: &str,
        parser: impl FnOnce(&str, &str) -> Result<T, FieldError>,
    ) -> Result<Option<T>, StoreError> {
        self.optional_text(column)?
            .map(|text| parser(&text, column).map_err(|error| self.unparsable(error)))
            .transpose()
    }
}
