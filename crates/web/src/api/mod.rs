//! The JSON API under `/api/v1`: the register's resources with pagination and filters, API
//! tokens, the audit log, and the OpenAPI document generated from these handlers.

pub mod areas;
pub mod audit;
pub mod brokerage;
pub mod call_events;
pub mod error;
pub mod me;
pub mod monitoring;
pub mod openapi;
pub mod paging;
pub mod people;
pub mod providers;
pub mod tokens;
pub mod workers;
// Payments.
pub mod invoices;
// Rostering API.
pub mod rosters;
// Fair work figures.
pub mod fair_work;
