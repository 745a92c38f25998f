//! `homeward serve` runs by the rules of the stored council's preset, or of the preset file given
//! for it with `--preset`, and refuses to start on anything else rather than run by another
//! council's rules.

use homeward_domain::Council;
use homeward_store::testing::TestDatabase;
use homeward_store::{Backend, Records};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

async fn database_with_council_of(preset: &str) -> TestDatabase {
    let database = TestDatabase::new(Backend::Sqlite).await.unwrap();
    let store = database.store().await.unwrap();
    let council = Council {
        preset: preset.to_owned(),
        ..Council::example_west_sussex()
    };
    store
        .insert(Records::Council(council), "test")
        .await
        .unwrap();
    database
}

/// Runs `homeward serve` with `extra` arguments until it stops by itself, or for at most
/// `patience`, then stops it; what it printed and how it ended.
fn serve(url: &str, extra: &[&str], patience: Duration) -> (Option<Output>, bool) {
    let listen = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap().to_string()
    };
    let mut child = Command::new(env!("CARGO_BIN_EXE_homeward"))
        .args(["serve", "--database", url, "--listen", &listen])
        .args(extra)
        .env_remove("HOMEWARD_DATABASE")
        .env_remove("HOMEWARD_PRESET")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let deadline = Instant::now() + patience;
    while Instant::now() < deadline {
        if child.try_wait().unwrap().is_some() {
            return (Some(child.wait_with_output().unwrap()), false);
        }
        if std::net::TcpStream::connect(&listen).is_ok() {
            let _ = child.kill();
            let _ = child.wait();
            return (None, true);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    (None, false)
}

#[tokio::test]
async fn a_council_whose_preset_is_not_built_in_stops_the_server_with_the_reason() {
    let database = database_with_council_of("my-county-2026").await;
    let (output, listened) = serve(database.url(), &[], Duration::from_secs(30));
    assert!(
        !listened,
        "the server must not run by another council's rules"
    );
    let output = output.expect("the server stops by itself");
    assert!(!output.status.success());
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(
        said.contains("my-county-2026") && said.contains("--preset"),
        "{said}"
    );
}

#[tokio::test]
async fn the_preset_file_given_for_the_council_lets_it_start() {
    let database = database_with_council_of("my-county-2026").await;
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../presets/west-sussex-2019.toml"
    ))
    .unwrap()
    .replace("id = \"west-sussex-2019\"", "id = \"my-county-2026\"");
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("my-county-2026.toml");
    std::fs::write(&file, text).unwrap();
    let (output, listened) = serve(
        database.url(),
        &["--preset", file.to_str().unwrap()],
        Duration::from_secs(30),
    );
    assert!(listened, "it did not start: {output:?}");
}

#[tokio::test]
async fn another_council_s_preset_file_is_refused() {
    let database = database_with_council_of("west-sussex-2019").await;
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../presets/norfolk-2014.toml"
    );
    let (output, listened) = serve(database.url(), &["--preset", file], Duration::from_secs(30));
    assert!(!listened);
    let said = String::from_utf8_lossy(&output.expect("it stops by itself").stderr).into_owned();
    assert!(said.contains("norfolk-2014"), "{said}");
}
