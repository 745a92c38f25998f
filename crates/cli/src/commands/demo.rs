//! `homeward demo`: generate a county from a preset, store it, serve it.

use super::open;
use crate::progress::Bars;
use clap::Args;
use std::time::Instant;

#[derive(Args)]
pub struct DemoArgs {
    /// A built-in preset (west-sussex-2019, oxfordshire-2014, norfolk-2014,
    /// nottinghamshire-2013, worcestershire-2019) or a preset file ending in .toml.
    #[arg(long, default_value = "west-sussex-2019")]
    pub preset: String,
    /// Seed for the generator: the same seed gives the same county.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Database URL: sqlite://PATH or postgres://USER@HOST/NAME. Its register is replaced.
    #[arg(long, env = "HOMEWARD_DATABASE", default_value = crate::DEFAULT_DATABASE)]
    pub database: String,
    /// Address to serve on.
    #[arg(long, env = "HOMEWARD_LISTEN", default_value = crate::DEFAULT_LISTEN)]
    pub listen: String,
    /// Build and store the demo, then stop instead of serving it.
    #[arg(long)]
    pub no_serve: bool,
    #[command(flatten)]
    pub web: super::serve::WebArgs,
}

pub async fn run(args: DemoArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let preset = homeward_preset::load(&args.preset)?;
    let mut bars = Bars::new();
    let market = homeward_demo::generate(&preset, args.seed, &mut bars);
    bars.finish();
    // The recent packages are taken out and placed again through brokerage, so that the demo
    // starts with a history of referrals, offers and answers behind them.
    let mut register = market.clone();
    let history = homeward_app::history::recent_referrals(&mut register, args.seed);
    let store = open(&args.database).await?;
    store.replace_market(&register, "homeward demo").await?;
    let brokerage = homeward_app::Brokerage::new(
        store.clone(),
        preset.brokerage.clone(),
        homeward_app::Ids::seeded(args.seed),
    );
    let rural: std::collections::HashMap<_, _> = market
        .areas
        .iter()
        .map(|area| (area.id.clone(), area.rural))
        .collect();
    let mut responder = homeward_app::history::Responder::new(args.seed, preset.rates.spot_hourly);
    let report = homeward_app::history::replay(
        &brokerage,
        &history,
        |referral| rural.get(&referral.area_id).copied().unwrap_or(false),
        &mut responder,
        true,
        "homeward demo",
    )
    .await?;
    eprintln!(
        "Built {} (seed {}) in {:.1}s: {} areas, {} providers with {} branches, {} people with {} packages, {} care workers.",
        preset.council.name,
        args.seed,
        started.elapsed().as_secs_f64(),
        market.areas.len(),
        market.providers.len(),
        market.branches.len(),
        market.people.len(),
        market.packages.len(),
        market.workers.len(),
    );
    eprintln!(
        "Brokerage history: {} recent referrals through the cascade, {} offers, {} placed, {} on the waiting list.",
        report.referrals, report.offers, report.placed, report.unplaced
    );
    // Visits are today's business whatever the county's reference date: a fortnight from now,
    // so that the pages have visits to show.
    let now = jiff::Timestamp::now();
    let today = now.to_zoned(homeward_domain::london().clone()).date();
    let through = today.checked_add(jiff::Span::new().days(13))?;
    let visits = homeward_app::plan_visits(
        store.as_ref(),
        &homeward_app::Ids::seeded(args.seed),
        now,
        through,
        "homeward demo",
    )
    .await?;
    eprintln!(
        "Visits: {} planned for the fortnight from today ({today} to {through}).",
        visits.added
    );
    let accounts = super::accounts::ensure_demo_accounts(store.as_ref(), &market).await?;
    eprintln!(
        "\nDemo accounts (password for all: {}):",
        super::accounts::DEMO_PASSWORD
    );
    for (role, email, scope) in &accounts {
        eprintln!("  {role:<17} {email:<32} {scope}");
    }
    if args.no_serve {
        return Ok(());
    }
    super::serve::serve(store, &args.listen, &args.web).await
}
