//! Tables of best-known results for the benchmark instances (CSV with a header row).
//!
//! Columns are found by name, so one reader serves `solomon/bks.csv`,
//! `homberger/homberger_200_bks.csv` and `mankowska/best_known_ceschia2024.csv`; the
//! [`Convention`] says which columns hold the figures. Other columns are ignored.

use std::collections::BTreeMap;
use std::path::Path;

use super::FormatError;

/// A best-known result for one instance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BestKnown {
    /// Vehicles (routes) used, where the convention counts them.
    pub vehicles: Option<u32>,
    /// The objective value: total distance for the VRPTW conventions, the Mankowska cost
    /// `(distance + total tardiness + largest tardiness) / 3` for home health care.
    pub cost: f64,
}

/// Which result a table is read for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Convention {
    /// Fewest vehicles first, then exact Euclidean distance: columns `vehicles` and `distance`
    /// (Solomon and Gehring & Homberger).
    Hierarchical,
    /// Distance only, every arc truncated to one decimal (DIMACS 2021): columns
    /// `dist_only_vehicles` and `dist_only_distance` (Solomon only). The vehicle count is just
    /// that solution's route count, not a target.
    DistanceOnly,
    /// The Mankowska et al. (2014) objective: column `total_cost`; no vehicle count.
    Mankowska,
}

impl Convention {
    /// The columns holding the vehicle count (if any) and the cost.
    pub fn columns(self) -> (Option<&'static str>, &'static str) {
        match self {
            Self::Hierarchical => (Some("vehicles"), "distance"),
            Self::DistanceOnly => (Some("dist_only_vehicles"), "dist_only_distance"),
            Self::Mankowska => (None, "total_cost"),
        }
    }
}

/// The instance-name column, common to every table.
const INSTANCE: &str = "instance";

/// Parses a table into instance name → best known, under `convention`.
pub fn parse(
    text: &str,
    convention: Convention,
) -> Result<BTreeMap<String, BestKnown>, FormatError> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header = reader.headers().map_err(csv_error)?.clone();
    let column = |name: &str| {
        header
            .iter()
            .position(|field| field == name)
            .ok_or_else(|| FormatError::Field {
                line: 1,
                column: name.to_owned(),
                message: format!(
                    "no such column; the header has {}",
                    header.iter().collect::<Vec<_>>().join(", ")
                ),
            })
    };
    let (vehicles_name, cost_name) = convention.columns();
    let instance_at = column(INSTANCE)?;
    let vehicles_at = vehicles_name.map(column).transpose()?;
    let cost_at = column(cost_name)?;

    let mut table = BTreeMap::new();
    for record in reader.records() {
        let record = record.map_err(csv_error)?;
        let line = record.position().map_or(0, |position| position.line());
        let field = |at: usize, name: &str, message: &str| FormatError::Field {
            line,
            column: name.to_owned(),
            message: format!("`{}` {message}", &record[at]),
        };
        let instance = &record[instance_at];
        if instance.is_empty() {
            return Err(field(instance_at, INSTANCE, "is not an instance name"));
        }
        let vehicles = match (vehicles_at, vehicles_name) {
            (Some(at), Some(name)) => Some(
                record[at]
                    .parse::<u32>()
                    .map_err(|_| field(at, name, "is not a whole number of vehicles"))?,
            ),
            _ => None,
        };
        let cost = match record[cost_at].parse::<f64>() {
            Ok(cost) if cost.is_finite() && cost >= 0.0 => cost,
            _ => return Err(field(cost_at, cost_name, "is not a cost")),
        };
        if table
            .insert(instance.to_owned(), BestKnown { vehicles, cost })
            .is_some()
        {
            return Err(field(instance_at, INSTANCE, "is given twice"));
        }
    }
    Ok(table)
}

/// Reads a table from a file; see [`parse`].
pub fn read(
    path: &Path,
    convention: Convention,
) -> Result<BTreeMap<String, BestKnown>, FormatError> {
    parse(&super::read_text(path)?, convention).map_err(|error| error.in_file(path))
}

fn csv_error(error: csv::Error) -> FormatError {
    let line = error.position().map_or(0, |position| position.line());
    let message = match error.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("{len} fields where the header has {expected_len}"),
        _ => error.to_string(),
    };
    FormatError::Csv { line, message }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOLOMON: &str = "\
instance,vehicles,distance,source,dist_only_vehicles,dist_only_distance,dist_only_source
C101,10,828.94,SINTEF,10,827.3,literature
R101,19,1650.80,\"SINTEF, checked\",20,1637.7,LKH-3
";

    fn message(text: &str, convention: Convention) -> String {
        parse(text, convention).unwrap_err().to_string()
    }

    #[test]
    fn reads_both_solomon_conventions() {
        let table = parse(SOLOMON, Convention::Hierarchical).unwrap();
        assert_eq!(
            table["R101"],
            BestKnown {
                vehicles: Some(19),
                cost: 1650.80
            }
        );
        let table = parse(SOLOMON, Convention::DistanceOnly).unwrap();
        assert_eq!(table["R101"].vehicles, Some(20));
        assert_eq!(table["C101"].cost, 827.3);
    }

    #[test]
    fn reads_mankowska_costs() {
        let text = "instance,distance_traveled,max_tardiness,total_tardiness,total_cost\n\
                    InstanzCPLEX_HCSRP_10_1,654.596,0,0,218.199\n";
        let table = parse(text, Convention::Mankowska).unwrap();
        assert_eq!(
            table["InstanzCPLEX_HCSRP_10_1"],
            BestKnown {
                vehicles: None,
                cost: 218.199
            }
        );
    }

    #[test]
    fn missing_column() {
        let text = "instance,vehicles,distance\nC101,10,828.94\n";
        assert_eq!(
            message(text, Convention::DistanceOnly),
            "CSV line 1, column `dist_only_vehicles`: no such column; the header has instance, \
             vehicles, distance"
        );
        assert!(
            message("name,total_cost\nA,1\n", Convention::Mankowska).contains("column `instance`")
        );
    }

    #[test]
    fn bad_fields() {
        let text = SOLOMON.replace("C101,10,", "C101,ten,");
        assert!(
            message(&text, Convention::Hierarchical)
                .contains("CSV line 2, column `vehicles`: `ten` is not a whole number")
        );
        let text = SOLOMON.replace("1650.80", "");
        assert!(
            message(&text, Convention::Hierarchical)
                .contains("CSV line 3, column `distance`: `` is not a cost")
        );
        let text = SOLOMON.replace("1650.80", "-1");
        assert!(message(&text, Convention::Hierarchical).contains("`-1` is not a cost"));
        let text = SOLOMON.replace("R101,", ",");
        assert!(
            message(&text, Convention::Hierarchical)
                .contains("line 3, column `instance`: `` is not an instance name")
        );
        let text = SOLOMON.replace("R101,", "C101,");
        assert!(
            message(&text, Convention::Hierarchical)
                .contains("line 3, column `instance`: `C101` is given twice")
        );
    }

    #[test]
    fn ragged_rows() {
        let text = SOLOMON.replace(",literature", "");
        assert_eq!(
            message(&text, Convention::Hierarchical),
            "CSV line 2: 6 fields where the header has 7"
        );
    }
}
