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
    /// Replace the register even when the database holds records the demo did not make
    /// (imported records, or accounts other than the demo's). Without it the demo refuses such
    /// a database, so that it is never run over a council's live register by mistake.
    #[arg(long)]
    pub replace: bool,
    /// Days before today of care delivered, with its check-ins and check-outs, and today's runs
    /// planned and published (0: none of it, only the visits from today). By default, from the
    /// start of the last invoice period that has ended, so that it can be invoiced: five to eight
    /// weeks, the best part of a minute to build.
    #[arg(long)]
    pub history_days: Option<u32>,
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
    let store = open(&args.database, args.web.clock()).await?;
    if !args.replace {
        refuse_a_register_in_use(store.as_ref(), &args.database).await?;
    }
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
    // Visits are today's business whatever the county's reference date: laid out from the
    // start of the last invoice period that has ended to a fortnight ahead, so that the pages
    // have a history to show (delivered, monitored and invoiced) as well as days to come.
    let now = args.web.clock().now();
    let today = homeward_domain::london_date(now);
    let history_from = match args.history_days {
        None => homeward_domain::InvoicePeriod::containing(today)
            .previous()
            .starts_on(),
        Some(days) => today.checked_sub(jiff::Span::new().days(i64::from(days)))?,
    };
    let through = today.checked_add(jiff::Span::new().days(13))?;
    let ids = homeward_app::Ids::seeded(args.seed);
    let planned_from = homeward_domain::london_instant(history_from, jiff::civil::Time::midnight());
    let visits =
        homeward_app::plan_visits(store.as_ref(), &ids, planned_from, through, "homeward demo")
            .await?;
    eprintln!(
        "Visits: {} planned from {history_from} to {through}.",
        visits.added
    );
    let worker = if args.history_days == Some(0) {
        super::accounts::first_worker(&market)?
    } else {
        simulate_today_and_before(store.as_ref(), &market, &ids, args.seed, history_from, now)
            .await?
    };
    let accounts = super::accounts::ensure_demo_accounts(store.as_ref(), &market, &worker).await?;
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
    super::serve::serve(store, &args.listen, &args.web, Some(preset)).await
}

/// Refuses a database that holds records the demo does not make — an import's, or accounts
/// other than the demo's own — since the demo replaces the whole register.
async fn refuse_a_register_in_use(
    store: &dyn homeward_store::Store,
    database: &str,
) -> anyhow::Result<()> {
    let others = store
        .accounts()
        .await?
        .into_iter()
        .filter(|account| !super::accounts::is_demo_account(&account.id))
        .count();
    let imports = homeward_store::AuditFilter {
        action: Some("import".to_owned()),
        ..homeward_store::AuditFilter::default()
    };
    let imported = store.audit_events(&imports, 0, 0).await?.total;
    if others > 0 || imported > 0 {
        anyhow::bail!(
            "{database} holds {others} accounts the demo did not make and {imported} imports of \
             records: it looks like a register in use, and the demo would replace all of it. Use \
             another database, or pass --replace to replace it anyway."
        );
    }
    Ok(())
}

/// The demo's care worker: of the demo provider's staff, the one with most visits on today's
/// published runs (the first by id of equals), so that the phone page has a day to show.
async fn demo_worker(
    store: &dyn homeward_store::Store,
    market: &homeward_domain::Market,
    today: jiff::civil::Date,
) -> anyhow::Result<homeward_domain::WorkerId> {
    let provider = super::accounts::demo_provider(market)?;
    let filter = homeward_store::VisitFilter {
        provider_id: Some(provider.id.clone()),
        ..homeward_store::VisitFilter::between(today, today)
    };
    let mut visits: std::collections::BTreeMap<homeward_domain::WorkerId, usize> =
        Default::default();
    for stop in store.roster_stops_of(&filter, true).await? {
        *visits.entry(stop.worker_id).or_default() += 1;
    }
    let busiest = visits
        .iter()
        .max_by_key(|(worker, count)| (**count, std::cmp::Reverse((*worker).clone())))
        .map(|(worker, _)| worker.clone());
    match busiest {
        Some(worker) => Ok(worker),
        None => super::accounts::first_worker(market),
    }
}

/// Plans and publishes today's runs, then simulates the delivery of every visit from
/// `history_from` to `now` but the demo care worker's today; returns that care worker.
async fn simulate_today_and_before(
    store: &dyn homeward_store::Store,
    market: &homeward_domain::Market,
    ids: &homeward_app::Ids,
    seed: u64,
    history_from: jiff::civil::Date,
    now: jiff::Timestamp,
) -> anyhow::Result<homeward_domain::WorkerId> {
    let today = now.to_zoned(homeward_domain::london().clone()).date();
    let stage = Instant::now();
    let rosters = homeward_app::delivery::roster_today(store, ids, now, "homeward demo").await?;
    eprintln!(
        "Rosters: today's runs of {rosters} branches planned (first solutions) and published in {:.1}s.",
        stage.elapsed().as_secs_f64()
    );
    let worker = demo_worker(store, market, today).await?;
    let stage = Instant::now();
    let delivered = homeward_app::delivery::simulate_delivery(
        store,
        seed,
        history_from,
        now,
        Some(&worker),
        "homeward demo",
    )
    .await?;
    eprintln!(
        "Delivery: {} past visits, {} check-ins and check-outs ({} late, {} missed, {} short) in {:.1}s.",
        delivered.visits,
        delivered.events,
        delivered.late,
        delivered.missed,
        delivered.short,
        stage.elapsed().as_secs_f64()
    );
    Ok(worker)
}
