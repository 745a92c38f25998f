//! `homeward`: the one program for running Homeward — the demo, the server, migrations,
//! import and export.

mod commands;
mod logging;
mod progress;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Default database: a SQLite file in a data folder beside where the program is run.
const DEFAULT_DATABASE: &str = "sqlite://data/homeward.db";
const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

#[derive(Parser)]
#[command(
    name = "homeward",
    version,
    about = "Run a council's commissioned home care market, and test a market design before procuring it."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build a demo county from a preset, store it, and serve it.
    #[command(after_help = logging::HELP)]
    Demo(commands::demo::DemoArgs),
    /// Serve the web application over an existing database.
    #[command(after_help = logging::HELP)]
    Serve(commands::serve::ServeArgs),
    /// Create or update the database schema.
    Migrate(commands::DatabaseArgs),
    /// Print one kind of record as CSV or JSON.
    Export(commands::export::ExportArgs),
    /// Add records of one kind from a CSV or JSON file: all of them, or none.
    Import(commands::import::ImportArgs),
    /// Benchmarks that print comparable figures.
    #[command(subcommand)]
    Bench(commands::bench::BenchCommand),
    /// Care workers' runs: solve, check and benchmark the scheduling engine.
    #[command(subcommand)]
    Roster(commands::roster::RosterCommand),
    /// Dated visits from packages' weekly patterns.
    #[command(subcommand)]
    Visits(commands::visits::VisitsCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Err(error) = logging::init() {
        eprintln!("error: {error}");
        return ExitCode::FAILURE;
    }
    // The engine is plain computation: no runtime needed.
    if let Command::Roster(command) = cli.command {
        return match commands::roster::run(command) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("error: {error:#}");
                ExitCode::FAILURE
            }
        };
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Demo(args) => commands::demo::run(args).await,
            Command::Serve(args) => commands::serve::run(args).await,
            Command::Migrate(args) => commands::migrate(args).await,
            Command::Export(args) => commands::export::run(args).await,
            Command::Import(args) => commands::import::run(args).await,
            Command::Bench(command) => commands::bench::run(command).await,
            Command::Visits(command) => commands::visits::run(command).await,
            Command::Roster(_) => unreachable!("handled before the runtime starts"),
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
