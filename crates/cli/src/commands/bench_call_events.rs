//! `homeward bench call-events`: check-ins and check-outs sent through the HTTP API by many
//! senders at once, each answered only once durably stored, beside a baseline that inserts the
//! same rows straight into the same database with as many writers (no HTTP, no audit, no
//! checks: what the database itself allows). Prints events per second and p50/p99 latency of
//! each, and the API's share of the baseline.
//!
//! The server runs in this process on a loopback port, and the senders use hyper's HTTP/1.1
//! client, one kept-alive connection each, so the figure includes parsing, sign-in by bearer
//! token, the scope checks, the roster and time checks, the ingester and the answer, as a
//! provider's system would meet them. The events are for visits made by now on the provider's
//! published rosters, by their rostered care workers, since only those are taken.

use super::open;
use anyhow::{Context, bail, ensure};
use clap::Args;
use homeward_domain::{
    AccountId, BranchId, CallEvent, CallEventKind, CallNote, CallWindow, CareTask, Coordinates,
    EventKey, ProviderId, Scope, Visit, VisitId, WorkerId, london_instant,
};
use homeward_store::baseline::PlainCallEventWriter;
use homeward_store::{Store, VisitFilter};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::header::{AUTHORIZATION, CONTENT_TYPE, HOST};
use hyper_util::rt::TokioIo;
use jiff::{SignedDuration, Timestamp};
use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Who the benchmark signs in as and audits its setup as.
const ACTOR: &str = "homeward bench";

#[derive(Args)]
pub struct CallEventsArgs {
    /// Database URL: sqlite://PATH or postgres://USER@HOST/NAME. Its register is replaced with
    /// the West Sussex demo (seed 1) and a day of visits.
    #[arg(long)]
    pub database: String,
    /// How many events each way (through the API, and inserted directly).
    #[arg(long, default_value_t = 20_000)]
    pub events: usize,
    /// Senders through the API at once, and writers of the baseline at once.
    #[arg(long, default_value_t = 50)]
    pub senders: usize,
}

/// One way of writing the events, timed.
struct Run {
    seconds: f64,
    /// Each event's time from sending to its answer, sorted.
    latencies: Vec<Duration>,
}

impl Run {
    fn events_per_second(&self) -> f64 {
        self.latencies.len() as f64 / self.seconds
    }

    /// The latency at `share` (0.5, 0.99) of the sorted latencies, in milliseconds.
    fn percentile_ms(&self, share: f64) -> f64 {
        let index = ((self.latencies.len() as f64 * share).ceil() as usize)
            .clamp(1, self.latencies.len())
            - 1;
        self.latencies[index].as_secs_f64() * 1_000.0
    }
}

pub async fn run(args: CallEventsArgs) -> anyhow::Result<()> {
    ensure!(
        args.events > 0 && args.senders > 0,
        "--events and --senders must be at least 1"
    );
    let store = open(&args.database, homeward_app::Clock::system()).await?;
    let setting = prepare(store.clone()).await?;
    let sent = setting.events("http", args.events);

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .context("cannot listen on a loopback port")?;
    let address = listener.local_addr()?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(homeward_web::serve(
        store.clone(),
        homeward_web::WebConfig::default(),
        listener,
        async {
            let _ = stopped.await;
        },
    ));
    let http = through_the_api(address, &setting.secret, &sent, args.senders).await;
    let _ = stop.send(());
    server.await.context("the server task failed")??;
    let http = http?;
    let stored = store
        .call_events_of(&setting.visit_filter())
        .await?
        .iter()
        .filter(|event| event.key.as_str().starts_with("bench-http-"))
        .count();
    ensure!(
        stored == sent.len(),
        "the API acknowledged {} events but {stored} are stored",
        sent.len()
    );

    let plain = setting.events("direct", args.events);
    let keys: Vec<EventKey> = plain.iter().map(|event| event.key.clone()).collect();
    let writer = Arc::new(PlainCallEventWriter::open(&args.database, args.senders as u32).await?);
    let direct = straight_into_the_database(
        writer.clone(),
        &setting.provider,
        plain,
        args.senders,
        homeward_app::Clock::system().now(),
    )
    .await;
    writer.delete(&setting.provider, &keys).await?;
    let direct = direct?;

    let backend = match store.backend() {
        homeward_store::Backend::Sqlite => "sqlite",
        homeward_store::Backend::Postgres => "postgres",
    };
    println!(
        "database,method,events,concurrency,seconds,events_per_second,p50_ms,p99_ms,share_of_direct"
    );
    for (method, run) in [("http_api", &http), ("direct_insert", &direct)] {
        println!(
            "{backend},{method},{},{},{:.2},{:.0},{:.1},{:.1},{:.2}",
            run.latencies.len(),
            args.senders,
            run.seconds,
            run.events_per_second(),
            run.percentile_ms(0.50),
            run.percentile_ms(0.99),
            run.events_per_second() / direct.events_per_second(),
        );
    }
    Ok(())
}

