//! A real server on a free port over a real database with the demo county, accounts for every
//! role, and a small HTTP client: what the web tests share.

#![allow(dead_code)]

use homeward_domain::brokerage::ReferralStatus;
use homeward_domain::brokerage::{AccessRoute, Needs, Offer, Referral, StepKind};
use homeward_domain::{
    Account, AccountId, Branch, DatedVisit, Email, FundingRoute, Market, OfferId, PersonId,
    ProviderId, ReferralId, Role, Roster, RosterId, RosterStatus, RosterStop, Scope, TokenId,
    Visit, VisitId, VisitStatus, WeeklyPattern, WorkerId, london, london_instant,
};
use homeward_store::testing::TestDatabase;
use homeward_store::{ApiToken, Backend, NewSession, Store, VisitChanges};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The roles in the order the matrix lists them.
pub const ROLES: [Role; 5] = [
    Role::Commissioner,
    Role::Broker,
    Role::ProviderUser,
    Role::CareWorker,
    Role::Person,
];

/// Records of one provider (A, whose staff have accounts) and another (B).
pub struct Ids {
    pub area: String,
    pub provider_a: ProviderId,
    pub provider_b: ProviderId,
    pub person_a: PersonId,
    pub person_b: PersonId,
    pub worker_a: WorkerId,
    pub worker_b: WorkerId,
    /// Rostering: a visit tomorrow for a person worker A's branch serves, on worker
    /// A's run of that branch-day's draft roster.
    pub roster: RosterId,
    pub roster_visit: Visit,
}

/// A running server with its database and credentials for each role.
pub struct App {
    pub address: SocketAddr,
    pub store: Arc<dyn Store>,
    pub market: Market,
    pub ids: Ids,
    pub accounts: HashMap<Role, Account>,
    /// Whether the server runs as behind TLS, so that its cookies' names carry `__Host-`.
    pub secure_cookies: bool,
    _database: TestDatabase,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for App {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

impl App {
    /// The database under the server, for tests that damage it on purpose.
    pub fn database(&self) -> &TestDatabase {
        &self._database
    }
}

/// An HTTP response.
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    pub fn headers_named(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
            .collect()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|error| panic!("not JSON ({error}): {}", self.body))
    }
}

/// The session cookie, anti-forgery token and API token of a role.
pub fn session_token(role: Role) -> String {
    format!("session-{}", role.code())
}

pub fn csrf_token(role: Role) -> String {
    format!("csrf-{}", role.code())
}

pub fn api_token(role: Role) -> String {
    format!("hw_api-{}", role.code())
}

fn largest_providers(market: &Market) -> (ProviderId, ProviderId) {
    let ranked = homeward_app::testing::largest_providers(&market.providers, &market.packages, 2);
    (ranked[0].clone(), ranked[1].clone())
}

fn person_of(market: &Market, provider: &ProviderId) -> PersonId {
    market
        .packages
        .iter()
        .find(|package| package.provider_id.as_ref() == Some(provider))
        .map(|package| package.person_id.clone())
        .unwrap()
}

fn worker_of(market: &Market, provider: &ProviderId) -> WorkerId {
    let branches: Vec<_> = market
        .branches
        .iter()
        .filter(|branch| &branch.provider_id == provider)
        .map(|branch| &branch.id)
        .collect();
    market
        .workers
        .iter()
        .find(|worker| branches.contains(&&worker.branch_id))
        .map(|worker| worker.id.clone())
        .unwrap()
}

