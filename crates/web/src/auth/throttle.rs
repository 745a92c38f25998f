//! Sign-in throttling, by client address and by account, so that guessing is slow from any one
//! place and a lock-out is no weapon against an account's owner.
//!
//! Failed sign-ins are counted three ways, each count lasting until 15 minutes pass without a
//! failure (or its lock ends):
//! - per account and client: 5 failures lock that client out of that account for 15 minutes;
//! - per client, whatever the accounts: from 10 failures on, the client waits between attempts
//!   (30 seconds, doubling with each further failure up to 8 minutes, so that waiting never
//!   outlasts the count), and at 20 it is refused for 15 minutes;
//! - per account, whatever the clients: at 10 failures the account is locked for 15 minutes,
//!   but only to clients that have failed themselves within their window.
//!
//! So (a) one client trying many addresses is slowed, then refused, and (b) no failures from
//! elsewhere keep an account's owner out when they sign in from a client that has not failed.
//! A refused attempt checks no password and counts as no failure. Success forgets that client's
//! failures on that account only: signing in to an account of its own must not let a client
//! guess on. Counts are kept in memory: a restart forgets them, which suits one server.
//!
//! An IPv6 client is counted by its /64, the block one subscriber is given, so that it cannot
//! step to a fresh address for each guess.
//!
//! Memory is bounded: counts that no longer count are swept away once a minute, an account is
//! kept by the SHA-256 of its key (whatever length was typed), and each of the three tables
//! holds at most [`CAPACITY`] entries. When a failure would need a new entry in a full table,
//! the attempt is refused as throttled before any password is checked: forgetting counts to
//! make room would lift lock-outs, which is what a flood of failures from many addresses would
//! be after. Clients already counted go on as before, and room comes back as counts expire.

use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long failures count after the last, and how long a lock lasts.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Failures of one client on one account that lock it out of the account.
const PAIR_LIMIT: u32 = 5;
/// Failures of one client after which it waits between attempts.
const CLIENT_SLOW_AFTER: u32 = 10;
/// Failures of one client that refuse it everything.
const CLIENT_LIMIT: u32 = 20;
/// Failures on one account, from any clients, that lock it to clients that have failed.
const ACCOUNT_LIMIT: u32 = 10;
/// The first wait of a slowed client; each further failure doubles it.
const FIRST_WAIT: Duration = Duration::from_secs(30);
/// The longest wait of a slowed client: shorter than [`WINDOW`], so its count stays.
const LONGEST_WAIT: Duration = Duration::from_secs(8 * 60);
/// How often forgotten counts are swept away.
const SWEEP_EVERY: Duration = Duration::from_secs(60);
/// The most entries each table holds: some ten megabytes each at most, and far more clients
/// failing within fifteen minutes than one council's service sees.
pub const CAPACITY: usize = 100_000;
/// How long a client is told to wait when there is no room to count it: until the next sweep.
const FULL_WAIT: Duration = SWEEP_EVERY;

/// What one failure locked, for the audit trail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lock {
    /// This client, for this account.
    ClientOnAccount,
    /// This client, for every account.
    Client,
    /// This account, for every client that has failed.
    Account,
}

impl Lock {
    /// What is locked, in words.
    pub fn describe(self) -> &'static str {
        match self {
            Lock::ClientOnAccount => "this client for this account",
            Lock::Client => "this client for every account",
            Lock::Account => "this account for every client that has failed",
        }
    }
}

/// Failures counted under one key.
#[derive(Debug, Clone, Copy)]
struct Tally {
    count: u32,
    last: Instant,
    locked_until: Option<Instant>,
}

impl Tally {
    fn new(now: Instant) -> Tally {
        Tally {
            count: 0,
            last: now,
            locked_until: None,
        }
    }

    /// Whether the tally still counts at `now`: within the window after its last failure, or
    /// locked.
    fn live(&self, now: Instant) -> bool {
        self.locked_until.is_some_and(|until| now < until) || now - self.last < WINDOW
    }

    /// Failures that count at `now`.
    fn count(&self, now: Instant) -> u32 {
        if self.live(now) { self.count } else { 0 }
    }

