//! `homeward serve`.

use super::open;
use anyhow::Context;
use clap::Args;
use std::sync::Arc;

#[derive(Args)]
pub struct ServeArgs {
    /// Database URL: sqlite://PATH or postgres://USER@HOST/NAME.
    #[arg(long, env = "HOMEWARD_DATABASE")]
    pub database: String,
    /// Address to listen on.
    #[arg(long, env = "HOMEWARD_LISTEN", default_value = crate::DEFAULT_LISTEN)]
    pub listen: String,
    /// The preset file the stored market was built from, when it is not built into Homeward
    /// (a built-in preset is found by the name the stored council carries).
    #[arg(long, env = "HOMEWARD_PRESET", value_name = "FILE")]
    pub preset: Option<String>,
    #[command(flatten)]
    pub web: WebArgs,
}

/// How pages are served.
#[derive(Args, Clone)]
pub struct WebArgs {
    /// Folder of the compiled GOV.UK Frontend assets (written by scripts/build-assets.sh).
    #[arg(long, env = "HOMEWARD_ASSETS")]
    pub assets: Option<std::path::PathBuf>,
    /// Mark cookies Secure: set this when people reach Homeward over HTTPS.
    #[arg(long, env = "HOMEWARD_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// Seconds the scheduling engine searches for each day a coordinator plans.
    #[arg(long, env = "HOMEWARD_ROSTER_SECONDS", default_value_t = 3.0)]
    pub roster_seconds: f64,
    /// Seconds a client has to send a request's headers, and a kept-alive connection may stay
    /// idle [default: 10].
    #[arg(long, env = "HOMEWARD_HEADER_TIMEOUT", value_parser = seconds())]
    pub header_timeout: Option<u64>,
    /// Seconds a client has to send a request's body, from the end of its headers [default: 30].
    #[arg(long, env = "HOMEWARD_BODY_TIMEOUT", value_parser = seconds())]
    pub body_timeout: Option<u64>,
    /// The reverse proxy's address, when Homeward runs behind one: its X-Forwarded-For is
    /// believed about who the client is (sign-in throttles and audits by client).
    #[arg(long, env = "HOMEWARD_TRUSTED_PROXY")]
    pub trusted_proxy: Option<std::net::IpAddr>,
    /// Run the server's clock from this instant (RFC 3339, e.g. 2026-12-07T10:00:00Z) instead
    /// of the machine's: for demonstrations and the browser tests, which must see visits open
    /// for check-in whatever the hour. Never set it in service.
    #[arg(long, env = "HOMEWARD_CLOCK_START")]
    pub clock_start: Option<jiff::Timestamp>,
}

/// A timeout in whole seconds: at least one, at most an hour.
fn seconds() -> clap::builder::RangedU64ValueParser<u64> {
    clap::value_parser!(u64).range(1..=3600)
}

impl WebArgs {
    /// The clock the server and the demo read: the machine's, or one running from
    /// `--clock-start`.
    pub fn clock(&self) -> homeward_app::Clock {
        match self.clock_start {
            Some(start) => homeward_app::Clock::starting_at(start),
            None => homeward_app::Clock::system(),
        }
    }

    fn config(&self) -> homeward_web::WebConfig {
        let mut config = homeward_web::WebConfig::default();
        if let Some(assets) = &self.assets {
            config.assets_dir.clone_from(assets);
        }
        config.secure_cookies = self.secure_cookies;
        config.roster_seconds_per_day = self.roster_seconds;
        if let Some(seconds) = self.header_timeout {
            config.header_read_timeout = std::time::Duration::from_secs(seconds);
        }
        if let Some(seconds) = self.body_timeout {
            config.body_read_timeout = std::time::Duration::from_secs(seconds);
        }
        config.trusted_proxy = self.trusted_proxy;
        config.clock = self.clock();
        config
    }
}

pub async fn run(args: ServeArgs) -> anyhow::Result<()> {
    let preset = args
        .preset
        .as_deref()
        .map(homeward_preset::load)
        .transpose()?;
    let store = open(&args.database, args.web.clock()).await?;
    serve(store, &args.listen, &args.web, preset).await
}

/// Serves until Ctrl-C or SIGTERM, by the rules of `preset` when given, else of the built-in
/// preset the stored council names.
pub async fn serve(
    store: Arc<dyn homeward_store::Store>,
    listen: &str,
    web: &WebArgs,
    preset: Option<homeward_preset::Preset>,
) -> anyhow::Result<()> {
    let stop = stop_signal().context("cannot listen for the signals that stop the server")?;
    // Chosen before listening, so that a server that cannot know the council's rules never
    // answers anyone.
    let preset = homeward_app::council_preset(store.as_ref(), preset).await?;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    let address = listener.local_addr()?;
    if let Some(start) = web.clock_start {
        eprintln!("The clock started at {start}, not the machine's time.");
    }
    eprintln!("Homeward is running at http://{address}/ (Ctrl-C to stop)");
    let config = homeward_web::WebConfig {
        preset: Some(preset),
        ..web.config()
    };
    homeward_web::serve(store, config, listener, stop)
        .await
        .context("the server could not go on")
}

/// A future that completes at Ctrl-C (SIGINT) or, on Unix, SIGTERM (what systemd and container
/// runtimes send to stop a service), so that either lets requests under way finish. The
/// handlers are installed here, before the server listens, so that a signal sent as soon as it
/// answers is never taken by the default action, which kills the process at once.
fn stop_signal() -> std::io::Result<impl std::future::Future<Output = ()> + Send + 'static> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut interrupt = signal(SignalKind::interrupt())?;
        let mut terminate = signal(SignalKind::terminate())?;
        Ok(async move {
            tokio::select! {
                _ = interrupt.recv() => {}
                _ = terminate.recv() => {}
            }
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            let _ = tokio::signal::ctrl_c().await;
        })
    }
}
