//! The contract for accounts, sessions, API tokens, audited edits and the audit log: suite
//! functions that `contract.rs` runs against both backends.

use super::fixtures;
use homeward_domain::{Account, AccountId, Email, Role, Scope, TokenId, WorkerId};
use homeward_store::testing::TestDatabase;
use homeward_store::{
    AccessEvent, ApiToken, AuditEvent, AuditFilter, AuditPage, NewSession, PasswordChange,
    RecordKind, Records, Store, StoreError,
};
use jiff::Timestamp;
use serde_json::{Value, json};
use std::sync::Arc;

const ADMIN: &str = "acc_admin";
/// When tokens are looked up: two minutes after the first was made, long before any expires.
const NOW: Timestamp = Timestamp::constant(1_795_564_800 + 120, 0);
const PASSWORD_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$secret-hash-value";

fn account_id(suffix: &str) -> AccountId {
    AccountId::from_suffix(suffix).unwrap()
}

fn token_id(suffix: &str) -> TokenId {
    TokenId::from_suffix(suffix).unwrap()
}

fn email(address: &str) -> Email {
    Email::parse(address, "email").unwrap()
}

fn account(suffix: &str, address: &str, role: Role, scope: Scope) -> Account {
    Account {
        id: account_id(suffix),
        email: email(address),
        name: format!("Person {suffix}"),
        role,
        scope,
        disabled: false,
    }
}

fn commissioner(suffix: &str, address: &str) -> Account {
    account(suffix, address, Role::Commissioner, Scope::Council)
}

/// An instant a whole number of seconds after 2026-11-25T00:00:00Z, plus `micros`.
fn instant(seconds: i64, micros: i32) -> Timestamp {
    Timestamp::new(1_795_564_800 + seconds, micros * 1_000).unwrap()
}

fn token(suffix: &str, account_id: &AccountId, created_at: Timestamp) -> ApiToken {
    ApiToken {
        id: token_id(suffix),
        account_id: account_id.clone(),
        name: format!("Token {suffix}"),
        created_at,
        expires_at: created_at + jiff::SignedDuration::from_hours(24 * 90),
        revoked_at: None,
    }
}

fn parse_json(text: Option<&str>) -> Value {
    serde_json::from_str(text.expect("a JSON object")).unwrap()
}

/// Every event, newest first.
async fn all_events(store: &Arc<dyn Store>) -> Vec<AuditEvent> {
    store
        .audit_events(&AuditFilter::default(), 0, 500)
        .await
        .unwrap()
        .events
}

/// No audit event holds `secret` anywhere.
async fn assert_no_secret_in_the_trail(store: &Arc<dyn Store>, secret: &str) {
    for event in all_events(store).await {
        for text in [&event.before, &event.after].into_iter().flatten() {
            assert!(
                !text.contains(secret),
                "event {} shows a secret: {text}",
                event.sequence
            );
        }
    }
}

pub async fn accounts_are_created_read_and_listed_by_email(
    store: Arc<dyn Store>,
    database: &TestDatabase,
) {
    // By bytes `_` and `-` sort before letters; a locale ignoring punctuation would not.
    let provider_scope = Scope::Provider(fixtures::provider_id("ab-z"));
    let accounts = [
        commissioner("zed1", "ab@example.org"),
        account(
            "pro1",
            "a_z@example.org",
            Role::ProviderUser,
            provider_scope,
        ),
        account(
            "per1",
            "a-b@example.org",
            Role::Person,
            Scope::Person(fixtures::person_id("ada1")),
        ),
    ];
    for account in &accounts {
        store
            .create_account(account, PASSWORD_HASH, ADMIN)
            .await
            .unwrap();
    }

    let listed = store.accounts().await.unwrap();
    let emails: Vec<&str> = listed
        .iter()
        .map(|account| account.email.as_str())
        .collect();
    assert_eq!(
        emails,
        ["a-b@example.org", "a_z@example.org", "ab@example.org"]
    );
    for account in &accounts {
        assert_eq!(
            store.account(&account.id).await.unwrap().as_ref(),
            Some(account)
        );
    }
    assert_eq!(store.account(&account_id("nobody")).await.unwrap(), None);

    let (signing_in, hash) = store
        .account_for_sign_in(&email("A_Z@Example.org"))
        .await
        .unwrap()
        .expect("the account by its normalised address");
    assert_eq!((&signing_in, hash.as_str()), (&accounts[1], PASSWORD_HASH));
    assert_eq!(
        store
            .account_for_sign_in(&email("none@example.org"))
            .await
            .unwrap(),
        None
    );

    // One `create` event each, with every stored field but the hash.
    let page = store
        .audit_events(
            &AuditFilter {
                record_kind: Some("account".into()),
                ..AuditFilter::default()
            },
            0,
            10,
        )
        .await
        .unwrap();
    assert_eq!(page.total, 3);
    let event = &page.events[1];
    assert_eq!(
        (
            event.actor.as_str(),
            event.action.as_str(),
            event.record_kind.as_str(),
            event.record_id.as_deref(),
            event.record_count,
            event.before.as_deref()
        ),
        (ADMIN, "create", "account", Some("acc_pro1"), 1, None)
    );
    let mut after = parse_json(event.after.as_deref());
    let created_at = after["created_at"].take();
    let created_at = created_at.as_str().expect("created_at as text");
    assert_eq!(
        created_at.len(),
        "2026-11-25T09:30:00.000000Z".len(),
        "{created_at}"
    );
    created_at.parse::<Timestamp>().unwrap();
    assert_eq!(
        after,
        json!({
            "id": "acc_pro1",
            "email": "a_z@example.org",
            "name": "Person pro1",
            "role": "provider",
            "scope_kind": "provider",
            "scope_id": "prov_ab-z",
            "disabled": 0,
            "created_at": null,
        })
    );
    assert_no_secret_in_the_trail(&store, "secret-hash-value").await;

    // The stored time is the fixed-width UTC form.
    let trail = database.audit_records().await.unwrap();
    assert!(
        trail
            .iter()
            .all(|event| event.at.len() == 27 && event.at.ends_with('Z')),
        "{trail:?}"
    );
}

