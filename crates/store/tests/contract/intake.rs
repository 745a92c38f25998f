//! The contract for a new person's referral, stored with the person in one transaction, and for
//! the store's clock: what the store stamps of its own accord is the time its clock gives.

use super::brokerage_fixtures::{BROKER, discharge, referral, referral_id, with_market};
use super::fixtures::{self, area_id, person_id};
use homeward_clock::Clock;
use homeward_domain::Person;
use homeward_domain::brokerage::{ReablementEpisode, ReferralStatus};
use homeward_store::testing::TestDatabase;
use homeward_store::{AuditFilter, RecordKind, ReferralStart, Store, StoreError};
use std::sync::Arc;

/// Someone the register does not hold yet, in Bognor East.
fn newcomer(suffix: &str) -> Person {
    let mut person = fixtures::people()[1].clone();
    person.id = person_id(suffix);
    person.council_reference = format!("WSCC-{suffix}");
    person.name = format!("Newcomer {suffix}");
    person
}

pub async fn a_new_person_and_their_referral_are_stored_together(
    store: Arc<dyn Store>,
    _database: &TestDatabase,
) {
    with_market(&store).await;
    let eve = newcomer("eve5");
    let mut community = referral("for-eve");
    community.person_id = eve.id.clone();
    let before = store.register_version().await.unwrap();
    store
        .create_person_and_referral(
            Some(&eve),
            &community,
            &ReferralStart::At(ReferralStatus::Offering),
            BROKER,
        )
        .await
        .unwrap();
    assert!(store.people().await.unwrap().contains(&eve));
    let stored = store.referral(&community.id).await.unwrap().unwrap();
    assert_eq!(
        (stored.referral, stored.status),
        (community.clone(), ReferralStatus::Offering)
    );
    assert_eq!(store.register_version().await.unwrap(), before + 2);
    let events = store
        .audit_events(&AuditFilter::default(), 0, 2)
        .await
        .unwrap()
        .events;
    let written: Vec<(&str, &str, Option<&str>)> = events
        .iter()
        .rev()
        .map(|event| {
            (
                event.action.as_str(),
                event.record_kind.as_str(),
                event.record_id.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        written,
        vec![
            ("create", "person", Some(eve.id.as_str())),
            ("create", "referral", Some(community.id.as_str())),
        ]
    );

    // A newcomer sent to reablement: the person, the referral and its episode.
    let fay = newcomer("fay6");
    let mut hospital = discharge("for-fay");
    hospital.person_id = fay.id.clone();
    let episode = ReablementEpisode {
        referral_id: hospital.id.clone(),
        started_on: hospital.needed_by,
        ended: None,
        onward_referral_id: None,
    };
    store
        .create_person_and_referral(
            Some(&fay),
            &hospital,
            &ReferralStart::Reablement(episode.clone()),
            BROKER,
        )
        .await
        .unwrap();
    assert!(store.people().await.unwrap().contains(&fay));
    assert_eq!(
        store.referral(&hospital.id).await.unwrap().unwrap().status,
        ReferralStatus::Reablement
    );
    assert_eq!(
        store.reablement_episode(&hospital.id).await.unwrap(),
        Some(episode)
    );
    assert_eq!(store.register_version().await.unwrap(), before + 5);

    // Someone already on the register: only the referral is written.
    let known = referral("for-ada");
    store
        .create_person_and_referral(
            None,
            &known,
            &ReferralStart::At(ReferralStatus::Offering),
            BROKER,
        )
        .await
        .unwrap();
    assert!(store.referral(&known.id).await.unwrap().is_some());
    assert_eq!(store.register_version().await.unwrap(), before + 6);
}

pub async fn a_failing_referral_leaves_no_person(store: Arc<dyn Store>, _database: &TestDatabase) {
    with_market(&store).await;
    let people = store.people().await.unwrap();
    let before = store.register_version().await.unwrap();
    let gil = newcomer("gil7");
    let offering = ReferralStart::At(ReferralStatus::Offering);

    // The database refuses the referral (an area it does not hold): the person goes with it.
    let mut nowhere = referral("nowhere");
    nowhere.person_id = gil.id.clone();
    nowhere.area_id = area_id("atlantis");
    let error = store
        .create_person_and_referral(Some(&gil), &nowhere, &offering, BROKER)
        .await
        .unwrap_err();
    assert_store_error!(
        error,
        StoreError::MissingReference {
            kind: RecordKind::Referral,
            field: Some("area_id"),
            ..
        }
    );

    // A referral id already taken: refused whole.
    let first = referral("taken");
    store
        .create_referral(&first, ReferralStatus::Offering, BROKER)
        .await
        .unwrap();
    let mut again = first.clone();
    again.person_id = gil.id.clone();
    let error = store
        .create_person_and_referral(Some(&gil), &again, &offering, BROKER)
        .await
        .unwrap_err();
    assert_store_error!(
        error,
        StoreError::Duplicate {
            kind: RecordKind::Referral,
            ..
        }
    );

    // A new person who is not the one referred: nothing is written.
    let error = store
        .create_person_and_referral(Some(&gil), &referral("mismatch"), &offering, BROKER)
        .await
        .unwrap_err();
    assert_store_error!(error, StoreError::Invalid { kind: RecordKind::Referral, errors, .. } if errors.0[0].field == "person_id");

    assert_eq!(
        store.people().await.unwrap(),
        people,
        "no person is left behind"
    );
    assert_eq!(store.referral(&nowhere.id).await.unwrap(), None);
    assert_eq!(
        store.referral(&referral_id("mismatch")).await.unwrap(),
        None
    );
    assert_eq!(
        store.register_version().await.unwrap(),
        before + 1,
        "only the first referral is written"
    );
}

pub async fn the_store_stamps_by_its_clock(_store: Arc<dyn Store>, database: &TestDatabase) {
    let at: jiff::Timestamp = "2026-10-25T00:30:00.123456Z".parse().unwrap();
    let store = homeward_store::connect(database.url(), Clock::fixed(at))
        .await
        .unwrap();
    with_market(&store).await;
    let community = referral("stamped");
    store
        .create_referral(&community, ReferralStatus::Offering, BROKER)
        .await
        .unwrap();
    assert_eq!(
        store
            .referral(&community.id)
            .await
            .unwrap()
            .unwrap()
            .created_at,
        at
    );
    let events = store
        .audit_events(&AuditFilter::default(), 0, 500)
        .await
        .unwrap()
        .events;
    assert!(!events.is_empty());
    assert!(events.iter().all(|event| event.at == at), "{events:?}");
}
