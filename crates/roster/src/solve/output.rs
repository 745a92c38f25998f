//! Turns a search state into the public [`Solution`], with a reason for each unmade visit.

use crate::model::{Model, NONE, TaskKind};
use crate::solve::cost::objective;
use crate::solve::state::State;
use crate::solve::walk::Walk;
use crate::{Problem, Run, Solution, Stop, Unassigned};

/// The solution a state stands for.
pub(crate) fn solution(problem: &Problem, model: &Model, state: &State) -> Solution {
    let runs = state
        .routes
        .iter()
        .enumerate()
        .filter(|(route, _)| state.visits_in[*route] > 0)
        .map(|(route, tasks)| Run {
            worker: problem.workers[route].id.clone(),
            stops: tasks
                .iter()
                .map(|task| stop(problem, model, state, *task))
                .collect(),
        })
        .collect();
    let unassigned = model
        .visit_tasks
        .iter()
        .enumerate()
        .filter(|(_, tasks)| !state.assigned(tasks[0]))
        .map(|(visit, tasks)| Unassigned {
            visit: problem.visits[visit].id.clone(),
            reason: reason(problem, model, tasks),
        })
        .collect();
    Solution {
        problem: problem.name.clone(),
        runs,
        unassigned,
        objective: objective(model, state),
    }
}

fn stop(problem: &Problem, model: &Model, state: &State, task: u32) -> Stop {
    let start = state.start[task as usize];
    match model.tasks[task as usize].kind {
        TaskKind::Visit { visit, part } => {
            Stop::visit(problem.visits[visit as usize].id.clone(), part, start)
        }
        TaskKind::Break { index, .. } => Stop::rest(index as usize, start),
    }
}

/// Why no run took a visit: the first rule that rules out every worker for a part, or else
/// that the runs had no room.
fn reason(problem: &Problem, model: &Model, tasks: &[u32; 2]) -> String {
    for (part, &task) in tasks.iter().enumerate() {
        if task == NONE {
            continue;
        }
        let visit = &problem.visits[match model.tasks[task as usize].kind {
            TaskKind::Visit { visit, .. } => visit as usize,
            TaskKind::Break { .. } => unreachable!("visit tasks only"),
        }];
        let who = if tasks[1] == NONE {
            String::new()
        } else {
            format!(" for carer {}", part + 1)
        };
        let eligible: Vec<usize> = (0..model.routes.len())
            .filter(|route| model.eligible(task, *route))
            .collect();
        if eligible.is_empty() {
            return if visit.excluded.is_empty() {
                format!("no worker holds every skill needed{who}")
            } else {
                format!("every worker with the skills needed{who} is excluded")
            };
        }
        if !eligible.iter().any(|route| fits_alone(model, task, *route)) {
            return format!(
                "no worker who may make it{who} can reach it within its window and shift"
            );
        }
    }
    if tasks[1] != NONE {
        return "no two runs had room for both carers at times that meet the link".into();
    }
    "no run had room for it at that time".into()
}

fn fits_alone(model: &Model, task: u32, route: usize) -> bool {
    let mut walk = Walk::begin(model, route);
    walk.visit(model, route, task, f64::NEG_INFINITY);
    for &rest in &model.routes[route].breaks {
        walk.visit(model, route, rest, f64::NEG_INFINITY);
    }
    walk.finish(model, route);
    walk.ok
}
