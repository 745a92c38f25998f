//! Serving a router over HTTP/1.1 connections, with hyper directly rather than `axum::serve`,
//! which cannot limit how long a client takes to send its headers.
//!
//! Key points:
//! - A client has [`Timeouts::header_read`] to send a request's headers, counted from when the
//!   connection starts waiting for them, so the same limit closes a connection that sends
//!   nothing and a kept-alive one left idle. Bodies are limited in the router
//!   ([`crate::body_deadline`]), where the answer can carry the security headers.
//! - Every request carries its peer's address as axum's `ConnectInfo<SocketAddr>`.
//! - Shutting down stops accepting, lets each connection finish the request it is serving,
//!   closes idle ones, and returns once every connection has closed.

use axum::Router;
use axum::extract::Request;
use axum::extract::connect_info::ConnectInfo;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::io;
use std::time::Duration;
use tokio::net::TcpListener;
use tower::ServiceExt;

/// How long clients may take.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    /// To send a request's headers, or the first byte of the next request on a kept-alive
    /// connection.
    pub header_read: Duration,
}

/// Serves `router` on `listener` until `shutdown` completes, then until every connection has
/// finished.
pub async fn serve(
    router: Router,
    listener: TcpListener,
    timeouts: Timeouts,
    shutdown: impl Future<Output = ()> + Send + 'static,
) {
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(timeouts.header_read)
        .keep_alive(true);
    let connections = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    pause_after(error).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let service = router
            .clone()
            .map_request(move |mut request: Request<Incoming>| {
                request.extensions_mut().insert(ConnectInfo(peer));
                request
            });
        let connection =
            http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let connection = connections.watch(connection);
        tokio::spawn(async move {
            // A client that went away or was too slow is no failure of the server's.
            let _ = connection.await;
        });
    }
    drop(listener);
    connections.shutdown().await;
}

/// Waits after a failed accept. Errors of one connection (the client reset it before it was
/// accepted) need no wait; others, such as running out of file descriptors, would make the loop
/// spin, so the server waits a second for some to be freed.
async fn pause_after(error: io::Error) {
    let of_one_connection = matches!(
        error.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    );
    if !of_one_connection {
        tracing::error!(error = ?error.to_string(), "accepting a connection failed");
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::get;
    use std::net::SocketAddr;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpStream;

    const TIMEOUTS: Timeouts = Timeouts {
        header_read: Duration::from_secs(5),
    };

    async fn start(
        router: Router,
    ) -> (
        SocketAddr,
        tokio::sync::oneshot::Sender<()>,
        tokio::task::JoinHandle<()>,
    ) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(serve(router, listener, TIMEOUTS, async {
            let _ = stopped.await;
        }));
        (address, stop, server)
    }

    async fn read_all(stream: &mut TcpStream) -> String {
        let mut received = Vec::new();
        tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut received))
            .await
            .expect("the response in time")
            .unwrap();
        String::from_utf8(received).unwrap()
    }

    #[tokio::test]
    async fn handlers_see_the_peers_address() {
        let router = Router::new().route(
            "/peer",
            get(|ConnectInfo(peer): ConnectInfo<SocketAddr>| async move { peer.to_string() }),
        );
        let (address, _stop, _server) = start(router).await;
        let mut stream = TcpStream::connect(address).await.unwrap();
        let mine = stream.local_addr().unwrap();
        stream
            .write_all(b"GET /peer HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            .await
            .unwrap();
        let response = read_all(&mut stream).await;
        assert!(response.starts_with("HTTP/1.1 200"), "{response}");
        assert!(response.ends_with(&format!("\r\n\r\n{mine}")), "{response}");
    }

    #[tokio::test]
    async fn shutting_down_finishes_the_request_under_way_and_closes_idle_connections() {
        let router = Router::new()
            .route("/quick", get(|| async { "quick" }))
            .route(
                "/slow",
                get(|| async {
                    tokio::time::sleep(Duration::from_millis(500)).await;
                    "slow"
                }),
            );
        let (address, stop, server) = start(router).await;
        // A kept-alive connection, idle after one request.
        let mut idle = TcpStream::connect(address).await.unwrap();
        idle.write_all(b"GET /quick HTTP/1.1\r\nHost: localhost\r\n\r\n")
            .await
            .unwrap();
        let mut buffer = [0u8; 1024];
        let read = idle.read(&mut buffer).await.unwrap();
        assert!(String::from_utf8_lossy(&buffer[..read]).ends_with("quick"));
        // A request under way when the server is told to stop.
        let mut busy = TcpStream::connect(address).await.unwrap();
        busy.write_all(b"GET /slow HTTP/1.1\r\nHost: localhost\r\n\r\n")
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
        stop.send(()).unwrap();
        let answered = read_all(&mut busy).await;
        assert!(answered.starts_with("HTTP/1.1 200"), "{answered}");
        assert!(answered.ends_with("slow"), "{answered}");
        assert_eq!(
            read_all(&mut idle).await,
            "",
            "the idle connection is closed"
        );
        tokio::time::timeout(Duration::from_secs(10), server)
            .await
            .expect("the server stops once its connections have closed")
            .unwrap();
        assert!(
            TcpStream::connect(address).await.is_err(),
            "no new connection is accepted"
        );
    }
}
