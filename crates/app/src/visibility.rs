//! What a signed-in account may see of the register: the one place that turns a role and a
//! scope into records. Out-of-scope records are simply absent, so handlers answer 404 for them
//! and never reveal that they exist.

use homeward_domain::{
    Account, CarePackage, CareWorker, Person, PersonId, Provider, ProviderId, Role, Scope, Visit,
    WorkerId,
};
use homeward_store::{Store, StoreError, VisitFilter};
use jiff::civil::Date;
use std::collections::HashSet;

/// The people `account` may see: the council's staff see everyone, a provider the people whose
/// packages it delivers (or did in the last year), a person themselves, a care worker nobody yet (the people on their
/// visits, once visits exist). `today` is London's date by the server's clock.
pub async fn people(
    store: &dyn Store,
    account: &Account,
    today: Date,
) -> Result<Vec<Person>, StoreError> {
    let people = store.people().await?;
    Ok(match &account.scope {
        Scope::Council => people,
        Scope::Provider(provider) => {
            let served = people_served_by(store, provider, today).await?;
            people
                .into_iter()
                .filter(|person| served.contains(&person.id))
                .collect()
        }
        Scope::Person(own) => people
            .into_iter()
            .filter(|person| &person.id == own)
            .collect(),
        Scope::Worker(_) => Vec::new(),
    })
}

/// One person, if `account` may see them (as [`people`] decides), read by id: the council's
/// staff anyone, a person themselves, a provider someone whose care it delivers or did within
/// [`SEEN_AFTER_CARE_ENDS_DAYS`].
pub async fn person(
    store: &dyn Store,
    account: &Account,
    id: &PersonId,
    today: Date,
) -> Result<Option<Person>, StoreError> {
    let visible = match &account.scope {
        Scope::Council => true,
        Scope::Person(own) => own == id,
        Scope::Provider(provider) => store
            .person_packages(id)
            .await?
            .iter()
            .any(|package| serves(package, provider, today)),
        Scope::Worker(_) => false,
    };
    if !visible {
        return Ok(None);
    }
    store.person(id).await
}

/// How long after its care for a person ends a provider still sees them: a year, for the
/// invoices, queries and complaints that follow care; after it, the person's record is no
/// longer the provider's business.
pub const SEEN_AFTER_CARE_ENDS_DAYS: i32 = 365;

/// The people `provider` delivers care to, or did within [`SEEN_AFTER_CARE_ENDS_DAYS`].
async fn people_served_by(
    store: &dyn Store,
    provider: &ProviderId,
    today: Date,
) -> Result<HashSet<PersonId>, StoreError> {
    Ok(store
        .packages()
        .await?
        .into_iter()
        .filter(|package| serves(package, provider, today))
        .map(|package| package.person_id)
        .collect())
}

/// Whether `package` is `provider`'s and its care goes on, or ended within
/// [`SEEN_AFTER_CARE_ENDS_DAYS`] of `today`.
fn serves(package: &CarePackage, provider: &ProviderId, today: Date) -> bool {
    let since = today.saturating_sub(jiff::Span::new().days(SEEN_AFTER_CARE_ENDS_DAYS));
    package.provider_id.as_ref() == Some(provider)
        && package.ends_on.is_none_or(|ended| ended >= since)
}

/// The care packages of `person` that `account` may see (the caller has already checked that
/// it may see the person): the council's staff and the person every one of them, a provider
/// only those it delivers — a person it shares with another provider keeps the other's care
/// private — and anyone else none.
pub async fn packages_of(
    store: &dyn Store,
    account: &Account,
    person: &PersonId,
) -> Result<Vec<CarePackage>, StoreError> {
    let visible = |package: &CarePackage| match &account.scope {
        Scope::Council => true,
        Scope::Person(own) => own == person,
        Scope::Provider(provider) => package.provider_id.as_ref() == Some(provider),
        Scope::Worker(_) => false,
    };
    Ok(store
        .person_packages(person)
        .await?
        .into_iter()
        .filter(visible)
        .collect())
}

/// The care workers `account` may see: a provider its own staff, a care worker themselves.
/// The council's staff see workforce figures, not individual workers.
pub async fn workers(store: &dyn Store, account: &Account) -> Result<Vec<CareWorker>, StoreError> {
    Ok(match &account.scope {
        Scope::Provider(provider) => {
            let branches: HashSet<_> = store
                .provider_branches(provider)
                .await?
                .into_iter()
                .map(|branch| branch.id)
                .collect();
            store
                .workers()
                .await?
                .into_iter()
                .filter(|worker| branches.contains(&worker.branch_id))
                .collect()
        }
        Scope::Worker(own) => store
            .workers()
            .await?
            .into_iter()
            .filter(|worker| &worker.id == own)
            .collect(),
        Scope::Council | Scope::Person(_) => Vec::new(),
    })
}

/// One care worker, if `account` may see them.
pub async fn worker(
    store: &dyn Store,
    account: &Account,
    id: &WorkerId,
) -> Result<Option<CareWorker>, StoreError> {
    Ok(worker_with_provider(store, account, id)
        .await?
        .map(|(worker, _)| worker))
}

