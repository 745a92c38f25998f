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
        /// The (first) field that refers to a missing record (`worker_id`), when it could be
        /// found out: what callers match on.
        field: Option<&'static str>,
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
    #[error("database error: {message}")]
    Database {
        /// What failed, ending with the database's own words when there are any.
        message: String,
        /// The failure underneath (the driver's error), when there is one: kept for
        /// [`std::error::Error::source`], so that a log or a report can walk the chain.
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
}

impl StoreError {
    /// Wraps a database failure that has no better explanation, keeping sqlx out of the API
    /// (it is reachable only as the error's source).
    pub(crate) fn database(error: sqlx::Error) -> StoreError {
        StoreError::Database {
            message: error.to_string(),
            source: Some(Box::new(error)),
        }
    }

    /// A database failure while doing `what` ("storing visits failed"), which the message
    /// states before the failure's own words.
    pub(crate) fn database_in(
        what: impl std::fmt::Display,
        error: impl std::error::Error + Send + Sync + 'static,
    ) -> StoreError {
        StoreError::Database {
            message: format!("{what}: {error}"),
            source: Some(Box::new(error)),
        }
    }

    /// A failure of the database, or of what stands for it, with no error underneath (a
    /// writer that has stopped, a count that cannot be).
    pub fn database_failure(message: impl Into<String>) -> StoreError {
        StoreError::Database {
            message: message.into(),
            source: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error;

    #[test]
    fn a_database_error_keeps_its_source_and_says_what_failed() {
        let error = StoreError::database_in("storing visits failed", sqlx::Error::PoolTimedOut);
        assert_eq!(
            error.to_string(),
            format!(
                "database error: storing visits failed: {}",
                sqlx::Error::PoolTimedOut
            )
        );
        let source = error.source().expect("the driver's error is kept");
        assert!(source.downcast_ref::<sqlx::Error>().is_some());
        assert!(
            StoreError::database(sqlx::Error::PoolClosed)
                .source()
                .is_some()
        );
        assert!(StoreError::database_failure("stopped").source().is_none());
    }
}
