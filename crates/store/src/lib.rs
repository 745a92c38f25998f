//! Persistence of the market register, of brokerage (referrals, offers, placements, reablement,
//! capacity returns, incentives), of dated visits and their call events, and of the accounts, sessions and API tokens that reach it and
//! the audit trail of changes to it, behind one interface, [`Store`], with two backends: SQLite
//! (a single file, the default) and PostgreSQL.
//!
//! Key points:
//! - Callers hold an `Arc<dyn Store>` from [`connect`] and never see SQL or sqlx types.
//! - Every write is one transaction: a batch is stored whole or not at all.
//! - Both backends run the same portable SQL and the same migrations (`migrations/`), and the same
//!   contract test suite (`tests/contract.rs`) runs against each.
//! - Values are stored as integers and text only, so both backends return identical records;
//!   instants are UTC text to the microsecond (`2026-11-25T09:30:00.123456Z`), which sorts as
//!   time does.
//! - Every audited write numbers its event one past the last, under a lock that lets one
//!   audited writer in at a time, so the trail has no gaps.
//! - Errors name the record at fault by kind, 0-based index in its batch and id ([`StoreError`]).
//! - [`testing::TestDatabase`] gives tests, here and in other crates, a real database of their own.

mod access;
pub mod baseline;
mod brokerage;
mod call_events;
mod checks;
mod connect;
mod error;
mod postgres;
mod record_kind;
mod sql;
mod sql_store;
mod sqlite;
pub mod testing;
mod violation;
mod visits;
// Payments (issue 6).
mod invoices;

pub use access::{
    AccessEvent, AccountSession, ApiToken, AuditEvent, AuditFilter, AuditPage, NewSession,
    PasswordChange, Session,
};
pub use brokerage::{
    AnswerOutcome, CapacityReturn, Incentive, Placement, ReablementEpisode, ReferralRecord,
    ReferralStatus,
};
pub use connect::connect;
pub use error::StoreError;
pub use record_kind::RecordKind;
pub use visits::{CallEventOutcome, RosterSummary, VisitChangeOutcome, VisitChanges, VisitFilter};
// Call-event ingestion (issue 6).
pub use call_events::{CallEventResult, CallTiming, SentCallEvent};
// Payments (issue 6).
pub use invoices::IssuedInvoice;

use async_trait::async_trait;
use homeward_domain::Correction;
use homeward_domain::EventKey;
use homeward_domain::InvoicePeriod;
use homeward_domain::brokerage::{Offer, OfferResponse, ReablementOutcome, Referral};
use homeward_domain::{
    Account, AccountId, Area, AreaDemand, AreaId, Award, Branch, BranchId, CallEvent, CarePackage,
    CareWorker, Contract, Council, Email, Market, OfferId, Person, Provider, ProviderId,
    ReferralId, Roster, RosterId, RosterStop, TokenId, Visit, VisitId, WorkerId,
};
use jiff::Timestamp;
use jiff::civil::Date;
use std::collections::HashSet;

/// Records of one kind, written together in one transaction.
#[derive(Debug, Clone, PartialEq)]
pub enum Records {
    /// The council (at most one is stored; writing replaces it).
    Council(Council),
    /// Areas.
    Areas(Vec<Area>),
    /// Providers.
    Providers(Vec<Provider>),
    /// Branches.
    Branches(Vec<Branch>),
    /// Lot awards.
    Awards(Vec<Award>),
    /// Contracts.
    Contracts(Vec<Contract>),
    /// People receiving care.
    People(Vec<Person>),
    /// Care packages.
    Packages(Vec<CarePackage>),
    /// Care workers.
    Workers(Vec<CareWorker>),
}

/// How many records of each kind the store holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RegisterCounts {
    /// Areas.
    pub areas: u64,
    /// Providers.
    pub providers: u64,
    /// Branches.
    pub branches: u64,
    /// Lot awards.
    pub awards: u64,
    /// Contracts.
    pub contracts: u64,
    /// People.
    pub people: u64,
    /// Packages.
    pub packages: u64,
    /// Care workers.
    pub workers: u64,
}

/// Which database a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// SQLite, one file.
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