/// The register, rostered visits and token the events are sent with.
struct Setting {
    provider: ProviderId,
    visits: Vec<Visit>,
    calls: Vec<RosteredCall>,
    secret: String,
}

/// A care worker's part of a visit on a published roster, made by now: when they arrived and
/// left, as the events say.
struct RosteredCall {
    visit: VisitId,
    worker: WorkerId,
    arrived: Timestamp,
    left: Timestamp,
}

/// Replaces the register with the West Sussex demo, plans yesterday's and today's visits,
/// plans and publishes the demo provider's runs of both days (the engine's first solution, as
/// the demo's are), and makes an API token for the demo's provider user: the events are that
/// provider's care workers' on their rostered visits made by now, since only rostered care at
/// believable times is taken.
async fn prepare(store: Arc<dyn Store>) -> anyhow::Result<Setting> {
    let preset = homeward_preset::builtin("west-sussex-2019")?;
    let market = homeward_demo::generate(&preset, 1, &mut homeward_demo::NoProgress);
    store.replace_market(&market, ACTOR).await?;
    let worker = super::accounts::first_worker(&market)?;
    super::accounts::ensure_demo_accounts(store.as_ref(), &market, &worker).await?;
    let account_id = AccountId::from_suffix("demo-provider")?;
    let account = store
        .account(&account_id)
        .await?
        .context("the demo's provider user is missing")?;
    let Scope::Provider(provider) = &account.scope else {
        bail!("the demo's provider user is not scoped to a provider");
    };
    let clock = homeward_app::Clock::system();
    let (now, today) = (clock.now(), clock.today());
    let yesterday = today.yesterday()?;
    let ids = homeward_app::Ids::seeded(1);
    let from = london_instant(yesterday, jiff::civil::Time::midnight());
    homeward_app::plan_visits(store.as_ref(), &ids, from, today, ACTOR).await?;
    let staffed: HashSet<&BranchId> = market.workers.iter().map(|w| &w.branch_id).collect();
    let branches: Vec<&BranchId> = market
        .branches
        .iter()
        .filter(|branch| &branch.provider_id == provider && staffed.contains(&branch.id))
        .map(|branch| &branch.id)
        .collect();
    let settings = homeward_app::rostering::PlanSettings {
        seconds_per_day: 0.0,
        iterations: Some(0),
        ..homeward_app::rostering::PlanSettings::default()
    };
    for (date, planned_at) in [(yesterday, from), (today, now)] {
        for branch in &branches {
            let roster = homeward_app::rostering::plan_day(
                store.as_ref(),
                &ids,
                branch,
                date,
                &settings,
                planned_at,
                ACTOR,
            )
            .await?;
            homeward_app::rostering::publish(store.as_ref(), &roster.id, planned_at, ACTOR).await?;
        }
    }
    let filter = VisitFilter {
        provider_id: Some(provider.clone()),
        planned_only: true,
        ..VisitFilter::between(yesterday, today)
    };
    let visits = store.visits(&filter).await?;
    let by_id: HashMap<&VisitId, &Visit> = visits.iter().map(|visit| (&visit.id, visit)).collect();
    let calls: Vec<RosteredCall> = store
        .roster_stops_of(&filter, true)
        .await?
        .into_iter()
        .filter_map(|stop| {
            let visit = by_id.get(&stop.visit_id)?;
            let length = SignedDuration::from_mins(i64::from(visit.dated.duration_minutes));
            let call = RosteredCall {
                visit: stop.visit_id,
                worker: stop.worker_id,
                arrived: stop.starts_at,
                left: stop.starts_at + length,
            };
            // Made by now, at times the API takes for the visit (the domain's one rule).
            let window = CallWindow::of(&visit.dated);
            let believable = [call.arrived, call.left]
                .iter()
                .all(|&at| window.check_event("at", at, now).is_ok());
            (call.left <= now && believable).then_some(call)
        })
        .collect();
    ensure!(
        !calls.is_empty(),
        "the demo's provider has no rostered visits made by now"
    );
    let (_, secret) = homeward_web::issue_api_token(
        store.as_ref(),
        &account.id,
        "bench".into(),
        homeward_web::TokenLifetime::DEFAULT,
        homeward_app::Clock::system().now(),
        ACTOR,
    )
    .await?;
    Ok(Setting {
        provider: provider.clone(),
        visits,
        calls,
        secret,
    })
}

impl Setting {
    /// The visits the events are for.
    fn visit_filter(&self) -> VisitFilter {
        let dates = self.visits.iter().map(|visit| visit.dated.date);
        VisitFilter {
            provider_id: Some(self.provider.clone()),
            ..VisitFilter::between(
                dates.clone().min().expect("visits"),
                dates.max().expect("visits"),
            )
        }
    }

