//! `homeward visits plan`: lay every placed package's weekly pattern out as dated visits, from
//! now to a horizon, carrying changes to packages into future visits only.

use super::open;
use clap::{Args, Subcommand};
use homeward_app::{Ids, plan_visits};
use jiff::Span;

#[derive(Subcommand)]
pub enum VisitsCommand {
    /// Plan visits from now to the end of the horizon; running it again changes nothing until a
    /// package changes or the horizon moves on.
    Plan(PlanArgs),
}

#[derive(Args)]
pub struct PlanArgs {
    /// Database URL: sqlite://PATH or postgres://USER@HOST/NAME.
    #[arg(long, env = "HOMEWARD_DATABASE")]
    pub database: String,
    /// Days ahead to plan, today included.
    #[arg(long, default_value_t = 14, value_parser = clap::value_parser!(u16).range(1..=366))]
    pub days: u16,
}

pub async fn run(command: VisitsCommand) -> anyhow::Result<()> {
    match command {
        VisitsCommand::Plan(args) => {
            let clock = homeward_app::Clock::system();
            let store = open(&args.database, clock).await?;
            let (now, today) = (clock.now(), clock.today());
            let through = today.checked_add(Span::new().days(i64::from(args.days) - 1))?;
            let outcome = plan_visits(
                store.as_ref(),
                &Ids::random(),
                now,
                through,
                "homeward visits plan",
            )
            .await?;
            eprintln!(
                "Visits to {through}: {} added, {} cancelled.",
                outcome.added, outcome.cancelled
            );
            Ok(())
        }
    }
}
