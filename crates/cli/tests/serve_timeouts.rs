//! `homeward serve --header-timeout` and `--body-timeout` reach the server: a real binary started
//! with one second each cuts off a client whose headers stop half way, and answers 408 to one
//! whose body stops short of its `Content-Length`. Each is given ten seconds to happen. And
//! SIGTERM, what systemd sends to stop a service, stops it cleanly, as Ctrl-C does.

use homeward_store::testing::TestDatabase;
use homeward_store::{Backend, Records};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const PATIENCE: Duration = Duration::from_secs(10);

/// A server process, killed when dropped so that a failing test leaves none behind.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn start_server(url: &str) -> (Server, SocketAddr) {
    let address: SocketAddr = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap()
    };
    let child = Command::new(env!("CARGO_BIN_EXE_homeward"))
        .args(["serve", "--database", url, "--listen", &address.to_string()])
        .args(["--header-timeout", "1", "--body-timeout", "1"])
        .env_remove("HOMEWARD_DATABASE")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts");
    let server = Server(child);
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(address).await.is_err() {
        assert!(
            Instant::now() < deadline,
            "the server did not start within 30 s"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    (server, address)
}

/// A database holding only a council, as a deployment has once its market is loaded: the server
/// runs by the rules of the council's preset and does not start without one.
async fn database_with_a_council() -> TestDatabase {
    let database = TestDatabase::new(Backend::Sqlite).await.unwrap();
    let store = database.store().await.unwrap();
    store
        .insert(
            Records::Council(homeward_domain::Council::example_west_sussex()),
            "test",
        )
        .await
        .unwrap();
    database
}

/// What the server sends before it closes the connection; a failure if it is still open after
/// [`PATIENCE`].
async fn until_closed(stream: &mut TcpStream, what: &str) -> String {
    let mut received = Vec::new();
    tokio::time::timeout(PATIENCE, stream.read_to_end(&mut received))
        .await
        .unwrap_or_else(|_| panic!("{what}: still open after {PATIENCE:?}"))
        .ok();
    String::from_utf8_lossy(&received).into_owned()
}

#[tokio::test]
async fn the_timeouts_given_on_the_command_line_cut_off_slow_clients() {
    let database = database_with_a_council().await;
    let (_server, address) = start_server(database.url()).await;

    let mut headers = TcpStream::connect(address).await.unwrap();
    headers
        .write_all(b"GET /health HTTP/1.1\r\nHost: localhost\r\n")
        .await
        .unwrap();
    until_closed(&mut headers, "half-sent headers").await;

    let mut body = TcpStream::connect(address).await.unwrap();
    body.write_all(
        b"POST /sign-in HTTP/1.1\r\nHost: localhost\r\n\
          Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 200\r\n\r\nemail=",
    )
    .await
    .unwrap();
    let response = until_closed(&mut body, "a short body").await;
    assert!(
        response.starts_with("HTTP/1.1 408 "),
        "a short body is answered 408: {response}"
    );
}

#[tokio::test]
async fn sigterm_stops_the_server_cleanly() {
    let database = database_with_a_council().await;
    let (mut server, _address) = start_server(database.url()).await;
    let sent = Command::new("kill")
        .args(["-TERM", &server.0.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(sent.success());
    let deadline = Instant::now() + PATIENCE;
    let status = loop {
        if let Some(status) = server.0.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "still running {PATIENCE:?} after SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert!(
        status.success(),
        "the server stopped as asked, not killed by the signal: {status:?}"
    );
}
