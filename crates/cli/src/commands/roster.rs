//! `homeward roster`: solve, check and benchmark care workers' runs with the scheduling engine.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, bail};
use clap::{Args, Subcommand, ValueEnum};
use homeward_roster::formats::{self, Format};
use homeward_roster::{Options, Problem, Rounding, Solution, Weights};

#[derive(Subcommand)]
pub enum RosterCommand {
    /// Solves a problem and prints the solution as JSON.
    Solve(SolveArgs),
    /// Checks a solution against its problem and prints the objective.
    Check(CheckArgs),
    /// Solves a benchmark set and prints one CSV row per instance and a mean line.
    Bench(BenchArgs),
    /// Prints a generated UK branch day as a problem in JSON.
    Scenario(ScenarioArgs),
    /// Compares the engine with a greedy coordinator on generated branch days.
    BranchBench(BranchBenchArgs),
}

/// The problem file's format.
#[derive(Clone, Copy, ValueEnum)]
pub enum FormatArg {
    /// The engine's own JSON problem.
    Json,
    /// Solomon's VRPTW text format.
    Solomon,
    /// Mankowska et al. (2014) home health care text format.
    Mankowska,
}

/// What a VRPTW instance is solved for.
#[derive(Clone, Copy, ValueEnum, PartialEq)]
pub enum ObjectiveArg {
    /// Total distance, each arc truncated to one decimal (DIMACS 2021).
    Distance,
    /// Fewest vehicles, then exact total distance.
    Hierarchical,
}

#[derive(Args)]
pub struct ProblemArgs {
    /// The problem file.
    pub problem: PathBuf,
    /// The problem file's format.
    #[arg(long, value_enum, default_value = "json")]
    pub format: FormatArg,
    /// For the Solomon format: the objective.
    #[arg(long, value_enum, default_value = "distance")]
    pub objective: ObjectiveArg,
}

#[derive(Args)]
pub struct SolveArgs {
    #[command(flatten)]
    pub problem: ProblemArgs,
    /// Seconds the improving search may run.
    #[arg(long)]
    pub time_limit: f64,
    /// Stop after this many iterations (with the seed, makes the answer repeatable).
    #[arg(long)]
    pub iterations: Option<u64>,
    /// Seed of the search's random numbers.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

#[derive(Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub problem: ProblemArgs,
    /// The solution file (JSON, as `roster solve` prints).
    pub solution: PathBuf,
}

/// A benchmark set.
#[derive(Clone, Copy, ValueEnum, PartialEq)]
pub enum SetArg {
    /// Solomon's 56 VRPTW instances of 100 customers.
    Solomon,
    /// Gehring & Homberger's 60 VRPTW instances of 200 customers.
    Homberger,
    /// Mankowska et al.'s 50 home health care instances of 10 to 100 patients.
    Mankowska,
}

