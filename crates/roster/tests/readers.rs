//! Every benchmark instance shipped in `instances/` reads, has the expected shape, and has a
//! best-known row; the JSON examples in `docs/roster/formats.md` parse.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use homeward_roster::formats::best_known::{self, BestKnown, Convention};
use homeward_roster::formats::{Format, from_json, read_problem};
use homeward_roster::{Link, Problem, Rounding, Solution, Travel, Weights, check};

fn instances(folder: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("instances")
        .join(folder)
}

/// The `.txt` files of a folder, sorted, with their stems.
fn texts(folder: &str) -> Vec<(String, PathBuf)> {
    let mut files: Vec<(String, PathBuf)> = std::fs::read_dir(instances(folder))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
        .map(|path| {
            (
                path.file_stem().unwrap().to_string_lossy().into_owned(),
                path,
            )
        })
        .collect();
    files.sort();
    files
}

fn table(path: &str, convention: Convention) -> BTreeMap<String, BestKnown> {
    best_known::read(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("instances")
            .join(path),
        convention,
    )
    .unwrap()
}

fn places(problem: &Problem) -> usize {
    match &problem.travel {
        Travel::Euclidean { places, .. } | Travel::Geographic { places, .. } => places.len(),
        Travel::Matrix { car, .. } => car.len(),
    }
}

#[test]
fn solomon_instances() {
    let files = texts("solomon");
    assert_eq!(files.len(), 56);
    let hierarchical = table("solomon/bks.csv", Convention::Hierarchical);
    let distance_only = table("solomon/bks.csv", Convention::DistanceOnly);
    assert_eq!((hierarchical.len(), distance_only.len()), (56, 56));
    for (stem, path) in files {
        let problem = read_problem(&path, Format::Solomon, Rounding::TruncateTenth).unwrap();
        assert_eq!(problem.name, stem);
        assert_eq!(problem.visits.len(), 100, "{stem}");
        assert_eq!(places(&problem), 101, "{stem}");
        assert!(matches!(
            problem.travel,
            Travel::Euclidean {
                rounding: Rounding::TruncateTenth,
                ..
            }
        ));
        assert_eq!(problem.workers.len(), 25, "{stem}");
        let capacity = match &stem[..stem.len() - 2] {
            "C1" | "R1" | "RC1" => 200.0,
            "C2" => 700.0,
            "R2" | "RC2" => 1000.0,
            other => panic!("unexpected class {other}"),
        };
        assert!(
            problem.workers.iter().all(|w| w.capacity == Some(capacity)),
            "{stem}"
        );
        assert_eq!(problem.weights, Weights::distance_only());
        assert!(
            hierarchical.contains_key(&stem),
            "{stem} has no hierarchical best known"
        );
        assert!(
            distance_only.contains_key(&stem),
            "{stem} has no distance-only best known"
        );
    }
    assert_eq!(
        hierarchical["C101"],
        BestKnown {
            vehicles: Some(10),
            cost: 828.94
        }
    );
    assert_eq!(distance_only["C101"].cost, 827.3);
}

#[test]
fn solomon_c101_in_detail() {
    let problem = read_problem(
        &instances("solomon").join("C101.txt"),
        Format::Solomon,
        Rounding::Exact,
    )
    .unwrap();
    let Travel::Euclidean { places, rounding } = &problem.travel else {
        unreachable!()
    };
    assert_eq!(*rounding, Rounding::Exact);
    assert_eq!(places[0], [40.0, 50.0]);
    assert_eq!(places[100], [55.0, 85.0]);
    let depot = problem.workers[0].shift;
    assert_eq!((depot.start, depot.end), (0.0, 1236.0));
    let first = &problem.visits[0];
    assert_eq!(first.id, "1");
    assert_eq!((first.window.start, first.window.end), (912.0, 967.0));
    assert_eq!((first.duration, first.demand), (90.0, 10.0));
}