pub async fn a_taken_email_or_id_is_a_duplicate(store: Arc<dyn Store>, _database: &TestDatabase) {
    store
        .create_account(
            &commissioner("first", "sam@example.org"),
            PASSWORD_HASH,
            ADMIN,
        )
        .await
        .unwrap();

    // The same address, typed differently: the address is named.
    let error = store
        .create_account(
            &commissioner("second", " SAM@example.ORG"),
            PASSWORD_HASH,
            ADMIN,
        )
        .await
        .unwrap_err();
    let StoreError::Duplicate { kind, index, id } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(
        (*kind, *index, id.as_str()),
        (RecordKind::Account, 0, "sam@example.org")
    );

    // The same id with a new address: the id is named.
    let error = store
        .create_account(
            &commissioner("first", "other@example.org"),
            PASSWORD_HASH,
            ADMIN,
        )
        .await
        .unwrap_err();
    let StoreError::Duplicate { kind, index, id } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(
        (*kind, *index, id.as_str()),
        (RecordKind::Account, 0, "acc_first")
    );

    let emails: Vec<String> = store
        .accounts()
        .await
        .unwrap()
        .into_iter()
        .map(|account| account.email.to_string())
        .collect();
    assert_eq!(emails, ["sam@example.org"]);
    assert_eq!(
        store
            .audit_events(&AuditFilter::default(), 0, 10)
            .await
            .unwrap()
            .total,
        1
    );
}

pub async fn an_invalid_account_stores_nothing(store: Arc<dyn Store>, _database: &TestDatabase) {
    let wrong_scope = account(
        "pro1",
        "pro@example.org",
        Role::ProviderUser,
        Scope::Council,
    );
    let error = store
        .create_account(&wrong_scope, PASSWORD_HASH, ADMIN)
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
        (RecordKind::Account, 0, "acc_pro1")
    );
    assert_eq!(errors.0[0].field, "scope");

    let mut nameless = account(
        "wkr1",
        "worker@example.org",
        Role::CareWorker,
        Scope::Worker(WorkerId::from_suffix("sam1").unwrap()),
    );
    nameless.name = " ".into();
    let error = store
        .create_account(&nameless, PASSWORD_HASH, ADMIN)
        .await
        .unwrap_err();
    assert_store_error!(error, StoreError::Invalid { kind: RecordKind::Account, errors, .. } if errors.0[0].field == "name");

    assert!(store.accounts().await.unwrap().is_empty());
    assert_eq!(
        store
            .audit_events(&AuditFilter::default(), 0, 10)
            .await
            .unwrap()
            .total,
        0
    );
}

