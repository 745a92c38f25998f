//! Checks made before a write starts, so that a failure names the record and stores nothing.

use crate::StoreError;
use crate::sql::TableRecord;
use homeward_domain::Market;
use std::collections::{HashMap, HashSet};

/// Runs each record's own rules; the first record that breaks any is the error.
pub(crate) fn validate_batch<T: TableRecord>(records: &[T]) -> Result<(), StoreError> {
    for (index, record) in records.iter().enumerate() {
        record.validate().map_err(|errors| StoreError::Invalid {
            kind: T::KIND,
            index,
            id: record.id().to_owned(),
            errors,
        })?;
    }
    Ok(())
}

/// Checks a whole market before it replaces the register: every record valid, no id twice within
/// a kind, and every reference to a record in the same market (everything else is deleted).
///
/// The database would catch the last two as well, but only per statement; checking here lets the
/// replacement insert in bulk and still name the offending record.
pub(crate) fn check_market(market: &Market) -> Result<(), StoreError> {
    validate_batch(std::slice::from_ref(&market.council))?;
    let mut known = KnownIds::default();
    // Parents before children, so each kind's references are to kinds already known.
    check_kind(&market.areas, &mut known)?;
    check_kind(&market.providers, &mut known)?;
    check_kind(&market.branches, &mut known)?;
    check_kind(&market.awards, &mut known)?;
    check_kind(&market.contracts, &mut known)?;
    check_kind(&market.people, &mut known)?;
    check_kind(&market.packages, &mut known)?;
    check_kind(&market.workers, &mut known)?;
    Ok(())
}

/// The ids of the kinds checked so far, by table.
#[derive(Default)]
struct KnownIds<'m> {
    by_table: HashMap<&'static str, HashSet<&'m str>>,
}

impl KnownIds<'_> {
    fn contains(&self, table: &str, id: &str) -> bool {
        self.by_table.get(table).is_some_and(|ids| ids.contains(id))
    }
}

/// Checks one kind's records and adds their ids to `known`.
fn check_kind<'m, T: TableRecord>(
    records: &'m [T],
    known: &mut KnownIds<'m>,
) -> Result<(), StoreError> {
    validate_batch(records)?;
    let mut ids = HashSet::with_capacity(records.len());
    for (index, record) in records.iter().enumerate() {
        if !ids.insert(record.id()) {
            return Err(StoreError::Duplicate {
                kind: T::KIND,
                index,
                id: record.id().to_owned(),
            });
        }
    }
    for (index, record) in records.iter().enumerate() {
        if let Some(missing) = record
            .references()
            .into_iter()
            .find(|reference| !known.contains(reference.table, &reference.id))
        {
            return Err(StoreError::MissingReference {
                kind: T::KIND,
                index,
                id: record.id().to_owned(),
                field: Some(missing.field),
                message: missing.missing_message(),
            });
        }
    }
    known.by_table.insert(T::TABLE, ids);
    Ok(())
}
