//! A new referral with, when the person is new to the register, the person it is for: one
//! transaction, so that a referral refused by the database leaves no person behind.

use super::reablement::start_episode;
use super::{SqlStore, append, created, invalid, validate};
use crate::sql::TableRecord;
use crate::{RecordKind, ReferralStart, StoreError};
use homeward_domain::Person;
use homeward_domain::brokerage::Referral;
use homeward_domain::brokerage::{ReferralRecord, ReferralStatus};

/// Stores `new_person` (when given), `referral` and, for a start in reablement, its episode, in
/// one transaction, each audited as it is written.
pub(super) async fn create_person_and_referral(
    store: &SqlStore,
    new_person: Option<&Person>,
    referral: &Referral,
    start: &ReferralStart,
    actor: &str,
) -> Result<(), StoreError> {
    if let Some(person) = new_person
        && person.id != referral.person_id
    {
        return Err(invalid(
            RecordKind::Referral,
            referral.id.as_str(),
            "person_id",
            format!(
                "The new person is {}, not {}",
                person.id, referral.person_id
            ),
        ));
    }
    let (status, episode) = match start {
        ReferralStart::At(status) => (*status, None),
        ReferralStart::Reablement(episode) => (ReferralStatus::Reablement, Some(episode)),
    };
    if let Some(episode) = episode
        && episode.referral_id != referral.id
    {
        return Err(invalid(
            RecordKind::ReablementEpisode,
            episode.referral_id.as_str(),
            "referral_id",
            format!("The episode is not referral {}'s", referral.id),
        ));
    }
    let record = ReferralRecord {
        referral: referral.clone(),
        status,
        placement: None,
        created_at: store.now(),
    };
    if let Some(person) = new_person {
        validate(person)?;
    }
    validate(&record)?;
    if let Some(episode) = episode {
        validate(episode)?;
    }
    let mut transaction = store.begin_write().await?;
    if let Some(person) = new_person {
        transaction = store.insert_or_explain(transaction, person, 0).await?;
        append(&mut transaction, store.now(), created(actor, person)).await?;
    }
    // A failure here rolls the person back with the referral.
    let mut transaction = match store.insert_or_explain(transaction, &record, 0).await {
        Ok(transaction) => transaction,
        Err(error) => return Err(without_the_newcomer(store, error, &record, new_person).await),
    };
    append(&mut transaction, store.now(), created(actor, &record)).await?;
    if let Some(episode) = episode {
        transaction = start_episode(store, transaction, episode, actor).await?;
    }
    transaction.commit().await.map_err(StoreError::database)
}

/// `error` for the referral `record`, told again without the new person when it is a missing
/// reference: the explanation looks each reference up after the rollback, when the person
/// written in the same transaction is gone too, though they were not what was missing.
async fn without_the_newcomer(
    store: &SqlStore,
    error: StoreError,
    record: &ReferralRecord,
    new_person: Option<&Person>,
) -> StoreError {
    let (
        StoreError::MissingReference {
            kind, index, id, ..
        },
        Some(person),
    ) = (&error, new_person)
    else {
        return error;
    };
    let others = record
        .references()
        .into_iter()
        .filter(|reference| !(reference.field == "person_id" && reference.id == person.id.as_str()))
        .collect();
    match store.missing_in(others).await {
        Some(missing) => StoreError::MissingReference {
            kind: *kind,
            index: *index,
            id: id.clone(),
            field: Some(missing.field),
            message: missing.message,
        },
        None => error,
    }
}
