//! Choosing the council's preset when a server starts: the stored council's own, or the one
//! given for it, and never a stand-in.

use homeward_app::{PresetChoiceError, council_preset};
use homeward_domain::Council;
use homeward_store::testing::TestDatabase;
use homeward_store::{Records, Store};
use std::sync::Arc;

async fn store_with_council(preset: Option<&str>) -> (Arc<dyn Store>, TestDatabase) {
    let database = TestDatabase::sqlite().unwrap();
    let store = database.store().await.unwrap();
    if let Some(preset) = preset {
        let council = Council {
            preset: preset.to_owned(),
            ..Council::example_west_sussex()
        };
        store
            .insert(Records::Council(council), "test")
            .await
            .unwrap();
    }
    (store, database)
}

#[tokio::test]
async fn the_built_in_preset_the_council_names_is_chosen() {
    let (store, _database) = store_with_council(Some("oxfordshire-2014")).await;
    let preset = council_preset(store.as_ref(), None).await.unwrap();
    assert_eq!(preset.id, "oxfordshire-2014");
    assert_eq!(
        preset.brokerage,
        homeward_preset::builtin("oxfordshire-2014")
            .unwrap()
            .brokerage
    );
}

#[tokio::test]
async fn a_preset_that_is_not_built_in_is_refused_rather_than_replaced() {
    let (store, _database) = store_with_council(Some("my-county-2026")).await;
    let error = council_preset(store.as_ref(), None).await.unwrap_err();
    assert!(
        matches!(&error, PresetChoiceError::NotBuiltIn(name) if name == "my-county-2026"),
        "{error:?}"
    );
    assert!(error.to_string().contains("--preset"), "{error}");
}

#[tokio::test]
async fn a_preset_given_for_the_council_is_used() {
    let (store, _database) = store_with_council(Some("my-county-2026")).await;
    let mut given = homeward_preset::builtin("norfolk-2014").unwrap();
    given.id = "my-county-2026".into();
    given.brokerage.target_pickup_days = 9;
    let preset = council_preset(store.as_ref(), Some(given)).await.unwrap();
    assert_eq!(preset.brokerage.target_pickup_days, 9);
}

#[tokio::test]
async fn a_preset_given_for_another_council_is_refused() {
    let (store, _database) = store_with_council(Some("west-sussex-2019")).await;
    let given = homeward_preset::builtin("norfolk-2014").unwrap();
    let error = council_preset(store.as_ref(), Some(given))
        .await
        .unwrap_err();
    assert!(
        matches!(&error, PresetChoiceError::Mismatch { stored, given }
            if stored == "west-sussex-2019" && given == "norfolk-2014"),
        "{error:?}"
    );
}

#[tokio::test]
async fn an_empty_database_has_no_council_to_run() {
    let (store, _database) = store_with_council(None).await;
    let error = council_preset(store.as_ref(), None).await.unwrap_err();
    assert!(matches!(error, PresetChoiceError::NoCouncil), "{error:?}");
}
