//! Taking a referral in from the broker's form: the person found by their council reference,
//! or someone new made for the referral, then the referral itself through [`Brokerage::refer`].
//! A refused referral stores nobody new.

use crate::{Brokerage, BrokerageError, Progress};
use homeward_domain::brokerage::Referral;
use homeward_domain::{FieldError, FundingRoute, Person, PersonId, SupportReason};
use homeward_store::{Records, StoreError};
use jiff::Timestamp;

/// Someone new to the register, as the referral form names them.
#[derive(Debug, Clone, Copy)]
pub struct NewPerson<'a> {
    /// Their name as typed.
    pub name: &'a str,
    /// The id of their area as chosen.
    pub area_id: &'a str,
    /// How their care is funded; council-arranged when the form has none.
    pub funding_route: Option<FundingRoute>,
    /// Whether their needs are complex.
    pub complex: bool,
}

/// The longest name the form takes for someone new.
const MAX_NAME_CHARS: usize = 120;

impl Brokerage {
    /// The person in the register whose council reference is `reference`, whatever its case.
    pub async fn person_by_reference(&self, reference: &str) -> Result<Option<Person>, StoreError> {
        let reference = reference.trim().to_uppercase();
        Ok(self
            .store()
            .people()
            .await?
            .into_iter()
            .find(|person| person.council_reference.to_uppercase() == reference))
    }

    /// A record for someone new, checked but not stored (see [`Brokerage::take_in`]): living at
    /// their area's centre until an address is recorded, with a council reference of `NEW` and
    /// seven random digits. What is wrong is said of the form's field (`new_name`, `new_area`).
    ///
    /// The form does not ask why they need support, so everyone new is recorded as needing
    /// physical support until their assessment says otherwise.
    pub async fn new_person(&self, new: NewPerson<'_>) -> Result<Person, FieldError> {
        let name = new.name;
        if name.chars().count() > MAX_NAME_CHARS || name.chars().any(char::is_control) {
            return Err(FieldError::new(
                "new_name",
                "Name must be 120 characters or fewer, without control characters",
            ));
        }
        let areas =
            self.store().areas().await.map_err(|_| {
                FieldError::new("new_area", "The areas could not be read; try again")
            })?;
        let area = areas
            .into_iter()
            .find(|candidate| candidate.id.as_str() == new.area_id)
            .ok_or_else(|| FieldError::new("new_area", "Choose the area of someone new"))?;
        let person = Person {
            id: PersonId::from_suffix(&self.ids().suffix())
                .map_err(|error| FieldError::new("new_name", error.message))?,
            council_reference: format!("NEW{}", self.ids().digits(7)),
            nhs_number: None,
            name: name.to_owned(),
            area_id: area.id,
            location: area.centroid,
            funding_route: new.funding_route.unwrap_or(FundingRoute::CouncilArranged),
            support_reason: SupportReason::PhysicalSupport,
            complex_needs: new.complex,
        };
        // The register's own rules for a name, said of the form's field.
        person.validate().map_err(|invalid| {
            let first = invalid
                .0
                .into_iter()
                .next()
                .expect("Invalid is never empty");
            FieldError::new("new_name", format!("Name {}", first.message))
        })?;
        Ok(person)
    }

    /// Takes `referral` in at `now`, audited as `actor`: checked first, then `new_person` (the
    /// referral's person, when they are new to the register) stored, then the referral referred.
    /// A referral its rules refuse stores nobody new.
    pub async fn take_in(
        &self,
        referral: &Referral,
        new_person: Option<&Person>,
        now: Timestamp,
        actor: &str,
    ) -> Result<Progress, BrokerageError> {
        referral.validate_on(homeward_domain::london_date(now))?;
        if let Some(person) = new_person {
            self.store()
                .insert(Records::People(vec![person.clone()]), actor)
                .await?;
        }
        self.refer(referral, now, actor).await
    }
}
