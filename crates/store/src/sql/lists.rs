//! Lists of codes as `;`-separated text, read back in the order written.
//!
//! The domain's list parsers sort their result; the store parses item by item instead, so a list
//! reads back exactly as it was written even if a caller did not sort it.

use homeward_domain::FieldError;

/// Parses `text` item by item with `parse_one`, a domain list parser given one item at a time.
pub(crate) fn parse_in_order<T>(
    text: &str,
    field: &str,
    parse_one: impl Fn(&str, &str) -> Result<Vec<T>, FieldError>,
) -> Result<Vec<T>, FieldError> {
    let mut values = Vec::new();
    for item in text.split(';').filter(|item| !item.trim().is_empty()) {
        values.extend(parse_one(item, field)?);
    }
    Ok(values)
}

#[cfg(test)]
mod tests {
    use super::*;
    use homeward_domain::{Skill, format_code_list, parse_code_list};

    #[test]
    fn unsorted_lists_keep_their_order() {
        let skills = vec![Skill::Hoist, Skill::Dementia, Skill::Hoist];
        let text = format_code_list(&skills);
        assert_eq!(
            parse_in_order(&text, "skills", parse_code_list::<Skill>).unwrap(),
            skills
        );
        assert!(
            parse_in_order("", "skills", parse_code_list::<Skill>)
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            parse_in_order("hoist;juggling", "skills", parse_code_list::<Skill>)
                .unwrap_err()
                .field,
            "skills"
        );
    }
}
