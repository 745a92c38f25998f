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
}

pub async fn run(args: ServeArgs) -> anyhow::Result<()> {
    let store = open(&args.database).await?;
    serve(store, &args.listen).await
}

/// Serves until Ctrl-C.
pub async fn serve(store: Arc<dyn homeward_store::Store>, listen: &str) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    let address = listener.local_addr()?;
    eprintln!("Homeward is running at http://{address}/ (Ctrl-C to stop)");
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    homeward_web::serve(store, listener, shutdown)
        .await
        .context("the server stopped")
}
