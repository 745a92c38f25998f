//! Reading problems from files: the engine's own JSON, the Solomon VRPTW text format and the
//! Mankowska et al. (2014) home health care text format, plus the tables of best-known results
//! that come with the benchmark instances.
//!
//! Every reader is a pure function of the text (`parse`); [`read_problem`] and the `read`
//! functions add the file system and put the file's path in front of any error. The formats and
//! how each benchmark maps onto a [`Problem`] are described in `docs/roster/formats.md`.

pub mod best_known;
pub mod mankowska;
pub mod solomon;

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use crate::{Problem, Rounding};

/// Why a file could not be turned into a problem or a table: where in the file, and what is wrong.
#[derive(Debug, thiserror::Error)]
pub enum FormatError {
    /// The file could not be read at all.
    #[error("cannot read {}: {error}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        error: std::io::Error,
    },
    /// An error inside a named file.
    #[error("{}: {error}", path.display())]
    InFile {
        /// The file.
        path: PathBuf,
        /// What is wrong in it.
        error: Box<FormatError>,
    },
    /// JSON that is malformed or does not match the expected type.
    #[error("JSON at `{path}`: {message}")]
    Json {
        /// Where in the document, as a path of fields and indices (`visits[3].window`); `.` is
        /// the whole document.
        path: String,
        /// What is wrong, with serde_json's line and column.
        message: String,
    },
    /// A Solomon VRPTW text file that cannot be read.
    #[error("Solomon line {line}: {message}")]
    Solomon {
        /// Line number, from 1.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// A Mankowska text file that cannot be read.
    #[error("Mankowska line {line}, section `{keyword}`: {message}")]
    Mankowska {
        /// Line number, from 1 (the last line when a section is missing).
        line: usize,
        /// The section's keyword (`nbNodes`, `r`, `DS`, `p`, …).
        keyword: String,
        /// What is wrong.
        message: String,
    },
    /// A CSV table whose structure is broken (a row of the wrong length, bad UTF-8).
    #[error("CSV line {line}: {message}")]
    Csv {
        /// Line number, from 1.
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// A CSV table with a missing or unreadable field.
    #[error("CSV line {line}, column `{column}`: {message}")]
    Field {
        /// Line number, from 1 (the header is line 1).
        line: u64,
        /// The column's name in the header.
        column: String,
        /// What is wrong.
        message: String,
    },
}

impl FormatError {
    /// This error, said to be in the file at `path`.
    pub fn in_file(self, path: &Path) -> Self {
        Self::InFile {
            path: path.to_path_buf(),
            error: Box::new(self),
        }
    }
}

/// A problem file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// The engine's own JSON problem format (a serialised [`Problem`]).
    Json,
    /// Solomon's VRPTW text format (Solomon 1987; Gehring & Homberger 1999).
    Solomon,
    /// The text format of Mankowska, Meisel & Bierwirth (2014).
    Mankowska,
}

/// Reads a problem from a file.
///
/// `rounding` applies to [`Format::Solomon`] only (the others carry their own travel times). A
/// Mankowska problem is named after the file's stem (`InstanzCPLEX_HCSRP_10_1`).
pub fn read_problem(
    path: &Path,
    format: Format,
    rounding: Rounding,
) -> Result<Problem, FormatError> {
    let text = read_text(path)?;
    let problem = match format {
        Format::Json => from_json(&text),
        Format::Solomon => solomon::parse(&text, rounding),
        Format::Mankowska => {
            let name = path.file_stem().unwrap_or_default().to_string_lossy();
            mankowska::parse(&text, &name)
        }
    };
    problem.map_err(|error| error.in_file(path))
}

/// Reads a JSON file into `T` (a [`Problem`], a [`crate::Solution`], …).
pub fn read_json<T: DeserializeOwned>(path: &Path) -> Result<T, FormatError> {
    from_json(&read_text(path)?).map_err(|error| error.in_file(path))
}

/// Parses JSON text into `T`, naming the JSON path of the first field that does not fit.
pub fn from_json<T: DeserializeOwned>(text: &str) -> Result<T, FormatError> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value =
        serde_path_to_error::deserialize(&mut deserializer).map_err(|error| FormatError::Json {
            path: error.path().to_string(),
            message: error.inner().to_string(),
        })?;
    deserializer.end().map_err(|error| FormatError::Json {
        path: ".".to_owned(),
        message: error.to_string(),
    })?;
    Ok(value)
}

