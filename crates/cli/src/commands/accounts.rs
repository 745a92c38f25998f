//! The demo's accounts: one for each role, scoped to records of the demo county.

use anyhow::Context;
use homeward_domain::{Account, AccountId, Email, Market, Role, Scope};
use homeward_store::Store;
use std::collections::HashMap;

/// The password of every demo account. Demo only: real accounts choose their own.
pub const DEMO_PASSWORD: &str = "homeward-demo-2026";

/// The provider whose coordinator the demo's provider account is: the independent provider
/// with the most lead lots (so that it is first offered the referrals of its areas), and among
/// those the one delivering the most care.
pub fn demo_provider(market: &Market) -> anyhow::Result<&homeward_domain::Provider> {
    let mut minutes: HashMap<_, u32> = HashMap::new();
    for package in &market.packages {
        if let Some(provider) = &package.provider_id {
            *minutes.entry(provider.clone()).or_default() += package.weekly_minutes();
        }
    }
    let leads = |provider: &homeward_domain::ProviderId| {
        market
            .awards
            .iter()
            .filter(|award| {
                &award.provider_id == provider
                    && award.position == homeward_domain::LotPosition::Lead
            })
            .count()
    };
    market
        .providers
        .iter()
        .filter(|provider| !provider.in_house)
        .max_by_key(|provider| {
            (
                leads(&provider.id),
                minutes.get(&provider.id).copied().unwrap_or(0),
                provider.id.clone(),
            )
        })
        .context("the demo has no independent provider")
}

/// The first care worker (by the market's order) of [`demo_provider`]'s branches.
pub fn first_worker(market: &Market) -> anyhow::Result<homeward_domain::WorkerId> {
    let provider = demo_provider(market)?;
    let branches: Vec<_> = market
        .branches
        .iter()
        .filter(|branch| branch.provider_id == provider.id)
        .map(|branch| &branch.id)
        .collect();
    market
        .workers
        .iter()
        .find(|worker| branches.contains(&&worker.branch_id))
        .map(|worker| worker.id.clone())
        .context("the demo provider has no care workers")
}

/// Whether `id` is one of the accounts [`ensure_demo_accounts`] makes.
pub fn is_demo_account(id: &AccountId) -> bool {
    id.as_str().starts_with("acc_demo-")
}

/// Makes sure each demo account exists, scoped to [`demo_provider`], the care worker `worker`
/// (one of its own) and one of the people it serves. Returns (role, email, scope) to print.
pub async fn ensure_demo_accounts(
    store: &dyn Store,
    market: &Market,
    worker: &homeward_domain::WorkerId,
) -> anyhow::Result<Vec<(&'static str, String, String)>> {
    let provider = demo_provider(market)?;
    let worker = market
        .workers
        .iter()
        .find(|candidate| &candidate.id == worker)
        .context("the demo's care worker is not in the market")?;
    let person_id = market
        .packages
        .iter()
        .find(|package| package.provider_id.as_ref() == Some(&provider.id))
        .map(|package| package.person_id.clone())
        .context("the provider serves nobody")?;
    let person = market
        .people
        .iter()
        .find(|person| person.id == person_id)
        .context("a package's person is missing")?;
    let wanted = [
        (
            "commissioner",
            "commissioner@homeward.example",
            "Chris Commissioner",
            Role::Commissioner,
            Scope::Council,
            "the whole council".to_owned(),
        ),
        (
            "broker",
            "broker@homeward.example",
            "Bola Broker",
            Role::Broker,
            Scope::Council,
            "the whole council".to_owned(),
        ),
        (
            "provider",
            "provider@homeward.example",
            "Pat Coordinator",
            Role::ProviderUser,
            Scope::Provider(provider.id.clone()),
            provider.name.clone(),
        ),
        (
            "care-worker",
            "careworker@homeward.example",
            &worker.name,
            Role::CareWorker,
            Scope::Worker(worker.id.clone()),
            format!("{} ({})", worker.name, worker.id),
        ),
        (
            "person",
            "person@homeward.example",
            &person.name,
            Role::Person,
            Scope::Person(person.id.clone()),
            format!("{} ({})", person.name, person.id),
        ),
    ];
    let password_hash = homeward_web::hash_password(DEMO_PASSWORD);
    let mut printed = Vec::new();
    for (label, email, name, role, scope, scope_text) in wanted {
        let email = Email::parse(email, "email")?;
        let account = Account {
            id: AccountId::from_suffix(&format!("demo-{label}"))?,
            email: email.clone(),
            name: name.to_owned(),
            role,
            scope,
            disabled: false,
        };
        store
            .put_account(&account, &password_hash, "homeward demo")
            .await
            .with_context(|| format!("storing the demo account {email}"))?;
        printed.push((role.label(), email.to_string(), scope_text));
    }
    Ok(printed)
}
