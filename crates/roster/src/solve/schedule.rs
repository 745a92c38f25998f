//! Timing runs that someone else ordered: a coordinator's manual move keeps the order they chose,
//! and every stop is scheduled as the engine schedules its own — as early as arrival, window and
//! ties allow — so that [`crate::check`] can say what the order breaks. Nothing is refused for
//! breaking a rule here: the checker's report is the answer.

use crate::model::{Model, NONE, ProblemError, compile};
use crate::solve::output;
use crate::solve::state::State;
use crate::{Problem, Run, Solution};

/// The solution made of `runs` in their order (their start times are ignored and worked out
/// again); every visit in no run is unmade.
///
/// A run of a worker the problem does not have, a stop naming an unknown visit, a part the
/// visit does not have or a break the worker does not take, and a part or worker listed twice,
/// are errors naming the field (`runs[2].stops[0].visit`).
pub fn schedule(problem: &Problem, runs: &[Run]) -> Result<Solution, ProblemError> {
    let model = compile(problem)?;
    let mut state = State::empty(&model);
    let mut worker_seen = vec![false; problem.workers.len()];
    for (run_index, run) in runs.iter().enumerate() {
        let field = |rest: &str| format!("runs[{run_index}]{rest}");
        let route = problem
            .workers
            .iter()
            .position(|worker| worker.id == run.worker)
            .ok_or_else(|| error(field(".worker"), format!("no worker '{}'", run.worker)))?;
        if std::mem::replace(&mut worker_seen[route], true) {
            return Err(error(
                field(".worker"),
                format!("worker '{}' has two runs", run.worker),
            ));
        }
        for (stop_index, stop) in run.stops.iter().enumerate() {
            let at = |name: &str| field(&format!(".stops[{stop_index}].{name}"));
            let task = task_of(problem, &model, route, stop, at)?;
            if state.assigned(task) {
                return Err(error(at("visit"), "this part is already in a run".into()));
            }
            let position = state.routes[route].len();
            state.insert(&model, task, route, position);
        }
    }
    state.reschedule_all(&model);
    Ok(output::solution(problem, &model, &state))
}

/// The task a stop stands for in `route`.
fn task_of(
    problem: &Problem,
    model: &Model,
    route: usize,
    stop: &crate::Stop,
    at: impl Fn(&str) -> String,
) -> Result<u32, ProblemError> {
    match (&stop.visit, stop.break_index) {
        (Some(id), None) => {
            let visit = problem
                .visits
                .iter()
                .position(|visit| &visit.id == id)
                .ok_or_else(|| error(at("visit"), format!("no visit '{id}'")))?;
            let task = model.visit_tasks[visit]
                .get(usize::from(stop.part))
                .copied()
                .filter(|task| *task != NONE)
                .ok_or_else(|| {
                    error(
                        at("part"),
                        format!("visit '{id}' has no part {}", stop.part),
                    )
                })?;
            Ok(task)
        }
        (None, Some(index)) => model.routes[route]
            .breaks
            .get(index)
            .copied()
            .ok_or_else(|| error(at("break"), format!("the worker has no break {index}"))),
        _ => Err(error(
            at("visit"),
            "a stop is either a visit or a break".into(),
        )),
    }
}

fn error(field: String, message: String) -> ProblemError {
    ProblemError { field, message }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::solve::fixtures::{street, worker};
    use crate::{Options, Stop, check, solve};

    fn order(worker: &str, visits: &[&str]) -> Run {
        Run {
            worker: worker.into(),
            stops: visits.iter().map(|id| Stop::visit(*id, 0, 0.0)).collect(),
        }
    }

    #[test]
    fn the_engines_own_order_gets_the_engines_times() {
        let problem = street();
        let options = Options {
            time_limit: 1.0,
            iterations: Some(200),
            seed: 1,
        };
        let solved = solve(&problem, &options).unwrap();
        let again = schedule(&problem, &solved.runs).unwrap();
        assert_eq!(again.runs, solved.runs);
        assert!(check(&problem, &again).is_feasible());
    }

    #[test]
    fn stops_start_as_early_as_travel_allows() {
        // Ann leaves x = 0 at 0: c at x = 30 by 30, takes 5; back to a at x = 10 by 55; then
        // b at x = 20 by 70.
        let problem = street();
        let timed = schedule(&problem, &[order("ann", &["c", "a", "b"])]).unwrap();
        let starts: Vec<f64> = timed.runs[0].stops.iter().map(|stop| stop.start).collect();
        assert_eq!(starts, [30.0, 55.0, 70.0]);
        assert!(timed.unassigned.is_empty());
        // Travel 30 + 20 + 10, and 20 home; working time from leaving at 0 to home at 95.
        let report = check(&problem, &timed);
        assert_eq!(report.objective.travel, 80.0);
        let run = &report.runs[0];
        let legs: Vec<(Option<&str>, f64)> = run
            .legs
            .iter()
            .map(|leg| (leg.visit.as_deref(), leg.travel))
            .collect();
        assert_eq!(
            legs,
            [(Some("c"), 30.0), (Some("a"), 20.0), (Some("b"), 10.0)]
        );
        assert_eq!((run.travel_home, run.working_time), (20.0, 95.0));
    }

    #[test]
    fn visits_in_no_run_are_unmade_and_the_checker_names_what_breaks() {
        let mut problem = street();
        problem.visits[1].skills = vec!["dementia".into()];
        let timed = schedule(&problem, &[order("ann", &["a", "b"])]).unwrap();
        let unmade: Vec<&str> = timed.unassigned.iter().map(|u| u.visit.as_str()).collect();
        assert_eq!(unmade, ["c"]);
        let report = check(&problem, &timed);
        let rules: Vec<&str> = report.violations.iter().map(|v| v.rule).collect();
        assert_eq!(rules, ["skills"]);
    }

    #[test]
    fn a_day_without_visits_has_no_runs() {
        let mut problem = street();
        problem.visits.clear();
        let options = Options {
            time_limit: 1.0,
            iterations: Some(50),
            seed: 1,
        };
        let solved = solve(&problem, &options).unwrap();
        assert!(solved.runs.is_empty() && solved.unassigned.is_empty());
        assert!(schedule(&problem, &[]).unwrap().runs.is_empty());
    }

    #[test]
    fn orders_that_make_no_sense_name_the_field() {
        let mut problem = street();
        problem.workers.push(worker("bob", (0.0, 1000.0)));
        let cases = [
            (vec![order("zoe", &["a"])], "runs[0].worker"),
            (
                vec![order("ann", &["a", "nobody"])],
                "runs[0].stops[1].visit",
            ),
            (
                vec![order("ann", &["a"]), order("bob", &["a"])],
                "runs[1].stops[0].visit",
            ),
            (
                vec![order("ann", &["a"]), order("ann", &["b"])],
                "runs[1].worker",
            ),
        ];
        for (runs, field) in cases {
            assert_eq!(schedule(&problem, &runs).unwrap_err().field, field);
        }
        let second_part = Run {
            worker: "ann".into(),
            stops: vec![Stop::visit("a", 1, 0.0)],
        };
        assert_eq!(
            schedule(&problem, &[second_part]).unwrap_err().field,
            "runs[0].stops[0].part"
        );
    }
}
