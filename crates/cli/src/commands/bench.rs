//! `homeward bench brokerage`: referrals through the application layer, timed; and the
//! subcommand list, with `homeward bench call-events` (`bench_call_events.rs`).

use super::open;
use clap::{Args, Subcommand};
use homeward_domain::brokerage::{AccessRoute, Needs, Referral, referral_funding};
use std::collections::HashMap;
use std::time::Instant;

#[derive(Subcommand)]
pub enum BenchCommand {
    /// Takes referrals with generated provider answers through brokerage and prints referrals
    /// per second. Replaces the database's register with the West Sussex demo first.
    Brokerage(BrokerageArgs),
    /// Sends check-ins and check-outs through the HTTP API with 50 senders at once, each
    /// answered once durably stored, then inserts the same rows straight into the database with
    /// 50 writers; prints events per second and p50/p99 latency of both, side by side.
    /// Replaces the database's register with the West Sussex demo first.
    CallEvents(super::bench_call_events::CallEventsArgs),
}

#[derive(Args)]
pub struct BrokerageArgs {
    /// Database URL: sqlite://PATH or postgres://USER@HOST/NAME. Its register is replaced.
    #[arg(long)]
    pub database: String,
    /// How many referrals.
    #[arg(long, default_value_t = 10_000)]
    pub referrals: usize,
    /// Seed for the county, the referrals and the answers.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

pub async fn run(command: BenchCommand) -> anyhow::Result<()> {
    let args = match command {
        BenchCommand::Brokerage(args) => args,
        BenchCommand::CallEvents(args) => return super::bench_call_events::run(args).await,
    };
    let preset = homeward_preset::builtin("west-sussex-2019")?;
    let market = homeward_demo::generate(&preset, args.seed, &mut homeward_demo::NoProgress);
    let store = open(&args.database, homeward_app::Clock::system()).await?;
    store.replace_market(&market, "homeward bench").await?;
    let referrals = referrals(&market, args.referrals);
    let rural: HashMap<_, _> = market
        .areas
        .iter()
        .map(|area| (area.id.clone(), area.rural))
        .collect();
    let brokerage = homeward_app::Brokerage::new(
        store.clone(),
        preset.brokerage.clone(),
        homeward_app::Ids::seeded(args.seed),
    );
    let mut responder = homeward_app::history::Responder::new(args.seed, preset.rates.spot_hourly);
    let started = Instant::now();
    let report = homeward_app::history::replay(
        &brokerage,
        &referrals,
        |referral| rural.get(&referral.area_id).copied().unwrap_or(false),
        &mut responder,
        false,
        "homeward bench",
    )
    .await?;
    let seconds = started.elapsed().as_secs_f64();
    let backend = if args.database.starts_with("sqlite:") {
        "sqlite"
    } else {
        "postgres"
    };
    println!("database,referrals,seconds,referrals_per_second,offers,placed,unplaced,reabled");
    println!(
        "{backend},{},{seconds:.2},{:.0},{},{},{},{}",
        report.referrals,
        report.referrals as f64 / seconds,
        report.offers,
        report.placed,
        report.unplaced,
        report.reabled
    );
    Ok(())
}

/// `count` referrals for the demo's people, a few a day over the year after its reference date,
/// asking for the care of an existing package; two in five could benefit from reablement.
fn referrals(market: &homeward_domain::Market, count: usize) -> Vec<(Referral, jiff::Timestamp)> {
    let routes = [
        AccessRoute::Community,
        AccessRoute::HospitalDischarge,
        AccessRoute::SelfOrFamily,
        AccessRoute::Safeguarding,
    ];
    let start = market.council.reference_date;
    (0..count)
        .map(|index| {
            let package = &market.packages[index % market.packages.len()];
            let person = market
                .people
                .iter()
                .find(|person| person.id == package.person_id)
                .expect("every package has its person");
            let referred_on = start
                .checked_add(jiff::Span::new().days((index * 365 / count.max(1)) as i64))
                .unwrap_or(start);
            let route = routes[index % routes.len()];
            let referral = Referral {
                id: homeward_domain::ReferralId::from_suffix(&format!("bench-{index:06}"))
                    .expect("valid id"),
                person_id: person.id.clone(),
                area_id: person.area_id.clone(),
                route,
                needs: Needs::of_package(package, person),
                funding_route: referral_funding(person),
                reablement_potential: index % 5 < 2,
                referred_on,
                needed_by: referred_on
                    .checked_add(jiff::Span::new().days(2))
                    .unwrap_or(referred_on),
                discharge_on: (route == AccessRoute::HospitalDischarge).then(|| {
                    referred_on
                        .checked_add(jiff::Span::new().days(1))
                        .unwrap_or(referred_on)
                }),
            };
            let at = referred_on
                .at(10, 0, 0, 0)
                .to_zoned(jiff::tz::TimeZone::UTC)
                .map(|zoned| zoned.timestamp())
                .unwrap_or(jiff::Timestamp::UNIX_EPOCH);
            (referral, at)
        })
        .collect()
}