    /// How long until the lock ends, if locked at `now`.
    fn locked(&self, now: Instant) -> Option<Duration> {
        self.locked_until
            .filter(|until| now < *until)
            .map(|until| until - now)
    }

    /// Counts a failure at `now`; locks, and says so, when it reaches `limit`.
    fn fail(&mut self, now: Instant, limit: u32) -> bool {
        if !self.live(now) {
            *self = Tally::new(now);
        }
        self.count += 1;
        self.last = now;
        if self.count == limit {
            self.locked_until = Some(now + WINDOW);
            true
        } else {
            false
        }
    }
}

/// A client as counted: an IPv4 address, or an IPv6 address's /64.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct ClientKey(IpAddr);

impl ClientKey {
    fn of(address: IpAddr) -> ClientKey {
        match address {
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => ClientKey(IpAddr::V4(v4)),
                None => ClientKey(IpAddr::V6((u128::from(v6) & !u128::from(u64::MAX)).into())),
            },
            v4 => ClientKey(v4),
        }
    }
}

/// An account as counted: the SHA-256 of its key, so that an entry's size never depends on
/// what was typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct AccountKey([u8; 32]);

impl AccountKey {
    fn of(account: &str) -> AccountKey {
        AccountKey(Sha256::digest(account.as_bytes()).into())
    }
}

#[derive(Default)]
struct Tallies {
    pairs: HashMap<(AccountKey, ClientKey), Tally>,
    clients: HashMap<ClientKey, Tally>,
    accounts: HashMap<AccountKey, Tally>,
    swept: Option<Instant>,
}

impl Tallies {
    /// Forgets tallies that no longer count, at most once every [`SWEEP_EVERY`].
    fn sweep(&mut self, now: Instant, capacity: usize) {
        if self.swept.is_some_and(|swept| now - swept < SWEEP_EVERY) {
            return;
        }
        self.pairs.retain(|_, tally| tally.live(now));
        self.clients.retain(|_, tally| tally.live(now));
        self.accounts.retain(|_, tally| tally.live(now));
        self.swept = Some(now);
        if self
            .pairs
            .len()
            .max(self.clients.len())
            .max(self.accounts.len())
            >= capacity
        {
            tracing::warn!("sign-in throttle is full: clients not yet counted are refused for now");
        }
    }

    /// Whether a failure of `client` on `account` could be counted: each table either has its
    /// entry already or has room for one.
    fn room_for(&self, account: AccountKey, client: ClientKey, capacity: usize) -> bool {
        (self.pairs.len() < capacity || self.pairs.contains_key(&(account, client)))
            && (self.clients.len() < capacity || self.clients.contains_key(&client))
            && (self.accounts.len() < capacity || self.accounts.contains_key(&account))
    }
}

/// Failed sign-ins, counted by account (the email address as typed, trimmed and in lower case,
/// whether or not it has an account) and by client.
pub struct Throttle {
    tallies: Mutex<Tallies>,
    capacity: usize,
}

impl Default for Throttle {
    fn default() -> Throttle {
        Throttle::with_capacity(CAPACITY)
    }
}

/// Counts a failure at `now` in `table`'s entry for `key`, if it has one or room for one;
/// says whether the failure locked.
fn fail_in<K: Eq + std::hash::Hash>(
    table: &mut HashMap<K, Tally>,
    key: K,
    now: Instant,
    limit: u32,
    capacity: usize,
) -> bool {
    if table.len() >= capacity && !table.contains_key(&key) {
        // Only when another request took the last room since this one was checked.
        return false;
    }
    table
        .entry(key)
        .or_insert_with(|| Tally::new(now))
        .fail(now, limit)
}

impl Throttle {
    /// A throttle whose tables hold at most `capacity` entries each.
    pub fn with_capacity(capacity: usize) -> Throttle {
        Throttle {
            tallies: Mutex::new(Tallies::default()),
            capacity: capacity.max(1),
        }
    }

