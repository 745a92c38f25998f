//! Solomon's VRPTW text format (Solomon 1987; also Gehring & Homberger 1999).
//!
//! ```text
//! C101
//!
//! VEHICLE
//! NUMBER     CAPACITY
//!   25         200
//!
//! CUSTOMER
//! CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME
//!
//!     0      40         50          0          0       1236          0
//!     1      45         68         10        912        967         90
//! ```
//!
//! Customer 0 is the depot. The mapping: [`Travel::Euclidean`] over the coordinates with the
//! caller's rounding, place `i` = customer `i`; one worker per vehicle (ids `"0"`, `"1"`, …) from
//! the depot back to it within the depot's window, with the capacity and a fixed cost of 1; one
//! visit per customer (id = the customer number) with a hard window (`max_lateness` 0) on its
//! start, the service time as duration, the demand and priority 1. Weights are
//! [`Weights::distance_only`]; replace them for the hierarchical objective.

use crate::{Problem, Rounding, Travel, Visit, Weights, Window, Worker};

use super::FormatError;

/// The columns of a customer row, in order.
const COLUMNS: [&str; 7] = [
    "CUST NO.",
    "XCOORD.",
    "YCOORD.",
    "DEMAND",
    "READY TIME",
    "DUE DATE",
    "SERVICE TIME",
];

/// Parses a Solomon instance. The name is the first line, in upper case.
pub fn parse(text: &str, rounding: Rounding) -> Result<Problem, FormatError> {
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(index, line)| (index + 1, line.trim()))
        .filter(|(_, line)| !line.is_empty());
    let last = text.lines().count().max(1);

    let (line, name) = lines
        .next()
        .ok_or_else(|| error(last, "the file is empty; expected the instance name"))?;
    if name.starts_with("VEHICLE") {
        return Err(error(line, "expected the instance name before VEHICLE"));
    }

    expect(&mut lines, last, "VEHICLE", "the VEHICLE section")?;
    expect(&mut lines, last, "NUMBER", "the header `NUMBER CAPACITY`")?;
    let (line, fleet_line) = lines
        .next()
        .ok_or_else(|| error(last, "the file ends before the fleet size and capacity"))?;
    let fields: Vec<&str> = fleet_line.split_whitespace().collect();
    let [fleet, capacity] = fields[..] else {
        return Err(error(
            line,
            format!(
                "expected two fields, NUMBER and CAPACITY; found {}",
                fields.len()
            ),
        ));
    };
    let fleet: usize = match fleet.parse() {
        Ok(fleet) if fleet > 0 => fleet,
        _ => {
            return Err(error(
                line,
                format!("NUMBER `{fleet}` is not a whole number of vehicles above 0"),
            ));
        }
    };
    let capacity = number(line, "CAPACITY", capacity)?;

    expect(&mut lines, last, "CUSTOMER", "the CUSTOMER section")?;
    expect(
        &mut lines,
        last,
        "CUST",
        "the header of the customer columns",
    )?;

    let mut rows = Vec::new();
    for (line, row) in lines {
        rows.push(customer(line, row, rows.len())?);
    }
    let Some(depot) = rows.first() else {
        return Err(error(
            last,
            "no customer rows; expected the depot (0) and customers",
        ));
    };
    if rows.len() < 2 {
        return Err(error(last, "only the depot; expected customers after it"));
    }

    let shift = depot.window;
    let workers = (0..fleet)
        .map(|vehicle| Worker {
            capacity: Some(capacity),
            ..Worker::new(vehicle.to_string(), 0, shift)
        })
        .collect();
    let visits = rows[1..]
        .iter()
        .enumerate()
        .map(|(index, row)| Visit {
            max_lateness: Some(0.0),
            demand: row.demand,
            ..Visit::new((index + 1).to_string(), index + 1, row.window, row.service)
        })
        .collect();
    Ok(Problem {
        name: name.to_uppercase(),
        travel: Travel::Euclidean {
            places: rows.iter().map(|row| row.at).collect(),
            rounding,
        },
        workers,
        visits,
        weights: Weights::distance_only(),
    })
}

/// One customer row.
struct Row {
    at: [f64; 2],
    demand: f64,
    window: Window,
    service: f64,
}

fn customer(line: usize, row: &str, expected: usize) -> Result<Row, FormatError> {
    let fields: Vec<&str> = row.split_whitespace().collect();
    if fields.len() != COLUMNS.len() {
        return Err(error(
            line,
            format!(
                "a customer row has {} fields ({}); found {}",
                COLUMNS.len(),
                COLUMNS.join(", "),
                fields.len()
            ),
        ));
    }
    let mut values = [0.0; 7];
    for (value, (column, field)) in values.iter_mut().zip(COLUMNS.iter().zip(&fields)) {
        *value = number(line, column, field)?;
    }
    let [number_, x, y, demand, ready, due, service] = values;
    if number_ != expected as f64 {
        return Err(error(
            line,
            format!(
                "CUST NO. {} is out of order; expected {expected} (customers are numbered 0, 1, 2, … \
                 with 0 the depot)",
                fields[0]
            ),
        ));
    }
    for (column, value) in [
        ("DEMAND", demand),
        ("READY TIME", ready),
        ("SERVICE TIME", service),
    ] {
        if value < 0.0 {
            return Err(error(line, format!("{column} {value} is negative")));
        }
    }
    if due < ready {
        return Err(error(
            line,
            format!("DUE DATE {due} is before READY TIME {ready}"),
        ));
    }
    Ok(Row {
        at: [x, y],
        demand,
        window: Window::new(ready, due),
        service,
    })
}

