//! Brokerage: from a referral to a started package, through reablement and the offer cascade.
//!
//! - [`Referral`]: who needs care, from where, what care, by when.
//! - [`ReablementPolicy`]: whether a referral goes to reablement first, and what an episode's
//!   outcome sends onward.
//! - [`CascadeRules`] and [`decide`]: the preset's ladder of offers per tier, and the pure state
//!   machine that, given the offers so far and the time, says what happens next.
//! - [`pickup`]: the pick-up clock and its distribution by area.
//! - [`capacity_week_of`]: the week a provider's capacity return belongs to.
//! - [`ReferralRecord`] and the records around it: where a referral stands, its [`Placement`],
//!   [`ReablementEpisode`], [`CapacityReturn`]s and [`Incentive`]s.

mod answer;
mod capacity;
mod cascade;
pub mod pickup;
mod reablement;
mod records;
mod referral;

pub use answer::{MAX_HOURLY_RATE, MAX_START_DAYS};
pub use capacity::{capacity_week_of, starts_a_capacity_week};
pub use cascade::{
    AwardRule, CascadeContext, CascadeRules, Decision, DeclineReason, Offer, OfferResponse, Step,
    StepKind, decide,
};
pub use reablement::{MAX_REABLEMENT_DAYS, ReablementOutcome, ReablementPolicy};
pub use records::{
    CapacityReturn, Incentive, Placement, ReablementEpisode, ReferralRecord, ReferralStatus,
};
pub use referral::{
    AccessRoute, MAX_DISCHARGE_DAYS, MAX_NEEDED_BY_DAYS, MAX_REFERRAL_AGE_DAYS, Needs, Referral,
    referral_funding,
};