    fn tallies(&self) -> std::sync::MutexGuard<'_, Tallies> {
        self.tallies
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Whether `client` may try to sign in to `account` at `now`; if not, how long it must wait.
    pub fn check(&self, account: &str, client: IpAddr, now: Instant) -> Result<(), Duration> {
        let client = ClientKey::of(client);
        let account = AccountKey::of(account);
        let mut tallies = self.tallies();
        tallies.sweep(now, self.capacity);
        let mut wait = Duration::ZERO;
        if !tallies.room_for(account, client, self.capacity) {
            wait = FULL_WAIT;
        }
        let client_tally = tallies.clients.get(&client);
        if let Some(tally) = client_tally {
            if let Some(left) = tally.locked(now) {
                wait = wait.max(left);
            } else if tally.count(now) >= CLIENT_SLOW_AFTER {
                let doublings = (tally.count(now) - CLIENT_SLOW_AFTER).min(8);
                let due = tally.last + (FIRST_WAIT * 2u32.pow(doublings)).min(LONGEST_WAIT);
                wait = wait.max(due.saturating_duration_since(now));
            }
        }
        if let Some(left) = tallies
            .pairs
            .get(&(account, client))
            .and_then(|tally| tally.locked(now))
        {
            wait = wait.max(left);
        }
        let client_has_failed = client_tally.is_some_and(|tally| tally.count(now) > 0);
        if client_has_failed
            && let Some(left) = tallies
                .accounts
                .get(&account)
                .and_then(|tally| tally.locked(now))
        {
            wait = wait.max(left);
        }
        if wait.is_zero() { Ok(()) } else { Err(wait) }
    }

    /// Counts a failure by `client` on `account` at `now`; returns what it locked.
    pub fn fail(&self, account: &str, client: IpAddr, now: Instant) -> Vec<Lock> {
        let client = ClientKey::of(client);
        let account = AccountKey::of(account);
        let capacity = self.capacity;
        let mut tallies = self.tallies();
        tallies.sweep(now, capacity);
        let mut locked = Vec::new();
        if fail_in(
            &mut tallies.pairs,
            (account, client),
            now,
            PAIR_LIMIT,
            capacity,
        ) {
            locked.push(Lock::ClientOnAccount);
        }
        if fail_in(&mut tallies.clients, client, now, CLIENT_LIMIT, capacity) {
            locked.push(Lock::Client);
        }
        if fail_in(&mut tallies.accounts, account, now, ACCOUNT_LIMIT, capacity) {
            locked.push(Lock::Account);
        }
        locked
    }