pub async fn sessions_end_when_they_expire_or_the_account_is_disabled(
    store: Arc<dyn Store>,
    database: &TestDatabase,
) {
    let sam = commissioner("sam1", "sam@example.org");
    store
        .create_account(&sam, PASSWORD_HASH, ADMIN)
        .await
        .unwrap();
    // Expiring at the turn of a year, given to the nanosecond: stored to the microsecond.
    let expires_at = Timestamp::new(1_830_297_600, 789).unwrap(); // 2028-01-01T00:00:00Z
    let session = NewSession {
        token_hash: "hash-of-session-token".into(),
        account_id: sam.id.clone(),
        csrf_token: "csrf-1".into(),
        created_at: Timestamp::new(1_830_297_600 - 3_600, 0).unwrap(),
        expires_at,
    };
    store.create_session(&session, "192.0.2.7").await.unwrap();

    let just_before = Timestamp::new(1_830_297_599, 999_999_000).unwrap();
    let live = store
        .session("hash-of-session-token", just_before)
        .await
        .unwrap()
        .expect("a live session a microsecond before it expires");
    assert_eq!(live.account, sam);
    assert_eq!(live.csrf_token, "csrf-1");
    assert_eq!(live.expires_at, Timestamp::new(1_830_297_600, 0).unwrap());

    let at_expiry = Timestamp::new(1_830_297_600, 0).unwrap();
    assert_eq!(
        store
            .session("hash-of-session-token", at_expiry)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        store
            .session(
                "hash-of-session-token",
                Timestamp::new(1_900_000_000, 0).unwrap()
            )
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        store
            .session("hash-of-another-token", just_before)
            .await
            .unwrap(),
        None
    );

    // A disabled account's sessions stop working, and start again when it is enabled.
    database
        .execute("UPDATE accounts SET disabled = 1 WHERE id = 'acc_sam1'")
        .await
        .unwrap();
    assert_eq!(
        store
            .session("hash-of-session-token", just_before)
            .await
            .unwrap(),
        None
    );
    database
        .execute("UPDATE accounts SET disabled = 0 WHERE id = 'acc_sam1'")
        .await
        .unwrap();
    assert!(
        store
            .session("hash-of-session-token", just_before)
            .await
            .unwrap()
            .is_some()
    );

    store
        .delete_session("hash-of-session-token", "192.0.2.8")
        .await
        .unwrap();
    assert_eq!(
        store
            .session("hash-of-session-token", just_before)
            .await
            .unwrap(),
        None
    );
    // Ending it again changes nothing and is not audited.
    store
        .delete_session("hash-of-session-token", "192.0.2.8")
        .await
        .unwrap();

    // A session for nobody is refused, naming the account and not the token.
    let orphan = NewSession {
        account_id: account_id("ghost"),
        ..session
    };
    let error = store
        .create_session(&orphan, "192.0.2.7")
        .await
        .unwrap_err();
    let StoreError::MissingReference {
        kind, id, message, ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(
        (*kind, id.as_str(), message.as_str()),
        (
            RecordKind::Session,
            "acc_ghost",
            "account_id acc_ghost does not exist"
        )
    );
    assert!(
        !error.to_string().contains("hash-of-session-token"),
        "{error}"
    );

    // Signing in and out is audited as the account, with the client and no hash; the refused
    // session and the second sign-out are not.
    let events = all_events(&store).await;
    let actions: Vec<(&str, &str, Option<&str>)> = events
        .iter()
        .map(|event| {
            (
                event.action.as_str(),
                event.actor.as_str(),
                event.record_id.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        actions,
        [
            ("sign-out", "acc_sam1", Some("acc_sam1")),
            ("sign-in", "acc_sam1", Some("acc_sam1")),
            ("create", ADMIN, Some("acc_sam1")),
        ]
    );
    assert_eq!(events[1].record_kind, "account");
    assert_eq!(events[1].before, None);
    assert_eq!(
        parse_json(events[1].after.as_deref()),
        json!({"client": "192.0.2.7"})
    );
    assert_eq!(
        parse_json(events[0].after.as_deref()),
        json!({"client": "192.0.2.8"})
    );
    assert_no_secret_in_the_trail(&store, "hash-of-session-token").await;
    assert_no_secret_in_the_trail(&store, "csrf-1").await;
}

pub async fn api_tokens_are_listed_looked_up_and_revoked(
    store: Arc<dyn Store>,
    database: &TestDatabase,
) {
    let ann = commissioner("ann1", "ann@example.org");
    let bob = commissioner("bob1", "bob@example.org");
    for account in [&ann, &bob] {
        store
            .create_account(account, PASSWORD_HASH, ADMIN)
            .await
            .unwrap();
    }
    let older = token("old1", &ann.id, instant(0, 5));
    let newer = token("new1", &ann.id, instant(60, 0));
    let bobs = token("bob1", &bob.id, instant(30, 0));
    for (token, hash) in [
        (&older, "hash-old"),
        (&newer, "hash-new"),
        (&bobs, "hash-bob"),
    ] {
        store
            .create_api_token(token, hash, ann.id.as_str())
            .await
            .unwrap();
    }

    assert_eq!(
        store.api_tokens(&ann.id).await.unwrap(),
        [newer.clone(), older.clone()]
    );
    assert_eq!(
        store.api_tokens(&bob.id).await.unwrap(),
        std::slice::from_ref(&bobs)
    );
    assert!(
        store
            .api_tokens(&account_id("nobody"))
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store.api_token_account("hash-old", NOW).await.unwrap(),
        Some((older.clone(), ann.clone()))
    );
    assert_eq!(
        store.api_token_account("hash-unknown", NOW).await.unwrap(),
        None
    );

    // A token works until just before it expires, to the microsecond, and never after.
    let expiry = newer.expires_at;
    let just_before = expiry - jiff::SignedDuration::from_micros(1);
    assert_eq!(
        store
            .api_token_account("hash-new", just_before)
            .await
            .unwrap(),
        Some((newer.clone(), ann.clone()))
    );
    for later in [expiry, expiry + jiff::SignedDuration::from_hours(1)] {
        assert_eq!(
            store.api_token_account("hash-new", later).await.unwrap(),
            None,
            "at {later}"
        );
    }
    // An expired token is still listed, with its expiry.
    assert_eq!(
        store.api_tokens(&ann.id).await.unwrap()[0].expires_at,
        expiry
    );

    // Another account's token, or one that does not exist, is not revoked.
    let at = instant(120, 250);
    assert!(
        !store
            .revoke_api_token(&bobs.id, &ann.id, at, ann.id.as_str())
            .await
            .unwrap()
    );
    assert!(
        !store
            .revoke_api_token(&token_id("none"), &ann.id, at, ann.id.as_str())
            .await
            .unwrap()
    );
    assert!(
        store
            .api_token_account("hash-bob", NOW)
            .await
            .unwrap()
            .is_some()
    );

    assert!(
        store
            .revoke_api_token(&older.id, &ann.id, at, ann.id.as_str())
            .await
            .unwrap()
    );
    assert!(
        !store
            .revoke_api_token(&older.id, &ann.id, instant(180, 0), ann.id.as_str())
            .await
            .unwrap()
    );
    assert_eq!(
        store.api_token_account("hash-old", NOW).await.unwrap(),
        None
    );
    let revoked = ApiToken {
        revoked_at: Some(at),
        ..older.clone()
    };
    assert_eq!(
        store.api_tokens(&ann.id).await.unwrap(),
        [newer.clone(), revoked]
    );

    // A disabled account's tokens stop working.
    database
        .execute("UPDATE accounts SET disabled = 1 WHERE id = 'acc_ann1'")
        .await
        .unwrap();
    assert_eq!(
        store.api_token_account("hash-new", NOW).await.unwrap(),
        None
    );

    // A token for nobody, or a reused id, is refused and not audited.
    let error = store
        .create_api_token(
            &token("lost", &account_id("ghost"), instant(0, 0)),
            "hash-lost",
            ADMIN,
        )
        .await
        .unwrap_err();
    let StoreError::MissingReference {
        kind, id, message, ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(
        (*kind, id.as_str(), message.as_str()),
        (
            RecordKind::ApiToken,
            "tok_lost",
            "account_id acc_ghost does not exist"
        )
    );
    let error = store
        .create_api_token(&newer, "hash-other", ADMIN)
        .await
        .unwrap_err();
    assert_store_error!(error, StoreError::Duplicate { kind: RecordKind::ApiToken, index: 0, id } if id == "tok_new1");

    // Three creations and one revocation are audited, with no hash anywhere.
    let tokens = AuditFilter {
        record_kind: Some("api-token".into()),
        ..AuditFilter::default()
    };
    let page = store.audit_events(&tokens, 0, 10).await.unwrap();
    let actions: Vec<(&str, Option<&str>)> = page
        .events
        .iter()
        .map(|event| (event.action.as_str(), event.record_id.as_deref()))
        .collect();
    assert_eq!(
        actions,
        [
            ("revoke", Some("tok_old1")),
            ("create", Some("tok_bob1")),
            ("create", Some("tok_new1")),
            ("create", Some("tok_old1"))
        ]
    );
    let created = &page.events[3];
    assert_eq!(
        (created.actor.as_str(), created.before.as_deref()),
        ("acc_ann1", None)
    );
    let before = json!({
        "id": "tok_old1",
        "account_id": "acc_ann1",
        "name": "Token old1",
        "created_at": "2026-11-25T00:00:00.000005Z",
        "expires_at": "2027-02-23T00:00:00.000005Z",
        "revoked_at": null,
    });
    assert_eq!(parse_json(created.after.as_deref()), before);
    let revocation = &page.events[0];
    assert_eq!(parse_json(revocation.before.as_deref()), before);
    let mut after = before.clone();
    after["revoked_at"] = json!("2026-11-25T00:02:00.000250Z");
    assert_eq!(parse_json(revocation.after.as_deref()), after);
    for secret in ["hash-old", "hash-new", "hash-bob"] {
        assert_no_secret_in_the_trail(&store, secret).await;
    }
}

pub async fn updating_an_area_audits_it_before_and_after(
    store: Arc<dyn Store>,
    _database: &TestDatabase,
) {
    store
        .replace_market(&fixtures::market(), ADMIN)
        .await
        .unwrap();
    let mut midhurst = fixtures::areas().remove(3);
    assert_eq!(midhurst.id.as_str(), "area_midhurst");
    midhurst.name = "Midhurst, Petworth & Fernhurst".into();
    midhurst.hard_to_serve = true;
    midhurst.boundary = Some(vec![
        fixtures::point(51.0, -0.8),
        fixtures::point(51.0, -0.7),
        fixtures::point(50.9, -0.75),
    ]);
    store.update_area(&midhurst, "acc_editor").await.unwrap();

    let stored = store.areas().await.unwrap();
    assert_eq!(
        stored.iter().find(|area| area.id == midhurst.id),
        Some(&midhurst)
    );
    assert_eq!(stored.len(), fixtures::areas().len());

    let page = store
        .audit_events(
            &AuditFilter {
                record_id: Some("area_midhurst".into()),
                ..AuditFilter::default()
            },
            0,
            10,
        )
        .await
        .unwrap();
    assert_eq!(page.total, 1);
    let event = &page.events[0];
    assert_eq!(
        (
            event.sequence,
            event.actor.as_str(),
            event.action.as_str(),
            event.record_kind.as_str(),
            event.record_count
        ),
        (2, "acc_editor", "update", "area", 1)
    );
    let before = json!({
        "id": "area_midhurst",
        "name": "Midhurst & Petworth",
        "centroid_latitude_e6": 50_985_412,
        "centroid_longitude_e6": -738_001,
        "boundary": null,
        "tier": 2,
        "rural": 1,
        "district": "Chichester",
        "hard_to_serve": 0,
    });
    assert_eq!(parse_json(event.before.as_deref()), before);
    let mut after = before.clone();
    after["name"] = json!("Midhurst, Petworth & Fernhurst");
    after["hard_to_serve"] = json!(1);
    after["boundary"] = json!("51.000000 -0.800000; 51.000000 -0.700000; 50.900000 -0.750000");
    assert_eq!(parse_json(event.after.as_deref()), after);
    // Keys are sorted, so the same record always audits as the same text.
    assert!(
        event
            .before
            .as_deref()
            .unwrap()
            .starts_with(r#"{"boundary":null,"centroid_latitude_e6":50985412,"#)
    );

    // A missing area is named; an invalid one is refused before anything is read.
    let mut ghost = midhurst.clone();
    ghost.id = fixtures::area_id("ghost-town");
    let error = store.update_area(&ghost, "acc_editor").await.unwrap_err();
    let StoreError::NotFound { kind, id } = &error else {
        panic!("{error:?}")
    };
    assert_eq!((*kind, id.as_str()), (RecordKind::Area, "area_ghost-town"));
    assert_eq!(error.to_string(), "area area_ghost-town does not exist");

    let mut nameless = midhurst.clone();
    nameless.name = String::new();
    let error = store
        .update_area(&nameless, "acc_editor")
        .await
        .unwrap_err();
    assert_store_error!(error, StoreError::Invalid { kind: RecordKind::Area, index: 0, id, .. } if id == "area_midhurst");
    assert_eq!(store.areas().await.unwrap(), stored);
    assert_eq!(
        store
            .audit_events(&AuditFilter::default(), 0, 10)
            .await
            .unwrap()
            .total,
        2
    );
}

pub async fn the_audit_log_filters_and_pages_newest_first(
    store: Arc<dyn Store>,
    database: &TestDatabase,
) {
    // A batch event in the shape written before record-level audit, with jiff's shorter time.
    database
        .execute(
            "INSERT INTO audit_events (sequence, at, actor, action, record_kind, record_count, summary) \
             VALUES (1, '2025-11-25T09:30:00.5Z', 'homeward demo', 'replace-market', 'market', 42, 'replaced')",
        )
        .await
        .unwrap();
    store
        .insert(Records::Areas(fixtures::areas()), "importer")
        .await
        .unwrap();
    for (suffix, actor) in [("one1", "acc_a"), ("two2", "acc_b"), ("three", "acc_a")] {
        let address = format!("{suffix}@example.org");
        store
            .create_account(&commissioner(suffix, &address), PASSWORD_HASH, actor)
            .await
            .unwrap();
    }
    let mut area = fixtures::areas().remove(0);
    area.district = "Arun District".into();
    store.update_area(&area, "acc_a").await.unwrap();

    let everything = store
        .audit_events(&AuditFilter::default(), 0, 100)
        .await
        .unwrap();
    let sequences: Vec<i64> = everything
        .events
        .iter()
        .map(|event| event.sequence)
        .collect();
    assert_eq!((everything.total, sequences), (6, vec![6, 5, 4, 3, 2, 1]));

    let oldest = &everything.events[5];
    assert_eq!(
        oldest,
        &AuditEvent {
            sequence: 1,
            at: Timestamp::new(1_764_063_000, 500_000_000).unwrap(),
            actor: "homeward demo".into(),
            action: "replace-market".into(),
            record_kind: "market".into(),
            record_id: None,
            record_count: 42,
            before: None,
            after: None,
        }
    );
    let import = &everything.events[4];
    assert_eq!(
        (
            import.action.as_str(),
            import.record_kind.as_str(),
            import.record_id.as_deref(),
            import.record_count
        ),
        ("import", "areas", None, 5)
    );
    // An import keeps every record it stored, as a JSON array of their stored fields.
    assert_eq!(import.before, None);
    let stored: serde_json::Value = serde_json::from_str(import.after.as_deref().unwrap()).unwrap();
    let ids: Vec<&str> = stored
        .as_array()
        .unwrap()
        .iter()
        .map(|record| record["id"].as_str().unwrap())
        .collect();
    let expected: Vec<String> = fixtures::areas()
        .iter()
        .map(|area| area.id.to_string())
        .collect();
    assert_eq!(ids, expected);

    let by = |filter: AuditFilter| {
        let store = Arc::clone(&store);
        async move {
            let page: AuditPage = store.audit_events(&filter, 0, 100).await.unwrap();
            let sequences: Vec<i64> = page.events.iter().map(|event| event.sequence).collect();
            (page.total, sequences)
        }
    };
    let filter = AuditFilter::default;
    assert_eq!(
        by(AuditFilter {
            actor: Some("acc_a".into()),
            ..filter()
        })
        .await,
        (3, vec![6, 5, 3])
    );
    assert_eq!(
        by(AuditFilter {
            action: Some("create".into()),
            ..filter()
        })
        .await,
        (3, vec![5, 4, 3])
    );
    assert_eq!(
        by(AuditFilter {
            record_kind: Some("areas".into()),
            ..filter()
        })
        .await,
        (1, vec![2])
    );
    assert_eq!(
        by(AuditFilter {
            record_id: Some(area.id.as_str().into()),
            ..filter()
        })
        .await,
        (1, vec![6])
    );
    assert_eq!(
        by(AuditFilter {
            actor: Some("acc_a".into()),
            action: Some("create".into()),
            ..filter()
        })
        .await,
        (2, vec![5, 3])
    );
    // Exact matches only: no prefixes, no case folding.
    assert_eq!(
        by(AuditFilter {
            actor: Some("acc_".into()),
            ..filter()
        })
        .await,
        (0, vec![])
    );
    assert_eq!(
        by(AuditFilter {
            action: Some("CREATE".into()),
            ..filter()
        })
        .await,
        (0, vec![])
    );

    // Pages: the total counts every match whatever the page holds.
    let page = |offset: u64, limit: u64| {
        let store = Arc::clone(&store);
        async move {
            let page = store
                .audit_events(&AuditFilter::default(), offset, limit)
                .await
                .unwrap();
            (
                page.total,
                page.events
                    .iter()
                    .map(|event| event.sequence)
                    .collect::<Vec<_>>(),
            )
        }
    };
    assert_eq!(page(0, 2).await, (6, vec![6, 5]));
    assert_eq!(page(2, 2).await, (6, vec![4, 3]));
    assert_eq!(page(4, 2).await, (6, vec![2, 1]));
    assert_eq!(page(6, 2).await, (6, vec![]));
    assert_eq!(page(5, 10).await, (6, vec![1]));
    assert_eq!(page(0, 0).await, (6, vec![]));
    assert_eq!(page(u64::MAX, u64::MAX).await, (6, vec![]));

    // However many are asked for, a page holds at most 500.
    database
        .execute(
            "WITH RECURSIVE numbers (n) AS (SELECT 7 UNION ALL SELECT n + 1 FROM numbers WHERE n < 606) \
             INSERT INTO audit_events (sequence, at, actor, action, record_kind, record_count, summary) \
             SELECT n, '2026-11-25T10:00:00.000000Z', 'bulk', 'import', 'people', 1, 'imported 1 people' FROM numbers",
        )
        .await
        .unwrap();
    let (total, sequences) = page(0, 10_000).await;
    assert_eq!((total, sequences.len()), (606, 500));
    assert_eq!((sequences[0], sequences[499]), (606, 107));
    assert_eq!(
        page(500, 10_000).await.1,
        (1..=106).rev().collect::<Vec<_>>()
    );
}

pub async fn replacing_the_market_keeps_accounts_sessions_and_tokens(
    store: Arc<dyn Store>,
    _database: &TestDatabase,
) {
    store
        .replace_market(&fixtures::market(), "homeward demo")
        .await
        .unwrap();
    // Scoped to a provider and a person that the next market does not have.
    let provider_user = account(
        "pro1",
        "pro@example.org",
        Role::ProviderUser,
        Scope::Provider(fixtures::provider_id("ab-z")),
    );
    let family = account(
        "fam1",
        "fam@example.org",
        Role::Person,
        Scope::Person(fixtures::person_id("bea2")),
    );
    for account in [&provider_user, &family] {
        store
            .create_account(account, PASSWORD_HASH, ADMIN)
            .await
            .unwrap();
    }
    let session = NewSession {
        token_hash: "session-hash".into(),
        account_id: provider_user.id.clone(),
        csrf_token: "csrf".into(),
        created_at: instant(0, 0),
        expires_at: instant(3_600, 0),
    };
    store.create_session(&session, "192.0.2.7").await.unwrap();
    let api_token = token("feed", &family.id, instant(0, 0));
    store
        .create_api_token(&api_token, "token-hash", ADMIN)
        .await
        .unwrap();

    for market in [
        fixtures::other_market(),
        fixtures::market(),
        fixtures::other_market(),
    ] {
        store
            .replace_market(&market, "homeward demo")
            .await
            .unwrap();
        assert_eq!(
            store.accounts().await.unwrap(),
            [family.clone(), provider_user.clone()]
        );
        let live = store.session("session-hash", instant(60, 0)).await.unwrap();
        assert_eq!(
            live.map(|session| session.account),
            Some(provider_user.clone())
        );
        assert_eq!(
            store
                .api_token_account("token-hash", instant(60, 0))
                .await
                .unwrap(),
            Some((api_token.clone(), family.clone()))
        );
    }
    assert!(
        store
            .people()
            .await
            .unwrap()
            .iter()
            .all(|person| person.id.as_str() != "per_bea2")
    );
    assert!(store.providers().await.unwrap().is_empty());
}

/// Audited writes of every kind at once: each waits its turn, and the trail numbers them 1 to N
/// with no gaps and no repeats.
pub async fn concurrent_audited_writes_keep_the_trail_gap_free(
    store: Arc<dyn Store>,
    _database: &TestDatabase,
) {
    const WRITERS: usize = 4;
    store
        .insert(Records::Areas(fixtures::areas()), "importer")
        .await
        .unwrap();
    let owner = commissioner("owner", "owner@example.org");
    store
        .create_account(&owner, PASSWORD_HASH, ADMIN)
        .await
        .unwrap();
    for writer in 0..WRITERS {
        let token = token(&format!("pre{writer}"), &owner.id, instant(0, 0));
        store
            .create_api_token(&token, &format!("pre-hash-{writer}"), ADMIN)
            .await
            .unwrap();
    }
    // Each writer: an account, a token, a revocation, an area edit, a refused revocation (not
    // audited) and a sign-in (a session, audited as the account, which is the writer's).
    let writes = (0..WRITERS).map(|writer| {
        let store = Arc::clone(&store);
        let owner = owner.clone();
        tokio::spawn(async move {
            let actor = format!("acc_writer{writer}");
            let account = commissioner(
                &format!("writer{writer}"),
                &format!("writer{writer}@example.org"),
            );
            store
                .create_account(&account, PASSWORD_HASH, &actor)
                .await?;
            let new_token = token(&format!("new{writer}"), &owner.id, instant(1, 0));
            store
                .create_api_token(&new_token, &format!("new-hash-{writer}"), &actor)
                .await?;
            let revoked = store
                .revoke_api_token(
                    &token_id(&format!("pre{writer}")),
                    &owner.id,
                    instant(2, 0),
                    &actor,
                )
                .await?;
            assert!(revoked);
            let mut area = fixtures::areas().remove(writer);
            area.district = format!("District {writer}");
            store.update_area(&area, &actor).await?;
            let refused = store
                .revoke_api_token(&token_id("missing"), &owner.id, instant(3, 0), &actor)
                .await?;
            assert!(!refused);
            let session = NewSession {
                token_hash: format!("session-{writer}"),
                account_id: account.id.clone(),
                csrf_token: "csrf".into(),
                created_at: instant(0, 0),
                expires_at: instant(60, 0),
            };
            store.create_session(&session, "192.0.2.7").await?;
            Ok::<(), StoreError>(())
        })
    });
    let writes: Vec<_> = writes.collect();
    for write in writes {
        write.await.unwrap().unwrap();
    }

    let expected = 1 + 1 + WRITERS + WRITERS * 5;
    let page = store
        .audit_events(&AuditFilter::default(), 0, 500)
        .await
        .unwrap();
    let mut sequences: Vec<i64> = page.events.iter().map(|event| event.sequence).collect();
    sequences.reverse();
    assert_eq!(page.total, expected as u64);
    assert_eq!(sequences, (1..=expected as i64).collect::<Vec<_>>());
    for writer in 0..WRITERS {
        let filter = AuditFilter {
            actor: Some(format!("acc_writer{writer}")),
            ..AuditFilter::default()
        };
        let mine = store.audit_events(&filter, 0, 10).await.unwrap();
        let actions: Vec<&str> = mine
            .events
            .iter()
            .rev()
            .map(|event| event.action.as_str())
            .collect();
        assert_eq!(actions, ["create", "create", "revoke", "update", "sign-in"]);
    }
    assert_eq!(store.accounts().await.unwrap().len(), WRITERS + 1);
}

pub async fn an_area_stored_as_it_is_writes_nothing(
    store: Arc<dyn Store>,
    _database: &TestDatabase,
) {
    store
        .replace_market(&fixtures::market(), ADMIN)
        .await
        .unwrap();
    let version = store.register_version().await.unwrap();
    for area in fixtures::areas() {
        store.update_area(&area, "acc_editor").await.unwrap();
    }
    assert_eq!(
        store.register_version().await.unwrap(),
        version,
        "no audit event, nothing written"
    );
    let by_editor = AuditFilter {
        actor: Some("acc_editor".into()),
        ..AuditFilter::default()
    };
    assert_eq!(
        store.audit_events(&by_editor, 0, 10).await.unwrap().total,
        0
    );

    // A change is written and audited once; the same change again is not.
    let mut changed = fixtures::areas().remove(1);
    changed.hard_to_serve = !changed.hard_to_serve;
    for _ in 0..2 {
        store.update_area(&changed, "acc_editor").await.unwrap();
    }
    let events = store.audit_events(&by_editor, 0, 10).await.unwrap();
    assert_eq!(events.total, 1);
    assert_eq!(
        events.events[0].record_id.as_deref(),
        Some(changed.id.as_str())
    );
    assert!(store.areas().await.unwrap().contains(&changed));
}

pub async fn failed_sign_ins_and_lock_outs_are_audited_by_client(
    store: Arc<dyn Store>,
    _database: &TestDatabase,
) {
    let sam = commissioner("sam1", "sam@example.org");
    store
        .create_account(&sam, PASSWORD_HASH, ADMIN)
        .await
        .unwrap();
    let client = "2001:db8::7";
    for event in [
        AccessEvent::SignInFailed {
            account_id: Some(sam.id.clone()),
            client: client.into(),
        },
        AccessEvent::SignInFailed {
            account_id: None,
            client: client.into(),
        },
        AccessEvent::LockOut {
            account_id: Some(sam.id.clone()),
            client: client.into(),
            locked: "this client for this account".into(),
            minutes: 15,
        },
        AccessEvent::LockOut {
            account_id: None,
            client: client.into(),
            locked: "this client".into(),
            minutes: 15,
        },
    ] {
        store.record_access_event(&event).await.unwrap();
    }
    let events = all_events(&store).await;
    let seen: Vec<(&str, &str, &str, Option<&str>, i64)> = events
        .iter()
        .map(|event| {
            (
                event.action.as_str(),
                event.actor.as_str(),
                event.record_kind.as_str(),
                event.record_id.as_deref(),
                event.record_count,
            )
        })
        .collect();
    let actor = "client 2001:db8::7";
    assert_eq!(
        seen,
        [
            ("lock-out", actor, "account", None, 0),
            ("lock-out", actor, "account", Some("acc_sam1"), 1),
            ("sign-in-failed", actor, "account", None, 0),
            ("sign-in-failed", actor, "account", Some("acc_sam1"), 1),
            ("create", ADMIN, "account", Some("acc_sam1"), 1),
        ]
    );
    assert_eq!(
        parse_json(events[3].after.as_deref()),
        json!({"client": client})
    );
    assert_eq!(
        parse_json(events[1].after.as_deref()),
        json!({"client": client, "locked": "this client for this account", "minutes": 15})
    );
    // Neither event holds the address typed: the account's creation alone does.
    for event in &events[..4] {
        assert_eq!(event.before, None);
        assert!(
            !format!("{event:?}").contains("sam@example.org"),
            "{event:?}"
        );
    }
}

/// A session of `account` made from `hash`, living a day from `NOW`.
fn session_of(account: &Account, hash: &str) -> NewSession {
    NewSession {
        token_hash: hash.into(),
        account_id: account.id.clone(),
        csrf_token: format!("csrf-{hash}"),
        created_at: NOW,
        expires_at: NOW + jiff::SignedDuration::from_hours(24),
    }
}

pub async fn changing_a_password_ends_every_other_session_and_rotates_its_own(
    store: Arc<dyn Store>,
    _database: &TestDatabase,
) {
    let sam = commissioner("sam1", "sam@example.org");
    let kim = commissioner("kim1", "kim@example.org");
    for account in [&sam, &kim] {
        store
            .create_account(account, PASSWORD_HASH, ADMIN)
            .await
            .unwrap();
    }
    for (account, hash) in [
        (&sam, "sam-laptop"),
        (&sam, "sam-phone"),
        (&sam, "sam-office"),
        (&kim, "kim-laptop"),
    ] {
        store
            .create_session(&session_of(account, hash), "192.0.2.7")
            .await
            .unwrap();
    }
    let change = PasswordChange {
        password_hash: "$argon2id$v=19$new-hash-value".into(),
        from_session_hash: "sam-laptop".into(),
        rotated: session_of(&sam, "sam-laptop-rotated"),
    };
    let ended = store.change_password(&change, "192.0.2.9").await.unwrap();
    assert_eq!(ended, 2, "the phone and the office");

    let live = |hash: &'static str| {
        let store = store.clone();
        async move { store.session(hash, NOW).await.unwrap().is_some() }
    };
    assert!(live("sam-laptop-rotated").await);
    for ended in ["sam-laptop", "sam-phone", "sam-office"] {
        assert!(!live(ended).await, "{ended}");
    }
    assert!(live("kim-laptop").await, "another account's sessions stand");
    let (_, hash) = store
        .account_for_sign_in(&sam.email)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(hash, "$argon2id$v=19$new-hash-value");

    // Audited as the account, with the client and the count, and no hash or token.
    let events = all_events(&store).await;
    let event = &events[0];
    assert_eq!(
        (
            event.action.as_str(),
            event.actor.as_str(),
            event.record_kind.as_str(),
            event.record_id.as_deref()
        ),
        ("password-change", "acc_sam1", "account", Some("acc_sam1"))
    );
    assert_eq!(
        parse_json(event.after.as_deref()),
        json!({"client": "192.0.2.9", "other_sessions_ended": 2})
    );
    for secret in ["new-hash-value", "sam-laptop", "sam-phone"] {
        assert_no_secret_in_the_trail(&store, secret).await;
    }

    // For an account that does not exist nothing is written.
    let version = store.register_version().await.unwrap();
    let ghost = commissioner("ghost", "ghost@example.org");
    let error = store
        .change_password(
            &PasswordChange {
                password_hash: "x".into(),
                from_session_hash: "kim-laptop".into(),
                rotated: session_of(&ghost, "ghost-session"),
            },
            "192.0.2.9",
        )
        .await
        .unwrap_err();
    assert_store_error!(error, StoreError::NotFound { kind: RecordKind::Account, id } if id == "acc_ghost");
    assert_eq!(store.register_version().await.unwrap(), version);
    assert!(live("kim-laptop").await);
}

pub async fn sessions_keep_when_they_were_last_used_and_where_from(
    store: Arc<dyn Store>,
    _database: &TestDatabase,
) {
    let sam = commissioner("sam1", "sam@example.org");
    let kim = commissioner("kim1", "kim@example.org");
    for account in [&sam, &kim] {
        store
            .create_account(account, PASSWORD_HASH, ADMIN)
            .await
            .unwrap();
    }
    let started = |hash: &str, account: &Account, seconds: i64| NewSession {
        created_at: instant(seconds, 0),
        expires_at: instant(seconds + 8 * 3600, 0),
        ..session_of(account, hash)
    };
    store
        .create_session(&started("sam-laptop", &sam, 0), "192.0.2.7")
        .await
        .unwrap();
    store
        .create_session(&started("sam-phone", &sam, 60), "2001:db8::9")
        .await
        .unwrap();
    store
        .create_session(&started("kim-laptop", &kim, 0), "192.0.2.8")
        .await
        .unwrap();

    // A new session was last seen when it was made; seeing it moves that on, never back.
    let seen = |hash: &'static str| {
        let store = store.clone();
        async move {
            store
                .session(hash, instant(600, 0))
                .await
                .unwrap()
                .unwrap()
                .last_seen_at
        }
    };
    assert_eq!(seen("sam-laptop").await, instant(0, 0));
    store
        .touch_session("sam-laptop", instant(300, 123_456))
        .await
        .unwrap();
    assert_eq!(seen("sam-laptop").await, instant(300, 123_456));
    store
        .touch_session("sam-laptop", instant(200, 0))
        .await
        .unwrap();
    assert_eq!(
        seen("sam-laptop").await,
        instant(300, 123_456),
        "never back"
    );
    store
        .touch_session("no-such-session", instant(300, 0))
        .await
        .unwrap();

    // The account's sessions, last used first, with where each was started from; not another
    // account's, nor one that has expired.
    let listed = store
        .account_sessions(&sam.id, instant(600, 0))
        .await
        .unwrap();
    let summary: Vec<(&str, Timestamp, Timestamp, Option<&str>)> = listed
        .iter()
        .map(|session| {
            (
                session.token_hash.as_str(),
                session.created_at,
                session.last_seen_at,
                session.client.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "sam-laptop",
                instant(0, 0),
                instant(300, 123_456),
                Some("192.0.2.7")
            ),
            (
                "sam-phone",
                instant(60, 0),
                instant(60, 0),
                Some("2001:db8::9")
            ),
        ]
    );
    assert_eq!(listed[0].expires_at, instant(8 * 3600, 0));
    let later = store
        .account_sessions(&sam.id, instant(8 * 3600 + 30, 0))
        .await
        .unwrap();
    assert_eq!(later.len(), 1, "the laptop's session has expired");

    // Ending the others keeps the one in hand and the other account's, audited once.
    let version = store.register_version().await.unwrap();
    let ended = store
        .end_other_sessions(&sam.id, "sam-laptop", "192.0.2.7")
        .await
        .unwrap();
    assert_eq!(ended, 1);
    assert!(
        store
            .session("sam-phone", instant(600, 0))
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .session("sam-laptop", instant(600, 0))
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        store
            .session("kim-laptop", instant(600, 0))
            .await
            .unwrap()
            .is_some()
    );
    let events = all_events(&store).await;
    assert_eq!(
        (
            events[0].action.as_str(),
            events[0].actor.as_str(),
            events[0].record_id.as_deref()
        ),
        ("end-other-sessions", "acc_sam1", Some("acc_sam1"))
    );
    assert_eq!(
        parse_json(events[0].after.as_deref()),
        json!({"client": "192.0.2.7", "sessions_ended": 1})
    );
    assert_eq!(store.register_version().await.unwrap(), version + 1);
    // With none left to end, nothing is written.
    assert_eq!(
        store
            .end_other_sessions(&sam.id, "sam-laptop", "192.0.2.7")
            .await
            .unwrap(),
        0
    );
    assert_eq!(store.register_version().await.unwrap(), version + 1);
    assert_no_secret_in_the_trail(&store, "sam-phone").await;
}
