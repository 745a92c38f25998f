//! The HTTP server over the store.
//!
//! This first cut serves a health check and a read-only market overview: areas by tier with
//! their customers, weekly hours and providers. The GOV.UK-styled pages, the JSON API, sign-in,
//! roles and audit come with the web application issue.

mod overview;

use axum::Router;
use axum::routing::get;
use homeward_store::Store;
use std::future::Future;
use std::sync::Arc;
use tokio::net::TcpListener;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The market register.
    pub store: Arc<dyn Store>,
}

/// The application's routes.
pub fn router(store: Arc<dyn Store>) -> Router {
    Router::new()
        .route("/", get(overview::page))
        .route("/health", get(|| async { "ok" }))
        .with_state(AppState { store })
}

/// Serves the application on `listener` until `shutdown` completes.
pub async fn serve(
    store: Arc<dyn Store>,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(store))
        .with_graceful_shutdown(shutdown)
        .await
}