    /// Forgets `client`'s failures on `account` after it signed in to it.
    pub fn succeed(&self, account: &str, client: IpAddr) {
        self.tallies()
            .pairs
            .remove(&(AccountKey::of(account), ClientKey::of(client)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALICE: &str = "alice@example.org";
    const BOB: &str = "bob@example.org";

    fn client(address: &str) -> IpAddr {
        address.parse().unwrap()
    }

    #[test]
    fn five_failures_lock_that_client_out_of_that_account_for_fifteen_minutes() {
        let throttle = Throttle::default();
        let (attacker, owner) = (client("203.0.113.9"), client("198.51.100.4"));
        let start = Instant::now();
        for _ in 0..4 {
            assert!(throttle.fail(ALICE, attacker, start).is_empty());
        }
        assert_eq!(throttle.check(ALICE, attacker, start), Ok(()));
        assert_eq!(
            throttle.fail(ALICE, attacker, start),
            [Lock::ClientOnAccount]
        );
        assert_eq!(throttle.check(ALICE, attacker, start), Err(WINDOW));
        let later = start + Duration::from_secs(60);
        assert_eq!(
            throttle.check(ALICE, attacker, later),
            Err(WINDOW - Duration::from_secs(60))
        );
        // The owner, from a client that has not failed, is not locked out.
        assert_eq!(throttle.check(ALICE, owner, later), Ok(()));
        // The attacker may still try other accounts, until its own limits.
        assert_eq!(throttle.check(BOB, attacker, later), Ok(()));
        assert_eq!(throttle.check(ALICE, attacker, start + WINDOW), Ok(()));
    }

    #[test]
    fn the_lock_runs_from_the_failure_that_locked() {
        let throttle = Throttle::default();
        let attacker = client("203.0.113.9");
        let start = Instant::now();
        throttle.fail(ALICE, attacker, start);
        let fourteen = start + Duration::from_secs(14 * 60);
        for _ in 0..4 {
            throttle.fail(ALICE, attacker, fourteen);
        }
        assert_eq!(
            throttle.check(ALICE, attacker, start + WINDOW),
            Err(Duration::from_secs(14 * 60))
        );
        // Failures further apart than the window never add up.
        let throttle = Throttle::default();
        for gap in 0..10 {
            let at = start + Duration::from_secs(gap * 16 * 60);
            assert!(throttle.fail(ALICE, attacker, at).is_empty());
            assert_eq!(throttle.check(ALICE, attacker, at), Ok(()));
        }
    }

    #[test]
    fn one_client_trying_many_accounts_is_slowed_then_refused() {
        let throttle = Throttle::default();
        let guesser = client("203.0.113.9");
        let mut now = Instant::now();
        for guess in 0..CLIENT_SLOW_AFTER {
            let account = format!("guess{guess}@example.org");
            assert_eq!(throttle.check(&account, guesser, now), Ok(()));
            throttle.fail(&account, guesser, now);
        }
        // Slowed: 30 seconds after the tenth failure, then 60, 120, … up to 8 minutes.
        let mut wait = FIRST_WAIT;
        for guess in CLIENT_SLOW_AFTER..CLIENT_LIMIT {
            let account = format!("guess{guess}@example.org");
            assert_eq!(throttle.check(&account, guesser, now), Err(wait), "{guess}");
            assert_eq!(
                throttle.check(ALICE, guesser, now),
                Err(wait),
                "whatever the account"
            );
            now += wait;
            assert_eq!(throttle.check(&account, guesser, now), Ok(()));
            let locked = throttle.fail(&account, guesser, now);
            assert_eq!(locked.contains(&Lock::Client), guess + 1 == CLIENT_LIMIT);
            wait = (wait * 2).min(LONGEST_WAIT);
        }
        // Refused, whatever the wait so far, for 15 minutes from the twentieth failure.
        assert_eq!(throttle.check(BOB, guesser, now), Err(WINDOW));
        assert_eq!(
            throttle.check(BOB, guesser, now + WINDOW - Duration::from_secs(1)),
            Err(Duration::from_secs(1))
        );
        assert_eq!(throttle.check(BOB, guesser, now + WINDOW), Ok(()));
        // Others are not slowed.
        assert_eq!(throttle.check(BOB, client("198.51.100.4"), now), Ok(()));
    }

    #[test]
    fn many_clients_lock_an_account_only_to_clients_that_have_failed() {
        let throttle = Throttle::default();
        let now = Instant::now();
        for attacker in 1..=ACCOUNT_LIMIT {
            let locked = throttle.fail(ALICE, client(&format!("203.0.113.{attacker}")), now);
            assert_eq!(locked.contains(&Lock::Account), attacker == ACCOUNT_LIMIT);
        }
        // Each attacker, and any client that has failed anywhere, is refused on the account.
        assert_eq!(
            throttle.check(ALICE, client("203.0.113.1"), now),
            Err(WINDOW)
        );
        throttle.fail(BOB, client("192.0.2.50"), now);
        assert_eq!(
            throttle.check(ALICE, client("192.0.2.50"), now),
            Err(WINDOW)
        );
        // The owner, on a client that has not failed, signs in.
        assert_eq!(throttle.check(ALICE, client("198.51.100.4"), now), Ok(()));
        // And other accounts are untouched.
        assert_eq!(throttle.check(BOB, client("203.0.113.1"), now), Ok(()));
    }

    #[test]
    fn success_forgets_only_that_clients_failures_on_that_account() {
        let throttle = Throttle::default();
        let guesser = client("203.0.113.9");
        let now = Instant::now();
        for guess in 0..CLIENT_SLOW_AFTER - 1 {
            throttle.fail(&format!("guess{guess}@example.org"), guesser, now);
        }
        for _ in 0..PAIR_LIMIT - 1 {
            throttle.fail(ALICE, client("198.51.100.4"), now);
        }
        throttle.succeed(ALICE, client("198.51.100.4"));
        throttle.fail(ALICE, client("198.51.100.4"), now);
        assert_eq!(throttle.check(ALICE, client("198.51.100.4"), now), Ok(()));
        // Signing in to its own account does not let a guessing client guess on.
        throttle.succeed(BOB, guesser);
        throttle.fail("guess-last@example.org", guesser, now);
        assert_eq!(throttle.check(BOB, guesser, now), Err(FIRST_WAIT));
    }

    #[test]
    fn an_ipv6_client_is_counted_by_its_slash_64() {
        let throttle = Throttle::default();
        let now = Instant::now();
        for host in 1..=PAIR_LIMIT {
            throttle.fail(ALICE, client(&format!("2001:db8:1:2::{host}")), now);
        }
        assert_eq!(
            throttle.check(ALICE, client("2001:db8:1:2:ffff::1"), now),
            Err(WINDOW)
        );
        assert_eq!(
            throttle.check(ALICE, client("2001:db8:1:3::1"), now),
            Ok(())
        );
        // IPv4 carried in IPv6 is the IPv4 client.
        for _ in 0..PAIR_LIMIT {
            throttle.fail(BOB, client("::ffff:192.0.2.1"), now);
        }
        assert_eq!(throttle.check(BOB, client("192.0.2.1"), now), Err(WINDOW));
    }

    #[test]
    fn forgotten_counts_are_swept_away() {
        let throttle = Throttle::default();
        let start = Instant::now();
        for guess in 0..50 {
            throttle.fail(
                &format!("guess{guess}@example.org"),
                client("203.0.113.9"),
                start,
            );
        }
        let later = start + WINDOW + WINDOW;
        throttle.fail(ALICE, client("198.51.100.4"), later);
        let tallies = throttle.tallies();
        assert_eq!(
            (
                tallies.pairs.len(),
                tallies.clients.len(),
                tallies.accounts.len()
            ),
            (1, 1, 1)
        );
    }

    #[test]
    fn a_full_throttle_refuses_new_clients_and_keeps_its_lock_outs() {
        let throttle = Throttle::with_capacity(3);
        let start = Instant::now();
        let (first, second, third) = (
            client("203.0.113.1"),
            client("203.0.113.2"),
            client("203.0.113.3"),
        );
        for _ in 0..PAIR_LIMIT {
            throttle.fail(ALICE, first, start);
        }
        throttle.fail(BOB, second, start);
        throttle.fail("carol@example.org", third, start);
        // Every table is full: a client not yet counted is refused, before any password.
        let newcomer = client("198.51.100.4");
        assert_eq!(throttle.check(BOB, newcomer, start), Err(FULL_WAIT));
        assert!(throttle.fail(BOB, newcomer, start).is_empty());
        {
            let tallies = throttle.tallies();
            assert_eq!(
                tallies.clients.len(),
                3,
                "nothing was forgotten to make room"
            );
            assert!(!tallies.clients.contains_key(&ClientKey::of(newcomer)));
        }
        // The lock-out stands, and a counted client on its own account goes on.
        assert_eq!(throttle.check(ALICE, first, start), Err(WINDOW));
        assert_eq!(throttle.check(BOB, second, start), Ok(()));
        // Once the counts expire and are swept, there is room again.
        let later = start + WINDOW + SWEEP_EVERY;
        assert_eq!(throttle.check(BOB, newcomer, later), Ok(()));
    }

    #[test]
    fn an_account_is_kept_by_a_fixed_size_key_whatever_was_typed() {
        let throttle = Throttle::default();
        let now = Instant::now();
        let typed = "a".repeat(1_000_000);
        for _ in 0..PAIR_LIMIT {
            throttle.fail(&typed, client("203.0.113.9"), now);
        }
        assert_eq!(
            throttle.check(&typed, client("203.0.113.9"), now),
            Err(WINDOW)
        );
        assert_eq!(
            std::mem::size_of::<AccountKey>(),
            32,
            "an account's entry never holds what was typed"
        );
    }
}
