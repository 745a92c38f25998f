//! Who may see and change what: accounts, their roles and scopes, and the rules between them.
//!
//! Care data is special category personal data, so every reader has a scope: the council's
//! staff see the council's register, a provider's staff see their own provider's people and
//! workers, a care worker sees their own record, and a person (or their family) sees their own.

use crate::codes::{code_enum, impl_code_list};
use crate::validation::required_text;
use crate::{FieldError, Invalid, PersonId, ProviderId, WorkerId};
use std::fmt;

code_enum! {
    /// What a person does in Homeward.
    pub enum Role {
        /// Designs areas and tiers, admits providers, awards lots, watches the market.
        Commissioner => "commissioner", "Commissioner";
        /// Takes referrals and places packages.
        Broker => "broker", "Broker";
        /// A provider's coordinator or manager, scoped to one provider.
        ProviderUser => "provider", "Provider";
        /// A care worker, scoped to their own record and visits.
        CareWorker => "care-worker", "Care worker";
        /// A person receiving care, or their family, scoped to that person.
        Person => "person", "Person or family";
    }
}

impl_code_list!(Role);

/// What an account can reach: the whole council, or one provider, worker or person.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Scope {
    /// The council's whole register (commissioners and brokers).
    Council,
    /// One provider's people, workers, branches and contracts.
    Provider(ProviderId),
    /// One care worker's own record and visits.
    Worker(WorkerId),
    /// One person's own record.
    Person(PersonId),
}

impl Scope {
    /// The scope's kind and id as stored: (`council`, none), (`provider`, `prov_…`) and so on.
    pub fn parts(&self) -> (&'static str, Option<&str>) {
        match self {
            Scope::Council => ("council", None),
            Scope::Provider(id) => ("provider", Some(id.as_str())),
            Scope::Worker(id) => ("worker", Some(id.as_str())),
            Scope::Person(id) => ("person", Some(id.as_str())),
        }
    }

    /// Parses the stored form of [`Scope::parts`].
    pub fn from_parts(kind: &str, id: Option<&str>) -> Result<Scope, FieldError> {
        let id = id.unwrap_or_default();
        match kind {
            "council" => Ok(Scope::Council),
            "provider" => ProviderId::parse(id, "scope_id").map(Scope::Provider),
            "worker" => WorkerId::parse(id, "scope_id").map(Scope::Worker),
            "person" => PersonId::parse(id, "scope_id").map(Scope::Person),
            other => Err(FieldError::new(
                "scope",
                format!("'{other}' is not council, provider, worker or person"),
            )),
        }
    }

    /// The scope a role must have, by kind.
    fn fits(&self, role: Role) -> bool {
        matches!(
            (role, self),
            (Role::Commissioner | Role::Broker, Scope::Council)
                | (Role::ProviderUser, Scope::Provider(_))
                | (Role::CareWorker, Scope::Worker(_))
                | (Role::Person, Scope::Person(_))
        )
    }
}

/// An email address, trimmed and lower-cased: enough shape to catch typing mistakes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Email(String);

impl Email {
    /// Parses an address for `field`.
    pub fn parse(text: &str, field: &str) -> Result<Email, FieldError> {
        let text = text.trim().to_lowercase();
        let valid = text.len() <= 254
            && text.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
            })
            && !text.chars().any(|c| c.is_whitespace() || c.is_control());
        if text.is_empty() {
            Err(FieldError::new(field, "Enter an email address"))
        } else if valid {
            Ok(Email(text))
        } else {
            Err(FieldError::new(
                field,
                "Enter an email address in the correct format, like name@example.org",
            ))
        }
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A person who signs in to Homeward.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// Stable id.
    pub id: crate::AccountId,
    /// Sign-in address.
    pub email: Email,
    /// Name shown in the header and the audit log.
    pub name: String,
    /// What they do.
    pub role: Role,
    /// What they can reach.
    pub scope: Scope,
    /// Disabled accounts cannot sign in or use their tokens.
    pub disabled: bool,
}

