//! `homeward roster bench` and `homeward roster branch-bench`: the engine on public benchmark
//! sets against their best-known results, and on generated branch days against a greedy
//! coordinator. Figures are measured, one instance after another, and printed as CSV.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, bail};
use homeward_roster::formats::best_known::{self, BestKnown, Convention};
use homeward_roster::{Options, Problem, Solution, check};

use super::roster::{BenchArgs, BranchBenchArgs, FormatArg, ObjectiveArg, SetArg, read_as};

/// Where a set lives and how it is read and judged.
struct Set {
    folder: &'static str,
    table: &'static str,
    format: FormatArg,
    convention: Convention,
}

fn set(which: SetArg, objective: ObjectiveArg) -> Set {
    let vrptw = match objective {
        ObjectiveArg::Distance => Convention::DistanceOnly,
        ObjectiveArg::Hierarchical => Convention::Hierarchical,
    };
    match which {
        SetArg::Solomon => Set {
            folder: "solomon",
            table: "bks.csv",
            format: FormatArg::Solomon,
            convention: vrptw,
        },
        SetArg::Homberger => Set {
            folder: "homberger",
            table: "homberger_200_bks.csv",
            format: FormatArg::Solomon,
            convention: Convention::Hierarchical,
        },
        SetArg::Mankowska => Set {
            folder: "mankowska",
            table: "best_known_ceschia2024.csv",
            format: FormatArg::Mankowska,
            convention: Convention::Mankowska,
        },
    }
}

pub fn run(args: BenchArgs) -> anyhow::Result<()> {
    if args.time_limit.is_nan() || args.time_limit <= 0.0 {
        bail!("--time-limit must be more than 0 seconds");
    }
    if args.set == SetArg::Homberger && args.objective == ObjectiveArg::Distance {
        bail!("--set homberger has best-known results for --objective hierarchical only");
    }
    let set = set(args.set, args.objective);
    let folder = args.instances.join(set.folder);
    let best = best_known::read(&folder.join(set.table), set.convention)?;
    let instances = instances(&folder, &args.only)?;
    println!("instance,vehicles,cost,best_known,gap_percent,seconds,feasible");
    let mut rows = Vec::new();
    for (name, path) in &instances {
        let known = best
            .get(name)
            .with_context(|| format!("{name} has no best-known result in {}", set.table))?;
        let problem = read_as(path, set.format, args.objective)?;
        let row = measure(name, &problem, known, &args)?;
        println!("{}", row.csv());
        rows.push(row);
    }
    print_summary(&rows, args.set);
    Ok(())
}

/// The instance files of a folder, in natural order (`_2` before `_10`), perhaps only some.
fn instances(folder: &Path, only: &[String]) -> anyhow::Result<Vec<(String, PathBuf)>> {
    let mut found = Vec::new();
    for entry in
        std::fs::read_dir(folder).with_context(|| format!("reading {}", folder.display()))?
    {
        let path = entry?.path();
        if path.extension().is_some_and(|ext| ext == "txt") {
            let name = path
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            if only.is_empty() || only.contains(&name) {
                found.push((name, path));
            }
        }
    }
    found.sort_by_key(|(name, _)| natural_key(name));
    if let Some(missing) = only
        .iter()
        .find(|want| !found.iter().any(|(name, _)| name == *want))
    {
        bail!("no instance {missing} in {}", folder.display());
    }
    Ok(found)
}

fn natural_key(name: &str) -> Vec<(String, u64)> {
    let mut key = Vec::new();
    let mut text = String::new();
    let mut number: Option<u64> = None;
    for character in name.chars() {
        match character.to_digit(10) {
            Some(digit) => number = Some(number.unwrap_or(0) * 10 + u64::from(digit)),
            None => {
                if let Some(value) = number.take() {
                    key.push((std::mem::take(&mut text), value));
                }
                text.push(character);
            }
        }
    }
    key.push((text, number.unwrap_or(0)));
    key
}

struct Row {
    instance: String,
    vehicles: usize,
    cost: f64,
    best_known: BestKnown,
    seconds: f64,
    feasible: bool,
}

impl Row {
    fn gap(&self) -> f64 {
        100.0 * (self.cost - self.best_known.cost) / self.best_known.cost
    }

    fn csv(&self) -> String {
        format!(
            "{},{},{:.2},{:.2},{:.3},{:.1},{}",
            self.instance,
            self.vehicles,
            self.cost,
            self.best_known.cost,
            self.gap(),
            self.seconds,
            self.feasible
        )
    }
}

