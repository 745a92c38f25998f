//! Telling constraint violations apart, so that errors can name the record at fault.

use crate::{Backend, postgres, sqlite};

/// A broken constraint the store explains in terms of records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Violation {
    /// A primary key or unique column already holds the value.
    Unique,
    /// A foreign key points at a row that does not exist.
    ForeignKey,
}

/// The violation behind `error`, if it is one, read from the backend's own error code.
pub(crate) fn violation_of(backend: Backend, error: &sqlx::Error) -> Option<Violation> {
    let sqlx::Error::Database(database_error) = error else {
        return None;
    };
    let code = database_error.code()?;
    match backend {
        Backend::Sqlite => sqlite::violation(&code),
        Backend::Postgres => postgres::violation(&code),
    }
}
