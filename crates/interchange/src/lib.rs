//! CSV and JSON files of the market register, for `homeward import` and `homeward export`.
//!
//! Key points:
//! - One flat row type per kind of record; CSV and JSON carry the same fields under the same
//!   names, so a file can move between the two formats.
//! - Lists are `;`-separated codes in both formats; visit patterns use the text form of
//!   [`homeward_domain::WeeklyPattern`]; hours may have quarter-hour fractions.
//! - Reading checks every record and reports every problem with its line and field; nothing is
//!   returned unless the whole file is good.
//!
//! ```
//! use homeward_interchange::{AreaRecord, Format, read};
//! let csv = "area,tier,id,district,rural,hard_to_serve,latitude,longitude\n\
//!            Bognor East,7,area_bognor-east,Arun,false,false,50.788,-0.662\n";
//! let errors = read::<AreaRecord>(csv, Format::Csv).unwrap_err();
//! assert_eq!(errors[0].to_string(), "line 2: tier: 7 is not a tier from 1 to 4");
//! ```

mod json_lines;
mod read;
mod rows;
mod values;
mod write;

pub use read::{ImportError, Located, read};
pub use rows::{AreaRecord, Record};
pub use write::write;
// Invoice lines for the finance system, export only.
mod invoice_lines;
pub use invoice_lines::{INVOICE_LINE_COLUMNS, InvoiceLineExport, write_invoice_lines};

use std::fmt;

/// The kinds of record that can be imported and exported, in the order a whole register must be
/// imported (each kind refers only to kinds before it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// The council and its market rules.
    Council,
    /// Areas.
    Areas,
    /// Providers.
    Providers,
    /// Branches.
    Branches,
    /// Lot awards.
    Awards,
    /// Contracts.
    Contracts,
    /// People receiving care.
    People,
    /// Care packages.
    Packages,
    /// Care workers.
    Workers,
}

impl Kind {
    /// Every kind, in import order.
    pub const ALL: [Kind; 9] = [
        Kind::Council,
        Kind::Areas,
        Kind::Providers,
        Kind::Branches,
        Kind::Awards,
        Kind::Contracts,
        Kind::People,
        Kind::Packages,
        Kind::Workers,
    ];

    /// The kind's name on the command line and in file names.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Council => "council",
            Kind::Areas => "areas",
            Kind::Providers => "providers",
            Kind::Branches => "branches",
            Kind::Awards => "awards",
            Kind::Contracts => "contracts",
            Kind::People => "people",
            Kind::Packages => "packages",
            Kind::Workers => "workers",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Comma-separated values with a header row (RFC 4180).
    Csv,
    /// A JSON array of objects.
    Json,
}

impl Format {
    /// The format a file name's extension implies.
    pub fn from_path(path: &str) -> Option<Format> {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".csv") {
            Some(Format::Csv)
        } else if lower.ends_with(".json") {
            Some(Format::Json)
        } else {
            None
        }
    }
}