/// Takes the next line, which must start with `keyword`.
fn expect<'a>(
    lines: &mut impl Iterator<Item = (usize, &'a str)>,
    last: usize,
    keyword: &str,
    what: &str,
) -> Result<(), FormatError> {
    match lines.next() {
        Some((_, line)) if line.starts_with(keyword) => Ok(()),
        Some((line, text)) => Err(error(line, format!("expected {what}; found `{text}`"))),
        None => Err(error(last, format!("the file ends before {what}"))),
    }
}

fn number(line: usize, column: &str, field: &str) -> Result<f64, FormatError> {
    match field.parse::<f64>() {
        Ok(value) if value.is_finite() => Ok(value),
        _ => Err(error(line, format!("{column} `{field}` is not a number"))),
    }
}

fn error(line: usize, message: impl Into<String>) -> FormatError {
    FormatError::Solomon {
        line,
        message: message.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TINY: &str = "r9

VEHICLE
NUMBER     CAPACITY
  2         50

CUSTOMER
CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME

    0      0         0          0          0       200          0
    1      3         4         10         10        20         5
    2      6         8         20          0       100        10
";

    fn message(text: &str) -> String {
        parse(text, Rounding::Exact).unwrap_err().to_string()
    }

    #[test]
    fn maps_a_tiny_instance() {
        let problem = parse(TINY, Rounding::TruncateTenth).unwrap();
        assert_eq!(problem.name, "R9");
        assert_eq!(
            problem.travel,
            Travel::Euclidean {
                places: vec![[0.0, 0.0], [3.0, 4.0], [6.0, 8.0]],
                rounding: Rounding::TruncateTenth
            }
        );
        assert_eq!(problem.workers.len(), 2);
        let worker = &problem.workers[1];
        assert_eq!(worker.id, "1");
        assert_eq!((worker.start_place, worker.end_place), (0, 0));
        assert_eq!(worker.shift, Window::new(0.0, 200.0));
        assert_eq!(worker.capacity, Some(50.0));
        assert_eq!(worker.fixed_cost, 1.0);
        assert_eq!(problem.visits.len(), 2);
        let visit = &problem.visits[1];
        assert_eq!((visit.id.as_str(), visit.place), ("2", 2));
        assert_eq!(visit.window, Window::new(0.0, 100.0));
        assert_eq!(visit.max_lateness, Some(0.0));
        assert_eq!(
            (visit.duration, visit.demand, visit.priority),
            (10.0, 20.0, 1.0)
        );
        assert_eq!(problem.weights, Weights::distance_only());
    }

    #[test]
    fn accepts_crlf_line_ends() {
        let crlf = TINY.replace('\n', "\r\n");
        assert_eq!(
            parse(&crlf, Rounding::Exact).unwrap(),
            parse(TINY, Rounding::Exact).unwrap()
        );
    }

    #[test]
    fn empty_file() {
        assert_eq!(
            message(""),
            "Solomon line 1: the file is empty; expected the instance name"
        );
    }

    #[test]
    fn missing_name() {
        assert!(message("VEHICLE\n").contains("line 1: expected the instance name"));
    }

    #[test]
    fn missing_sections() {
        assert!(
            message("C1\nCUSTOMER\n")
                .contains("line 2: expected the VEHICLE section; found `CUSTOMER`")
        );
        assert!(message("C1\nVEHICLE\n").contains("line 2: the file ends before the header"));
        assert!(message("C1\nVEHICLE\nNUMBER CAPACITY\n").contains("ends before the fleet size"));
        let text = TINY.replace("CUSTOMER", "CLIENTS");
        assert!(message(&text).contains("line 7: expected the CUSTOMER section; found `CLIENTS`"));
        let text = TINY.replace("CUST NO.", "NO.");
        assert!(message(&text).contains("line 8: expected the header of the customer columns"));
    }

    #[test]
    fn bad_fleet() {
        let text = TINY.replace("  2         50", "  2");
        assert!(
            message(&text).contains("line 5: expected two fields, NUMBER and CAPACITY; found 1")
        );
        let text = TINY.replace("  2         50", "  0         50");
        assert!(message(&text).contains("line 5: NUMBER `0` is not a whole number"));
        let text = TINY.replace("  2         50", "  2.5         50");
        assert!(message(&text).contains("NUMBER `2.5`"));
        let text = TINY.replace("  2         50", "  2         lots");
        assert!(message(&text).contains("line 5: CAPACITY `lots` is not a number"));
    }

    #[test]
    fn bad_customer_rows() {
        let text = TINY.replace("10        20         5", "10        20");
        assert!(message(&text).contains("line 11: a customer row has 7 fields"));
        let text = TINY.replace("10        20         5", "10        soon         5");
        assert!(message(&text).contains("line 11: DUE DATE `soon` is not a number"));
        let text = TINY.replace("10        20         5", "10        inf         5");
        assert!(message(&text).contains("DUE DATE `inf` is not a number"));
        let text = TINY.replace("    2      6", "    3      6");
        assert!(message(&text).contains("line 12: CUST NO. 3 is out of order; expected 2"));
        let text = TINY.replace("10        20         5", "30        20         5");
        assert!(message(&text).contains("line 11: DUE DATE 20 is before READY TIME 30"));
        let text = TINY.replace("10        20         5", "10        20        -5");
        assert!(message(&text).contains("line 11: SERVICE TIME -5 is negative"));
    }

    #[test]
    fn no_customers() {
        let header = TINY.split("    0 ").next().unwrap();
        assert!(message(header).contains("no customer rows"));
        let depot_only = TINY.split("    1 ").next().unwrap();
        assert!(message(depot_only).contains("only the depot"));
    }
}
