//! Where sign-in sends people afterwards: a path on this site, or the home page.
//!
//! A browser resolves a `Location` after its own clean-up: it drops tabs and newlines anywhere
//! in a URL, reads `\` as `/`, and treats a leading `//` as another host. So a path is followed
//! only when it has nothing for that clean-up to act on — visible ASCII alone, no backslash —
//! and, as it stands, begins with one `/`. Then what the browser resolves is the text checked,
//! and it cannot leave the site. Percent-escapes are left as they are, as browsers leave them:
//! `/%2F%2Fevil` is a path on this site.

use axum::http::HeaderValue;
use axum::http::StatusCode;
use axum::http::header::LOCATION;
use axum::http::uri::PathAndQuery;
use axum::response::{IntoResponse, Response};

/// The longest `next` followed, in bytes: longer is no path a page of this site links to.
const MAX_LENGTH: usize = 2_048;

/// A path (and query) on this site, checked to be safe as a `Location`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalPath {
    text: String,
    location: HeaderValue,
}

impl LocalPath {
    /// `candidate` if it is a path on this site that no browser takes elsewhere.
    pub fn parse(candidate: &str) -> Option<LocalPath> {
        let plain = candidate.len() <= MAX_LENGTH
            && candidate.starts_with('/')
            && !candidate.starts_with("//")
            && candidate
                .bytes()
                .all(|byte| byte.is_ascii_graphic() && byte != b'\\');
        if !plain {
            return None;
        }
        // A path and query, whole: no fragment or anything else the parser would drop.
        let parsed: PathAndQuery = candidate.parse().ok()?;
        if parsed.as_str() != candidate {
            return None;
        }
        let location = HeaderValue::from_str(candidate).ok()?;
        Some(LocalPath {
            text: candidate.to_owned(),
            location,
        })
    }

    /// The home page.
    pub fn home() -> LocalPath {
        LocalPath {
            text: "/".to_owned(),
            location: HeaderValue::from_static("/"),
        }
    }

    /// `candidate` if it is safe, else the home page.
    pub fn or_home(candidate: Option<&str>) -> LocalPath {
        candidate
            .and_then(LocalPath::parse)
            .unwrap_or_else(LocalPath::home)
    }

    /// The path as text, for the form to carry.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// A `303 See Other` to the path. Nothing in it can fail: the header value was made when
    /// the path was checked.
    pub fn redirect(&self) -> Response {
        (StatusCode::SEE_OTHER, [(LOCATION, self.location.clone())]).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::LocalPath;

    fn followed(candidate: &str) -> String {
        LocalPath::or_home(Some(candidate)).as_str().to_owned()
    }

    #[test]
    fn paths_of_this_site_are_followed() {
        for path in [
            "/",
            "/people?page=2",
            "/audit?actor=acc_x&record_kind=area",
            "/areas/area_x/edit",
            // Escapes stay escaped in a browser: these are paths on this site.
            "/%2F%2Fevil.example",
            "/%5Cevil.example",
            "/%09/evil.example",
            "/%0a/x",
        ] {
            assert_eq!(followed(path), path);
        }
        assert_eq!(LocalPath::or_home(None).as_str(), "/");
    }

    #[test]
    fn anything_a_browser_could_take_elsewhere_is_the_home_page() {
        let long = format!("/{}", "a".repeat(2_048));
        for hostile in [
            // Browsers drop tabs and newlines, leaving `//evil.example`.
            "/\t/evil.example",
            "/\n/x",
            "/\r\n/x",
            "\t//evil.example",
            // Browsers read `\` as `/`.
            "/\\evil.example",
            "/\\/evil.example",
            "\\\\evil.example",
            // Another host, or no path at all.
            "//evil.example",
            "///evil.example",
            "https://evil.example",
            "https:evil.example",
            "javascript:alert(1)",
            "evil.example",
            "",
            // Spaces, controls and anything outside visible ASCII.
            "/ /evil.example",
            "/\u{0}/x",
            "/\u{7f}",
            "/caf\u{e9}",
            "/\u{3000}/evil.example",
            // A fragment the parser would drop, and a path too long to be a page of this site.
            "/people#x",
            long.as_str(),
        ] {
            assert_eq!(followed(hostile), "/", "{hostile:?}");
        }
        assert_eq!(
            followed(&long[..2_048]),
            &long[..2_048],
            "the longest followed"
        );
    }

    #[test]
    fn the_redirect_is_a_see_other_to_the_path() {
        let response = LocalPath::or_home(Some("/people?page=2")).redirect();
        assert_eq!(response.status(), 303);
        assert_eq!(response.headers()["location"], "/people?page=2");
    }
}
