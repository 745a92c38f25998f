//! Taking a referral in from the broker's form: the person found by their council reference,
//! or someone new made for the referral, stored with it by [`Brokerage::take_in`].

use crate::Brokerage;
use homeward_domain::{FieldError, FundingRoute, Person, PersonId, SupportReason};
use homeward_store::StoreError;

/// Someone new to the register, as the referral form names them.
#[derive(Debug, Clone, Copy)]
pub struct NewPerson<'a> {
    /// Their council case reference as typed.
    pub council_reference: &'a str,
    /// Their name as typed.
    pub name: &'a str,
    /// The id of their area as chosen.
    pub area_id: &'a str,
    /// Why they need support, as chosen; none when nothing was chosen.
    pub support_reason: Option<SupportReason>,
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

    /// A record for someone new, checked but not stored (see [`Brokerage::take_in`]), living at
    /// their area's centre until an address is recorded. Every problem is said of the form's
    /// field (`council_reference`, `new_name`, `new_area`, `new_support_reason`).
    pub async fn new_person(&self, new: NewPerson<'_>) -> Result<Person, Vec<FieldError>> {
        let mut errors = Vec::new();
        let name = new.name;
        if new.council_reference.is_empty() {
            errors.push(FieldError::new(
                "council_reference",
                "Enter the council reference of someone new",
            ));
        }
        if name.chars().count() > MAX_NAME_CHARS || name.chars().any(char::is_control) {
            errors.push(FieldError::new(
                "new_name",
                "Name must be 120 characters or fewer, without control characters",
            ));
        }
        let area = match self.store().areas().await {
            Ok(areas) => {
                let area = areas
                    .into_iter()
                    .find(|candidate| candidate.id.as_str() == new.area_id);
                if area.is_none() {
                    errors.push(FieldError::new(
                        "new_area",
                        "Choose the area of someone new",
                    ));
                }
                area
            }
            Err(_) => {
                errors.push(FieldError::new(
                    "new_area",
                    "The areas could not be read; try again",
                ));
                None
            }
        };
        if new.support_reason.is_none() {
            errors.push(FieldError::new(
                "new_support_reason",
                "Choose why someone new needs support",
            ));
        }
        let (Some(area), Some(support_reason), true) =
            (area, new.support_reason, errors.is_empty())
        else {
            return Err(errors);
        };
        let person = Person {
            id: PersonId::from_suffix(&self.ids().suffix())
                .map_err(|error| vec![FieldError::new("new_name", error.message)])?,
            council_reference: new.council_reference.to_owned(),
            nhs_number: None,
            name: name.to_owned(),
            area_id: area.id,
            location: area.centroid,
            funding_route: new.funding_route.unwrap_or(FundingRoute::CouncilArranged),
            support_reason,
            complex_needs: new.complex,
        };
        // The register's own rules for a reference and a name, said of the form's fields.
        person.validate().map_err(|invalid| {
            invalid
                .0
                .into_iter()
                .map(|error| match error.field.as_str() {
                    "council_reference" => FieldError::new(
                        "council_reference",
                        format!("Council reference {}", error.message),
                    ),
                    _ => FieldError::new("new_name", format!("Name {}", error.message)),
                })
                .collect::<Vec<_>>()
        })?;
        Ok(person)
    }
}
