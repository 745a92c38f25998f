//! Stable, opaque identifiers: a short type prefix and random lower-case letters and digits.
//!
//! They are never database row numbers, so they can appear in URLs and files and survive a move
//! between SQLite and PostgreSQL.

use crate::FieldError;

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident, $prefix:literal) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            /// The prefix every id of this type starts with.
            pub const PREFIX: &'static str = $prefix;

            /// Parses an id for `field`: the prefix, `_`, then 4 to 40 of `a-z`, `0-9` and `-`.
            pub fn parse(text: &str, field: &str) -> Result<Self, FieldError> {
                parse_id(text, $prefix, field).map(Self)
            }

            /// Builds an id from a suffix of random characters drawn by the caller.
            pub fn from_suffix(suffix: &str) -> Result<Self, FieldError> {
                Self::parse(&format!("{}_{}", $prefix, suffix), "id")
            }

            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

id_type!(
    /// Identifies an area.
    AreaId, "area"
);
id_type!(
    /// Identifies a provider.
    ProviderId, "prov"
);
id_type!(
    /// Identifies a provider's branch.
    BranchId, "br"
);
id_type!(
    /// Identifies a lot award.
    AwardId, "awd"
);
id_type!(
    /// Identifies a contract.
    ContractId, "con"
);
id_type!(
    /// Identifies a person receiving care.
    PersonId, "per"
);
id_type!(
    /// Identifies a care package.
    PackageId, "pkg"
);
id_type!(
    /// Identifies a care worker.
    WorkerId, "wkr"
);
id_type!(
    /// Identifies an account.
    AccountId, "acc"
);
id_type!(
    /// Identifies a referral.
    ReferralId, "ref"
);
id_type!(
    /// Identifies an offer of a package to a provider.
    OfferId, "off"
);
id_type!(
    /// Identifies an API token.
    TokenId, "tok"
);
id_type!(
    /// Identifies a dated visit.
    VisitId, "vis"
);
id_type!(
    /// Identifies a branch's roster for one day.
    RosterId, "ros"
);
id_type!(
    /// Identifies a manual correction of a visit's check-in and check-out.
    CorrectionId, "cor"
);
id_type!(
    /// Identifies an issued invoice.
    InvoiceId, "inv"
);

fn parse_id(text: &str, prefix: &str, field: &str) -> Result<String, FieldError> {
    let text = text.trim();
    let Some(suffix) = text
        .strip_prefix(prefix)
        .and_then(|rest| rest.strip_prefix('_'))
    else {
        return Err(FieldError::new(
            field,
            format!("'{text}' must start with '{prefix}_'"),
        ));
    };
    let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-';
    if !(4..=40).contains(&suffix.len()) || !suffix.chars().all(allowed) {
        return Err(FieldError::new(
            field,
            format!("'{text}' must be '{prefix}_' followed by 4 to 40 of a-z, 0-9 and -"),
        ));
    }
    Ok(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_carry_their_prefix() {
        assert_eq!(
            AreaId::parse(" area_k3x9 ", "area").unwrap().as_str(),
            "area_k3x9"
        );
        assert!(
            AreaId::parse("prov_k3x9", "area")
                .unwrap_err()
                .message
                .contains("area_")
        );
        assert!(AreaId::parse("area_K3X9", "area").is_err());
        assert!(AreaId::parse("area_k3", "area").is_err());
        assert_eq!(
            PersonId::from_suffix("abcd").unwrap().to_string(),
            "per_abcd"
        );
    }
}