fn measure(
    name: &str,
    problem: &Problem,
    known: &BestKnown,
    args: &BenchArgs,
) -> anyhow::Result<Row> {
    let options = Options {
        time_limit: args.time_limit,
        iterations: None,
        seed: args.seed,
    };
    let started = Instant::now();
    let solution = homeward_roster::solve(problem, &options)?;
    let seconds = started.elapsed().as_secs_f64();
    let report = check(problem, &solution);
    for violation in &report.violations {
        eprintln!("{name}: {violation}");
    }
    let cost = match args.set {
        SetArg::Mankowska => report.objective.total,
        SetArg::Solomon | SetArg::Homberger => report.objective.travel,
    };
    Ok(Row {
        instance: name.to_string(),
        vehicles: solution.runs.len(),
        cost,
        best_known: *known,
        seconds,
        feasible: report.is_feasible() && solution.unassigned.is_empty(),
    })
}

fn print_summary(rows: &[Row], set: SetArg) {
    let count = rows.len().max(1) as f64;
    let mean = |value: &dyn Fn(&Row) -> f64| rows.iter().map(value).sum::<f64>() / count;
    let feasible = rows.iter().filter(|row| row.feasible).count();
    println!(
        "mean,{:.2},{:.2},{:.2},{:.3},{:.1},{feasible}/{}",
        mean(&|row| row.vehicles as f64),
        mean(&|row| row.cost),
        mean(&|row| row.best_known.cost),
        mean(&|row| row.gap()),
        mean(&|row| row.seconds),
        rows.len()
    );
    if set != SetArg::Mankowska {
        let matched = rows
            .iter()
            .filter(|row| row.best_known.vehicles == Some(row.vehicles as u32))
            .count();
        eprintln!(
            "vehicles equal to the best known's: {matched} of {}",
            rows.len()
        );
    }
}

/// One solver's figures on one branch day.
struct DayFigures {
    unassigned: usize,
    travel: f64,
    paid: f64,
    continuity: f64,
    lateness: f64,
    seconds: f64,
    feasible: bool,
}

impl DayFigures {
    fn of(problem: &Problem, solution: &Solution, seconds: f64) -> Self {
        let report = check(problem, solution);
        Self {
            unassigned: solution.unassigned.len(),
            travel: report.objective.travel,
            paid: report.working_time,
            continuity: report.objective.continuity,
            lateness: report.objective.lateness,
            seconds,
            feasible: report.is_feasible(),
        }
    }

    fn travel_share(&self) -> f64 {
        if self.paid > 0.0 {
            100.0 * self.travel / self.paid
        } else {
            0.0
        }
    }
}

pub fn branch(args: BranchBenchArgs) -> anyhow::Result<()> {
    println!(
        "day,solver,workers,visits,unassigned,travel_share_percent,travel_minutes,paid_minutes,continuity,lateness_minutes,seconds,feasible"
    );
    let mut totals: [Vec<DayFigures>; 2] = [Vec::new(), Vec::new()];
    for day in 1..=args.days {
        let problem = homeward_roster::scenario::branch_day(day, Default::default());
        let started = Instant::now();
        let greedy = homeward_roster::greedy::solve(&problem);
        let greedy = DayFigures::of(&problem, &greedy, started.elapsed().as_secs_f64());
        let options = Options {
            time_limit: args.time_limit,
            iterations: None,
            seed: day,
        };
        let started = Instant::now();
        let engine = homeward_roster::solve(&problem, &options)?;
        let engine = DayFigures::of(&problem, &engine, started.elapsed().as_secs_f64());
        for (solver, figures) in [("greedy", &greedy), ("homeward", &engine)] {
            println!(
                "{day},{solver},{},{},{},{:.1},{:.0},{:.0},{},{:.0},{:.2},{}",
                problem.workers.len(),
                problem.visits.len(),
                figures.unassigned,
                figures.travel_share(),
                figures.travel,
                figures.paid,
                figures.continuity,
                figures.lateness,
                figures.seconds,
                figures.feasible
            );
        }
        totals[0].push(greedy);
        totals[1].push(engine);
    }
    for (solver, days) in ["greedy", "homeward"].iter().zip(&totals) {
        let count = days.len().max(1) as f64;
        let mean = |value: &dyn Fn(&DayFigures) -> f64| days.iter().map(value).sum::<f64>() / count;
        println!(
            "mean,{solver},,,{:.1},{:.1},{:.0},{:.0},{:.1},{:.0},{:.2},{}/{}",
            mean(&|d| d.unassigned as f64),
            mean(&|d| d.travel_share()),
            mean(&|d| d.travel),
            mean(&|d| d.paid),
            mean(&|d| d.continuity),
            mean(&|d| d.lateness),
            mean(&|d| d.seconds),
            days.iter().filter(|d| d.feasible).count(),
            days.len()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::natural_key;

    #[test]
    fn instances_sort_in_natural_order() {
        let mut names = vec!["X_10_2", "X_10_10", "X_25_1", "X_10_1"];
        names.sort_by_key(|name| natural_key(name));
        assert_eq!(names, ["X_10_1", "X_10_2", "X_10_10", "X_25_1"]);
        let mut names = vec!["RC101", "R201", "C101", "R101"];
        names.sort_by_key(|name| natural_key(name));
        assert_eq!(names, ["C101", "R101", "R201", "RC101"]);
    }
}
