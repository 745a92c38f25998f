//! Reading and setting the cookies Homeward uses: the session, the sign-in form's anti-forgery
//! token, and a new API token's secret on its way to being shown.
//!
//! Over TLS (`WebConfig::secure_cookies`) every name carries the `__Host-` prefix: a browser
//! then takes the cookie only if it is `Secure`, has `Path=/` and names no `Domain`, so neither
//! a sibling subdomain nor a plain-HTTP page can set or overwrite it (session fixation by
//! cookie tossing). Over plain HTTP (the demo on a laptop) browsers refuse such names, so the
//! plain names stay. Reading uses the same name as setting, so a cookie set without the prefix
//! is never read as one with it.

use axum::http::HeaderMap;
use axum::http::header::COOKIE;

/// A cookie the server sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cookie {
    /// The session: HttpOnly, SameSite=Lax, the whole site.
    Session,
    /// The anti-forgery token of the sign-in form, before there is a session.
    SignInForm,
    /// A new API token's secret, carried across the redirect after the form to be shown once.
    NewToken,
}

impl Cookie {
    /// Its name: with the `__Host-` prefix when `secure`.
    pub fn name(self, secure: bool) -> &'static str {
        match (self, secure) {
            (Cookie::Session, false) => "homeward_session",
            (Cookie::Session, true) => "__Host-homeward_session",
            (Cookie::SignInForm, false) => "homeward_sign_in",
            (Cookie::SignInForm, true) => "__Host-homeward_sign_in",
            (Cookie::NewToken, false) => "homeward_new_token",
            (Cookie::NewToken, true) => "__Host-homeward_new_token",
        }
    }
}

/// The value of `cookie` in the request, if sent under the name it is set by.
pub fn read(headers: &HeaderMap, cookie: Cookie, secure: bool) -> Option<String> {
    let name = cookie.name(secure);
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, the whole site and no domain always; `Secure`
/// and the `__Host-` name over TLS.
pub fn set(cookie: Cookie, value: &str, max_age_seconds: i64, secure: bool) -> String {
    let name = cookie.name(secure);
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_seconds}{secure}")
}

/// A `Set-Cookie` value that removes the cookie.
pub fn clear(cookie: Cookie, secure: bool) -> String {
    set(cookie, "", 0, secure)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    /// The prefix that binds a cookie to this host.
    const HOST_PREFIX: &str = "__Host-";

    #[test]
    fn reads_one_cookie_among_many() {
        let mut headers = HeaderMap::new();
        headers.insert(
            COOKIE,
            HeaderValue::from_static("a=1; homeward_session=abc; b=2"),
        );
        assert_eq!(
            read(&headers, Cookie::Session, false).as_deref(),
            Some("abc")
        );
        assert_eq!(read(&headers, Cookie::SignInForm, false), None);
    }

    #[test]
    fn cookies_are_http_only_and_same_site() {
        assert_eq!(
            set(Cookie::Session, "x", 60, false),
            "homeward_session=x; Path=/; HttpOnly; SameSite=Lax; Max-Age=60"
        );
        assert!(clear(Cookie::Session, false).contains("Max-Age=0"));
    }

    #[test]
    fn over_tls_every_cookie_is_bound_to_the_host() {
        for cookie in [Cookie::Session, Cookie::SignInForm, Cookie::NewToken] {
            let set = set(cookie, "x", 60, true);
            assert!(set.starts_with(HOST_PREFIX), "{set}");
            assert!(
                set.contains("; Secure") && set.contains("; Path=/;"),
                "{set}"
            );
            assert!(!set.to_lowercase().contains("domain"), "{set}");
            assert!(!cookie.name(false).starts_with(HOST_PREFIX));
        }
        // What is read is what is set: the plain name is not read over TLS, nor the reverse.
        let mut headers = HeaderMap::new();
        headers.insert(COOKIE, HeaderValue::from_static("homeward_session=plain"));
        assert_eq!(read(&headers, Cookie::Session, true), None);
        headers.insert(
            COOKIE,
            HeaderValue::from_static("__Host-homeward_session=bound"),
        );
        assert_eq!(
            read(&headers, Cookie::Session, true).as_deref(),
            Some("bound")
        );
        assert_eq!(read(&headers, Cookie::Session, false), None);
    }
}
