//! The web application: server-rendered GOV.UK-styled pages and a JSON API under `/api/v1`,
//! behind sign-in, roles and scopes.
//!
//! Key points:
//! - Every route is listed once in [`routes::ROUTES`] with who may use it; the router is built
//!   from that table, and the authorisation-matrix test walks the same table.
//! - Pages are rendered on the server from askama templates in `templates/`, with GOV.UK Frontend
//!   markup; they work without JavaScript.
//! - The API answers JSON only, authenticates machine clients by bearer token, and describes itself
//!   in an OpenAPI 3.1 document at `/api/v1/openapi.json` generated from the handlers.
//! - What a signed-in account may see is decided in one place, [`homeward_app::visibility`], from its role and
//!   scope: a provider never sees another provider's people.

mod api;
mod auth;
mod body_deadline;
mod body_limit;
mod calendar;
mod catch_panic;
mod figures;
mod format;
mod found;
mod pages;
mod paging;
mod request_log;
mod routes;
mod security_headers;
mod server;

pub use api::call_events::request_body as call_event_request_body;
pub use auth::api_tokens::{TokenLifetime, issue_api_token};
pub use auth::password::hash_password;
pub use auth::secrets::hash_secret;
pub use routes::{Access, ROUTES, Route};

use axum::Router;
use homeward_store::Store;
use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;

/// How the server is set up, decided by the command that starts it.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Where the compiled GOV.UK Frontend assets are (`scripts/build-assets.sh` writes them).
    pub assets_dir: PathBuf,
    /// Mark cookies `Secure`: set when the server is reached over TLS (through a proxy).
    pub secure_cookies: bool,
    /// Seconds the scheduling engine searches for each day a coordinator plans.
    pub roster_seconds_per_day: f64,
    /// How long a client has to send a request's headers; also how long a kept-alive
    /// connection may wait idle for its next request.
    pub header_read_timeout: Duration,
    /// How long a client has to send a request's whole body, from the end of its headers.
    pub body_read_timeout: Duration,
    /// The reverse proxy in front of the server, if there is one: only a request from this
    /// address is believed about its client, through the last `X-Forwarded-For` entry (sign-in
    /// throttles and audits by client). None, the default: the peer is the client.
    pub trusted_proxy: Option<std::net::IpAddr>,
    /// Where every "now" and "today" of the server comes from: the machine's clock in service,
    /// a chosen start for the demo and the browser tests.
    pub clock: homeward_app::Clock,
    /// The council's preset when given at start-up (`--preset`, for a market built from a preset
    /// file); none: the built-in preset the stored council names.
    pub preset: Option<homeward_preset::Preset>,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            assets_dir: PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/dist")),
            secure_cookies: false,
            roster_seconds_per_day: homeward_app::rostering::PlanSettings::default()
                .seconds_per_day,
            header_read_timeout: Duration::from_secs(10),
            body_read_timeout: Duration::from_secs(30),
            trusted_proxy: None,
            clock: homeward_app::Clock::system(),
            preset: None,
        }
    }
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The market register.
    pub store: Arc<dyn Store>,
    /// The server's settings.
    pub config: Arc<WebConfig>,
    /// Failed sign-ins, for throttling.
    pub throttle: Arc<auth::throttle::Throttle>,
    /// Where password hashes and checks run: off the async threads, one per core at most.
    pub passwords: auth::hashing::PasswordWork,
    /// Figures derived from the register, rebuilt when it changes.
    pub snapshots: Arc<figures::SnapshotCache>,
    /// Writes call events in group-committed batches.
    pub ingester: homeward_app::Ingester,
    /// The server's one clock (a copy of [`WebConfig::clock`]).
    pub clock: homeward_app::Clock,
    /// The council's preset, chosen once at start-up: brokerage runs by its rules.
    pub preset: Arc<homeward_preset::Preset>,
}

impl AppState {
    /// The settings the scheduling engine plans with on this server, for the pages and the API.
    pub fn plan_settings(&self) -> homeward_app::rostering::PlanSettings {
        homeward_app::rostering::PlanSettings::searching_for(self.config.roster_seconds_per_day)
    }

    /// Brokerage by the council's rules, for one request.
    pub fn brokerage(&self) -> homeward_app::Brokerage {
        homeward_app::Brokerage::new(
            self.store.clone(),
            self.preset.brokerage.clone(),
            homeward_app::Ids::random(),
        )
    }
}

/// The application's routes over `store`, by the rules of the council's `preset`. Starts the
/// call-event ingester, so it must be called within a Tokio runtime.
pub fn router(
    store: Arc<dyn Store>,
    config: WebConfig,
    preset: Arc<homeward_preset::Preset>,
) -> Router {
    let clock = config.clock;
    let state = AppState {
        ingester: homeward_app::Ingester::start(store.clone(), move || clock.now()),
        clock,
        preset,
        store,
        config: Arc::new(config),
        throttle: Arc::new(auth::throttle::Throttle::default()),
        passwords: auth::hashing::PasswordWork::per_core(),
        snapshots: Arc::new(figures::SnapshotCache::default()),
    };
    routes::build(state)
}

/// Why the server did not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The council's preset could not be chosen: nothing would know the council's rules.
    #[error(transparent)]
    Preset(#[from] homeward_app::PresetChoiceError),
    /// Serving failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// Serves the application on `listener` until `shutdown` completes and every connection has
/// finished: a request under way is answered, idle connections are closed. Each request carries
/// its client's address as axum's `ConnectInfo<SocketAddr>`; clients too slow to send their
/// headers or bodies are cut off after [`WebConfig::header_read_timeout`] and
/// [`WebConfig::body_read_timeout`]. The council's preset is chosen first
/// ([`homeward_app::council_preset`]); the server does not start without it.
pub async fn serve(
    store: Arc<dyn Store>,
    mut config: WebConfig,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    let preset =
        Arc::new(homeward_app::council_preset(store.as_ref(), config.preset.take()).await?);
    if !config.assets_dir.join("homeward.css").exists() {
        tracing::warn!(
            assets = %config.assets_dir.display(),
            "no compiled styles; pages will be unstyled until `bash scripts/build-assets.sh` runs"
        );
    }
    // Offers whose deadline passes move their referral on by themselves, without anyone asking.
    let expiry = tokio::spawn(expire_offers_every_minute(
        store.clone(),
        preset.clone(),
        config.clock,
    ));
    let timeouts = server::Timeouts {
        header_read: config.header_read_timeout,
    };
    server::serve(router(store, config, preset), listener, timeouts, shutdown).await;
    expiry.abort();
    Ok(())
}

/// Moves on the referrals whose offers have expired, once a minute, for as long as the server runs.
async fn expire_offers_every_minute(
    store: Arc<dyn Store>,
    preset: Arc<homeward_preset::Preset>,
    clock: homeward_app::Clock,
) {
    let mut ticks = tokio::time::interval(std::time::Duration::from_secs(60));
    loop {
        ticks.tick().await;
        // Made afresh each time: a brokerage keeps the market it first reads.
        let brokerage = homeward_app::Brokerage::new(
            store.clone(),
            preset.brokerage.clone(),
            homeward_app::Ids::random(),
        );
        if let Err(error) = brokerage.expire(clock.now(), "homeward clock").await {
            tracing::error!(error = ?error.to_string(), "moving on expired offers failed");
        }
    }
}
