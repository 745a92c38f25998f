//! Homeward's use cases: the steps people take, over the store, with the domain's rules.
//!
//! Key points:
//! - [`council_preset`] chooses the preset whose rules a server runs by, once, at start-up.
//! - [`Brokerage`] takes a referral through reablement and the offer cascade to a placed package,
//!   records providers' answers, and moves referrals on when deadlines pass.
//! - [`plan_visits`] lays every placed package's weekly pattern out as dated visits, carrying
//!   changes to packages into future visits only.
//! - The clock is always passed in (`now`, or the server's one [`Clock`]), so that tests, the
//!   demo's history and the benchmark run on simulated time, and "today" is London's.
//! - [`Ingester`] writes call events in batches, one transaction for all that are waiting, and
//!   answers each only once it is committed (group commit).
//! - [`history`] generates providers' answers and replays referrals through the same use cases,
//!   for the demo's history and for the benchmark.
//! - [`invoicing`] drafts each provider's invoice for a four-weekly period from the period's
//!   visits as call monitoring sees them, issues it once the period is over, and reconciles
//!   planned, delivered and invoiced care; [`testing`] makes a past period of care for tests.
//! - [`fair_work`] gathers each provider's fair work figures for a calendar month (travel, short
//!   visits, carers per person) for `domain::fair_work` to work out.

pub mod areas;
pub mod brokerage;
pub mod call_intake;
pub mod capacity;
mod context;
pub mod corrections;
mod council_preset;
pub mod delivery;
pub mod fair_work;
pub mod finance_export;
pub mod history;
mod ids;
pub mod ingest;
pub mod intake;
pub mod invoicing;
pub mod monitoring;
pub mod pickups;
pub mod rostering;
pub mod runs;
pub mod staffing;
pub mod testing;
pub mod visibility;
pub mod visits;

pub use brokerage::{Brokerage, BrokerageError, Progress};
pub use council_preset::{PresetChoiceError, council_preset};
pub use homeward_clock::Clock;
pub use ids::Ids;
pub use ingest::{Inadmissible, Ingester, Receipt, admit};
pub use invoicing::{InvoiceStatus, InvoicingError, ProviderInvoice};
pub use monitoring::{MonitoredVisit, Tally, monitor, needs_attention, tally};
pub use visits::plan_visits;
