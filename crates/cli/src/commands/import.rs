//! `homeward import KIND FILE`: all records of the file, or none.

use super::export::{FormatArg, KindArg};
use super::open;
use anyhow::{Context, bail};
use clap::Args;
use homeward_interchange::{AreaRecord, Format, Located, Record, read};
use homeward_store::{Records, Store, StoreError};

#[derive(Args)]
pub struct ImportArgs {
    /// What the file holds.
    pub kind: KindArg,
    /// A CSV or JSON file, as `homeward export` writes them.
    pub file: String,
    /// Database URL: sqlite://PATH or postgres://USER@HOST/NAME.
    #[arg(long, env = "HOMEWARD_DATABASE")]
    pub database: String,
    /// The file's format; by default from its extension.
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,
}

pub async fn run(args: ImportArgs) -> anyhow::Result<()> {
    let format = match args.format {
        Some(format) => Format::from(format),
        None => Format::from_path(&args.file).with_context(|| {
            format!(
                "{}: cannot tell the format from the name; add --format csv or --format json",
                args.file
            )
        })?,
    };
    let text = std::fs::read_to_string(&args.file)
        .with_context(|| format!("cannot read {}", args.file))?;
    let store = open(&args.database, homeward_app::Clock::system()).await?;
    let count = match args.kind {
        KindArg::Council => {
            let council = parse::<homeward_domain::Council>(&args.file, &text, format)?;
            if council.len() != 1 {
                bail!(
                    "{}: a council file holds exactly one council, not {}",
                    args.file,
                    council.len()
                );
            }
            let lines = lines(&council);
            let record = council.into_iter().next().map(|located| located.record);
            store_batch(
                store.as_ref(),
                &args.file,
                &lines,
                record.map(Records::Council),
            )
            .await?
        }
        KindArg::Areas => {
            let areas = parse::<AreaRecord>(&args.file, &text, format)?;
            let lines = lines(&areas);
            let batch = Records::Areas(
                areas
                    .into_iter()
                    .map(|located| located.record.area)
                    .collect(),
            );
            store_batch(store.as_ref(), &args.file, &lines, Some(batch)).await?
        }
        KindArg::Providers => {
            import(
                store.as_ref(),
                &args.file,
                &text,
                format,
                Records::Providers,
            )
            .await?
        }
        KindArg::Branches => {
            import(store.as_ref(), &args.file, &text, format, Records::Branches).await?
        }
        KindArg::Awards => {
            import(store.as_ref(), &args.file, &text, format, Records::Awards).await?
        }
        KindArg::Contracts => {
            import(
                store.as_ref(),
                &args.file,
                &text,
                format,
                Records::Contracts,
            )
            .await?
        }
        KindArg::People => {
            import(store.as_ref(), &args.file, &text, format, Records::People).await?
        }
        KindArg::Packages => {
            import(store.as_ref(), &args.file, &text, format, Records::Packages).await?
        }
        KindArg::Pickups => bail!("pick-ups are derived from referrals and cannot be imported"),
        KindArg::Invoices => bail!("invoices are issued in Homeward and cannot be imported"),
        KindArg::Workers => {
            import(store.as_ref(), &args.file, &text, format, Records::Workers).await?
        }
    };
    eprintln!("Imported {count} records from {}.", args.file);
    Ok(())
}

async fn import<R: Record>(
    store: &dyn Store,
    file: &str,
    text: &str,
    format: Format,
    batch: fn(Vec<R>) -> Records,
) -> anyhow::Result<usize> {
    let records = parse::<R>(file, text, format)?;
    let lines = lines(&records);
    store_batch(
        store,
        file,
        &lines,
        Some(batch(
            records.into_iter().map(|located| located.record).collect(),
        )),
    )
    .await
}

fn parse<R: Record>(file: &str, text: &str, format: Format) -> anyhow::Result<Vec<Located<R>>> {
    read::<R>(text, format).map_err(|problems| {
        let listed: Vec<String> = problems
            .iter()
            .map(|problem| format!("  {file}: {problem}"))
            .collect();
        anyhow::anyhow!(
            "{file} was not imported; nothing was changed:\n{}",
            listed.join("\n")
        )
    })
}

fn lines<R>(records: &[Located<R>]) -> Vec<u64> {
    records.iter().map(|located| located.line).collect()
}

/// Stores the batch in one transaction; a refused record is reported by its line in the file.
async fn store_batch(
    store: &dyn Store,
    file: &str,
    lines: &[u64],
    batch: Option<Records>,
) -> anyhow::Result<usize> {
    let Some(batch) = batch else { return Ok(0) };
    let count = lines.len();
    if let Err(error) = store.insert(batch, "homeward import").await {
        let line = record_index(&error).and_then(|index| lines.get(index));
        match line {
            Some(line) => bail!(
                "{file} was not imported; nothing was changed:\n  {file}: line {line}: {error}"
            ),
            None => bail!("{file} was not imported; nothing was changed: {error}"),
        }
    }
    Ok(count)
}

fn record_index(error: &StoreError) -> Option<usize> {
    match error {
        StoreError::Invalid { index, .. }
        | StoreError::Duplicate { index, .. }
        | StoreError::MissingReference { index, .. } => Some(*index),
        _ => None,
    }
}
