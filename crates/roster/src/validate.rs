//! Checks a problem before solving, naming the field and the problem of the first fault.

use std::collections::BTreeSet;

use crate::model::ProblemError;
use crate::{Link, Problem, Travel, Window};

fn fault(field: String, message: impl Into<String>) -> Result<(), ProblemError> {
    Err(ProblemError {
        field,
        message: message.into(),
    })
}

/// The first fault in `problem`, if any.
pub(crate) fn validate(problem: &Problem) -> Result<(), ProblemError> {
    let places = crate::travel::place_count(&problem.travel);
    validate_travel(&problem.travel)?;
    let mut worker_ids = BTreeSet::new();
    for (index, worker) in problem.workers.iter().enumerate() {
        let field = |name: &str| format!("workers[{index}].{name}");
        if !worker_ids.insert(worker.id.as_str()) {
            return fault(field("id"), format!("{:?} is used twice", worker.id));
        }
        place(worker.start_place, places, field("start_place"))?;
        place(worker.end_place, places, field("end_place"))?;
        window(worker.shift, field("shift"))?;
        for (number, rest) in worker.breaks.iter().enumerate() {
            window(rest.window, field(&format!("breaks[{number}].window")))?;
            non_negative(rest.duration, field(&format!("breaks[{number}].duration")))?;
        }
        for (value, name) in [
            (worker.max_working_time, "max_working_time"),
            (worker.capacity, "capacity"),
        ] {
            if let Some(value) = value {
                non_negative(value, field(name))?;
            }
        }
        non_negative(worker.contracted_time, field("contracted_time"))?;
        non_negative(worker.guaranteed_time, field("guaranteed_time"))?;
        non_negative(worker.fixed_cost, field("fixed_cost"))?;
    }
    let mut visit_ids = BTreeSet::new();
    for (index, visit) in problem.visits.iter().enumerate() {
        let field = |name: &str| format!("visits[{index}].{name}");
        if !visit_ids.insert(visit.id.as_str()) {
            return fault(field("id"), format!("{:?} is used twice", visit.id));
        }
        place(visit.place, places, field("place"))?;
        window(visit.window, field("window"))?;
        non_negative(visit.duration, field("duration"))?;
        non_negative(visit.demand, field("demand"))?;
        non_negative(visit.priority, field("priority"))?;
        if let Some(lateness) = visit.max_lateness {
            non_negative(lateness, field("max_lateness"))?;
        }
        match (visit.carers, visit.link) {
            (1, None) => {}
            (1, Some(_)) => return fault(field("link"), "a visit for one carer has no link"),
            (2, None) => {
                return fault(field("link"), "a visit for two carers needs a link");
            }
            (2, Some(Link::Together { tolerance })) => non_negative(tolerance, field("link"))?,
            (2, Some(Link::Ordered { min_gap, max_gap })) => {
                if min_gap.is_nan() || max_gap.is_nan() || min_gap > max_gap {
                    return fault(
                        field("link"),
                        "min_gap must be a number no more than max_gap",
                    );
                }
            }
            (other, _) => return fault(field("carers"), format!("must be 1 or 2, not {other}")),
        }
        if visit.second.is_some() && visit.carers != 2 {
            return fault(
                field("second"),
                "only a visit for two carers has a second part",
            );
        }
        for (list, name) in [
            (&visit.preferred, "preferred"),
            (&visit.excluded, "excluded"),
        ] {
            if let Some(unknown) = list.iter().find(|id| !worker_ids.contains(id.as_str())) {
                return fault(field(name), format!("no worker has the id {unknown:?}"));
            }
        }
    }
    Ok(())
}

fn validate_travel(travel: &Travel) -> Result<(), ProblemError> {
    match travel {
        Travel::Euclidean { places, .. } => finite_places(places),
        Travel::Geographic {
            places,
            detour_factor,
            speeds,
        } => {
            finite_places(places)?;
            if detour_factor.is_nan() || *detour_factor < 1.0 {
                return fault("travel.detour_factor".into(), "must be at least 1");
            }
            for (speed, name) in [
                (speeds.car, "car"),
                (speeds.bike, "bike"),
                (speeds.foot, "foot"),
            ] {
                if !(speed > 0.0 && speed.is_finite()) {
                    return fault(format!("travel.speeds.{name}"), "must be above 0");
                }
            }
            Ok(())
        }
        Travel::Matrix { car, bike, foot } => {
            square(car, "car")?;
            for (matrix, name) in [(bike, "bike"), (foot, "foot")] {
                if let Some(matrix) = matrix {
                    square(matrix, name)?;
                    if matrix.len() != car.len() {
                        return fault(
                            format!("travel.{name}"),
                            format!("has {} places but car has {}", matrix.len(), car.len()),
                        );
                    }
                }
            }
            Ok(())
        }
    }
}

fn finite_places(places: &[[f64; 2]]) -> Result<(), ProblemError> {
    match places
        .iter()
        .position(|p| !p[0].is_finite() || !p[1].is_finite())
    {
        Some(index) => fault(
            format!("travel.places[{index}]"),
            "must be two finite numbers",
        ),
        None => Ok(()),
    }
}

fn square(matrix: &[Vec<f64>], name: &str) -> Result<(), ProblemError> {
    for (row, values) in matrix.iter().enumerate() {
        if values.len() != matrix.len() {
            return fault(
                format!("travel.{name}[{row}]"),
                format!(
                    "has {} entries; the matrix has {} rows",
                    values.len(),
                    matrix.len()
                ),
            );
        }
        if let Some(column) = values.iter().position(|v| !(*v >= 0.0 && v.is_finite())) {
            return fault(
                format!("travel.{name}[{row}][{column}]"),
                "must be 0 or more",
            );
        }
    }
    Ok(())
}

fn place(place: usize, places: usize, field: String) -> Result<(), ProblemError> {
    if place >= places {
        return fault(
            field,
            format!("place {place} does not exist ({places} places)"),
        );
    }
    Ok(())
}

fn window(window: Window, field: String) -> Result<(), ProblemError> {
    if !(window.start.is_finite() && window.end.is_finite()) {
        return fault(field, "start and end must be finite numbers");
    }
    if window.start > window.end {
        return fault(
            field,
            format!("starts ({}) after it ends ({})", window.start, window.end),
        );
    }
    Ok(())
}

fn non_negative(value: f64, field: String) -> Result<(), ProblemError> {
    if !(value >= 0.0 && value.is_finite()) {
        return fault(field, format!("must be 0 or more, not {value}"));
    }
    Ok(())
}