#[derive(Args)]
pub struct BenchArgs {
    /// Which set.
    #[arg(long, value_enum)]
    pub set: SetArg,
    /// Seconds per instance.
    #[arg(long)]
    pub time_limit: f64,
    /// For the VRPTW sets: the objective.
    #[arg(long, value_enum, default_value = "distance")]
    pub objective: ObjectiveArg,
    /// Only these instances (comma-separated names).
    #[arg(long, value_delimiter = ',')]
    pub only: Vec<String>,
    /// Folder holding the sets.
    #[arg(long, default_value = "crates/roster/instances")]
    pub instances: PathBuf,
    /// Seed of the search's random numbers.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

#[derive(Args)]
pub struct ScenarioArgs {
    /// Seed of the generator.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

#[derive(Args)]
pub struct BranchBenchArgs {
    /// Seconds the engine may search on each day.
    #[arg(long, default_value_t = 30.0)]
    pub time_limit: f64,
    /// How many generated days (seeds 1..=N).
    #[arg(long, default_value_t = 3)]
    pub days: u64,
}

pub fn run(command: RosterCommand) -> anyhow::Result<()> {
    match command {
        RosterCommand::Solve(args) => solve(args),
        RosterCommand::Check(args) => check(args),
        RosterCommand::Bench(args) => super::roster_bench::run(args),
        RosterCommand::Scenario(args) => {
            let problem = homeward_roster::scenario::branch_day(args.seed, Default::default());
            println!("{}", serde_json::to_string_pretty(&problem)?);
            Ok(())
        }
        RosterCommand::BranchBench(args) => super::roster_bench::branch(args),
    }
}

/// Reads a problem in the given format, with the weights and rounding of the objective.
pub fn read(args: &ProblemArgs) -> anyhow::Result<Problem> {
    read_as(&args.problem, args.format, args.objective)
}

pub fn read_as(path: &Path, format: FormatArg, objective: ObjectiveArg) -> anyhow::Result<Problem> {
    let rounding = match objective {
        ObjectiveArg::Distance => Rounding::TruncateTenth,
        ObjectiveArg::Hierarchical => Rounding::Exact,
    };
    let format = match format {
        FormatArg::Json => Format::Json,
        FormatArg::Solomon => Format::Solomon,
        FormatArg::Mankowska => Format::Mankowska,
    };
    let mut problem = formats::read_problem(path, format, rounding)
        .with_context(|| format!("reading {}", path.display()))?;
    if matches!(format, Format::Solomon) && objective == ObjectiveArg::Hierarchical {
        problem.weights = Weights::vehicles_then_distance();
    }
    Ok(problem)
}

fn solve(args: SolveArgs) -> anyhow::Result<()> {
    if args.time_limit.is_nan() || args.time_limit < 0.0 {
        bail!("--time-limit must be 0 or more seconds");
    }
    let problem = read(&args.problem)?;
    let options = Options {
        time_limit: args.time_limit,
        iterations: args.iterations,
        seed: args.seed,
    };
    let started = Instant::now();
    let mut counted = Iterations(0);
    let solution = homeward_roster::solve_with_progress(&problem, &options, &mut counted)?;
    eprintln!(
        "{}: {} runs, {} unassigned, objective {:.2}, {} iterations in {:.1} s",
        problem.name,
        solution.runs.len(),
        solution.unassigned.len(),
        solution.objective.total,
        counted.0,
        started.elapsed().as_secs_f64()
    );
    println!("{}", serde_json::to_string_pretty(&solution)?);
    Ok(())
}

/// Counts the search's iterations for the summary line.
struct Iterations(u64);

impl homeward_roster::Progress for Iterations {
    fn finished(&mut self, iterations: u64, _seconds: f64) {
        self.0 = iterations;
    }
}

fn check(args: CheckArgs) -> anyhow::Result<()> {
    let problem = read(&args.problem)?;
    let text = std::fs::read_to_string(&args.solution)
        .with_context(|| format!("reading {}", args.solution.display()))?;
    let solution: Solution = serde_json::from_str(&text)
        .with_context(|| format!("{} is not a solution", args.solution.display()))?;
    let report = homeward_roster::check(&problem, &solution);
    for violation in &report.violations {
        println!("violation: {violation}");
    }
    let objective = &report.objective;
    println!(
        "feasible: {}\ntotal: {:.4}\nunassigned: {}\nvehicles: {}\ntravel: {:.4}\nlateness: {:.4}\nmax_lateness: {:.4}\ncontinuity: {}\nshortfall: {:.4}\nfairness: {:.4}",
        report.is_feasible(),
        objective.total,
        objective.unassigned,
        objective.vehicles,
        objective.travel,
        objective.lateness,
        objective.max_lateness,
        objective.continuity,
        objective.shortfall,
        objective.fairness
    );
    if !report.objective_matches(&solution.objective) {
        println!("note: the objective in the solution file differs from the recomputed one");
    }
    if report.is_feasible() {
        Ok(())
    } else {
        bail!("{} violations", report.violations.len())
    }
}
