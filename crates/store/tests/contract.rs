//! The contract every backend meets, written once and run against SQLite and PostgreSQL.
//!
//! Each suite function takes a migrated store on an empty database of its own (and the
//! database, for the checks that look beneath the interface). `contract_suite!` turns each into
//! `sqlite::NAME` and `postgres::NAME` tests. PostgreSQL tests need the server named by
//! `HOMEWARD_TEST_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`) and
//! fail, never skip, when it cannot be reached.

/// Asserts that `error` is the store error `pattern` (with an optional guard), showing the error
/// when it is not: one assertion for the refusals every suite checks.
macro_rules! assert_store_error {
    ($error:expr, $pattern:pat $(if $guard:expr)? $(,)?) => {
        match &$error {
            $pattern $(if $guard)? => {}
            other => panic!("unexpected store error: {other:?}"),
        }
    };
}

// Helpers live beside this file rather than in `tests/`, where cargo would build each as a test.
#[path = "contract/access.rs"]
mod access;
#[path = "contract/brokerage.rs"]
mod brokerage;
#[path = "contract/brokerage_fixtures.rs"]
mod brokerage_fixtures;
#[path = "contract/corrections.rs"]
mod corrections;
#[path = "contract/county.rs"]
mod county;
#[path = "contract/fixtures.rs"]
mod fixtures;
#[path = "contract/intake.rs"]
mod intake;
#[path = "contract/narrow.rs"]
mod narrow;
#[path = "contract/rosters.rs"]
mod rosters;
#[path = "contract/visits.rs"]
mod visits;
// Call-event ingestion.
#[path = "contract/call_event_batches.rs"]
mod call_event_batches;
use call_event_batches::{
    a_batch_of_bad_events_stores_nothing, a_batch_stores_each_event_with_its_own_outcome,
    a_large_batch_is_stored_whole_and_audited_in_order, a_visit_is_found_with_its_published_stops,
    an_invoiced_visit_takes_no_more_events, each_provider_has_its_own_keys,
    workers_and_branches_are_found_by_id,
};
// Payments.
#[path = "contract/invoices.rs"]
mod invoices;

use access::{
    a_taken_email_or_id_is_a_duplicate, accounts_are_created_read_and_listed_by_email,
    an_invalid_account_stores_nothing, api_tokens_are_listed_looked_up_and_revoked,
    concurrent_audited_writes_keep_the_trail_gap_free,
    replacing_the_market_keeps_accounts_sessions_and_tokens,
    sessions_end_when_they_expire_or_the_account_is_disabled,
    the_audit_log_filters_and_pages_newest_first, updating_an_area_audits_it_before_and_after,
};
use access::{
    an_area_stored_as_it_is_writes_nothing, failed_sign_ins_and_lock_outs_are_audited_by_client,
};
use access::{
    changing_a_password_ends_every_other_session_and_rotates_its_own,
    sessions_keep_when_they_were_last_used_and_where_from,
};
use brokerage::{
    a_package_placed_on_a_quote_keeps_its_rate_and_its_audit_says_so,
    a_referral_goes_into_reablement_with_its_episode_or_not_at_all,
    a_referral_moves_only_from_where_it_stands, an_invalid_referral_stores_nothing,
    capacity_returns_replace_and_the_latest_counts, concurrent_placements_place_each_referral_once,
    offers_are_listed_in_order_and_answered_once,
    placing_a_referral_stores_its_package_and_incentive,
    provider_offers_list_newest_first_and_open_only, reablement_ends_with_an_onward_referral,
    referrals_are_created_read_and_listed, replacing_the_market_clears_brokerage,
};
use corrections::a_correction_audits_the_times_it_replaces;
use corrections::{
    a_bad_correction_stores_nothing, corrections_are_kept_in_order_and_locked_once_invoiced,
};
use homeward_domain::{Area, CarePackage, Market, Person, area_demand};
use homeward_store::testing::TestDatabase;
use homeward_store::{RecordKind, Records, RegisterCounts, Store, StoreError};
use intake::{
    a_failing_referral_leaves_no_person, a_new_person_and_their_referral_are_stored_together,
    the_store_stamps_by_its_clock,
};
use invoices::{
    a_bad_invoice_stores_nothing_and_names_the_line,
    an_invoice_is_issued_once_with_its_lines_and_audited, replacing_the_market_clears_invoices,
};
use jiff::civil::Date;
use narrow::{
    one_person_or_provider_is_read_with_its_own_records,
    people_and_referrals_are_paged_by_the_database,
};
use rosters::{
    a_bad_roster_stores_nothing, replacing_the_market_clears_rosters,
    rosters_are_stored_whole_replaced_whole_and_published,
};
use std::collections::HashMap;
use std::sync::Arc;
use visits::{
    a_visit_in_the_past_or_twice_stores_nothing, call_events_are_stored_once_per_key,
    replacing_the_market_clears_visits, visits_are_added_listed_and_cancelled_from_now_on,
};

