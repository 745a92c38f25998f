//! Migration 0013 gives packages their agreed hourly rate: a package placed at a broadcast step
//! before it takes the quote of the offer that won it, when the quote is one the answer rules
//! allow; packages placed at a one-provider step, or made otherwise, pay the contract's rate. On
//! SQLite and PostgreSQL.

#[path = "contract/fixtures.rs"]
#[allow(dead_code)]
mod fixtures;
#[path = "support/migrations.rs"]
mod migrations;

use homeward_domain::brokerage::ReferralStatus;
use homeward_domain::brokerage::{AccessRoute, Needs, Offer, Referral, StepKind};
use homeward_domain::{
    CarePackage, FundingRoute, OfferId, PackageId, Pence, ReferralId, WeeklyPattern,
    format_code_list,
};
use homeward_store::{Backend, Store};
use jiff::Timestamp;
use jiff::civil::Date;

/// `package` inserted as 0001 stored packages.
fn insert_package(package: &CarePackage) -> String {
    let optional =
        |text: Option<String>| text.map_or("NULL".to_owned(), |text| format!("'{text}'"));
    format!(
        "INSERT INTO packages (id, person_id, provider_id, visit_pattern, weekly_minutes, skills, \
         starts_on, ends_on) VALUES ('{}', '{}', {}, '{}', {}, '{}', '{}', {})",
        package.id,
        package.person_id,
        optional(package.provider_id.as_ref().map(ToString::to_string)),
        package.pattern,
        package.weekly_minutes(),
        format_code_list(&package.skills),
        package.starts_on,
        optional(package.ends_on.map(|date| date.to_string())),
    )
}

/// Ada's referral `suffix`, offered to Weald at `step` and accepted quoting `pence`, then placed
/// with a package of the same suffix, written as the store wrote them before 0013.
async fn placed_before(
    store: &dyn Store,
    pool: &sqlx::AnyPool,
    suffix: &str,
    step: StepKind,
    pence: i64,
) -> PackageId {
    let sent: Timestamp = "2019-08-05T09:00:00Z".parse().unwrap();
    let referral = Referral {
        id: ReferralId::from_suffix(suffix).unwrap(),
        person_id: fixtures::person_id("ada1"),
        area_id: fixtures::area_id("bognor-east"),
        route: AccessRoute::Community,
        needs: Needs {
            pattern: WeeklyPattern::parse("Mon-Fri 10:00 1h").unwrap(),
            skills: vec![],
            complex: false,
        },
        funding_route: FundingRoute::CouncilArranged,
        reablement_potential: false,
        referred_on: Date::constant(2019, 8, 5),
        needed_by: Date::constant(2019, 8, 12),
        discharge_on: None,
    };
    store
        .create_referral(&referral, ReferralStatus::Offering, "test")
        .await
        .unwrap();
    let offer = Offer {
        id: OfferId::from_suffix(suffix).unwrap(),
        provider_id: fixtures::provider_id("weald"),
        step_index: 0,
        step,
        sent_at: sent,
        deadline: sent + jiff::SignedDuration::from_hours(24),
        response: None,
    };
    store
        .create_offers(std::slice::from_ref(&offer), &referral.id, "test")
        .await
        .unwrap();
    let mut package = fixtures::package(
        suffix,
        "ada1",
        "Mon-Fri 10:00 1h",
        Date::constant(2019, 8, 12),
        None,
    );
    package.provider_id = Some(offer.provider_id.clone());
    for statement in [
        format!(
            "UPDATE offers SET response = 'accept', responded_at = '2019-08-05T10:00:00.000000Z', \
             start_on = '2019-08-12', hourly_rate_pence = {pence} WHERE id = '{}'",
            offer.id
        ),
        insert_package(&package),
        format!(
            "UPDATE referrals SET status = 'placed', placed_offer_id = '{}', \
             placed_provider_id = '{}', placed_step = '{}', package_id = '{}', \
             started_on = '2019-08-12', placed_at = '2019-08-05T10:00:00.000000Z' WHERE id = '{}'",
            offer.id,
            offer.provider_id,
            step.code(),
            package.id,
            referral.id
        ),
    ] {
        sqlx::query(&statement).execute(pool).await.unwrap();
    }
    package.id
}

async fn packages_placed_by_quote_before_it_take_their_quotes(backend: Backend) {
    let (database, pool) = migrations::database_before(backend, "0013").await;

    // The register through the store (its statements are the same before 0013, but for
    // packages, written as 0001 stored them).
    let store = homeward_store::connect(database.url(), database.clock())
        .await
        .unwrap();
    let mut market = fixtures::market();
    let standing = std::mem::take(&mut market.packages);
    store.replace_market(&market, "test").await.unwrap();
    for package in &standing {
        sqlx::query(&insert_package(package))
            .execute(&pool)
            .await
            .unwrap();
    }
    let by_spot = placed_before(store.as_ref(), &pool, "by-spot", StepKind::Spot, 1_650).await;
    let by_market = placed_before(
        store.as_ref(),
        &pool,
        "by-market",
        StepKind::DynamicMarket,
        1_720,
    )
    .await;
    let by_lead = placed_before(store.as_ref(), &pool, "by-lead", StepKind::Lead, 1_500).await;
    // A quote from before answers were bounded: no rate a quote could be, so none is agreed.
    let odd = placed_before(store.as_ref(), &pool, "odd-quote", StepKind::Spot, 74_037).await;
    pool.close().await;

    store.migrate().await.unwrap();
    let packages = store.packages().await.unwrap();
    let rate_of = |id: &PackageId| {
        packages
            .iter()
            .find(|package| &package.id == id)
            .unwrap()
            .agreed_hourly_rate
    };
    assert_eq!(rate_of(&by_spot), Some(Pence(1_650)));
    assert_eq!(rate_of(&by_market), Some(Pence(1_720)));
    assert_eq!(rate_of(&by_lead), None);
    assert_eq!(rate_of(&odd), None);
    for package in &standing {
        assert_eq!(rate_of(&package.id), None, "{}", package.id);
    }
    // Migrating again changes nothing.
    store.migrate().await.unwrap();
    assert_eq!(store.packages().await.unwrap(), packages);
}

#[tokio::test]
async fn packages_placed_by_quote_before_it_take_their_quotes_on_sqlite() {
    packages_placed_by_quote_before_it_take_their_quotes(Backend::Sqlite).await;
}

#[tokio::test]
async fn packages_placed_by_quote_before_it_take_their_quotes_on_postgres() {
    packages_placed_by_quote_before_it_take_their_quotes(Backend::Postgres).await;
}
