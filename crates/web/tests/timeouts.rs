//! Slow clients are cut off: a request whose headers stop half way, or whose body stops short of
//! its `Content-Length` (or trickles in too slowly), does not hold a connection open for ever;
//! nor does a kept-alive connection left idle. The server here is started with timeouts of one
//! second, and each test allows ten for what it waits for: these check behaviour, not speed.

mod support;

use homeward_domain::Role;
use homeward_store::Backend;
use std::time::Duration;
use support::{App, api_token};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const TIMEOUT: Duration = Duration::from_secs(1);
/// How long a test waits for the server to act on a one-second timeout before failing.
const PATIENCE: Duration = Duration::from_secs(10);

async fn start() -> App {
    let config = homeward_web::WebConfig {
        header_read_timeout: TIMEOUT,
        body_read_timeout: TIMEOUT,
        roster_seconds_per_day: 0.5,
        ..homeward_web::WebConfig::default()
    };
    support::start_with(Backend::Sqlite, config).await
}

/// Everything the server sends until it closes the connection, or a failure naming `what` when
/// it is still open after [`PATIENCE`].
async fn until_closed(stream: &mut TcpStream, what: &str) -> String {
    let mut received = Vec::new();
    match tokio::time::timeout(PATIENCE, stream.read_to_end(&mut received)).await {
        Ok(_) => String::from_utf8_lossy(&received).into_owned(),
        Err(_) => panic!(
            "{what}: the connection is still open after {PATIENCE:?} (received so far: {:?})",
            String::from_utf8_lossy(&received)
        ),
    }
}

fn status_of(response: &str) -> u16 {
    response
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP response: {response:?}"))
}

/// Reads exactly one response with a `Content-Length` from a kept-alive connection.
async fn one_response(stream: &mut TcpStream) -> String {
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        let read = tokio::time::timeout(PATIENCE, stream.read(&mut buffer))
            .await
            .expect("a response in time")
            .unwrap();
        assert!(read > 0, "the connection closed before the response ended");
        received.extend_from_slice(&buffer[..read]);
        let text = String::from_utf8_lossy(&received).into_owned();
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length: usize = head
                .lines()
                .find_map(|line| {
                    let (name, value) = line.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse().ok())?
                })
                .expect("a Content-Length");
            if body.len() >= length {
                return text;
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_whose_headers_stop_half_way_is_cut_off() {
    let app = start().await;
    let mut stream = TcpStream::connect(app.address).await.unwrap();
    stream
        .write_all(b"GET /health HTTP/1.1\r\nHost: localhost\r\n")
        .await
        .unwrap();
    until_closed(&mut stream, "half-sent headers").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_that_never_sends_a_request_is_closed() {
    let app = start().await;
    let mut stream = TcpStream::connect(app.address).await.unwrap();
    until_closed(&mut stream, "a silent connection").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kept_alive_connection_serves_requests_then_closes_when_idle() {
    let app = start().await;
    let mut stream = TcpStream::connect(app.address).await.unwrap();
    for _ in 0..2 {
        stream
            .write_all(b"GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n")
            .await
            .unwrap();
        let response = one_response(&mut stream).await;
        assert_eq!(status_of(&response), 200, "{response}");
        assert!(response.ends_with("\r\n\r\nok"), "{response}");
    }
    until_closed(&mut stream, "an idle kept-alive connection").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_form_shorter_than_its_length_is_answered_408() {
    let app = start().await;
    let mut stream = TcpStream::connect(app.address).await.unwrap();
    stream
        .write_all(
            b"POST /sign-in HTTP/1.1\r\nHost: localhost\r\n\
              Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 200\r\n\r\n\
              email=someone%40example",
        )
        .await
        .unwrap();
    let response = until_closed(&mut stream, "a short form").await;
    assert_eq!(status_of(&response), 408, "{response}");
    assert!(response.contains("text/html"), "{response}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_api_body_shorter_than_its_length_is_answered_408_with_the_api_error() {
    let app = start().await;
    let mut stream = TcpStream::connect(app.address).await.unwrap();
    let request = format!(
        "POST /api/v1/call-events HTTP/1.1\r\nHost: localhost\r\n\
         Authorization: Bearer {}\r\nContent-Type: application/json\r\n\
         Content-Length: 300\r\n\r\n{{\"visit_id\":",
        api_token(Role::CareWorker)
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let response = until_closed(&mut stream, "a short API body").await;
    assert_eq!(status_of(&response), 408, "{response}");
    let body = response.split_once("\r\n\r\n").unwrap().1;
    let error: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(error["error"]["code"], "timeout", "{body}");
    assert!(error["error"]["field"].is_null(), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_that_trickles_in_is_cut_off_at_the_deadline() {
    let app = start().await;
    let stream = TcpStream::connect(app.address).await.unwrap();
    let (mut reading, mut writing) = stream.into_split();
    // A byte every 200 ms: never idle for a second, but 100 bytes would take 20 seconds.
    let trickle = tokio::spawn(async move {
        writing
            .write_all(
                b"POST /sign-in HTTP/1.1\r\nHost: localhost\r\n\
                  Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\n",
            )
            .await?;
        for _ in 0..100 {
            writing.write_all(b"a").await?;
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        std::io::Result::Ok(())
    });
    let mut received = Vec::new();
    let read = tokio::time::timeout(PATIENCE, reading.read_to_end(&mut received)).await;
    trickle.abort();
    assert!(
        read.is_ok(),
        "a trickled body: the connection is still open after {PATIENCE:?}"
    );
    let response = String::from_utf8_lossy(&received);
    assert_eq!(status_of(&response), 408, "{response}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_whole_request_is_answered_as_before() {
    let app = start().await;
    let mut stream = TcpStream::connect(app.address).await.unwrap();
    let form = "email=nobody%40test.example&password=wrong&csrf_token=form-token";
    let request = format!(
        "POST /sign-in HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\
         Cookie: homeward_sign_in=form-token\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{form}",
        form.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let response = until_closed(&mut stream, "a whole sign-in").await;
    // The sign-in form again, with its error: the body was read and judged.
    assert_eq!(status_of(&response), 422, "{response}");
    assert!(response.contains("govuk-error-summary"), "{response}");
}
