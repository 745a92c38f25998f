//! What the generic statements need to know about each kind of record.

use super::row::StoredRow;
use super::values::SqlValue;
use crate::{RecordKind, StoreError};
use homeward_domain::Invalid;

/// A domain record stored as one row of one table.
pub(crate) trait TableRecord: Sized + Send + Sync + 'static {
    /// The kind, for errors and the audit trail.
    const KIND: RecordKind;
    /// The table.
    const TABLE: &'static str;
    /// The columns in the order [`TableRecord::values`] gives them; the first is the key.
    const COLUMNS: &'static [&'static str];
    /// Whether the table holds one row at most, so writing one replaces it.
    const SINGLE_ROW: bool = false;

    /// The `ORDER BY` of a listing; `text_order` follows each text column so both backends
    /// compare text the same way (bytes).
    fn order_by(text_order: &str) -> String {
        format!("id{text_order}")
    }

    /// The record's id, as errors name it.
    fn id(&self) -> &str;

    /// The record's own rules, checked before anything is written.
    fn validate(&self) -> Result<(), Invalid>;

    /// The column values, in [`TableRecord::COLUMNS`] order.
    fn values(&self) -> Vec<SqlValue>;

    /// The other records this one refers to, as its foreign keys do.
    fn references(&self) -> Vec<Reference> {
        Vec::new()
    }

    /// The record a stored row holds.
    fn from_row(row: &StoredRow<'_>) -> Result<Self, StoreError>;
}

/// A reference from one record to another, through one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reference {
    /// The referring field (`area_id`).
    pub(crate) field: &'static str,
    /// The table referred to.
    pub(crate) table: &'static str,
    /// The id referred to.
    pub(crate) id: String,
}

impl Reference {
    /// A reference through `field` to the record of type `T` with `id`.
    pub(crate) fn to<T: TableRecord>(field: &'static str, id: &str) -> Reference {
        Reference {
            field,
            table: T::TABLE,
            id: id.to_owned(),
        }
    }

    /// Says that the record referred to is missing, naming the field.
    pub(crate) fn missing_message(&self) -> String {
        format!("{} {} does not exist", self.field, self.id)
    }
}
