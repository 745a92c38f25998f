//! The contract for the narrow reads: one person, provider or their packages and branches, and
//! pages of people and referrals cut by the database. Each must give exactly what the whole-table
//! read gives once filtered or cut in memory.

use super::brokerage_fixtures::{discharge, referral};
use super::fixtures::{self, person_id, provider_id};
use homeward_domain::brokerage::ReferralStatus;
use homeward_store::Store;
use homeward_store::testing::TestDatabase;
use std::sync::Arc;

/// The pages every paged read is tried with: from the start, part way, past the end, none.
const PAGES: [(u64, u64); 6] = [(0, 2), (1, 2), (2, 10), (3, 1), (10, 5), (0, 0)];

fn cut<T: Clone>(all: &[T], offset: u64, limit: u64) -> Vec<T> {
    all.iter()
        .skip(offset as usize)
        .take(limit as usize)
        .cloned()
        .collect()
}

pub async fn one_person_or_provider_is_read_with_its_own_records(
    store: Arc<dyn Store>,
    _database: &TestDatabase,
) {
    let market = fixtures::market();
    store.replace_market(&market, "test").await.unwrap();
    let packages = store.packages().await.unwrap();
    for person in &market.people {
        assert_eq!(
            store.person(&person.id).await.unwrap().as_ref(),
            Some(person)
        );
        let theirs: Vec<_> = packages
            .iter()
            .filter(|package| package.person_id == person.id)
            .cloned()
            .collect();
        assert_eq!(store.person_packages(&person.id).await.unwrap(), theirs);
    }
    assert_eq!(store.person(&person_id("nobody")).await.unwrap(), None);
    assert!(
        store
            .person_packages(&person_id("nobody"))
            .await
            .unwrap()
            .is_empty()
    );

    let branches = store.branches().await.unwrap();
    for provider in &market.providers {
        assert_eq!(
            store.provider(&provider.id).await.unwrap().as_ref(),
            Some(provider)
        );
        let theirs: Vec<_> = branches
            .iter()
            .filter(|branch| branch.provider_id == provider.id)
            .cloned()
            .collect();
        assert_eq!(store.provider_branches(&provider.id).await.unwrap(), theirs);
    }
    assert_eq!(store.provider(&provider_id("nobody")).await.unwrap(), None);
    assert!(
        store
            .provider_branches(&provider_id("nobody"))
            .await
            .unwrap()
            .is_empty()
    );
}

pub async fn people_and_referrals_are_paged_by_the_database(
    store: Arc<dyn Store>,
    _database: &TestDatabase,
) {
    store
        .replace_market(&fixtures::market(), "test")
        .await
        .unwrap();
    let people = store.people().await.unwrap();
    for (offset, limit) in PAGES {
        let page = store.people_page(offset, limit).await.unwrap();
        assert_eq!(page.total, people.len() as u64);
        assert_eq!(page.items, cut(&people, offset, limit), "{offset}+{limit}");
    }

    for suffix in ["page-a", "page-b", "page-c"] {
        store
            .create_referral(&referral(suffix), ReferralStatus::Offering, "test")
            .await
            .unwrap();
    }
    for suffix in ["page-d", "page-e"] {
        store
            .create_referral(&discharge(suffix), ReferralStatus::Reablement, "test")
            .await
            .unwrap();
    }
    for status in [
        None,
        Some(ReferralStatus::Offering),
        Some(ReferralStatus::Reablement),
        Some(ReferralStatus::Placed),
    ] {
        let all = store.referrals(status).await.unwrap();
        for (offset, limit) in PAGES {
            let page = store.referrals_page(status, offset, limit).await.unwrap();
            assert_eq!(page.total, all.len() as u64, "{status:?}");
            assert_eq!(
                page.items,
                cut(&all, offset, limit),
                "{status:?} {offset}+{limit}"
            );
        }
    }
}
