//! Reading and setting the two cookies Homeward uses: the session, and the sign-in form's
//! anti-forgery token.

use axum::http::HeaderMap;
use axum::http::header::COOKIE;

/// The session cookie: HttpOnly, SameSite=Lax, the whole site.
pub const SESSION: &str = "homeward_session";
/// The anti-forgery cookie for the sign-in form, before there is a session.
pub const SIGN_IN_CSRF: &str = "homeward_sign_in";
/// A new API token's secret, carried across the redirect after the form to be shown once.
pub const NEW_TOKEN: &str = "homeward_new_token";

/// The value of cookie `name` in the request, if sent.
pub fn read(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

/// A `Set-Cookie` value: HttpOnly and SameSite=Lax always, Secure over TLS.
pub fn set(name: &str, value: &str, max_age_seconds: i64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_seconds}{secure}")
}

/// A `Set-Cookie` value that removes the cookie.
pub fn clear(name: &str, secure: bool) -> String {
    set(name, "", 0, secure)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn reads_one_cookie_among_many() {
        let mut headers = HeaderMap::new();
        headers.insert(
            COOKIE,
            HeaderValue::from_static("a=1; homeward_session=abc; b=2"),
        );
        assert_eq!(read(&headers, SESSION).as_deref(), Some("abc"));
        assert_eq!(read(&headers, "missing"), None);
    }

    #[test]
    fn cookies_are_http_only_and_same_site() {
        assert_eq!(
            set(SESSION, "x", 60, true),
            "homeward_session=x; Path=/; HttpOnly; SameSite=Lax; Max-Age=60; Secure"
        );
        assert!(clear(SESSION, false).contains("Max-Age=0"));
    }
}
