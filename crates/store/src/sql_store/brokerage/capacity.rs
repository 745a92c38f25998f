//! Capacity returns on [`SqlStore`]: a branch's return for an area and week, replacing the one
//! it sent before.

use super::{SqlStore, append, invalid};
use crate::sql::audit::AuditEvent;
use crate::sql::brokerage::{
    self as sql, CAPACITY_COLUMNS, capacity_key, capacity_references, capacity_values,
    validate_capacity,
};
use crate::sql::json;
use crate::violation::{Violation, violation_of};
use crate::{RecordKind, StoreError};
use homeward_domain::brokerage::CapacityReturn;

/// Stores a capacity return, replacing the one for the same branch, area and week.
pub(super) async fn put_capacity_return(
    store: &SqlStore,
    capacity: &CapacityReturn,
    actor: &str,
) -> Result<(), StoreError> {
    let key = capacity_key(capacity);
    validate_capacity(capacity).map_err(|errors| StoreError::Invalid {
        kind: RecordKind::CapacityReturn,
        index: 0,
        id: key.clone(),
        errors,
    })?;
    let mut transaction = store.begin_write().await?;
    let branch_provider = sql::branch_provider(&mut transaction, &capacity.branch_id)
        .await
        .map_err(StoreError::database)?;
    let refusal = match branch_provider {
        None => Some(StoreError::MissingReference {
            kind: RecordKind::CapacityReturn,
            index: 0,
            id: key.clone(),
            field: Some("branch_id"),
            message: format!("branch_id {} does not exist", capacity.branch_id),
        }),
        Some(provider) if provider != capacity.provider_id.as_str() => Some(invalid(
            RecordKind::CapacityReturn,
            &key,
            "provider_id",
            format!(
                "Branch {} belongs to {provider}, not {}",
                capacity.branch_id, capacity.provider_id
            ),
        )),
        Some(_) => None,
    };
    if let Some(error) = refusal {
        transaction.rollback().await.ok();
        return Err(error);
    }
    let before = sql::stored_capacity(&mut transaction, capacity).await?;
    let written = async {
        sql::delete_capacity(&mut transaction, capacity).await?;
        sql::insert_capacity(&mut transaction, capacity).await
    }
    .await;
    if let Err(error) = written {
        transaction.rollback().await.ok();
        let reference = store.missing_in(capacity_references(capacity)).await;
        return Err(match violation_of(store.backend, &error) {
            Some(Violation::ForeignKey) => StoreError::MissingReference {
                kind: RecordKind::CapacityReturn,
                index: 0,
                id: key,
                field: reference.as_ref().map(|missing| missing.field),
                message: reference.map_or_else(|| error.to_string(), |missing| missing.message),
            },
            _ => StoreError::database_in(format!("storing capacity-return {key} failed"), error),
        });
    }
    let event = AuditEvent::record(
        actor,
        if before.is_some() { "update" } else { "create" },
        RecordKind::CapacityReturn,
        &key,
        before
            .as_ref()
            .map(|before| json::object(CAPACITY_COLUMNS, &capacity_values(before))),
        Some(json::object(CAPACITY_COLUMNS, &capacity_values(capacity))),
    );
    append(&mut transaction, store.now(), event).await?;
    transaction.commit().await.map_err(StoreError::database)
}