/// The whole of a text file.
pub(crate) fn read_text(path: &Path) -> Result<String, FormatError> {
    std::fs::read_to_string(path).map_err(|error| FormatError::Io {
        path: path.to_path_buf(),
        error,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Link, Mode, Solution, Travel};

    const EXAMPLE: &str = include_str!("../../examples/homecare.json");

    #[test]
    fn json_errors_name_the_path() {
        let text = r#"{"name": "x", "travel": {"matrix": {"car": [[0]]}}, "workers": [],
            "visits": [{"id": "v", "place": 0, "window": {"start": "soon", "end": 1}, "duration": 1}]}"#;
        let error = from_json::<Problem>(text).unwrap_err();
        let FormatError::Json { path, .. } = &error else {
            panic!("{error}")
        };
        assert_eq!(path, "visits[0].window.start");
    }

    #[test]
    fn json_refuses_unknown_fields_and_trailing_text() {
        let text = r#"{"name": "x", "travel": {"matrix": {"car": [[0]]}}, "workers": [], "visits": [], "colour": 1}"#;
        assert!(
            from_json::<Problem>(text)
                .unwrap_err()
                .to_string()
                .contains("colour")
        );
        let text =
            r#"{"name": "x", "travel": {"matrix": {"car": [[0]]}}, "workers": [], "visits": []} 7"#;
        assert!(matches!(
            from_json::<Problem>(text),
            Err(FormatError::Json { .. })
        ));
    }

    #[test]
    fn read_problem_names_the_file() {
        let path = Path::new("no/such/file.json");
        let error = read_problem(path, Format::Json, Rounding::Exact).unwrap_err();
        assert!(matches!(error, FormatError::Io { .. }));
        assert!(error.to_string().contains("no/such/file.json"));
    }

    #[test]
    fn the_home_care_example_exercises_every_feature() {
        let problem: Problem = from_json(EXAMPLE).unwrap();
        assert!(matches!(problem.travel, Travel::Geographic { .. }));
        let modes: Vec<Mode> = problem.workers.iter().map(|w| w.mode).collect();
        for mode in [Mode::Car, Mode::Bike, Mode::Foot] {
            assert!(modes.contains(&mode), "{mode:?}");
        }
        assert!(problem.workers.iter().any(|w| !w.breaks.is_empty()));
        let links: Vec<Link> = problem.visits.iter().filter_map(|v| v.link).collect();
        assert!(links.iter().any(|l| matches!(l, Link::Together { .. })));
        assert!(links.iter().any(|l| matches!(l, Link::Ordered { .. })));
        assert!(problem.visits.iter().any(|v| v.second.is_some()));
        assert!(problem.visits.iter().any(|v| !v.preferred.is_empty()));
        assert!(problem.visits.iter().any(|v| !v.excluded.is_empty()));
        assert!(problem.visits.iter().any(|v| v.priority != 1.0));
        // Every id referred to exists, and every place is one of the travel's places.
        let Travel::Geographic { places, .. } = &problem.travel else {
            unreachable!()
        };
        let ids: Vec<&str> = problem.workers.iter().map(|w| w.id.as_str()).collect();
        for visit in &problem.visits {
            assert!(visit.place < places.len());
            for carer in visit.preferred.iter().chain(&visit.excluded) {
                assert!(ids.contains(&carer.as_str()), "{carer}");
            }
        }
        for worker in &problem.workers {
            assert!(worker.start_place < places.len() && worker.end_place < places.len());
        }
        // It round-trips through the engine's own format.
        let again: Problem = from_json(&serde_json::to_string(&problem).unwrap()).unwrap();
        assert_eq!(again, problem);
    }

    #[test]
    fn solutions_read_too() {
        let text = r#"{"problem": "x", "runs": [{"worker": "w", "stops": [{"visit": "v", "start": 3}, {"break": 0, "start": 5}]}],
            "objective": {"total": 0, "unassigned": 0, "vehicles": 1, "lateness": 0, "max_lateness": 0,
                          "travel": 0, "continuity": 0, "shortfall": 0, "fairness": 0}}"#;
        let solution: Solution = from_json(text).unwrap();
        assert_eq!(solution.runs[0].stops[1].break_index, Some(0));
    }
}
