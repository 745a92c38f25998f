//! The `homeward` binary end to end, against real SQLite files and real PostgreSQL databases.

use common::{fail, succeed};
use homeward_store::Backend;
use homeward_store::testing::TestDatabase;

mod common;

const KINDS: [&str; 9] = [
    "council",
    "areas",
    "providers",
    "branches",
    "awards",
    "contracts",
    "people",
    "packages",
    "workers",
];

fn demo(url: &str, preset: &str, seed: u64) {
    succeed(&[
        "demo",
        "--preset",
        preset,
        "--seed",
        &seed.to_string(),
        "--no-serve",
        // The register is what these tests compare: no weeks of simulated delivery.
        "--history-days",
        "0",
        "--database",
        url,
    ]);
}

fn export(url: &str, kind: &str, format: &str) -> String {
    succeed(&["export", kind, "--database", url, "--format", format])
}

async fn database(backend: Backend) -> TestDatabase {
    TestDatabase::new(backend)
        .await
        .expect("a fresh test database")
}

/// The seed table of West Sussex 2019 (seeds/001), with the two misspelt names corrected.
const WEST_SUSSEX_TABLE: &str = include_str!("west_sussex_2019_table.csv");

#[tokio::test]
async fn west_sussex_demo_exports_the_seed_table() {
    let db = database(Backend::Sqlite).await;
    demo(db.url(), "west-sussex-2019", 1);
    let csv = export(db.url(), "areas", "csv");
    let mut lines = csv.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("area,tier,customers,weekly_hours,")
    );
    let exported: Vec<(String, String, u32, f64)> = lines
        .map(|line| {
            let fields: Vec<&str> = line.split(',').collect();
            (
                fields[0].to_owned(),
                fields[1].to_owned(),
                fields[2].parse().unwrap(),
                fields[3].parse().unwrap(),
            )
        })
        .collect();
    assert_eq!(exported.len(), 35);
    for expected in WEST_SUSSEX_TABLE.lines().skip(1) {
        let fields: Vec<&str> = expected.split(',').collect();
        let (name, level, customers, hours) = (
            fields[0],
            fields[1],
            fields[2].parse::<u32>().unwrap(),
            fields[3].parse::<f64>().unwrap(),
        );
        let found = exported
            .iter()
            .find(|row| row.0 == name)
            .unwrap_or_else(|| panic!("{name} missing"));
        assert_eq!(found.1, level, "{name}");
        assert_eq!(found.2, customers, "{name}");
        assert!(
            (found.3 - hours).abs() <= hours * 0.02,
            "{name}: {} hours against {hours}",
            found.3
        );
    }
}

#[tokio::test]
async fn sqlite_and_postgres_export_the_same_bytes() {
    let sqlite = database(Backend::Sqlite).await;
    let postgres = database(Backend::Postgres).await;
    demo(sqlite.url(), "west-sussex-2019", 1);
    demo(postgres.url(), "west-sussex-2019", 1);
    for kind in KINDS {
        for format in ["csv", "json"] {
            assert!(
                export(sqlite.url(), kind, format) == export(postgres.url(), kind, format),
                "{kind} {format} differs"
            );
        }
    }
}

#[tokio::test]
async fn one_seed_gives_the_same_bytes_and_another_differs() {
    let first = database(Backend::Sqlite).await;
    let again = database(Backend::Sqlite).await;
    let other = database(Backend::Sqlite).await;
    demo(first.url(), "nottinghamshire-2013", 5);
    demo(again.url(), "nottinghamshire-2013", 5);
    demo(other.url(), "nottinghamshire-2013", 6);
    assert_eq!(
        export(first.url(), "people", "csv"),
        export(again.url(), "people", "csv")
    );
    assert_eq!(
        export(first.url(), "workers", "json"),
        export(again.url(), "workers", "json")
    );
    assert_ne!(
        export(first.url(), "people", "csv"),
        export(other.url(), "people", "csv")
    );
}

async fn round_trip(backend: Backend, format: &str) {
    let source = database(Backend::Sqlite).await;
    let target = database(backend).await;
    demo(source.url(), "norfolk-2014", 3);
    let folder = tempfile::tempdir().unwrap();
    succeed(&["migrate", "--database", target.url()]);
    for kind in KINDS {
        let path = folder.path().join(format!("{kind}.{format}"));
        std::fs::write(&path, export(source.url(), kind, format)).unwrap();
        succeed(&[
            "import",
            kind,
            path.to_str().unwrap(),
            "--database",
            target.url(),
        ]);
    }
    for kind in KINDS {
        assert!(
            export(source.url(), kind, format) == export(target.url(), kind, format),
            "{kind} differs after the round trip"
        );
    }
}

#[tokio::test]
async fn export_then_import_round_trips_as_csv_on_sqlite() {
    round_trip(Backend::Sqlite, "csv").await;
}

#[tokio::test]
async fn export_then_import_round_trips_as_json_on_postgres() {
    round_trip(Backend::Postgres, "json").await;
}

