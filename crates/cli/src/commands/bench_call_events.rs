//! `homeward bench call-events`: check-ins and check-outs sent through the HTTP API by many
//! senders at once, each answered only once durably stored, beside a baseline that inserts the
//! same rows straight into the same database with as many writers (no HTTP, no audit, no
//! checks: what the database itself allows). Prints events per second and p50/p99 latency of
//! each, and the API's share of the baseline.
//!
//! The server runs in this process on a loopback port, and the senders use hyper's HTTP/1.1
//! client, one kept-alive connection each, so the figure includes parsing, sign-in by bearer
//! token, the scope checks, the ingester and the answer, as a provider's system would meet them.

use super::open;
use anyhow::{Context, bail, ensure};
use clap::Args;
use homeward_domain::{
    AccountId, CallEvent, CallEventKind, CallNote, CareTask, CareWorker, Coordinates, EventKey,
    Scope, Visit, london,
};
use homeward_store::baseline::PlainCallEventWriter;
use homeward_store::{Store, VisitFilter};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::header::{AUTHORIZATION, CONTENT_TYPE, HOST};
use hyper_util::rt::TokioIo;
use jiff::Timestamp;
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
    let store = open(&args.database).await?;
    let setting = prepare(store.clone()).await?;
    let now = Timestamp::now();
    let sent = setting.events("http", args.events, now);

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

    let plain = setting.events("direct", args.events, now);
    let keys: Vec<EventKey> = plain.iter().map(|event| event.key.clone()).collect();
    let writer = Arc::new(PlainCallEventWriter::open(&args.database, args.senders as u32).await?);
    let direct = straight_into_the_database(writer.clone(), plain, args.senders, now).await;
    writer.delete(&keys).await?;
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

/// The register, visits, workers and token the events are sent with.
struct Setting {
    visits: Vec<Visit>,
    workers: Vec<CareWorker>,
    secret: String,
}

/// Replaces the register with the West Sussex demo, plans the next day's visits, and makes an
/// API token for the demo's provider user, whose visits and care workers the events are for.
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
    let now = Timestamp::now();
    let tomorrow = now.to_zoned(london().clone()).date().tomorrow()?;
    homeward_app::plan_visits(
        store.as_ref(),
        &homeward_app::Ids::seeded(1),
        now,
        tomorrow,
        ACTOR,
    )
    .await?;
    let filter = VisitFilter {
        provider_id: Some(provider.clone()),
        planned_only: true,
        ..VisitFilter::between(now.to_zoned(london().clone()).date(), tomorrow)
    };
    let visits = store.visits(&filter).await?;
    let branches: Vec<_> = market
        .branches
        .iter()
        .filter(|branch| &branch.provider_id == provider)
        .map(|branch| branch.id.clone())
        .collect();
    let workers: Vec<CareWorker> = market
        .workers
        .into_iter()
        .filter(|worker| branches.contains(&worker.branch_id))
        .collect();
    ensure!(
        !visits.is_empty() && !workers.is_empty(),
        "the demo's provider has no visits or care workers"
    );
    let (_, secret) = homeward_web::issue_api_token(
        store.as_ref(),
        &account.id,
        "bench".into(),
        homeward_web::TokenLifetime::DEFAULT,
        ACTOR,
    )
    .await?;
    Ok(Setting {
        visits,
        workers,
        secret,
    })
}

impl Setting {
    /// The visits the events are for.
    fn visit_filter(&self) -> VisitFilter {
        let dates = self.visits.iter().map(|visit| visit.dated.date);
        VisitFilter {
            provider_id: Some(self.visits[0].provider_id.clone()),
            ..VisitFilter::between(
                dates.clone().min().expect("visits"),
                dates.max().expect("visits"),
            )
        }
    }

    /// `count` events keyed `bench-{label}-N`: check-ins with a location and check-outs with
    /// tasks and a note, in turn, spread over the provider's visits and workers.
    fn events(&self, label: &str, count: usize, now: Timestamp) -> Vec<CallEvent> {
        (0..count)
            .map(|number| {
                let visit = &self.visits[number / 2 % self.visits.len()];
                let checking_out = number % 2 == 1;
                CallEvent {
                    key: EventKey::parse(&format!("bench-{label}-{number:07}"), "key")
                        .expect("a valid key"),
                    visit_id: visit.id.clone(),
                    worker_id: self.workers[number / 2 % self.workers.len()].id.clone(),
                    kind: if checking_out {
                        CallEventKind::CheckOut
                    } else {
                        CallEventKind::CheckIn
                    },
                    at: now,
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
    events: Vec<CallEvent>,
    writers: usize,
    received_at: Timestamp,
) -> anyhow::Result<Run> {
    let events = Arc::new(events);
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let tasks: Vec<_> = (0..writers)
        .map(|_| {
            let (writer, events, next) = (writer.clone(), events.clone(), next.clone());
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(event) = events.get(index) else {
                        return anyhow::Ok(latencies);
                    };
                    let sent_at = Instant::now();
                    writer.insert(event, received_at).await?;
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