/// A visit tomorrow at 10:17 for the first person of `provider` whom `worker`'s branch serves,
/// stored with that branch-day's draft roster holding it on `worker`'s run.
async fn roster_of(
    store: &dyn Store,
    market: &Market,
    provider: &ProviderId,
    worker: &WorkerId,
) -> (RosterId, Visit) {
    let branch_id = &market
        .workers
        .iter()
        .find(|w| &w.id == worker)
        .unwrap()
        .branch_id;
    let siblings: Vec<&Branch> = market
        .branches
        .iter()
        .filter(|branch| &branch.provider_id == provider)
        .collect();
    let package = market
        .packages
        .iter()
        .find(|package| {
            package.provider_id.as_ref() == Some(provider)
                && market
                    .people
                    .iter()
                    .find(|person| person.id == package.person_id)
                    .and_then(|person| Branch::nearest(siblings.iter().copied(), person.location))
                    .is_some_and(|nearest| &nearest.id == branch_id)
        })
        .unwrap();
    let now = jiff::Timestamp::now();
    let tomorrow = now.to_zoned(london().clone()).date().tomorrow().unwrap();
    let ten = jiff::civil::Time::constant(10, 17, 0, 0);
    let visit = Visit {
        id: VisitId::from_suffix("test-visit").unwrap(),
        provider_id: provider.clone(),
        dated: DatedVisit {
            package_id: package.id.clone(),
            person_id: package.person_id.clone(),
            date: tomorrow,
            local_start: ten,
            starts_at: london_instant(tomorrow, ten),
            duration_minutes: 45,
            carers: 1,
        },
        status: VisitStatus::Planned,
    };
    let changes = VisitChanges {
        cancel: vec![],
        add: vec![visit.clone()],
    };
    store.change_visits(&changes, now, "test").await.unwrap();
    let roster = Roster {
        id: RosterId::from_suffix("test-roster").unwrap(),
        branch_id: branch_id.clone(),
        date: tomorrow,
        status: RosterStatus::Draft,
        changed_at: now,
        published_at: None,
        stops: vec![RosterStop {
            visit_id: visit.id.clone(),
            part: 0,
            worker_id: worker.clone(),
            starts_at: visit.dated.starts_at,
            travel_minutes: 10,
        }],
        unmade: vec![],
    };
    store.save_roster(&roster, "plan", "test").await.unwrap();
    (roster.id, visit)
}

/// Starts the server over a fresh `backend` database holding the West Sussex demo.
pub async fn start(backend: Backend) -> App {
    let config = homeward_web::WebConfig {
        roster_seconds_per_day: 0.5,
        ..homeward_web::WebConfig::default()
    };
    start_with(backend, config).await
}

