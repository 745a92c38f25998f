//! The care and commissioning domain of Homeward: the market register's types and their rules.
//!
//! Key points:
//! - Pure: no I/O, no async, no serialisation. Other crates convert to and from these types.
//! - Parse, don't validate: constructors such as [`NhsNumber::parse`] and [`WeeklyPattern::parse`]
//!   return a value only when it is valid, and errors name the field and the problem.
//! - Money is integer pence ([`Pence`]); durations are whole minutes; coordinates are integer
//!   micro-degrees, so values survive any database and round-trip byte for byte.
//!
//! ```
//! use homeward_domain::{Tier, TierRules};
//! let rules = TierRules::west_sussex();
//! assert_eq!(rules.classify(113, 1_206 * 60, false), Tier::Level1);
//! assert_eq!(rules.classify(4, 26 * 60, true), Tier::Level3);
//! ```

mod access;
mod area;
mod award;
mod branch;
pub mod brokerage;
mod call_event;
mod call_window;
mod care_task;
mod codes;
mod contract;
mod correction;
mod council;
pub mod fair_work;
mod geo;
mod id;
pub mod invoice;
mod market;
mod money;
mod monitoring;
mod package;
mod pattern;
mod payment;
mod person;
mod provider;
mod roster;
mod skill;
mod tier;
mod unsocial;
mod validation;
mod visit;
mod worker;

pub use access::{
    Account, Email, PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS, Role, Scope, check_new_password,
};
pub use area::{Area, format_boundary, parse_boundary};
pub use award::{Award, AwardIssue, LotPosition, check_awards};
pub use branch::Branch;
pub use call_event::{CallEvent, CallEventKind, CallNote, EventKey};
pub use call_window::{
    CLOCK_SKEW, CLOSES_AFTER_END, CallWindow, OPENS_BEFORE_START, SENDING_CLOSES_AFTER_END,
};
pub use care_task::CareTask;
pub use codes::{format_code_list, parse_code_list};
pub use contract::{Contract, ContractKind, Enhancements};
pub use correction::{Correction, CorrectionReason};
pub use council::Council;
pub use geo::Coordinates;
pub use id::{
    AccountId, AreaId, AwardId, BranchId, ContractId, CorrectionId, InvoiceId, OfferId, PackageId,
    PersonId, ProviderId, ReferralId, RosterId, TokenId, VisitId, WorkerId,
};
pub use invoice::{Invoice, InvoiceLine, InvoicePeriod, LineKind};
pub use market::{AreaDemand, Market, area_demand};
pub use money::Pence;
pub use monitoring::{Alert, Assessment, MonitoringRules, Punctuality, assess};
pub use package::CarePackage;
pub use pattern::{VisitSlot, WeeklyPattern, format_clock, parse_clock};
pub use payment::{
    BlockCharge, ChargeBasis, ChargeTerms, ChargedVisit, FundWeek, OVERRUN_ALLOWANCE_MINUTES,
    VisitCharge, amount_for, charge_block, charge_visit, chargeable_minutes,
    payable_actual_minutes, settle_fund_week,
};
pub use person::{FundingRoute, NhsNumber, Person, SupportReason};
pub use provider::{
    Admission, AdmissionRoute, CharterStage, CqcLocationId, CqcRating, Provider, Service,
};
pub use roster::{Roster, RosterStatus, RosterStop, UnmadeVisit};
pub use skill::Skill;
pub use tier::{Tier, TierRules};
pub use unsocial::{bank_holidays, easter_sunday, is_bank_holiday, is_unsocial};
pub use validation::{FieldError, Invalid, parse_date, starts_like_a_formula};
pub use visit::{
    DatedVisit, Replan, Visit, VisitStatus, london, london_date, london_instant, replan,
    visits_between,
};
pub use worker::{CareWorker, EmploymentKind, TravelMode};
