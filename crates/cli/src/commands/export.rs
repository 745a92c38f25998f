//! `homeward export KIND`: one kind of record to standard output.

use super::open;
use clap::{Args, ValueEnum};
use homeward_interchange::{AreaRecord, Format, Record, write};
use homeward_store::Store;
use std::collections::HashMap;
use std::io::Write;

/// Kinds of record, as named on the command line.
#[derive(Clone, Copy, ValueEnum)]
pub enum KindArg {
    Council,
    Areas,
    Providers,
    Branches,
    Awards,
    Contracts,
    People,
    Packages,
    Workers,
    /// Placed referrals with their pick-up times (export only).
    Pickups,
    /// Every provider's invoice lines for the period given by --period (export only).
    Invoices,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum FormatArg {
    Csv,
    Json,
}

impl From<FormatArg> for Format {
    fn from(format: FormatArg) -> Format {
        match format {
            FormatArg::Csv => Format::Csv,
            FormatArg::Json => Format::Json,
        }
    }
}

#[derive(Args)]
pub struct ExportArgs {
    /// What to export.
    pub kind: KindArg,
    /// Database URL: sqlite://PATH or postgres://USER@HOST/NAME.
    #[arg(long, env = "HOMEWARD_DATABASE")]
    pub database: String,
    /// Output format.
    #[arg(long, value_enum, default_value = "csv")]
    pub format: FormatArg,
    /// For invoices: any day (YYYY-MM-DD) of the four-weekly period to export.
    #[arg(long)]
    pub period: Option<String>,
}

pub async fn run(args: ExportArgs) -> anyhow::Result<()> {
    match (&args.kind, &args.period) {
        (KindArg::Invoices, None) => {
            anyhow::bail!(
                "--period is needed to export invoices: any day of the period, YYYY-MM-DD"
            )
        }
        (KindArg::Invoices, Some(_)) | (_, None) => {}
        (_, Some(_)) => anyhow::bail!("--period applies to invoices only"),
    }
    let store = open(&args.database, homeward_app::Clock::system()).await?;
    let format = Format::from(args.format);
    let mut out = Vec::new();
    match args.kind {
        KindArg::Council => write(
            &store.council().await?.into_iter().collect::<Vec<_>>(),
            format,
            &mut out,
        )?,
        KindArg::Areas => write(&area_records(store.as_ref()).await?, format, &mut out)?,
        KindArg::Providers => emit(&store.providers().await?, format, &mut out)?,
        KindArg::Branches => emit(&store.branches().await?, format, &mut out)?,
        KindArg::Awards => emit(&store.awards().await?, format, &mut out)?,
        KindArg::Contracts => emit(&store.contracts().await?, format, &mut out)?,
        KindArg::People => emit(&store.people().await?, format, &mut out)?,
        KindArg::Packages => emit(&store.packages().await?, format, &mut out)?,
        KindArg::Workers => emit(&store.workers().await?, format, &mut out)?,
        KindArg::Pickups => super::pickups::write(store.as_ref(), format, &mut out).await?,
        KindArg::Invoices => {
            let period = args.period.as_deref().unwrap_or_default();
            super::invoices::write(store.as_ref(), period, format, &mut out).await?
        }
    }
    std::io::stdout().lock().write_all(&out)?;
    Ok(())
}

fn emit<R: Record>(records: &[R], format: Format, out: &mut Vec<u8>) -> std::io::Result<()> {
    write(records, format, out)
}

/// Areas with their demand counted on the council's reference date, so that an export is the
/// same whenever it is run; without a council, on today's date.
async fn area_records(store: &dyn Store) -> anyhow::Result<Vec<AreaRecord>> {
    let date = match store.council().await? {
        Some(council) => council.reference_date,
        None => homeward_app::Clock::system().today(),
    };
    let demand: HashMap<_, _> = store.area_demand(date).await?.into_iter().collect();
    Ok(store
        .areas()
        .await?
        .into_iter()
        .map(|area| {
            let demand = demand.get(&area.id).copied().unwrap_or_default();
            AreaRecord { area, demand }
        })
        .collect())
}