async fn one_bad_row_changes_nothing(backend: Backend) {
    let source = database(Backend::Sqlite).await;
    let target = database(backend).await;
    demo(source.url(), "west-sussex-2019", 1);
    let folder = tempfile::tempdir().unwrap();
    for kind in ["council", "areas"] {
        let path = folder.path().join(format!("{kind}.csv"));
        std::fs::write(&path, export(source.url(), kind, "csv")).unwrap();
        succeed(&[
            "import",
            kind,
            path.to_str().unwrap(),
            "--database",
            target.url(),
        ]);
    }
    let people = export(source.url(), "people", "csv");
    let before = export(target.url(), "people", "csv");

    // A value that does not parse: named by line and field before anything is written.
    let mut lines: Vec<String> = people.lines().map(str::to_owned).collect();
    lines[41] = lines[41]
        .replacen(",false", ",perhaps", 1)
        .replacen(",true", ",perhaps", 1);
    let path = folder.path().join("people-bad-value.csv");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let message = fail(&[
        "import",
        "people",
        path.to_str().unwrap(),
        "--database",
        target.url(),
    ]);
    assert!(message.contains("line 42: complex_needs:"), "{message}");
    assert!(message.contains("nothing was changed"), "{message}");

    // A reference to an area that does not exist: refused by the database, named by line.
    let mut lines: Vec<String> = people.lines().map(str::to_owned).collect();
    lines[1000] = lines[1000].replacen(",area_", ",area_nowhere-", 1);
    let path = folder.path().join("people-bad-area.csv");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let message = fail(&[
        "import",
        "people",
        path.to_str().unwrap(),
        "--database",
        target.url(),
    ]);
    assert!(message.contains("line 1001:"), "{message}");
    assert_eq!(
        export(target.url(), "people", "csv"),
        before,
        "a refused import must leave the people as they were"
    );
}

#[tokio::test]
async fn one_bad_row_changes_nothing_on_sqlite() {
    one_bad_row_changes_nothing(Backend::Sqlite).await;
}

#[tokio::test]
async fn one_bad_row_changes_nothing_on_postgres() {
    one_bad_row_changes_nothing(Backend::Postgres).await;
}

#[test]
fn every_preset_builds() {
    for preset in [
        "west-sussex-2019",
        "oxfordshire-2014",
        "norfolk-2014",
        "nottinghamshire-2013",
        "worcestershire-2019",
    ] {
        let folder = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", folder.path().join("demo.db").display());
        demo(&url, preset, 1);
        // The brokerage history places every recent package again: customers stay the preset's.
        let expected: u32 = homeward_preset::builtin(preset)
            .unwrap()
            .areas
            .iter()
            .map(|area| area.customers)
            .sum();
        let areas = export(&url, "areas", "csv");
        let exported: u32 = csv::Reader::from_reader(areas.as_bytes())
            .records()
            .map(|record| record.unwrap()[2].parse::<u32>().unwrap())
            .sum();
        assert_eq!(exported, expected, "{preset}");
        let pickups = export(&url, "pickups", "csv");
        assert!(
            pickups.starts_with("referral_id,area,tier,referred_on,started_on,days,route\n"),
            "{pickups}"
        );
        assert!(
            pickups.lines().count() > 10,
            "{preset}: the demo has a pick-up history"
        );
    }
}

#[test]
fn bad_arguments_and_presets_are_refused_clearly() {
    let folder = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", folder.path().join("demo.db").display());
    let message = fail(&[
        "demo",
        "--preset",
        "kent-2020",
        "--no-serve",
        "--database",
        &url,
    ]);
    assert!(
        message.contains("no such preset; choose one of: west-sussex-2019"),
        "{message}"
    );
    let preset = folder.path().join("broken.toml");
    std::fs::write(&preset, "id = \"broken\"\n").unwrap();
    let message = fail(&[
        "demo",
        "--preset",
        preset.to_str().unwrap(),
        "--no-serve",
        "--database",
        &url,
    ]);
    assert!(
        message.contains("broken.toml") && message.contains("missing field"),
        "{message}"
    );
    assert!(
        !folder.path().join("demo.db").exists(),
        "a refused preset must not create the database"
    );
    let message = fail(&[
        "export",
        "areas",
        "--database",
        "mysql://localhost/homeward",
    ]);
    assert!(message.contains("mysql://localhost/homeward"), "{message}");
    let message = fail(&["export", "gardens", "--database", &url]);
    assert!(message.contains("gardens"), "{message}");
    let message = fail(&["import", "people", "people.txt", "--database", &url]);
    assert!(message.contains("--format"), "{message}");
}

/// The demo replaces the whole register, so it refuses a database that looks in use (here, one
/// with an account it did not make) unless told `--replace`; refused, it changes nothing.
#[tokio::test]
async fn the_demo_refuses_a_register_in_use_unless_told_to_replace_it() {
    use homeward_domain::{Account, AccountId, Email, Role, Scope};
    let db = database(Backend::Sqlite).await;
    let store = db.store().await.unwrap();
    let admin = Account {
        id: AccountId::from_suffix("council-admin").unwrap(),
        email: Email::parse("admin@council.example", "email").unwrap(),
        name: "Council Administrator".into(),
        role: Role::Commissioner,
        scope: Scope::Council,
        disabled: false,
    };
    store
        .put_account(
            &admin,
            &homeward_web::hash_password("a long passphrase"),
            "test",
        )
        .await
        .unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec![
            "demo",
            "--no-serve",
            "--history-days",
            "0",
            "--database",
            db.url(),
        ];
        args.extend_from_slice(extra);
        args.into_iter().map(str::to_owned).collect::<Vec<_>>()
    };
    let refused = fail(&run(&[]).iter().map(String::as_str).collect::<Vec<_>>());
    assert!(
        refused.contains("1 accounts the demo did not make") && refused.contains("--replace"),
        "{refused}"
    );
    assert_eq!(
        store.counts().await.unwrap().areas,
        0,
        "the register changed"
    );
    succeed(
        &run(&["--replace"])
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    );
    assert_eq!(store.counts().await.unwrap().areas, 35);
    assert!(store.account(&admin.id).await.unwrap().is_some());
}