#[test]
fn homberger_instances() {
    let files = texts("homberger");
    assert_eq!(files.len(), 60);
    let hierarchical = table("homberger/homberger_200_bks.csv", Convention::Hierarchical);
    assert_eq!(hierarchical.len(), 60);
    for (stem, path) in files {
        let problem = read_problem(&path, Format::Solomon, Rounding::Exact).unwrap();
        assert_eq!(
            problem.name, stem,
            "the name line is upper-cased to match the file"
        );
        assert_eq!(problem.visits.len(), 200, "{stem}");
        assert_eq!(places(&problem), 201, "{stem}");
        assert_eq!(problem.workers.len(), 50, "{stem}");
        assert!(hierarchical.contains_key(&stem), "{stem} has no best known");
    }
    assert_eq!(
        hierarchical["C1_2_1"],
        BestKnown {
            vehicles: Some(20),
            cost: 2704.5678
        }
    );
}

#[test]
fn mankowska_instances() {
    let files = texts("mankowska");
    assert_eq!(files.len(), 50);
    let best = table(
        "mankowska/best_known_ceschia2024.csv",
        Convention::Mankowska,
    );
    for (stem, path) in files {
        let problem = read_problem(&path, Format::Mankowska, Rounding::Exact).unwrap();
        assert_eq!(problem.name, stem);
        let patients: usize = stem.split('_').nth(2).unwrap().parse().unwrap();
        let (carers, doubles) = match patients {
            10 => (3, 3),
            25 => (5, 8),
            50 => (10, 15),
            75 => (15, 23),
            100 => (20, 30),
            other => panic!("unexpected size {other}"),
        };
        assert_eq!(problem.visits.len(), patients, "{stem}");
        assert_eq!(places(&problem), patients + 2, "{stem}");
        assert_eq!(problem.workers.len(), carers, "{stem}");
        let double: Vec<_> = problem.visits.iter().filter(|v| v.carers == 2).collect();
        assert_eq!(double.len(), doubles, "{stem}");
        assert!(
            double
                .iter()
                .all(|v| v.link.is_some() && v.second.is_some())
        );
        assert!(
            double
                .iter()
                .any(|v| matches!(v.link, Some(Link::Together { .. })))
        );
        assert!(
            double
                .iter()
                .any(|v| matches!(v.link, Some(Link::Ordered { .. })))
        );
        assert!(problem.workers.iter().all(|w| w.end_place == patients + 1));
        assert!(problem.visits.iter().all(|v| v.max_lateness.is_none()));
        assert_eq!(problem.weights, Weights::mankowska());
        assert!(best.contains_key(&stem), "{stem} has no best known");
    }
    assert_eq!(best["InstanzCPLEX_HCSRP_10_1"].cost, 218.199);
}

#[test]
fn the_home_care_example_reads() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/homecare.json");
    let problem = read_problem(&path, Format::Json, Rounding::Exact).unwrap();
    assert_eq!(problem.workers.len(), 4);
}

/// Each ```json block of the format document is a complete problem or solution, and each
/// solution is a feasible answer to the problem before it, with the objective it claims.
#[test]
fn the_documented_examples_parse_and_check() {
    let doc = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/roster/formats.md");
    let doc = std::fs::read_to_string(doc).unwrap();
    let mut problem = None;
    let mut solutions = 0;
    for block in doc.split("```json\n").skip(1) {
        let json = block.split("```").next().unwrap();
        if json.contains("\"runs\"") {
            let solution: Solution = from_json(json).unwrap_or_else(|e| panic!("{e}\n{json}"));
            let problem: &Problem = problem.as_ref().expect("a problem before the solution");
            let report = check(problem, &solution);
            assert!(report.is_feasible(), "{:?}", report.violations);
            assert!(
                report.objective_matches(&solution.objective),
                "{:?}",
                report.objective
            );
            solutions += 1;
        } else {
            problem = Some(from_json::<Problem>(json).unwrap_or_else(|e| panic!("{e}\n{json}")));
        }
    }
    assert!(problem.is_some() && solutions >= 1);
}