    /// `count` events keyed `bench-{label}-N`: check-ins with a location and check-outs with
    /// tasks and a note, in turn, spread over the rostered calls, each by its rostered care
    /// worker at the times of the call.
    fn events(&self, label: &str, count: usize) -> Vec<CallEvent> {
        (0..count)
            .map(|number| {
                let call = &self.calls[number / 2 % self.calls.len()];
                let checking_out = number % 2 == 1;
                CallEvent {
                    key: EventKey::parse(&format!("bench-{label}-{number:07}"), "key")
                        .expect("a valid key"),
                    visit_id: call.visit.clone(),
                    worker_id: call.worker.clone(),
                    kind: if checking_out {
                        CallEventKind::CheckOut
                    } else {
                        CallEventKind::CheckIn
                    },
                    at: if checking_out {
                        call.left
                    } else {
                        call.arrived
                    },
                    location: (!checking_out)
                        .then(|| Coordinates::from_micro_degrees(50_830_000, -780_000))
                        .flatten(),
                    tasks: if checking_out {
                        [CareTask::PersonalCare, CareTask::MealOrDrink].into()
                    } else {
                        Default::default()
                    },
                    note: if checking_out {
                        CallNote::parse("Breakfast and a wash; in good spirits.", "note")
                            .expect("a valid note")
                    } else {
                        None
                    },
                }
            })
            .collect()
    }
}

/// Sends `events` to `POST /api/v1/call-events` from `senders` connections at once, each taking
/// the next unsent event until none are left; every answer must be 201.
async fn through_the_api(
    address: SocketAddr,
    secret: &str,
    events: &[CallEvent],
    senders: usize,
) -> anyhow::Result<Run> {
    let bodies: Arc<Vec<String>> = Arc::new(
        events
            .iter()
            .map(homeward_web::call_event_request_body)
            .collect(),
    );
    let next = Arc::new(AtomicUsize::new(0));
    let authorization = format!("Bearer {secret}");
    // Connect every sender before the clock starts.
    let mut connections = Vec::with_capacity(senders);
    for _ in 0..senders {
        let stream = tokio::net::TcpStream::connect(address).await?;
        stream.set_nodelay(true)?;
        let (sender, connection) =
            hyper::client::conn::http1::handshake::<_, Full<Bytes>>(TokioIo::new(stream)).await?;
        tokio::spawn(connection);
        connections.push(sender);
    }
    let started = Instant::now();
    let tasks: Vec<_> = connections
        .into_iter()
        .map(|mut sender| {
            let (bodies, next, authorization) =
                (bodies.clone(), next.clone(), authorization.clone());
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(body) = bodies.get(index) else {
                        return anyhow::Ok(latencies);
                    };
                    let request = hyper::Request::post("/api/v1/call-events")
                        .header(HOST, "127.0.0.1")
                        .header(AUTHORIZATION, &authorization)
                        .header(CONTENT_TYPE, "application/json")
                        .body(Full::new(Bytes::from(body.clone())))?;
                    let sent_at = Instant::now();
                    sender.ready().await?;
                    let response = sender.send_request(request).await?;
                    let status = response.status();
                    let answer = response.into_body().collect().await?.to_bytes();
                    latencies.push(sent_at.elapsed());
                    if status != hyper::StatusCode::CREATED {
                        bail!(
                            "event {index} was answered {status}: {}",
                            String::from_utf8_lossy(&answer)
                        );
                    }
                }
            })
        })
        .collect();
    collect(tasks, started).await
}

/// Inserts `events` with `writers` writers at once, each taking the next event until none are
/// left.
async fn straight_into_the_database(
    writer: Arc<PlainCallEventWriter>,
    provider: &ProviderId,
    events: Vec<CallEvent>,
    writers: usize,
    received_at: Timestamp,
) -> anyhow::Result<Run> {
    let events = Arc::new(events);
    let provider = Arc::new(provider.clone());
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let tasks: Vec<_> = (0..writers)
        .map(|_| {
            let (writer, events, next, provider) = (
                writer.clone(),
                events.clone(),
                next.clone(),
                provider.clone(),
            );
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(event) = events.get(index) else {
                        return anyhow::Ok(latencies);
                    };
                    let sent_at = Instant::now();
                    writer.insert(&provider, event, received_at).await?;
                    latencies.push(sent_at.elapsed());
                }
            })
        })
        .collect();
    collect(tasks, started).await
}

/// Waits for every task and gathers their latencies into a run timed from `started`.
async fn collect(
    tasks: Vec<tokio::task::JoinHandle<anyhow::Result<Vec<Duration>>>>,
    started: Instant,
) -> anyhow::Result<Run> {
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await.context("a sender panicked")??);
    }
    let seconds = started.elapsed().as_secs_f64();
    latencies.sort();
    Ok(Run { seconds, latencies })
}
