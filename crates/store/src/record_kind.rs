//! The kinds of record the register holds, as errors and the audit trail name them.

use std::fmt;

/// A kind of record in the market register.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordKind {
    /// The council.
    Council,
    /// An area.
    Area,
    /// A provider.
    Provider,
    /// A provider's branch.
    Branch,
    /// A lot award.
    Award,
    /// A contract.
    Contract,
    /// A person receiving care.
    Person,
    /// A care package.
    Package,
    /// A care worker.
    Worker,
}

impl RecordKind {
    /// The singular name, as in "person at index 3".
    pub fn name(self) -> &'static str {
        match self {
            RecordKind::Council => "council",
            RecordKind::Area => "area",
            RecordKind::Provider => "provider",
            RecordKind::Branch => "branch",
            RecordKind::Award => "award",
            RecordKind::Contract => "contract",
            RecordKind::Person => "person",
            RecordKind::Package => "package",
            RecordKind::Worker => "worker",
        }
    }

    /// The plural name, as the audit trail records a batch ("people").
    pub fn plural(self) -> &'static str {
        match self {
            RecordKind::Council => "council",
            RecordKind::Area => "areas",
            RecordKind::Provider => "providers",
            RecordKind::Branch => "branches",
            RecordKind::Award => "awards",
            RecordKind::Contract => "contracts",
            RecordKind::Person => "people",
            RecordKind::Package => "packages",
            RecordKind::Worker => "workers",
        }
    }
}

impl fmt::Display for RecordKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