macro_rules! contract_suite {
    ($($test:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    let database = homeward_store::testing::TestDatabase::sqlite().expect("a temporary SQLite file");
                    let store = database.store().await.expect("a migrated SQLite store");
                    super::$test(store, &database).await;
                }
            )+
        }

        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    let database = homeward_store::testing::TestDatabase::postgres().await.expect("a PostgreSQL test database");
                    let store = database.store().await.expect("a migrated PostgreSQL store");
                    super::$test(store, &database).await;
                }
            )+
        }
    };
}

contract_suite!(
    migrating_again_changes_nothing,
    a_new_person_and_their_referral_are_stored_together,
    a_failing_referral_leaves_no_person,
    the_store_stamps_by_its_clock,
    one_person_or_provider_is_read_with_its_own_records,
    people_and_referrals_are_paged_by_the_database,
    visits_are_added_listed_and_cancelled_from_now_on,
    a_visit_in_the_past_or_twice_stores_nothing,
    replacing_the_market_clears_visits,
    call_events_are_stored_once_per_key,
    inserted_records_read_back_exactly,
    a_second_council_replaces_the_first,
    replacing_the_market_replaces_everything,
    a_duplicate_id_stores_nothing_and_names_the_record,
    a_missing_reference_stores_nothing_and_names_the_field,
    an_invalid_record_stores_nothing_and_names_its_fields,
    a_bad_market_leaves_the_register_as_it_was,
    demand_counts_only_packages_running_on_the_date,
    counts_count_every_kind,
    every_write_is_audited_once,
    unreadable_rows_are_reported_as_corrupt,
    a_county_sized_market_round_trips,
    the_west_sussex_demo_round_trips_exactly,
    concurrent_writers_take_turns,
    accounts_are_created_read_and_listed_by_email,
    a_taken_email_or_id_is_a_duplicate,
    an_invalid_account_stores_nothing,
    sessions_end_when_they_expire_or_the_account_is_disabled,
    changing_a_password_ends_every_other_session_and_rotates_its_own,
    sessions_keep_when_they_were_last_used_and_where_from,
    api_tokens_are_listed_looked_up_and_revoked,
    updating_an_area_audits_it_before_and_after,
    the_audit_log_filters_and_pages_newest_first,
    replacing_the_market_keeps_accounts_sessions_and_tokens,
    concurrent_audited_writes_keep_the_trail_gap_free,
    referrals_are_created_read_and_listed,
    an_invalid_referral_stores_nothing,
    a_referral_moves_only_from_where_it_stands,
    offers_are_listed_in_order_and_answered_once,
    provider_offers_list_newest_first_and_open_only,
    placing_a_referral_stores_its_package_and_incentive,
    a_package_placed_on_a_quote_keeps_its_rate_and_its_audit_says_so,
    concurrent_placements_place_each_referral_once,
    reablement_ends_with_an_onward_referral,
    a_referral_goes_into_reablement_with_its_episode_or_not_at_all,
    capacity_returns_replace_and_the_latest_counts,
    replacing_the_market_clears_brokerage,
    rosters_are_stored_whole_replaced_whole_and_published,
    a_bad_roster_stores_nothing,
    replacing_the_market_clears_rosters,
    corrections_are_kept_in_order_and_locked_once_invoiced,
    a_bad_correction_stores_nothing,
    an_area_stored_as_it_is_writes_nothing,
    failed_sign_ins_and_lock_outs_are_audited_by_client,
    a_correction_audits_the_times_it_replaces,
    // Call-event ingestion.
    a_batch_stores_each_event_with_its_own_outcome,
    a_batch_of_bad_events_stores_nothing,
    a_large_batch_is_stored_whole_and_audited_in_order,
    workers_and_branches_are_found_by_id,
    each_provider_has_its_own_keys,
    an_invoiced_visit_takes_no_more_events,
    a_visit_is_found_with_its_published_stops,
    // Payments.
    an_invoice_is_issued_once_with_its_lines_and_audited,
    a_bad_invoice_stores_nothing_and_names_the_line,
    replacing_the_market_clears_invoices,
);