/// One care worker and the provider they work for, if `account` may see them (as
/// [`workers`] decides), found by id: a provider its own staff, a care worker themselves.
pub async fn worker_with_provider(
    store: &dyn Store,
    account: &Account,
    id: &WorkerId,
) -> Result<Option<(CareWorker, ProviderId)>, StoreError> {
    match &account.scope {
        Scope::Provider(_) => {}
        Scope::Worker(own) if own == id => {}
        Scope::Worker(_) | Scope::Council | Scope::Person(_) => return Ok(None),
    }
    let Some((worker, provider)) = store.worker_with_provider(id).await? else {
        return Ok(None);
    };
    let visible = match &account.scope {
        Scope::Provider(own) => &provider == own,
        _ => true,
    };
    Ok(visible.then_some((worker, provider)))
}

/// Whether `account` may see a provider's page: the council's staff any, a provider its own.
pub fn can_see_provider(account: &Account, provider: &ProviderId) -> bool {
    match &account.scope {
        Scope::Council => true,
        Scope::Provider(own) => own == provider,
        Scope::Worker(_) | Scope::Person(_) => false,
    }
}

/// One provider, if `account` may see it.
pub async fn provider(
    store: &dyn Store,
    account: &Account,
    id: &ProviderId,
) -> Result<Option<Provider>, StoreError> {
    if !can_see_provider(account, id) {
        return Ok(None);
    }
    store.provider(id).await
}

/// Whether `account` sees commercial terms (contracts and rates) of `provider`.
pub fn can_see_contracts(account: &Account, provider: &ProviderId) -> bool {
    account.role == Role::Commissioner
        || account.role == Role::Broker
        || account.scope == Scope::Provider(provider.clone())
}

/// `filter` narrowed to the visits `account` may see: the council's staff every visit, a
/// provider its own, a person their own; `None` for a care worker (no runs yet).
pub fn visits(account: &Account, filter: VisitFilter) -> Option<VisitFilter> {
    match &account.scope {
        Scope::Council => Some(filter),
        Scope::Provider(provider) => Some(VisitFilter {
            provider_id: Some(provider.clone()),
            ..filter
        }),
        Scope::Person(own) => Some(VisitFilter {
            person_id: Some(own.clone()),
            ..filter
        }),
        Scope::Worker(_) => None,
    }
}

/// Days of a person's visits their page and API record list, today included.
pub const UPCOMING_VISIT_DAYS: i64 = 14;

/// The person's visits from today over [`UPCOMING_VISIT_DAYS`], as far as `account` may see
/// them (the caller has already checked that it may see the person); `today` is London's date.
pub async fn upcoming_visits(
    store: &dyn Store,
    account: &Account,
    person: &PersonId,
    today: Date,
) -> Result<Vec<Visit>, StoreError> {
    let until = today
        .checked_add(jiff::Span::new().days(UPCOMING_VISIT_DAYS - 1))
        .unwrap_or(today);
    let filter = VisitFilter {
        person_id: Some(person.clone()),
        ..VisitFilter::between(today, until)
    };
    match visits(account, filter) {
        Some(filter) => store.visits(&filter).await,
        None => Ok(Vec::new()),
    }
}

// Payments.

/// Whose invoices and reconciliation an account may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InvoiceScope {
    /// Every provider's: the council's staff.
    Every,
    /// Its own only: a provider's user.
    Own(ProviderId),
}

impl InvoiceScope {
    /// The one provider the scope is narrowed to, if it is.
    pub fn provider(&self) -> Option<&ProviderId> {
        match self {
            InvoiceScope::Every => None,
            InvoiceScope::Own(provider) => Some(provider),
        }
    }

    /// Whether `provider`'s invoices are in the scope.
    pub fn allows(&self, provider: &ProviderId) -> bool {
        self.provider().is_none_or(|own| own == provider)
    }
}

/// The invoices `account` may see: the council's staff every provider's, a provider its own,
/// anyone else none (`None`: the money of care is not theirs to see).
pub fn invoice_scope(account: &Account) -> Option<InvoiceScope> {
    match &account.scope {
        Scope::Council => Some(InvoiceScope::Every),
        Scope::Provider(provider) => Some(InvoiceScope::Own(provider.clone())),
        Scope::Worker(_) | Scope::Person(_) => None,
    }
}

// Rostering: a provider's coordinators reach their own branches' rosters only.

/// The branches of the provider whose user `account` is, by name; `None` for anyone else.
pub async fn own_branches(
    store: &dyn Store,
    account: &Account,
) -> Result<Option<Vec<homeward_domain::Branch>>, StoreError> {
    let Scope::Provider(provider) = &account.scope else {
        return Ok(None);
    };
    let mut branches = store.provider_branches(provider).await?;
    branches.sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
    Ok(Some(branches))
}

/// The roster `id`, if it is of a branch of the provider whose user `account` is.
pub async fn own_roster(
    store: &dyn Store,
    account: &Account,
    id: &homeward_domain::RosterId,
) -> Result<Option<homeward_domain::Roster>, StoreError> {
    let Scope::Provider(provider) = &account.scope else {
        return Ok(None);
    };
    let Some(roster) = store.roster(id).await? else {
        return Ok(None);
    };
    let ours = store
        .branch(&roster.branch_id)
        .await?
        .is_some_and(|branch| &branch.provider_id == provider);
    Ok(ours.then_some(roster))
}

// Fair work figures.

/// Whose fair work figures `account` may see: as with invoices, the council's staff every
/// provider's and a provider its own, since they speak of its staff's pay and work.
pub fn fair_work_scope(account: &Account) -> Option<InvoiceScope> {
    invoice_scope(account)
}
