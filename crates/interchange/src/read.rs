//! Reading a file into validated records, with every problem named by line and field.

use crate::json_lines::element_lines;
use crate::{Format, Record};
use std::fmt;

/// The most problems reported for one file; past this the file is surely the wrong one.
const MAX_PROBLEMS: usize = 100;

/// A record read from a file, with the line its row starts on.
#[derive(Debug, Clone, PartialEq)]
pub struct Located<R> {
    /// 1-based line in the file.
    pub line: u64,
    /// The record.
    pub record: R,
}

/// One problem in an import file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    /// 1-based line, when known.
    pub line: Option<u64>,
    /// The field at fault, when known.
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl ImportError {
    /// A problem on a line.
    pub fn new(line: Option<u64>, field: Option<String>, message: impl Into<String>) -> Self {
        Self {
            line,
            field,
            message: message.into(),
        }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(line) = self.line {
            write!(f, "line {line}: ")?;
        }
        if let Some(field) = &self.field {
            write!(f, "{field}: ")?;
        }
        f.write_str(&self.message)
    }
}

/// Reads every record of `text`; all of them, or every problem found (up to a hundred).
pub fn read<R: Record>(text: &str, format: Format) -> Result<Vec<Located<R>>, Vec<ImportError>> {
    // Rows that fail to parse are reported alongside the checks of the rows that do parse.
    let (rows, mut problems) = match format {
        Format::Csv => csv_rows::<R>(text),
        Format::Json => json_rows::<R>(text),
    };
    let mut records = Vec::new();
    for (line, row) in rows {
        match R::from_row(row) {
            Ok(record) => records.push(Located { line, record }),
            Err(invalid) => problems.extend(
                invalid
                    .0
                    .into_iter()
                    .map(|error| ImportError::new(Some(line), Some(error.field), error.message)),
            ),
        }
        if problems.len() >= MAX_PROBLEMS {
            break;
        }
    }
    problems.sort_by_key(|problem| problem.line);
    problems.truncate(MAX_PROBLEMS);
    if problems.is_empty() {
        Ok(records)
    } else {
        Err(problems)
    }
}

type Rows<R> = (Vec<(u64, <R as Record>::Row)>, Vec<ImportError>);

fn csv_rows<R: Record>(text: &str) -> Rows<R> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::Headers)
        .from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(headers) => headers.clone(),
        Err(error) => return (Vec::new(), vec![csv_error(&error, None)]),
    };
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for result in reader.records() {
        let record = match result {
            Ok(record) => record,
            Err(error) => {
                problems.push(csv_error(&error, Some(&headers)));
                break;
            }
        };
        let line = record.position().map_or(0, csv::Position::line);
        match record.deserialize::<R::Row>(Some(&headers)) {
            Ok(row) => rows.push((line, row)),
            Err(error) => problems.push(
                csv_error(&error, Some(&headers))
                    .with_line(line)
                    .with_column_of_value(&headers, &record),
            ),
        }
        if problems.len() >= MAX_PROBLEMS {
            break;
        }
    }
    (rows, problems)
}

impl ImportError {
    fn with_line(mut self, line: u64) -> Self {
        self.line = self.line.or(Some(line));
        self
    }

    /// The csv crate does not say which column a value's own parser refused; our parsers quote
    /// the refused value, so the column holding exactly that value is the one at fault.
    fn with_column_of_value(
        mut self,
        headers: &csv::StringRecord,
        record: &csv::StringRecord,
    ) -> Self {
        if self.field.is_none() {
            self.field = headers
                .iter()
                .zip(record.iter())
                .find(|(_, value)| {
                    !value.trim().is_empty()
                        && self.message.contains(&format!("'{}'", value.trim()))
                })
                .map(|(header, _)| header.to_owned());
        }
        self
    }
}

fn csv_error(error: &csv::Error, headers: Option<&csv::StringRecord>) -> ImportError {
    let line = error.position().map(csv::Position::line);
    match error.kind() {
        csv::ErrorKind::Deserialize { err, .. } => {
            let field = err
                .field()
                .and_then(|index| headers.and_then(|headers| headers.get(index as usize)))
                .map(str::to_owned);
            ImportError::new(line, field, err.kind().to_string())
        }
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => ImportError::new(
            line,
            None,
            format!("has {len} fields where the header has {expected_len}"),
        ),
        _ => ImportError::new(line, None, error.to_string()),
    }
}

fn json_rows<R: Record>(text: &str) -> Rows<R> {
    let values: Vec<serde_json::Value> = match serde_json::from_str(text) {
        Ok(values) => values,
        Err(error) => {
            let problem = ImportError::new(
                Some(error.line() as u64),
                None,
                format!("not a JSON array of objects: {error}"),
            );
            return (Vec::new(), vec![problem]);
        }
    };
    let lines = element_lines(text);
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for (index, value) in values.into_iter().enumerate() {
        let line = lines.get(index).copied();
        match serde_path_to_error::deserialize::<_, R::Row>(value) {
            Ok(row) => rows.push((line.unwrap_or(0), row)),
            Err(error) => {
                let path = error.path().to_string();
                let field = (path != ".").then_some(path);
                problems.push(ImportError::new(
                    line,
                    field,
                    error.into_inner().to_string(),
                ));
            }
        }
        if problems.len() >= MAX_PROBLEMS {
            break;
        }
    }
    (rows, problems)
}