const ACTOR: &str = "test@homeward";

/// What each listing must return for `market`: areas by tier then name (bytes), the rest by id.
fn expected_listings(market: &Market) -> Market {
    let mut expected = market.clone();
    expected.sort_as_listed();
    expected
}

/// Everything the store holds, read through the interface.
async fn stored_market(store: &Arc<dyn Store>) -> Market {
    Market {
        council: store.council().await.unwrap().expect("a stored council"),
        areas: store.areas().await.unwrap(),
        providers: store.providers().await.unwrap(),
        branches: store.branches().await.unwrap(),
        awards: store.awards().await.unwrap(),
        contracts: store.contracts().await.unwrap(),
        people: store.people().await.unwrap(),
        packages: store.packages().await.unwrap(),
        workers: store.workers().await.unwrap(),
    }
}

/// Compares kind by kind, so a failure shows the kind that differs rather than two markets.
fn assert_same_market(stored: &Market, expected: &Market) {
    assert_eq!(stored.council, expected.council);
    assert_eq!(stored.areas, expected.areas);
    assert_eq!(stored.providers, expected.providers);
    assert_eq!(stored.branches, expected.branches);
    assert_eq!(stored.awards, expected.awards);
    assert_eq!(stored.contracts, expected.contracts);
    assert_eq!(stored.people, expected.people);
    assert_eq!(stored.packages, expected.packages);
    assert_eq!(stored.workers, expected.workers);
}

/// Inserts the fixture market kind by kind, parents first, as an import would.
async fn insert_fixture(store: &Arc<dyn Store>) {
    let batches = [
        Records::Council(fixtures::council()),
        Records::Areas(fixtures::areas()),
        Records::Providers(fixtures::providers()),
        Records::Branches(fixtures::branches()),
        Records::Awards(fixtures::awards()),
        Records::Contracts(fixtures::contracts()),
        Records::People(fixtures::people()),
        Records::Packages(fixtures::packages()),
        Records::Workers(fixtures::workers()),
    ];
    for batch in batches {
        store.insert(batch, ACTOR).await.unwrap();
    }
}

fn counts_of(market: &Market) -> RegisterCounts {
    let count = |length: usize| length as u64;
    RegisterCounts {
        areas: count(market.areas.len()),
        providers: count(market.providers.len()),
        branches: count(market.branches.len()),
        awards: count(market.awards.len()),
        contracts: count(market.contracts.len()),
        people: count(market.people.len()),
        packages: count(market.packages.len()),
        workers: count(market.workers.len()),
    }
}

async fn migrating_again_changes_nothing(store: Arc<dyn Store>, _database: &TestDatabase) {
    store
        .insert(Records::Areas(fixtures::areas()), ACTOR)
        .await
        .unwrap();
    store.migrate().await.unwrap();
    store.migrate().await.unwrap();
    assert_eq!(store.areas().await.unwrap().len(), fixtures::areas().len());
    assert_eq!(store.council().await.unwrap(), None);
}

