//! Writing records as CSV or JSON.

use crate::{Format, Record};
use std::io::{self, Write};

/// Writes `records` to `out` in `format`: CSV with a header row, or a pretty JSON array.
pub fn write<R: Record>(records: &[R], format: Format, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Csv => {
            let mut writer = csv::Writer::from_writer(out);
            for record in records {
                writer
                    .serialize(record.to_row())
                    .map_err(io::Error::other)?;
            }
            writer.flush()
        }
        Format::Json => {
            let rows: Vec<R::Row> = records.iter().map(Record::to_row).collect();
            serde_json::to_writer_pretty(&mut *out, &rows).map_err(io::Error::other)?;
            out.write_all(b"\n")
        }
    }
}
