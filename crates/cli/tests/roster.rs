//! `homeward roster` end to end: the real binary solving, checking and benchmarking.

use std::path::PathBuf;

use common::{homeward, succeed};

mod common;

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

const EXAMPLE: &str = "crates/roster/examples/homecare.json";
const C101: &str = "crates/roster/instances/solomon/C101.txt";

fn solve_repeatably(problem: &str, extra: &[&str]) -> String {
    let mut args = vec![
        "roster",
        "solve",
        problem,
        "--time-limit",
        "600",
        "--iterations",
        "300",
        "--seed",
        "3",
    ];
    args.extend_from_slice(extra);
    succeed(&args)
}

#[test]
fn the_example_is_solved_the_same_way_twice_and_checks() {
    let first = solve_repeatably(EXAMPLE, &[]);
    assert_eq!(first, solve_repeatably(EXAMPLE, &[]));
    let solution: serde_json::Value = serde_json::from_str(&first).expect("JSON");
    assert!(
        solution["runs"]
            .as_array()
            .is_some_and(|runs| !runs.is_empty())
    );
    let folder = tempfile::tempdir().expect("temp dir");
    let path = folder.path().join("solution.json");
    std::fs::write(&path, &first).expect("written");
    let report = succeed(&[
        "roster",
        "check",
        EXAMPLE,
        path.to_str().expect("UTF-8 path"),
    ]);
    assert!(report.contains("feasible: true"), "{report}");
}

#[test]
fn solomon_runs_use_customer_numbers_and_vehicles_from_zero() {
    let text = solve_repeatably(C101, &["--format", "solomon"]);
    let solution: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let runs = solution["runs"].as_array().expect("runs");
    let workers: Vec<u32> = runs
        .iter()
        .map(|run| {
            run["worker"]
                .as_str()
                .expect("id")
                .parse()
                .expect("a number")
        })
        .collect();
    assert!(workers.iter().all(|worker| *worker < 25));
    let mut customers: Vec<u32> = runs
        .iter()
        .flat_map(|run| run["stops"].as_array().expect("stops").iter())
        .map(|stop| {
            stop["visit"]
                .as_str()
                .expect("id")
                .parse()
                .expect("a number")
        })
        .collect();
    customers.sort();
    assert_eq!(customers, (1..=100).collect::<Vec<u32>>());
    let folder = tempfile::tempdir().expect("temp dir");
    let path = folder.path().join("c101.json");
    std::fs::write(&path, &text).expect("written");
    let path = path.to_str().expect("UTF-8 path");
    let report = succeed(&["roster", "check", C101, path, "--format", "solomon"]);
    assert!(report.contains("feasible: true"), "{report}");
}

#[test]
fn a_broken_solution_fails_the_check_and_says_why() {
    let text = solve_repeatably(EXAMPLE, &[]);
    let mut solution: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    // Every stop of the first run at midnight: before every window and shift.
    for stop in solution["runs"][0]["stops"].as_array_mut().expect("stops") {
        stop["start"] = serde_json::json!(0.0);
    }
    let folder = tempfile::tempdir().expect("temp dir");
    let path = folder.path().join("broken.json");
    std::fs::write(&path, solution.to_string()).expect("written");
    let output = homeward(&["roster", "check", EXAMPLE, path.to_str().expect("UTF-8")]);
    assert!(!output.status.success());
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(report.contains("violation: "), "{report}");
    assert!(report.contains("feasible: false"), "{report}");
}

#[test]
fn a_bad_problem_is_refused_naming_the_field() {
    let folder = tempfile::tempdir().expect("temp dir");
    let path = folder.path().join("bad.json");
    let mut problem: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(workspace().join(EXAMPLE)).expect("read"))
            .expect("JSON");
    problem["visits"][0]["window"]["start"] = serde_json::json!(2000.0);
    std::fs::write(&path, problem.to_string()).expect("written");
    let output = homeward(&[
        "roster",
        "solve",
        path.to_str().expect("UTF-8"),
        "--time-limit",
        "1",
    ]);
    assert!(!output.status.success());
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(error.contains("visits[0].window"), "{error}");
}

#[test]
fn bench_prints_a_row_per_instance_and_a_mean() {
    let output = succeed(&[
        "roster",
        "bench",
        "--set",
        "mankowska",
        "--time-limit",
        "0.3",
        "--only",
        "InstanzCPLEX_HCSRP_10_1,InstanzCPLEX_HCSRP_10_2",
    ]);
    let lines: Vec<&str> = output.lines().collect();
    assert_eq!(
        lines[0],
        "instance,vehicles,cost,best_known,gap_percent,seconds,feasible"
    );
    assert_eq!(lines.len(), 4, "{output}");
    assert!(lines[1].starts_with("InstanzCPLEX_HCSRP_10_1,"));
    assert!(lines[1].ends_with(",true"), "{output}");
    assert!(lines[3].starts_with("mean,"));
    assert!(lines[3].ends_with(",2/2"), "{output}");
}