/// Starts the server as [`start`] does, with the settings `config`.
pub async fn start_with(backend: Backend, config: homeward_web::WebConfig) -> App {
    let secure_cookies = config.secure_cookies;
    let database = TestDatabase::new(backend)
        .await
        .unwrap()
        .with_clock(config.clock);
    let store = database.store().await.unwrap();
    let preset = homeward_preset::builtin("west-sussex-2019").unwrap();
    let market = homeward_demo::generate(&preset, 1, &mut homeward_demo::NoProgress);
    store.replace_market(&market, "test").await.unwrap();
    let (provider_a, provider_b) = largest_providers(&market);
    let worker_a = worker_of(&market, &provider_a);
    let (roster, roster_visit) = roster_of(store.as_ref(), &market, &provider_a, &worker_a).await;
    let ids = Ids {
        roster,
        roster_visit,
        area: market.areas[0].id.to_string(),
        person_a: person_of(&market, &provider_a),
        person_b: person_of(&market, &provider_b),
        worker_a,
        worker_b: worker_of(&market, &provider_b),
        provider_a,
        provider_b,
    };
    let mut accounts = HashMap::new();
    let now = jiff::Timestamp::now();
    for role in ROLES {
        let scope = match role {
            Role::Commissioner | Role::Broker => Scope::Council,
            Role::ProviderUser => Scope::Provider(ids.provider_a.clone()),
            Role::CareWorker => Scope::Worker(ids.worker_a.clone()),
            Role::Person => Scope::Person(ids.person_a.clone()),
        };
        let account = Account {
            id: AccountId::from_suffix(&format!("test-{}", role.code())).unwrap(),
            email: Email::parse(&format!("{}@test.example", role.code()), "email").unwrap(),
            name: format!("Test {}", role.label()),
            role,
            scope,
            disabled: false,
        };
        store
            .put_account(
                &account,
                &homeward_web::hash_password("correct horse battery"),
                "test",
            )
            .await
            .unwrap();
        let session = NewSession {
            token_hash: homeward_web::hash_secret(&session_token(role)),
            account_id: account.id.clone(),
            csrf_token: csrf_token(role),
            created_at: now,
            expires_at: now + jiff::SignedDuration::from_hours(1),
        };
        store.create_session(&session, "test").await.unwrap();
        let token = ApiToken {
            id: TokenId::from_suffix(&format!("test-{}", role.code())).unwrap(),
            account_id: account.id.clone(),
            name: "tests".into(),
            created_at: now,
            expires_at: now + jiff::SignedDuration::from_hours(24),
            revoked_at: None,
        };
        store
            .create_api_token(&token, &homeward_web::hash_secret(&api_token(role)), "test")
            .await
            .unwrap();
        accounts.insert(role, account);
    }
    // A referral being offered to provider A, for the brokerage pages.
    let person_a = market
        .people
        .iter()
        .find(|person| person.id == ids.person_a)
        .unwrap();
    let referral = Referral {
        id: ReferralId::from_suffix("test-referral").unwrap(),
        person_id: person_a.id.clone(),
        area_id: person_a.area_id.clone(),
        route: AccessRoute::Community,
        needs: Needs {
            pattern: WeeklyPattern::parse("daily 08:00 45m").unwrap(),
            skills: vec![],
            complex: false,
        },
        funding_route: FundingRoute::CouncilArranged,
        reablement_potential: false,
        referred_on: jiff::civil::Date::constant(2019, 9, 2),
        needed_by: jiff::civil::Date::constant(2019, 9, 4),
        discharge_on: None,
    };
    store
        .create_referral(&referral, ReferralStatus::Offering, "test")
        .await
        .unwrap();
    let offer = Offer {
        id: OfferId::from_suffix("test-offer").unwrap(),
        provider_id: ids.provider_a.clone(),
        step_index: 0,
        step: StepKind::Lead,
        sent_at: now,
        deadline: now + jiff::SignedDuration::from_hours(24),
        response: None,
    };
    store
        .create_offers(&[offer], &referral.id, "test")
        .await
        .unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(homeward_web::serve(
        store.clone(),
        config,
        listener,
        async {
            let _ = stopped.await;
        },
    ));
    App {
        address,
        store,
        market,
        ids,
        accounts,
        secure_cookies,
        _database: database,
        stop: Some(stop),
    }
}

/// Who makes a request.
#[derive(Clone, Copy, Debug)]
pub enum Caller {
    /// Nobody signed in.
    Anonymous,
    /// A role's browser session (cookie).
    Browser(Role),
    /// A role's API token.
    Client(Role),
}

impl App {
    /// The session cookie's name: bound to the host with `__Host-` over TLS.
    pub fn session_cookie(&self) -> &'static str {
        if self.secure_cookies {
            "__Host-homeward_session"
        } else {
            "homeward_session"
        }
    }

    /// Sends one request and reads the whole response.
    pub async fn send(
        &self,
        method: &str,
        path: &str,
        caller: Caller,
        content_type: Option<&str>,
        body: &str,
        extra_headers: &[(&str, &str)],
    ) -> Response {
        let mut stream = TcpStream::connect(self.address).await.unwrap();
        let mut request = format!(
            "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: {}\r\n",
            body.len()
        );
        match caller {
            Caller::Anonymous => {}
            Caller::Browser(role) => request.push_str(&format!(
                "Cookie: {}={}\r\n",
                self.session_cookie(),
                session_token(role)
            )),
            Caller::Client(role) => {
                request.push_str(&format!("Authorization: Bearer {}\r\n", api_token(role)))
            }
        }
        if let Some(content_type) = content_type {
            request.push_str(&format!("Content-Type: {content_type}\r\n"));
        }
        for (name, value) in extra_headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        request.push_str("\r\n");
        request.push_str(body);
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).await.unwrap();
        let text = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|line| line.split_whitespace().nth(1))
            .and_then(|code| code.parse().ok())
            .unwrap_or(0);
        let headers = lines
            .filter_map(|line| line.split_once(':'))
            .map(|(key, value)| (key.trim().to_owned(), value.trim().to_owned()))
            .collect();
        Response {
            status,
            headers,
            body: body.to_owned(),
        }
    }

    pub async fn get(&self, path: &str, caller: Caller) -> Response {
        self.send("GET", path, caller, None, "", &[]).await
    }

    pub async fn post_form(&self, path: &str, caller: Caller, body: &str) -> Response {
        self.send(
            "POST",
            path,
            caller,
            Some("application/x-www-form-urlencoded"),
            body,
            &[],
        )
        .await
    }

    pub async fn send_json(
        &self,
        method: &str,
        path: &str,
        caller: Caller,
        body: &str,
    ) -> Response {
        self.send(method, path, caller, Some("application/json"), body, &[])
            .await
    }
}