/// The market register's storage.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Which database this is.
    fn backend(&self) -> Backend;

    /// Brings the schema up to date; safe to run again.
    async fn migrate(&self) -> Result<(), StoreError>;

    /// Replaces the whole register with `market` in one transaction; `actor` is audited.
    async fn replace_market(&self, market: &Market, actor: &str) -> Result<(), StoreError>;

    /// Inserts `records` in one transaction, after what is stored; on any failure nothing changes
    /// and the error names the record (its index in the batch) and the field.
    async fn insert(&self, records: Records, actor: &str) -> Result<(), StoreError>;

    /// The council, if one is stored.
    async fn council(&self) -> Result<Option<Council>, StoreError>;

    /// Areas, ordered by tier then name.
    async fn areas(&self) -> Result<Vec<Area>, StoreError>;

    /// Providers, ordered by id.
    async fn providers(&self) -> Result<Vec<Provider>, StoreError>;

    /// Branches, ordered by id.
    async fn branches(&self) -> Result<Vec<Branch>, StoreError>;

    /// Lot awards, ordered by id.
    async fn awards(&self) -> Result<Vec<Award>, StoreError>;

    /// Contracts, ordered by id.
    async fn contracts(&self) -> Result<Vec<Contract>, StoreError>;

    /// People, ordered by id.
    async fn people(&self) -> Result<Vec<Person>, StoreError>;

    /// Packages, ordered by id.
    async fn packages(&self) -> Result<Vec<CarePackage>, StoreError>;

    /// Care workers, ordered by id.
    async fn workers(&self) -> Result<Vec<CareWorker>, StoreError>;

    /// Each area's customers and weekly minutes from the packages running on `date`
    /// (started on or before it, not ended before it); areas without demand are absent.
    async fn area_demand(&self, date: Date) -> Result<Vec<(AreaId, AreaDemand)>, StoreError>;

    /// A number that grows with every audited write: the last audit sequence, 0 when none.
    /// Every change to the register is audited, so equal versions mean an unchanged register,
    /// which lets readers cache figures derived from it.
    async fn register_version(&self) -> Result<i64, StoreError>;

    /// How many records of each kind are stored.
    async fn counts(&self) -> Result<RegisterCounts, StoreError>;

    /// Stores a new account with its argon2id password hash; audited as `create` by `actor`,
    /// the event's `after` holding every stored field but the hash, and `created_at`, the time
    /// of storing.
    ///
    /// A broken rule of [`Account::validate`] is [`StoreError::Invalid`] (index 0). A taken
    /// email is [`StoreError::Duplicate`] whose `id` is the email address; a taken account id
    /// is one whose `id` is the account id.
    async fn create_account(
        &self,
        account: &Account,
        password_hash: &str,
        actor: &str,
    ) -> Result<(), StoreError>;

    /// Stores `account` under its id: creates it, or replaces its email, name, role, scope,
    /// state and password hash; audited as `create` or `update` (never with the hash).
    async fn put_account(
        &self,
        account: &Account,
        password_hash: &str,
        actor: &str,
    ) -> Result<(), StoreError>;

    /// The account with this id.
    async fn account(&self, id: &AccountId) -> Result<Option<Account>, StoreError>;

    /// The account with this email and its password hash, for signing in.
    async fn account_for_sign_in(
        &self,
        email: &Email,
    ) -> Result<Option<(Account, String)>, StoreError>;

    /// Every account, ordered by email.
    async fn accounts(&self) -> Result<Vec<Account>, StoreError>;

    /// Stores a new session: a sign-in from `client` (its address, kept with the session; its
    /// `last_seen_at` is its `created_at`), audited in the same
    /// transaction as `sign-in` of the account by the account, the event's `after` holding the
    /// client and never the token or its hash. Errors name the session by its account id, never
    /// by its token hash; an account that does not exist is [`StoreError::MissingReference`].
    async fn create_session(&self, session: &NewSession, client: &str) -> Result<(), StoreError>;

    /// The session with this token hash, if it has not expired by `now` and its account is
    /// not disabled.
    async fn session(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<Option<Session>, StoreError>;

    /// Notes that the session with this token hash was used at `at`: its `last_seen_at` moves
    /// on to `at`, never back. Bookkeeping, not a change of record: not audited, and written
    /// outside the audited writers' turn.
    async fn touch_session(&self, token_hash: &str, at: Timestamp) -> Result<(), StoreError>;

    /// The account's sessions that have not expired by `now`, last used first (idle ones
    /// included: the caller knows how long a session may stay unused).
    async fn account_sessions(
        &self,
        account_id: &AccountId,
        now: Timestamp,
    ) -> Result<Vec<AccountSession>, StoreError>;

    /// Ends every session of `account_id` but the one with `kept_hash`, in one transaction with
    /// an `end-other-sessions` event of the account by the account, whose `after` holds the
    /// client and how many were ended; returns how many. When there were none, nothing is
    /// written or audited.
    async fn end_other_sessions(
        &self,
        account_id: &AccountId,
        kept_hash: &str,
        client: &str,
    ) -> Result<u64, StoreError>;

    /// Ends a session: a sign-out from `client`, audited in the same transaction as `sign-out`
    /// of the session's account by the account. Ending one that does not exist is not an error
    /// and is not audited.
    async fn delete_session(&self, token_hash: &str, client: &str) -> Result<(), StoreError>;

    /// Changes an account's password, in one transaction: stores `change.password_hash` for
    /// `change.rotated.account_id`, ends every session of the account (the one it was changed
    /// from, `change.from_session_hash`, included) and starts `change.rotated` in place of that
    /// one, with a `password-change` event of the account by the account whose `after` holds
    /// the client and how many other sessions were ended, never a password, hash or token.
    /// Returns how many other sessions were ended. An account that does not exist is
    /// [`StoreError::NotFound`], and nothing is written.
    async fn change_password(
        &self,
        change: &PasswordChange,
        client: &str,
    ) -> Result<u64, StoreError>;

    /// Stores a new API token by the hash of its secret; audited as `create` by `actor`, the
    /// event's `after` holding every stored field but the hash. A taken id or hash is
    /// [`StoreError::Duplicate`], an account that does not exist
    /// [`StoreError::MissingReference`].
    async fn create_api_token(
        &self,
        token: &ApiToken,
        token_hash: &str,
        actor: &str,
    ) -> Result<(), StoreError>;

    /// An account's API tokens, newest first, revoked ones included.
    async fn api_tokens(&self, account_id: &AccountId) -> Result<Vec<ApiToken>, StoreError>;

    /// The live token with this secret hash and its account: not revoked, not expired by `now`
    /// (it works until just before its `expires_at`), account not disabled.
    async fn api_token_account(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<Option<(ApiToken, Account)>, StoreError>;

    /// Revokes one of `account_id`'s tokens at `at`; audited as `revoke` by `actor`. Returns
    /// false when the account has no such live token.
    async fn revoke_api_token(
        &self,
        id: &TokenId,
        account_id: &AccountId,
        at: Timestamp,
        actor: &str,
    ) -> Result<bool, StoreError>;

    // Sign-in's audit trail: attempts that start no session.

    /// Audits a failed sign-in or a lock-out, in a transaction of its own: actor `client` and
    /// the client's address, action `sign-in-failed` or `lock-out`, kind `account` with the
    /// account's id when there is one; `after` holds the client (and for a lock-out what is
    /// locked and for how long), never a password or an email address.
    async fn record_access_event(&self, event: &AccessEvent) -> Result<(), StoreError>;

    /// Replaces a stored area with `area` (same id), in one transaction with an audit event
    /// holding the area's stored columns before and after. `area` is checked first
    /// ([`StoreError::Invalid`], index 0); a missing area is [`StoreError::NotFound`]. An area
    /// stored as it is already changes nothing and is not audited.
    async fn update_area(&self, area: &Area, actor: &str) -> Result<(), StoreError>;

    /// Audit events matching `filter`, newest first (by sequence), `limit` from `offset`, with
    /// the total that match. `limit` is capped at 500; 0 gives no events, only the total.
    async fn audit_events(
        &self,
        filter: &AuditFilter,
        offset: u64,
        limit: u64,
    ) -> Result<AuditPage, StoreError>;

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

    /// A referral with where it stands.
    async fn referral(&self, id: &ReferralId) -> Result<Option<ReferralRecord>, StoreError>;

    /// Referrals, newest first (by `created_at`, then id, last first), optionally only those
    /// with `status`.
    async fn referrals(
        &self,
        status: Option<ReferralStatus>,
    ) -> Result<Vec<ReferralRecord>, StoreError>;

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

    /// Stores a new referral standing in reablement and starts its episode, in one transaction:
    /// both or neither. The episode must be the referral's ([`StoreError::Invalid`] naming
    /// `referral_id` otherwise); audited as the referral's `create` and the episode's `start`.
    async fn refer_to_reablement(
        &self,
        referral: &Referral,
        episode: &ReablementEpisode,
        actor: &str,
    ) -> Result<(), StoreError>;

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

    // Dated visits (`migrations/0004_visits.sql`).

    /// The visits `filter` picks, in order of start.
    async fn visits(&self, filter: &VisitFilter) -> Result<Vec<Visit>, StoreError>;

    /// One visit, if stored.
    async fn visit(&self, id: &VisitId) -> Result<Option<Visit>, StoreError>;

    /// Cancels and adds visits in one transaction, audited as one event. Only planned visits
    /// that start at or after `now` are cancelled: history is never rewritten. Every visit
    /// added must be planned and start at or after `now`; a package has one planned visit at
    /// most at a local date and time.
    async fn change_visits(
        &self,
        changes: &VisitChanges,
        now: Timestamp,
        actor: &str,
    ) -> Result<VisitChangeOutcome, StoreError>;

    /// Stores a check-in or check-out once per idempotency key, audited, received at
    /// `received_at`. Keys are the provider's own: an event's key is looked up among the events
    /// of its visit's provider, and the audit trail names it `provider/key`. The same event
    /// again is [`CallEventOutcome::AlreadyStored`]; another event with a key already used is
    /// [`StoreError::Duplicate`]; an unknown visit or worker is
    /// [`StoreError::MissingReference`]; a new event for a visit on an issued invoice is
    /// [`StoreError::Locked`] (checked under the writer lock that issuing takes too).
    async fn record_call_event(
        &self,
        event: &CallEvent,
        received_at: Timestamp,
        actor: &str,
    ) -> Result<CallEventOutcome, StoreError>;

    /// A visit's check-ins and check-outs, in the order they happened.
    async fn call_events(&self, visit_id: &VisitId) -> Result<Vec<CallEvent>, StoreError>;

    /// The check-ins and check-outs of the visits `filter` picks, in the order they happened.
    async fn call_events_of(&self, filter: &VisitFilter) -> Result<Vec<CallEvent>, StoreError>;

    /// The timing of the same events as [`Store::call_events_of`], in the same order, without
    /// what reckonings over many visits do not need.
    async fn call_timings_of(&self, filter: &VisitFilter) -> Result<Vec<CallTiming>, StoreError>;

    // Rosters (`migrations/0007_rosters.sql`).

    /// Stores `roster` whole under its id — replacing its stops and unmade visits if it was
    /// stored before — in one transaction, audited as `action` (`plan`, `move`, `publish`)
    /// with the stops before and after.
    ///
    /// Broken rules of [`Roster::validate`] are [`StoreError::Invalid`]; another roster stored
    /// for the same branch and date, or a visit part already on another roster, is
    /// [`StoreError::Duplicate`] (named `branch/date`, or `visit part N`); a branch, visit or
    /// worker that is not stored is [`StoreError::MissingReference`].
    async fn save_roster(
        &self,
        roster: &Roster,
        action: &str,
        actor: &str,
    ) -> Result<(), StoreError>;

    /// The roster with this id, with its stops and unmade visits.
    async fn roster(&self, id: &RosterId) -> Result<Option<Roster>, StoreError>;

    /// A branch's roster for a local date, with its stops and unmade visits.
    async fn branch_roster(
        &self,
        branch: &BranchId,
        date: Date,
    ) -> Result<Option<Roster>, StoreError>;

    /// A branch's rosters dated `from` to `until`, by date, without their stops.
    async fn branch_rosters(
        &self,
        branch: &BranchId,
        from: Date,
        until: Date,
    ) -> Result<Vec<RosterSummary>, StoreError>;

    /// A care worker's stops on rosters dated `from` to `until`, in order of start; only those
    /// of published rosters when `published_only`.
    async fn worker_stops(
        &self,
        worker: &WorkerId,
        from: Date,
        until: Date,
        published_only: bool,
    ) -> Result<Vec<RosterStop>, StoreError>;

    /// The stops of the visits `filter` picks, by worker and start: on any roster, or only on
    /// published ones when `published_only`.
    async fn roster_stops_of(
        &self,
        filter: &VisitFilter,
        published_only: bool,
    ) -> Result<Vec<RosterStop>, StoreError>;
    // Call-event ingestion (issue 6): lookups by id for the scope checks, and many events
    // stored in one transaction (group commit).

    /// One care worker, if stored.
    async fn worker(&self, id: &WorkerId) -> Result<Option<CareWorker>, StoreError>;

    /// One branch, if stored.
    async fn branch(&self, id: &BranchId) -> Result<Option<Branch>, StoreError>;

    /// One care worker and the provider of their branch, in one lookup (the scope check of
    /// every call event needs both).
    async fn worker_with_provider(
        &self,
        id: &WorkerId,
    ) -> Result<Option<(CareWorker, ProviderId)>, StoreError>;

    /// Stores many check-ins and check-outs in ONE transaction, received at `received_at`,
    /// each with its own audit event (`create`, kind `call-event`, by its sender) and its own
    /// outcome, in the order sent: one event refused does not stop the others. Each is taken as
    /// [`Store::record_call_event`] takes one; a key repeated within the batch is taken once,
    /// its repeats being [`CallEventOutcome::AlreadyStored`] (received at `received_at`) when
    /// they are the same event and [`StoreError::Duplicate`] when not.
    ///
    /// The outer error is the database failing: then nothing of the batch is stored. When this
    /// returns, the batch is committed as durably as the backend is set to keep it (see
    /// ARCHITECTURE.md: SQLite `synchronous = FULL` in WAL, PostgreSQL `synchronous_commit`
    /// on).
    async fn record_call_events(
        &self,
        events: &[SentCallEvent],
        received_at: Timestamp,
    ) -> Result<Vec<CallEventResult>, StoreError>;
    // Payments: issued invoices (`migrations/0008_payments.sql`).

    /// Stores an issued invoice with its lines in one transaction, audited as `issue` (kind
    /// `invoice`, the header's columns after: provider, period, issued at and by, line count
    /// and total). A second invoice for the same provider and period is
    /// [`StoreError::Duplicate`] whose id is `provider/period-start`, and so is a line whose
    /// visit is on an issued invoice already (its id the visit's); an invoice breaking
    /// [`homeward_domain::Invoice::validate`] is [`StoreError::Invalid`]; a provider, contract,
    /// visit, person or referral that is not stored is [`StoreError::MissingReference`] naming
    /// the line by its index. On any failure nothing is stored.
    async fn issue_invoice(&self, invoice: &IssuedInvoice, actor: &str) -> Result<(), StoreError>;

    /// The invoice issued to `provider_id` for `period`, with its lines in order.
    async fn issued_invoice(
        &self,
        provider_id: &ProviderId,
        period: &InvoicePeriod,
    ) -> Result<Option<IssuedInvoice>, StoreError>;

    /// Every invoice issued for `period`, by provider id, each with its lines in order.
    async fn issued_invoices(
        &self,
        period: &InvoicePeriod,
    ) -> Result<Vec<IssuedInvoice>, StoreError>;

    /// Which of `visits` are on an issued invoice: once invoiced, a visit's times are locked.
    async fn invoiced_visits(&self, visits: &[VisitId]) -> Result<HashSet<VisitId>, StoreError>;

    // Manual corrections of call monitoring (`migrations/0009_corrections.sql`).

    /// Stores a coordinator's correction of a visit's times in one transaction, audited as
    /// `correct` (kind `correction`) with the times it replaces as `before`: the visit's
    /// standing correction's stored columns, or without one its first check-in's and last
    /// check-out's times (`visit_id`, `check_in_at`, `check_out_at`, null when none). Broken rules of [`Correction::validate`] are
    /// [`StoreError::Invalid`]; a visit on an issued invoice is [`StoreError::Locked`] and
    /// nothing changes; a visit that is not stored is [`StoreError::MissingReference`].
    async fn correct_visit(&self, correction: &Correction, actor: &str) -> Result<(), StoreError>;

    /// Every correction of the visits `filter` picks, by visit, oldest first (the last of a
    /// visit is the one that stands).
    async fn corrections_of(&self, filter: &VisitFilter) -> Result<Vec<Correction>, StoreError>;

    /// Imports past check-ins and check-outs in bulk, each received at the time given with it,
    /// in one transaction with one audit event (`import`, kind `call-events`): for a history
    /// made elsewhere (the demo's). A key already stored, or twice in the batch, in the key
    /// space of its visit's provider is [`StoreError::Duplicate`]; a visit or worker not stored
    /// is [`StoreError::MissingReference`]; a visit on an issued invoice is
    /// [`StoreError::Locked`]; nothing is stored then. Returns how many were stored.
    async fn import_call_events(
        &self,
        events: &[(CallEvent, Timestamp)],
        actor: &str,
    ) -> Result<usize, StoreError>;

    // Call events taken only for rostered care, in each provider's key space
    // (`migrations/0010_call_event_keys_per_provider.sql`).

    /// One visit, if stored, with its stops (any part) on published rosters: the care workers
    /// given it to make, whose check-ins and check-outs alone are taken. One lookup, since
    /// every call event's checks need both.
    async fn visit_with_published_stops(
        &self,
        id: &VisitId,
    ) -> Result<Option<(Visit, Vec<RosterStop>)>, StoreError>;

    /// The event stored under `key` in `provider`'s key space (the events of its visits), and
    /// when it was received: what a sender's retry of it is answered with.
    async fn stored_call_event(
        &self,
        provider: &ProviderId,
        key: &EventKey,
    ) -> Result<Option<(CallEvent, Timestamp)>, StoreError>;
}