impl Account {
    /// Checks the rules a stored account must meet: a name, and a scope that fits the role.
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut errors = Vec::new();
        if let Err(error) = required_text(&self.name, "name", 120) {
            errors.push(error);
        }
        if !self.scope.fits(self.role) {
            errors.push(FieldError::new(
                "scope",
                format!(
                    "a {} account cannot have this scope",
                    self.role.label().to_lowercase()
                ),
            ));
        }
        Invalid::check(errors)
    }

    /// Whether the account works for the council rather than a provider or a person.
    pub fn is_council_staff(&self) -> bool {
        self.scope == Scope::Council
    }
}

/// The fewest characters a new password may have: long enough to resist guessing.
pub const PASSWORD_MIN_CHARS: usize = 12;
/// The most characters any password may have, new or typed to sign in: room for any
/// passphrase or manager's password, and a bound on what one attempt can make the server hash.
pub const PASSWORD_MAX_CHARS: usize = 128;

/// Checks a new password: from [`PASSWORD_MIN_CHARS`] to [`PASSWORD_MAX_CHARS`] characters.
pub fn check_new_password(password: &str, field: &str) -> Result<(), FieldError> {
    let length = password.chars().count();
    if length < PASSWORD_MIN_CHARS {
        Err(FieldError::new(
            field,
            "Password must be 12 characters or more",
        ))
    } else if length > PASSWORD_MAX_CHARS {
        Err(FieldError::new(
            field,
            "Password must be 128 characters or fewer",
        ))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::AccountId;

    fn account(role: Role, scope: Scope) -> Account {
        Account {
            id: AccountId::from_suffix("test").unwrap(),
            email: Email::parse("Sam@Example.org", "email").unwrap(),
            name: "Sam".into(),
            role,
            scope,
            disabled: false,
        }
    }

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            Email::parse(" Sam@Example.ORG ", "email").unwrap().as_str(),
            "sam@example.org"
        );
        for bad in [
            "sam",
            "sam@",
            "@example.org",
            "sam@example",
            "sam@.org",
            "s am@example.org",
        ] {
            assert_eq!(
                Email::parse(bad, "email").unwrap_err().field,
                "email",
                "{bad}"
            );
        }
        assert_eq!(
            Email::parse("", "email").unwrap_err().message,
            "Enter an email address"
        );
    }

    #[test]
    fn scopes_must_fit_roles() {
        let provider = ProviderId::from_suffix("test").unwrap();
        assert!(
            account(Role::Commissioner, Scope::Council)
                .validate()
                .is_ok()
        );
        assert!(
            account(Role::ProviderUser, Scope::Provider(provider.clone()))
                .validate()
                .is_ok()
        );
        assert_eq!(
            account(Role::ProviderUser, Scope::Council)
                .validate()
                .unwrap_err()
                .0[0]
                .field,
            "scope"
        );
        assert!(
            account(Role::Broker, Scope::Provider(provider))
                .validate()
                .is_err()
        );
    }

    #[test]
    fn scopes_round_trip_through_their_parts() {
        let scopes = [
            Scope::Council,
            Scope::Person(PersonId::from_suffix("abcd").unwrap()),
        ];
        for scope in scopes {
            let (kind, id) = scope.parts();
            assert_eq!(Scope::from_parts(kind, id).unwrap(), scope);
        }
        assert!(Scope::from_parts("planet", None).is_err());
    }

    #[test]
    fn passwords_have_a_minimum_length() {
        assert!(check_new_password("correct horse", "password").is_ok());
        assert_eq!(
            check_new_password("short", "password").unwrap_err().message,
            "Password must be 12 characters or more"
        );
        assert!(check_new_password(&"é".repeat(128), "password").is_ok());
        let long = check_new_password(&"a".repeat(129), "new_password").unwrap_err();
        assert_eq!(
            (long.field.as_str(), long.message.as_str()),
            ("new_password", "Password must be 128 characters or fewer")
        );
    }
}