async fn inserted_records_read_back_exactly(store: Arc<dyn Store>, _database: &TestDatabase) {
    insert_fixture(&store).await;
    let expected = expected_listings(&fixtures::market());
    assert_same_market(&stored_market(&store).await, &expected);
    // The awkward cases the fixture carries, spelled out.
    let areas = store.areas().await.unwrap();
    let names: Vec<&str> = areas.iter().map(|area| area.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Bognor East",
            "East Grinstead",
            "de Montfort",
            "Midhurst & Petworth",
            "Horsham Rural North"
        ]
    );
    let providers = store.providers().await.unwrap();
    assert_eq!(providers[0].id.as_str(), "prov_ab-z");
    assert_eq!(
        providers[0].services,
        fixtures::providers()[0].services,
        "lists keep the order written"
    );
}

async fn a_second_council_replaces_the_first(store: Arc<dyn Store>, _database: &TestDatabase) {
    store
        .insert(Records::Council(fixtures::council()), ACTOR)
        .await
        .unwrap();
    let other = fixtures::other_market().council;
    store
        .insert(Records::Council(other.clone()), ACTOR)
        .await
        .unwrap();
    assert_eq!(store.council().await.unwrap(), Some(other));
}

async fn replacing_the_market_replaces_everything(store: Arc<dyn Store>, _database: &TestDatabase) {
    store
        .replace_market(&fixtures::market(), ACTOR)
        .await
        .unwrap();
    assert_same_market(
        &stored_market(&store).await,
        &expected_listings(&fixtures::market()),
    );

    let other = fixtures::other_market();
    store.replace_market(&other, ACTOR).await.unwrap();
    assert_same_market(&stored_market(&store).await, &expected_listings(&other));
    assert_eq!(store.counts().await.unwrap(), counts_of(&other));

    // What was inserted record by record is replaced too.
    store
        .insert(Records::Areas(fixtures::areas()), ACTOR)
        .await
        .unwrap();
    store.replace_market(&other, ACTOR).await.unwrap();
    assert_eq!(store.counts().await.unwrap(), counts_of(&other));
}

async fn a_duplicate_id_stores_nothing_and_names_the_record(
    store: Arc<dyn Store>,
    _database: &TestDatabase,
) {
    store
        .insert(Records::Areas(fixtures::areas()), ACTOR)
        .await
        .unwrap();

    // Twice within one batch: the second is named.
    let mut people = fixtures::people();
    let mut twin = people[0].clone();
    twin.name = "Another Ada".into();
    people.insert(2, twin);
    let error = store
        .insert(Records::People(people), ACTOR)
        .await
        .unwrap_err();
    let StoreError::Duplicate { kind, index, id } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(
        (*kind, *index, id.as_str()),
        (RecordKind::Person, 2, "per_ada1")
    );
    assert!(
        store.people().await.unwrap().is_empty(),
        "nothing of the batch is stored"
    );

    // Already stored: the record that clashes is named.
    let mut areas = fixtures::areas();
    areas[0].id = fixtures::area_id("brand-new");
    let error = store
        .insert(Records::Areas(areas), ACTOR)
        .await
        .unwrap_err();
    let StoreError::Duplicate { kind, index, id } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(
        (*kind, *index, id.as_str()),
        (RecordKind::Area, 1, "area_de-montfort")
    );
    assert_eq!(
        store.areas().await.unwrap(),
        expected_listings(&fixtures::market()).areas
    );
}

