//! Closed lists with stable text codes, used in files, URLs and database columns.

use crate::FieldError;

/// Defines an enum whose variants each have a stable code and a human label.
macro_rules! code_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $($(#[$variant_meta:meta])* $variant:ident => $code:literal, $label:literal;)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$variant_meta])* $variant,)+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable code used in files, URLs and the database.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// The label shown to people.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// The variant with this code, if any.
            pub fn from_code(code: &str) -> Option<Self> {
                let code = code.trim();
                Self::ALL.iter().copied().find(|variant| variant.code() == code)
            }

            /// Parses a code for `field`, listing the allowed codes when it is unknown.
            pub fn parse(code: &str, field: &str) -> Result<Self, $crate::FieldError> {
                Self::from_code(code).ok_or_else(|| {
                    let allowed: Vec<&str> = Self::ALL.iter().map(|variant| variant.code()).collect();
                    $crate::FieldError::new(
                        field,
                        format!("'{}' is not one of: {}", code.trim(), allowed.join(", ")),
                    )
                })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

pub(crate) use code_enum;

/// A code enum, for the list helpers below.
pub trait CodeList: Sized + Copy + Ord {
    /// Parses one code for `field`.
    fn parse_one(code: &str, field: &str) -> Result<Self, FieldError>;
    /// The code of this value.
    fn code_of(self) -> &'static str;
}

macro_rules! impl_code_list {
    ($($name:ty),+) => {
        $(impl $crate::codes::CodeList for $name {
            fn parse_one(code: &str, field: &str) -> Result<Self, $crate::FieldError> { <$name>::parse(code, field) }
            fn code_of(self) -> &'static str { self.code() }
        })+
    };
}

pub(crate) use impl_code_list;

/// Parses a `;`-separated list of codes, sorted and without repeats; blank gives an empty list.
pub fn parse_code_list<T: CodeList>(text: &str, field: &str) -> Result<Vec<T>, FieldError> {
    let mut values = Vec::new();
    for part in text
        .split(';')
        .map(str::trim)
        .filter(|part| !part.is_empty())
    {
        values.push(T::parse_one(part, field)?);
    }
    values.sort();
    values.dedup();
    Ok(values)
}

/// Formats a list of codes as `;`-separated text, the inverse of [`parse_code_list`].
pub fn format_code_list<T: CodeList>(values: &[T]) -> String {
    values
        .iter()
        .map(|value| value.code_of())
        .collect::<Vec<_>>()
        .join(";")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Skill;

    #[test]
    fn code_lists_round_trip_sorted_and_unique() {
        let skills: Vec<Skill> = parse_code_list("epilepsy; dementia;epilepsy", "skills").unwrap();
        assert_eq!(skills, vec![Skill::Dementia, Skill::Epilepsy]);
        assert_eq!(format_code_list(&skills), "dementia;epilepsy");
        assert!(parse_code_list::<Skill>("", "skills").unwrap().is_empty());
    }

    #[test]
    fn unknown_codes_name_the_field_and_the_choices() {
        let error = parse_code_list::<Skill>("dementia;juggling", "skills").unwrap_err();
        assert_eq!(error.field, "skills");
        assert!(error.message.starts_with("'juggling' is not one of: "));
        assert!(error.message.contains("dementia"));
    }
}
