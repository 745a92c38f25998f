//! One row type per kind of record, and its conversion to and from the domain type.

mod area;
mod award;
mod branch;
mod contract;
mod council;
mod package;
mod person;
mod provider;
mod worker;

pub use area::AreaRecord;

use crate::Kind;
use homeward_domain::{FieldError, Invalid};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// A domain record that has a row form in files.
pub trait Record: Sized {
    /// The flat row written to and read from files.
    type Row: Serialize + DeserializeOwned;
    /// Which kind of record this is.
    const KIND: Kind;
    /// The row for this record.
    fn to_row(&self) -> Self::Row;
    /// The record for a row, or every problem with it.
    fn from_row(row: Self::Row) -> Result<Self, Invalid>;
}

/// Gathers field problems while a row is converted, so that all of them are reported at once.
#[derive(Default)]
pub(crate) struct Problems(Vec<FieldError>);

impl Problems {
    /// The value, or `None` with the problem noted.
    pub fn take<T>(&mut self, result: Result<T, FieldError>) -> Option<T> {
        result.map_err(|error| self.0.push(error)).ok()
    }

    /// Notes the problems of a whole-record check.
    pub fn check(&mut self, result: Result<(), Invalid>) {
        if let Err(Invalid(errors)) = result {
            self.0.extend(errors);
        }
    }

    /// `Ok(value)` when nothing went wrong.
    pub fn finish<T>(self, value: Option<T>) -> Result<T, Invalid> {
        match value {
            Some(value) if self.0.is_empty() => Ok(value),
            _ => Err(Invalid(self.0)),
        }
    }
}
