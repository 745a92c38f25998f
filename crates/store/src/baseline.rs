//! The plain writes that the store's own are measured against (`homeward bench call-events`):
//! call-event rows inserted straight into the same table of the same database, one
//! autocommitted `INSERT` each, over connections with the store's settings (durable commits,
//! foreign keys), and nothing else: no audit event, no writer lock, no checks. What the
//! database itself allows for these rows, so the ingester's figure reads as a share of it.

use crate::StoreError;
use crate::connect::open_pool_of;
use crate::sql::call_events::StoredCallEvent;
use crate::sql::{TableRecord, write};
use homeward_domain::{CallEvent, EventKey, ProviderId};
use jiff::Timestamp;
use sqlx::AnyPool;

/// A pool of connections that insert call-event rows and nothing else.
pub struct PlainCallEventWriter {
    pool: AnyPool,
}

impl PlainCallEventWriter {
    /// Connects `connections` connections to the database at `url` (migrated already), so that
    /// as many writers can insert at once.
    pub async fn open(url: &str, connections: u32) -> Result<Self, StoreError> {
        let (pool, _) = open_pool_of(url, Some(connections)).await?;
        Ok(Self { pool })
    }

    /// Inserts `event`'s row in `provider`'s key space (its visit's provider, which is taken as
    /// given: no lookup), received at `received_at`, as one transaction of one statement: the
    /// same row and statement as the store writes (see `sql::call_events`).
    pub async fn insert(
        &self,
        provider: &ProviderId,
        event: &CallEvent,
        received_at: Timestamp,
    ) -> Result<(), StoreError> {
        let row = StoredCallEvent {
            provider_id: provider.clone(),
            event: event.clone(),
            received_at,
        };
        let mut connection = self.pool.acquire().await.map_err(StoreError::database)?;
        write::insert_rows(&mut connection, std::slice::from_ref(&row))
            .await
            .map_err(|error| {
                StoreError::database_in(format!("inserting call event {} failed", row.id()), error)
            })
    }

    /// Deletes the rows of `keys` in `provider`'s key space, so that what the benchmark wrote
    /// does not stay among the events the store took.
    pub async fn delete(&self, provider: &ProviderId, keys: &[EventKey]) -> Result<(), StoreError> {
        for chunk in keys.chunks(write::MAX_PARAMETERS - 1) {
            let numbers: Vec<String> = (2..chunk.len() + 2).map(|n| format!("${n}")).collect();
            let sql = format!(
                "DELETE FROM {} WHERE provider_id = $1 AND event_key IN ({})",
                StoredCallEvent::TABLE,
                numbers.join(", ")
            );
            let mut query = sqlx::query(&sql).bind(provider.as_str().to_owned());
            for key in chunk {
                query = query.bind(key.as_str().to_owned());
            }
            query
                .execute(&self.pool)
                .await
                .map_err(StoreError::database)?;
        }
        Ok(())
    }

    /// Closes the connections.
    pub async fn close(self) {
        self.pool.close().await;
    }
}
