//! One module per subcommand.

pub mod accounts;
pub mod bench;
pub mod bench_call_events;
pub mod demo;
pub mod export;
pub mod import;
pub mod invoices;
pub mod pickups;
pub mod roster;
pub mod roster_bench;
pub mod serve;
pub mod visits;

use anyhow::Context;
use clap::Args;
use std::sync::Arc;

/// Where the database is.
#[derive(Args)]
pub struct DatabaseArgs {
    /// Database URL: sqlite://PATH or postgres://USER@HOST/NAME.
    #[arg(long, env = "HOMEWARD_DATABASE")]
    pub database: String,
}

/// Connects to the database and brings its schema up to date; the store stamps what it records
/// of its own accord (audit events, new accounts and referrals) by `clock`.
pub async fn open(
    database: &str,
    clock: homeward_app::Clock,
) -> anyhow::Result<Arc<dyn homeward_store::Store>> {
    let store = homeward_store::connect(database, clock).await?;
    store.migrate().await.context("migrating the database")?;
    Ok(store)
}

pub async fn migrate(args: DatabaseArgs) -> anyhow::Result<()> {
    open(&args.database, homeward_app::Clock::system()).await?;
    eprintln!("The database schema is up to date.");
    Ok(())
}
