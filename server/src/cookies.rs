//! The cookies the server sets and reads, through axum-extra's cookie types (never by hand):
//! `pd_session` carries the session token (HttpOnly, SameSite=Lax, Secure behind HTTPS, as
//! long as the session: `accounts::session`), `pd_account` names the signed-in account for
//! the browser's local copies (readable by the page's script, not a credential),
//! `pd_respondent` is a browser's random key as an anonymous questionnaire respondent
//! (HttpOnly, a year: `crate::evaluations::respondent`). Also the
//! same-site check every state-changing form and socket makes.

use crate::accounts::session::SESSION_MS;
use axum::http::header::{HOST, ORIGIN};
use axum::http::HeaderMap;
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};

pub const COOKIE_NAME: &str = "pd_session";
pub const ACCOUNT_COOKIE: &str = "pd_account";
pub const RESPONDENT_COOKIE: &str = "pd_respondent";
/// How long a browser keeps its respondent key: a year, in seconds.
const RESPONDENT_S: i64 = 365 * 24 * 60 * 60;
/// Longest session token accepted from a cookie (ours are 43 characters).
const MAX_TOKEN_CHARS: usize = 128;

/// A usable session token: present, not empty, not absurdly long.
fn usable(value: &str) -> Option<String> {
    Some(value.trim()).filter(|v| !v.is_empty() && v.len() <= MAX_TOKEN_CHARS).map(str::to_owned)
}

/// The session token of a request, from its `Cookie` headers.
pub fn token_in(headers: &HeaderMap) -> Option<String> {
    CookieJar::from_headers(headers).get(COOKIE_NAME).and_then(|c| usable(c.value()))
}

/// Whether a request comes from this site's own pages: no `Origin` (not a cross-site browser
/// request) or one naming this `Host`.
pub fn same_site(headers: &HeaderMap) -> bool {
    let origin = headers.get(ORIGIN).and_then(|v| v.to_str().ok());
    let host = headers.get(HOST).and_then(|v| v.to_str().ok());
    match (origin, host) {
        (None, _) => true,
        (Some(origin), Some(host)) => origin.split_once("://").is_some_and(|(_, rest)| rest == host),
        (Some(_), None) => false,
    }
}

/// A cookie for the whole site, SameSite=Lax, lasting `max_age_s` seconds (0: removes it).
fn site_cookie(name: &'static str, value: String, http_only: bool, max_age_s: i64, secure: bool) -> String {
    Cookie::build((name, value))
        .path("/")
        .http_only(http_only)
        .same_site(SameSite::Lax)
        .max_age(cookie::time::Duration::seconds(max_age_s))
        .secure(secure)
        .build()
        .to_string()
}

/// `Set-Cookie` for a new session.
pub fn set_cookie(token: &str, secure: bool) -> String {
    site_cookie(COOKIE_NAME, token.to_owned(), true, SESSION_MS / 1000, secure)
}

/// `Set-Cookie` that removes the session cookie.
pub fn clear_cookie(secure: bool) -> String {
    site_cookie(COOKIE_NAME, String::new(), true, 0, secure)
}

/// The respondent key of a request, if it carries a usable one.
pub fn respondent_in(headers: &HeaderMap) -> Option<String> {
    CookieJar::from_headers(headers).get(RESPONDENT_COOKIE).and_then(|c| usable(c.value()))
}

/// `Set-Cookie` for a browser's new respondent key.
pub fn set_respondent_cookie(key: &str, secure: bool) -> String {
    site_cookie(RESPONDENT_COOKIE, key.to_owned(), true, RESPONDENT_S, secure)
}

pub fn set_account_cookie(account: i64, secure: bool) -> String {
    site_cookie(ACCOUNT_COOKIE, account.to_string(), false, SESSION_MS / 1000, secure)
}

pub fn clear_account_cookie(secure: bool) -> String {
    site_cookie(ACCOUNT_COOKIE, String::new(), false, 0, secure)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_is_found_among_others_and_carries_its_flags() {
        // A request may carry several `Cookie` headers (HTTP/2 splits them).
        let token = |values: &[&str]| {
            let mut headers = HeaderMap::new();
            for value in values {
                headers.append(axum::http::header::COOKIE, value.parse().unwrap());
            }
            token_in(&headers)
        };
        assert_eq!(token(&["theme=dark; pd_session=abc123 ", "other=1"]), Some("abc123".into()));
        assert_eq!(token(&["other=1", "pd_session=abc123"]), Some("abc123".into()));
        assert_eq!(token(&["pd_sessionx=1; x=pd_session"]), None);
        assert_eq!(token(&["pd_session="]), None);
        assert_eq!(token(&[]), None);
        let cookie = set_cookie("t", true);
        for flag in ["HttpOnly", "SameSite=Lax", "Path=/", "Secure", "Max-Age=1209600"] {
            assert!(cookie.contains(flag), "{cookie}");
        }
        assert!(!set_cookie("t", false).contains("Secure"));
        assert!(clear_cookie(false).contains("Max-Age=0"));
    }

    #[test]
    fn the_cookie_header_of_a_request_is_read_the_same_way() {
        let mut headers = HeaderMap::new();
        headers.append(axum::http::header::COOKIE, "theme=dark; pd_session=abc123".parse().unwrap());
        assert_eq!(token_in(&headers).as_deref(), Some("abc123"));
        headers.insert(axum::http::header::COOKIE, format!("pd_session={}", "x".repeat(129)).parse().unwrap());
        assert_eq!(token_in(&headers), None);
        assert!(!set_account_cookie(7, false).contains("HttpOnly"));
        assert!(set_account_cookie(7, false).starts_with("pd_account=7"));
    }
}
