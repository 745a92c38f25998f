//! The server on a real port over a real SQLite database, spoken to over HTTP.

use homeward_store::Backend;
use homeward_store::testing::TestDatabase;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

async fn get(address: std::net::SocketAddr, path: &str) -> String {
    let mut stream = TcpStream::connect(address).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    response
}

#[tokio::test]
async fn the_overview_lists_every_area_with_its_figures() {
    let database = TestDatabase::new(Backend::Sqlite).await.unwrap();
    let store = database.store().await.unwrap();
    store.migrate().await.unwrap();
    let preset = homeward_preset::builtin("west-sussex-2019").unwrap();
    let market = homeward_demo::generate(&preset, 1, &mut homeward_demo::NoProgress);
    store.replace_market(&market, "test").await.unwrap();

    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(homeward_web::serve(store, listener, async {
        let _ = stopped.await;
    }));

    let health = get(address, "/health").await;
    assert!(
        health.starts_with("HTTP/1.1 200") && health.ends_with("ok"),
        "{health}"
    );
    let page = get(address, "/").await;
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(
        page.contains("<title>Market overview – West Sussex County Council – Homeward</title>")
    );
    assert!(
        page.contains("<td>Bognor East</td><td>1</td><td>113</td><td>1206</td>"),
        "{page}"
    );
    assert!(page.contains("<td>Selsey &amp; Witterings</td>"));
    assert_eq!(page.matches("<tr><td>").count(), 35);
    let missing = get(address, "/nowhere").await;
    assert!(missing.starts_with("HTTP/1.1 404"), "{missing}");

    stop.send(()).unwrap();
    server.await.unwrap().unwrap();
}
