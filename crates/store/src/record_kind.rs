//! The kinds of record the store holds, as errors and the audit trail name them.

use std::fmt;

/// A kind of record: one of the market register's, an account or API token, or a record of
/// brokerage.
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
    /// An account that signs in.
    Account,
    /// An API token.
    ApiToken,
    /// A signed-in session (named by its account's id: its token hash is never shown).
    Session,
    /// An event of the audit trail (named by its sequence number).
    AuditEvent,
    /// A referral for home care.
    Referral,
    /// An offer of a referral's package to a provider.
    Offer,
    /// A reablement episode (named by its referral's id).
    ReablementEpisode,
    /// A branch's weekly capacity return (named `branch/area/week`).
    CapacityReturn,
    /// An early-start incentive (named by its referral's id).
    Incentive,
    /// A dated visit.
    Visit,
    /// A check-in or check-out (named by its idempotency key in errors, as its sender knows it;
    /// `provider/key` in the audit trail, since each provider's keys are its own).
    CallEvent,
    /// A branch's roster for one day.
    Roster,
    /// An issued invoice (payments).
    Invoice,
    /// A manual correction of a visit's times.
    Correction,
}

impl RecordKind {
    /// The singular name, as in "person at index 3", and as record-level audit events name
    /// the kind (`area`, `account`, `api-token`).
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
            RecordKind::Account => "account",
            RecordKind::ApiToken => "api-token",
            RecordKind::Session => "session",
            RecordKind::AuditEvent => "audit event",
            RecordKind::Referral => "referral",
            RecordKind::Offer => "offer",
            RecordKind::ReablementEpisode => "reablement-episode",
            RecordKind::CapacityReturn => "capacity-return",
            RecordKind::Incentive => "incentive",
            RecordKind::Visit => "visit",
            RecordKind::CallEvent => "call-event",
            RecordKind::Roster => "roster",
            RecordKind::Invoice => "invoice",
            RecordKind::Correction => "correction",
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
            RecordKind::Account => "accounts",
            RecordKind::ApiToken => "api-tokens",
            RecordKind::Session => "sessions",
            RecordKind::AuditEvent => "audit events",
            RecordKind::Referral => "referrals",
            RecordKind::Offer => "offers",
            RecordKind::ReablementEpisode => "reablement-episodes",
            RecordKind::CapacityReturn => "capacity-returns",
            RecordKind::Incentive => "incentives",
            RecordKind::Visit => "visits",
            RecordKind::CallEvent => "call-events",
            RecordKind::Roster => "rosters",
            RecordKind::Invoice => "invoices",
            RecordKind::Correction => "corrections",
        }
    }
}

impl fmt::Display for RecordKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