impl App {
    /// Rostering: a draft roster, with no runs, of provider B's first branch for the
    /// test visit's day, stored; with that branch.
    pub async fn another_providers_roster(&self) -> (Branch, Roster) {
        let branch = self
            .market
            .branches
            .iter()
            .find(|branch| branch.provider_id == self.ids.provider_b)
            .unwrap()
            .clone();
        let theirs = Roster {
            id: RosterId::from_suffix("their-roster").unwrap(),
            branch_id: branch.id.clone(),
            date: self.ids.roster_visit.dated.date,
            status: RosterStatus::Draft,
            changed_at: jiff::Timestamp::from_second(jiff::Timestamp::now().as_second()).unwrap(),
            published_at: None,
            stops: vec![],
            unmade: vec![],
        };
        self.store
            .save_roster(&theirs, "plan", "test")
            .await
            .unwrap();
        (branch, theirs)
    }
}

/// Rostering API: runs each named `async fn(Backend)` of the calling file as a test on
/// SQLite and on PostgreSQL (two threads, so that the server and the client share the runtime).
#[allow(unused_macros)]
macro_rules! on_both {
    ($($test:ident),+) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $test() { super::$test(homeward_store::Backend::Sqlite).await }) +
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $test() { super::$test(homeward_store::Backend::Postgres).await }) +
        }
    };
}

#[allow(unused_imports)]
pub(crate) use on_both;

/// The route `path` with records of provider A (whose staff the test accounts are) in place of
/// its parameters; a token id that names no token.
pub fn record_path(app: &App, path: &str) -> String {
    let ids = &app.ids;
    let id = if path.contains("/referrals/") {
        "ref_test-referral".to_owned()
    } else if path.contains("/offers/") {
        "off_test-offer".to_owned()
    } else if path.starts_with("/areas") || path.starts_with("/api/v1/areas") {
        ids.area.clone()
    } else if path.contains("/providers/") {
        ids.provider_a.to_string()
    } else if path.contains("/people/") {
        ids.person_a.to_string()
    } else if path.contains("/workers/") {
        ids.worker_a.to_string()
    } else if path.contains("/visits/") {
        ids.roster_visit.id.to_string()
    } else if path.contains("/rosters/") {
        ids.roster.to_string()
    } else {
        "tok_no-such-token".to_owned()
    };
    path.replace("{provider_id}", ids.provider_a.as_str())
        .replace("{period}", "2026-06-01")
        .replace("{id}", &id)
}

/// A role the route lets in, or none for a public route.
pub fn allowed_role(route: &homeward_web::Route) -> Option<Role> {
    match route.access {
        homeward_web::Access::Public => None,
        homeward_web::Access::SignedIn => Some(Role::Commissioner),
        homeward_web::Access::Roles(roles) => Some(roles[0]),
    }
}

/// The id a path's `{id}` takes for `role`: records in its scope, as [`record_path`] names
/// them, and for a token one of the role's own made for the purpose (nobody gets a made-up one);
/// the roster move form for one visit of the roster.
pub fn concrete_path(app: &App, method: &str, path: &str, role: Option<Role>) -> String {
    if path.contains("/tokens/") {
        let id = role.map_or_else(
            || "tok_nobody".to_owned(),
            |role| format!("tok_revoke-{}-{}", role.code(), method.to_lowercase()),
        );
        return path.replace("{id}", &id);
    }
    let concrete = record_path(app, path);
    if path == "/rosters/{id}/move" && method == "GET" {
        format!("{concrete}?visit={}&part=0", app.ids.roster_visit.id)
    } else {
        concrete
    }
}