async fn a_missing_reference_stores_nothing_and_names_the_field(
    store: Arc<dyn Store>,
    _database: &TestDatabase,
) {
    store
        .insert(Records::Areas(fixtures::areas()), ACTOR)
        .await
        .unwrap();

    let mut people = fixtures::people();
    people[1].area_id = fixtures::area_id("atlantis");
    let error = store
        .insert(Records::People(people), ACTOR)
        .await
        .unwrap_err();
    let StoreError::MissingReference {
        kind,
        index,
        id,
        message,
        ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(
        (*kind, *index, id.as_str()),
        (RecordKind::Person, 1, "per_bea2")
    );
    assert_eq!(message, "area_id area_atlantis does not exist");
    assert!(store.people().await.unwrap().is_empty());

    // A package whose person exists but whose provider does not: the provider is named.
    store
        .insert(Records::People(fixtures::people()), ACTOR)
        .await
        .unwrap();
    store
        .insert(Records::Providers(fixtures::providers()), ACTOR)
        .await
        .unwrap();
    let mut packages = fixtures::packages();
    packages[3].provider_id = Some(fixtures::provider_id("gone"));
    let error = store
        .insert(Records::Packages(packages), ACTOR)
        .await
        .unwrap_err();
    let StoreError::MissingReference {
        kind,
        index,
        message,
        ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(
        (*kind, *index, message.as_str()),
        (
            RecordKind::Package,
            3,
            "provider_id prov_gone does not exist"
        )
    );
    assert!(store.packages().await.unwrap().is_empty());
}

async fn an_invalid_record_stores_nothing_and_names_its_fields(
    store: Arc<dyn Store>,
    _database: &TestDatabase,
) {
    store
        .insert(Records::Areas(fixtures::areas()), ACTOR)
        .await
        .unwrap();
    let mut people = fixtures::people();
    people[2].name = "  ".into();
    let error = store
        .insert(Records::People(people), ACTOR)
        .await
        .unwrap_err();
    let StoreError::Invalid {
        kind,
        index,
        id,
        errors,
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(
        (*kind, *index, id.as_str()),
        (RecordKind::Person, 2, "per_cyd3")
    );
    assert_eq!(errors.0[0].field, "name");
    assert!(store.people().await.unwrap().is_empty());

    let mut council = fixtures::council();
    council.lot_cap_per_provider = 0;
    let error = store
        .insert(Records::Council(council), ACTOR)
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            StoreError::Invalid {
                kind: RecordKind::Council,
                index: 0,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(store.council().await.unwrap(), None);
}

async fn a_bad_market_leaves_the_register_as_it_was(
    store: Arc<dyn Store>,
    _database: &TestDatabase,
) {
    store
        .replace_market(&fixtures::market(), ACTOR)
        .await
        .unwrap();
    let before = stored_market(&store).await;

    let mut orphan_package = fixtures::other_market();
    orphan_package.packages[0].person_id = fixtures::person_id("nobody");
    let error = store
        .replace_market(&orphan_package, ACTOR)
        .await
        .unwrap_err();
    let StoreError::MissingReference {
        kind,
        index,
        id,
        message,
        ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(
        (*kind, *index, id.as_str()),
        (RecordKind::Package, 0, "pkg_only-one")
    );
    assert_eq!(message, "person_id per_nobody does not exist");

    // A reference to a record stored now but not in the new market is missing too.
    let mut stale_reference = fixtures::other_market();
    stale_reference.people[0].area_id = fixtures::area_id("bognor-east");
    let error = store
        .replace_market(&stale_reference, ACTOR)
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            StoreError::MissingReference {
                kind: RecordKind::Person,
                index: 0,
                ..
            }
        ),
        "{error:?}"
    );

    let mut duplicate = fixtures::market();
    duplicate.workers.push(duplicate.workers[0].clone());
    let error = store.replace_market(&duplicate, ACTOR).await.unwrap_err();
    assert!(
        matches!(
            error,
            StoreError::Duplicate {
                kind: RecordKind::Worker,
                index: 2,
                ..
            }
        ),
        "{error:?}"
    );

    let mut invalid = fixtures::market();
    invalid.contracts[1].hourly_rate.0 = 0;
    let error = store.replace_market(&invalid, ACTOR).await.unwrap_err();
    assert!(
        matches!(
            error,
            StoreError::Invalid {
                kind: RecordKind::Contract,
                index: 1,
                ..
            }
        ),
        "{error:?}"
    );

    assert_same_market(&stored_market(&store).await, &before);
}

async fn demand_counts_only_packages_running_on_the_date(
    store: Arc<dyn Store>,
    _database: &TestDatabase,
) {
    store
        .replace_market(&fixtures::market(), ACTOR)
        .await
        .unwrap();
    let demand = store.area_demand(fixtures::REFERENCE_DATE).await.unwrap();
    let by_area: HashMap<&str, (u32, u32)> = demand
        .iter()
        .map(|(area, demand)| (area.as_str(), (demand.customers, demand.weekly_minutes)))
        .collect();
    // Bognor East: Ada (main 990 + night 60, her ended package left out) and Bea (150): two people.
    // Midhurst: Cyd's package ends on the day, so it counts. Horsham Rural North: Dee's has not started.
    let expected = HashMap::from([
        ("area_bognor-east", (2, 990 + 60 + 150)),
        ("area_midhurst", (1, 135)),
    ]);
    assert_eq!(by_area, expected);
    let areas_in_order: Vec<&str> = demand.iter().map(|(area, _)| area.as_str()).collect();
    assert_eq!(areas_in_order, ["area_bognor-east", "area_midhurst"]);

    // The day after, Cyd's package has ended; before anything started there is no demand at all.
    let next_day = store.area_demand(Date::constant(2019, 8, 8)).await.unwrap();
    assert_eq!(
        next_day
            .iter()
            .map(|(area, _)| area.as_str())
            .collect::<Vec<_>>(),
        ["area_bognor-east"]
    );
    assert!(
        store
            .area_demand(Date::constant(2017, 1, 1))
            .await
            .unwrap()
            .is_empty()
    );

    // The database agrees with the domain's own reckoning on every date that matters.
    let (people, packages): (Vec<Person>, Vec<CarePackage>) =
        (fixtures::people(), fixtures::packages());
    for date in [
        Date::constant(2018, 6, 1),
        Date::constant(2019, 3, 31),
        Date::constant(2019, 4, 1),
        Date::constant(2021, 1, 1),
    ] {
        let stored: HashMap<_, _> = store.area_demand(date).await.unwrap().into_iter().collect();
        assert_eq!(stored, area_demand(&people, &packages, date), "on {date}");
    }
}

async fn counts_count_every_kind(store: Arc<dyn Store>, _database: &TestDatabase) {
    assert_eq!(store.counts().await.unwrap(), RegisterCounts::default());
    insert_fixture(&store).await;
    let counts = store.counts().await.unwrap();
    assert_eq!(counts, counts_of(&fixtures::market()));
    assert_eq!((counts.people, counts.packages), (4, 6));
}

async fn every_write_is_audited_once(store: Arc<dyn Store>, database: &TestDatabase) {
    store
        .insert(Records::Areas(fixtures::areas()), "importer@council")
        .await
        .unwrap();
    let mut people = fixtures::people();
    people[0].area_id = fixtures::area_id("atlantis");
    store
        .insert(Records::People(people), ACTOR)
        .await
        .unwrap_err();
    store.insert(Records::People(vec![]), ACTOR).await.unwrap();
    store
        .replace_market(&fixtures::market(), "admin@council")
        .await
        .unwrap();

    let trail = database.audit_records().await.unwrap();
    let summary: Vec<(i64, &str, &str, &str, i64)> = trail
        .iter()
        .map(|event| {
            (
                event.sequence,
                event.actor.as_str(),
                event.action.as_str(),
                event.record_kind.as_str(),
                event.record_count,
            )
        })
        .collect();
    let total = fixtures::areas().len()
        + fixtures::providers().len()
        + fixtures::branches().len()
        + fixtures::awards().len()
        + fixtures::contracts().len()
        + fixtures::people().len()
        + fixtures::packages().len()
        + fixtures::workers().len();
    assert_eq!(
        summary,
        [
            (1, "importer@council", "import", "areas", 5),
            (2, "admin@council", "replace-market", "market", total as i64)
        ]
    );
    assert_eq!(trail[0].summary, "imported 5 areas");
    assert!(
        trail[1].summary.contains("West Sussex County Council"),
        "{}",
        trail[1].summary
    );
}

async fn unreadable_rows_are_reported_as_corrupt(store: Arc<dyn Store>, database: &TestDatabase) {
    store
        .replace_market(&fixtures::market(), ACTOR)
        .await
        .unwrap();
    database
        .execute("UPDATE people SET funding_route = 'teleport' WHERE id = 'per_bea2'")
        .await
        .unwrap();
    let error = store.people().await.unwrap_err();
    let StoreError::Corrupt { kind, id, message } = &error else {
        panic!("{error:?}")
    };
    assert_eq!((*kind, id.as_str()), (RecordKind::Person, "per_bea2"));
    assert!(
        message.starts_with("funding_route: 'teleport' is not one of"),
        "{message}"
    );

    database
        .execute("UPDATE packages SET weekly_minutes = 1 WHERE id = 'pkg_ada-main'")
        .await
        .unwrap();
    let error = store.packages().await.unwrap_err();
    assert_store_error!(error, StoreError::Corrupt { kind: RecordKind::Package, message, .. } if message.starts_with("weekly_minutes"));

    database
        .execute("UPDATE areas SET tier = 9 WHERE id = 'area_midhurst'")
        .await
        .unwrap();
    let error = store.areas().await.unwrap_err();
    assert_store_error!(error, StoreError::Corrupt { kind: RecordKind::Area, id, .. } if id == "area_midhurst");
}

/// A county-sized market stores, reads back and replaces itself exactly. How long it takes is
/// measured by `homeward demo` in a release build (see the issue notes), not asserted here.
async fn a_county_sized_market_round_trips(store: Arc<dyn Store>, _database: &TestDatabase) {
    let market = county::market();
    store.replace_market(&market, ACTOR).await.unwrap();
    let stored = stored_market(&store).await;
    assert_same_market(&stored, &expected_listings(&market));
    assert_eq!(store.counts().await.unwrap(), counts_of(&market));

    // Replacing it again deletes as much as it writes.
    store.replace_market(&market, ACTOR).await.unwrap();
    let areas: Vec<Area> = store.areas().await.unwrap();
    assert_eq!(areas.len(), market.areas.len());
    assert_eq!(store.counts().await.unwrap(), counts_of(&market));
}

/// The real demo county, as `homeward demo` would store it.
async fn the_west_sussex_demo_round_trips_exactly(store: Arc<dyn Store>, _database: &TestDatabase) {
    let preset = homeward_preset::builtin("west-sussex-2019").unwrap();
    let market = homeward_demo::generate(&preset, 1, &mut homeward_demo::NoProgress);
    store.replace_market(&market, ACTOR).await.unwrap();
    assert_same_market(&stored_market(&store).await, &expected_listings(&market));
    let stored: HashMap<_, _> = store
        .area_demand(market.council.reference_date)
        .await
        .unwrap()
        .into_iter()
        .collect();
    assert_eq!(
        stored,
        area_demand(
            &market.people,
            &market.packages,
            market.council.reference_date
        )
    );
}

/// Writers running at once all succeed, one after another: SQLite waits on its file lock,
/// PostgreSQL on the store's writer lock, and the audit trail numbers each write once.
async fn concurrent_writers_take_turns(store: Arc<dyn Store>, database: &TestDatabase) {
    const WRITERS: usize = 4;
    let writes = (0..WRITERS).map(|writer| {
        let store = Arc::clone(&store);
        tokio::spawn(async move {
            let areas: Vec<Area> = fixtures::areas()
                .into_iter()
                .map(|mut area| {
                    area.id = fixtures::area_id(&format!(
                        "{}-w{writer}",
                        area.id.as_str().trim_start_matches("area_")
                    ));
                    area
                })
                .collect();
            store
                .insert(Records::Areas(areas), &format!("writer {writer}"))
                .await
        })
    });
    let writes: Vec<_> = writes.collect();
    for write in writes {
        write.await.unwrap().unwrap();
    }
    assert_eq!(
        store.counts().await.unwrap().areas,
        (WRITERS * fixtures::areas().len()) as u64
    );
    let sequences: Vec<i64> = database
        .audit_records()
        .await
        .unwrap()
        .iter()
        .map(|event| event.sequence)
        .collect();
    assert_eq!(sequences, (1..=WRITERS as i64).collect::<Vec<_>>());
}
