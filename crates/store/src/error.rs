//! Errors of the store, in terms of records rather than SQL: callers never see sqlx.

use crate::RecordKind;
use homeward_domain::Invalid;

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database URL is not one the store accepts, or the database it names cannot be
    /// opened (a folder that cannot be made, a server that does not answer).
    #[error("database URL '{url}': {message}")]
    Url {
        /// The URL as given, with any password hidden.
        url: String,
        /// What is wrong and which forms are accepted.
        message: String,
    },

    /// A record failed its own rules before anything was written.
    #[error("{kind} at index {index} ({id}) is invalid: {errors}")]
    Invalid {
        /// The kind of record.
        kind: RecordKind,
        /// Its 0-based position in the batch.
        index: usize,
        /// Its id.
        id: String,
        /// Every rule it breaks, by field.
        errors: Invalid,
    },

    /// A record's id is already stored, or appears twice in the batch.
    #[error("{kind} at index {index} ({id}) has an id that is already taken")]
    Duplicate {
        /// The kind of record.
        kind: RecordKind,
        /// Its 0-based position in the batch.
        index: usize,
        /// The id taken.
        id: String,
    },

    /// A record refers to a record that does not exist (a person's area, a branch's provider).
    #[error("{kind} at index {index} ({id}) refers to a missing record: {message}")]
    MissingReference {
        /// The kind of record.
        kind: RecordKind,
        /// Its 0-based position in the batch.
        index: usize,
        /// Its id.
        id: String,
        /// Which field refers to which missing id, when it could be found out.
        message: String,
    },

    /// A stored row does not read back as a valid record: the database was changed outside
    /// Homeward, or by a newer version.
    #[error("stored {kind} {id} cannot be read: {message}")]
    Corrupt {
        /// The kind of record.
        kind: RecordKind,
        /// Its id, as stored.
        id: String,
        /// The field and the problem.
        message: String,
    },

    /// The record to change is not stored.
    #[error("{kind} {id} does not exist")]
    NotFound {
        /// The kind of record.
        kind: RecordKind,
        /// The id asked for.
        id: String,
    },

    /// The record may no longer change (a visit on an issued invoice): nothing changed.
    #[error("{kind} {id} is locked: {reason}")]
    Locked {
        /// The kind of record.
        kind: RecordKind,
        /// Its id.
        id: String,
        /// Why it is locked.
        reason: String,
    },

    /// The schema could not be brought up to date.
    #[error("migrating the database failed: {0}")]
    Migration(String),

    /// The database failed or could not be reached.
    #[error("database error: {0}")]
    Database(String),
}

impl StoreError {
    /// Wraps a database failure that has no better explanation, keeping sqlx out of the API.
    pub(crate) fn database(error: sqlx::Error) -> StoreError {
        StoreError::Database(error.to_string())
    }
}
