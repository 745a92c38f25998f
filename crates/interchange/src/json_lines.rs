//! Finds the line each element of a top-level JSON array starts on, so that import errors in a
//! JSON file can name a line as they do for CSV.

/// The 1-based line of the first character of each element of the top-level array in `text`.
/// Returns an empty list when `text` is not an array; the JSON parser reports that properly.
pub(crate) fn element_lines(text: &str) -> Vec<u64> {
    let mut lines = Vec::new();
    let mut line = 1u64;
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut expecting_element = false;
    for character in text.chars() {
        if character == '\n' {
            line += 1;
        }
        if in_string {
            match (escaped, character) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        if character.is_whitespace() {
            continue;
        }
        if depth == 1 && expecting_element && character != ']' {
            lines.push(line);
            expecting_element = false;
        }
        match character {
            '"' => in_string = true,
            '[' | '{' => {
                depth += 1;
                if depth == 1 {
                    if character != '[' {
                        return Vec::new();
                    }
                    expecting_element = true;
                }
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            ',' if depth == 1 => expecting_element = true,
            _ => {}
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_each_element_start() {
        let text = "[\n  {\"a\": \"[,]\"},\n  {\"b\": [1, 2]},\n\n  3\n]";
        assert_eq!(element_lines(text), [2, 3, 5]);
        assert_eq!(element_lines("[]"), Vec::<u64>::new());
        assert_eq!(element_lines("{\"a\": 1}"), Vec::<u64>::new());
        assert_eq!(element_lines("[{\"q\": \"say \\\"hi\\\"\"}, {}]"), [1, 1]);
    }
}
