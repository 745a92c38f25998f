//! Brokerage's storage: [`BrokerageStore`], and what only the store needs around the records
//! (which live in `homeward_domain::brokerage`): how an answer went, where a new referral starts.

use crate::{Page, StoreError};
use async_trait::async_trait;
use homeward_domain::brokerage::{
    CapacityReturn, Incentive, Placement, ReablementEpisode, ReablementOutcome, Referral,
    ReferralRecord, ReferralStatus,
};
use homeward_domain::brokerage::{Offer, OfferResponse};
use homeward_domain::{CarePackage, Person};
use homeward_domain::{OfferId, ProviderId, ReferralId};
use jiff::Timestamp;
use jiff::civil::Date;

/// The outcome of answering an offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerOutcome {
    /// The answer was recorded.
    Recorded,
    /// The offer was already answered, expired, or is not this provider's: nothing changed.
    NotOpen,
}

/// Where a new referral starts ([`BrokerageStore::create_person_and_referral`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReferralStart {
    /// Standing at this status, with no episode (offering, as a rule).
    At(ReferralStatus),
    /// In reablement, its episode started in the same transaction.
    Reablement(ReablementEpisode),
}

/// Brokerage: referrals down their cascade of offers to a placement, reablement episodes,
/// capacity returns and early-start incentives.
#[async_trait]
pub trait BrokerageStore: Send + Sync + 'static {
    /// Stores a new referral with its status, recorded now (its `created_at`); audited as
    /// `create` (kind `referral`).
    ///
    /// A broken rule of [`Referral::validate`] is [`StoreError::Invalid`]; a taken id is
    /// [`StoreError::Duplicate`]; a person or area that is not stored is
    /// [`StoreError::MissingReference`].
    async fn create_referral(
        &self,
        referral: &Referral,
        status: ReferralStatus,
        actor: &str,
    ) -> Result<(), StoreError>;

    /// Stores a referral and, when `new_person` is given, the person it is for, in one
    /// transaction: both or neither, so that a refused referral leaves no person behind. The
    /// person is audited as `create` (kind `person`) before the referral's `create`; a referral
    /// starting in reablement stores its episode too, audited as the episode's `start`.
    ///
    /// A new person whose id is not the referral's `person_id`, or an episode that is not the
    /// referral's, is [`StoreError::Invalid`]; a person breaking the register's rules is
    /// [`StoreError::Invalid`] of kind `person`, a taken person id [`StoreError::Duplicate`] of
    /// kind `person`; the referral's errors are [`BrokerageStore::create_referral`]'s.
    async fn create_person_and_referral(
        &self,
        new_person: Option<&Person>,
        referral: &Referral,
        start: &ReferralStart,
        actor: &str,
    ) -> Result<(), StoreError>;

    /// A referral with where it stands.
    async fn referral(&self, id: &ReferralId) -> Result<Option<ReferralRecord>, StoreError>;

    /// Referrals, newest first (by `created_at`, then id, last first), optionally only those
    /// with `status`.
    async fn referrals(
        &self,
        status: Option<ReferralStatus>,
    ) -> Result<Vec<ReferralRecord>, StoreError>;

    /// `limit` referrals from `offset`, in [`BrokerageStore::referrals`]' order and optionally
    /// only those with `status`, and how many there are in all.
    async fn referrals_page(
        &self,
        status: Option<ReferralStatus>,
        offset: u64,
        limit: u64,
    ) -> Result<Page<ReferralRecord>, StoreError>;

    /// Moves a referral from `from` to `to` if it still stands at `from`; audited as `move`
    /// (kind `referral`, before and after). Returns false, changing and auditing nothing, when it
    /// has moved on already; a referral that is not stored is [`StoreError::NotFound`].
    ///
    /// The placement columns are left as they are: a referral moved away from `placed` shows no
    /// placement.
    async fn move_referral(
        &self,
        id: &ReferralId,
        from: ReferralStatus,
        to: ReferralStatus,
        actor: &str,
    ) -> Result<bool, StoreError>;

    /// Stores offers sent at one step of a referral's cascade, all or none; one audit event per
    /// offer (`create`, kind `offer`). A referral that is not stored is [`StoreError::NotFound`];
    /// a taken offer id or a provider that is not stored names the offer by its index.
    async fn create_offers(
        &self,
        offers: &[Offer],
        referral_id: &ReferralId,
        actor: &str,
    ) -> Result<(), StoreError>;

    /// Every offer of a referral, in the order sent: by `sent_at`, then step index, then
    /// provider id.
    async fn offers(&self, referral_id: &ReferralId) -> Result<Vec<Offer>, StoreError>;

    /// A provider's offers with their referrals, newest first (by `sent_at`); only unanswered
    /// ones when `open_only`, whether or not their deadline has passed.
    async fn provider_offers(
        &self,
        provider_id: &ProviderId,
        open_only: bool,
    ) -> Result<Vec<(Offer, ReferralRecord)>, StoreError>;

    /// One offer with its referral.
    async fn offer(
        &self,
        offer_id: &OfferId,
    ) -> Result<Option<(Offer, ReferralRecord)>, StoreError>;

    /// Records `provider_id`'s answer to an offer, if the offer is theirs, unanswered and its
    /// deadline is after `at` (at the deadline it has expired); audited as `answer` (kind
    /// `offer`, before and after). One conditional write decides, so of two answers racing,
    /// one is [`AnswerOutcome::Recorded`] and the other [`AnswerOutcome::NotOpen`], as is an
    /// offer that does not exist.
    async fn answer_offer(
        &self,
        offer_id: &OfferId,
        provider_id: &ProviderId,
        response: &OfferResponse,
        at: Timestamp,
        actor: &str,
    ) -> Result<AnswerOutcome, StoreError>;

    /// Places a referral that is still being offered: in one transaction, marks it placed with
    /// the placement, stores the package, and records the incentive if one is earned; audited as
    /// `place` (kind `referral`, before and after), then `create` of the package and of the
    /// incentive. Returns false, changing nothing, when the referral is no longer being offered
    /// (placed by a concurrent caller): exactly one placement wins.
    ///
    /// `placement.package_id` must be `package.id` and the incentive must be for `referral_id`,
    /// starting on the placement's first day
    /// ([`StoreError::Invalid`]); the package is checked as the register's own are, and a person
    /// or provider it names that is not stored is [`StoreError::MissingReference`] (nothing
    /// changes). A referral that is not stored is [`StoreError::NotFound`].
    async fn place_referral(
        &self,
        placement: &Placement,
        referral_id: &ReferralId,
        package: &CarePackage,
        incentive: Option<&Incentive>,
        actor: &str,
    ) -> Result<bool, StoreError>;

    /// Starts a reablement episode for a referral standing in reablement; audited as `start`
    /// (kind `reablement-episode`, named by the referral's id). A referral that is not stored is
    /// [`StoreError::NotFound`], one at another status [`StoreError::Invalid`], a second episode
    /// [`StoreError::Duplicate`].
    async fn start_reablement(
        &self,
        episode: &ReablementEpisode,
        actor: &str,
    ) -> Result<(), StoreError>;

    /// Ends a referral's open reablement episode with its outcome and onward referral (stored in
    /// the same transaction, status `offering`, when given); the first referral is closed.
    /// Audited as `create` of the onward referral, `end` of the episode and `close` of the first
    /// referral.
    ///
    /// No episode is [`StoreError::NotFound`] (kind `reablement-episode`); an episode that has
    /// ended already, or an end before its start, is [`StoreError::Invalid`] on `ended_on`.
    async fn end_reablement(
        &self,
        referral_id: &ReferralId,
        ended_on: Date,
        outcome: ReablementOutcome,
        onward: Option<&Referral>,
        actor: &str,
    ) -> Result<(), StoreError>;

    /// A referral's reablement episode, if it had one.
    async fn reablement_episode(
        &self,
        referral_id: &ReferralId,
    ) -> Result<Option<ReablementEpisode>, StoreError>;

    /// Stores a branch's capacity return, replacing its return for the same area and week;
    /// audited as `create` or `update` (kind `capacity-return`, named `branch/area/week`).
    ///
    /// `week_of` must be a Monday and `provider_id` the branch's provider
    /// ([`StoreError::Invalid`]); a branch or area that is not stored is
    /// [`StoreError::MissingReference`].
    async fn put_capacity_return(
        &self,
        capacity: &CapacityReturn,
        actor: &str,
    ) -> Result<(), StoreError>;

    /// The latest capacity return of each branch and area on or before the week of `week_of`.
    async fn capacity_returns(&self, week_of: Date) -> Result<Vec<CapacityReturn>, StoreError>;

    /// Every early-start incentive earned, by referral id.
    async fn incentives(&self) -> Result<Vec<Incentive>, StoreError>;
}
