//! Session tokens and their cookie. A token is 32 random bytes (base64url); the database keeps
//! only its SHA-256, so a leaked database opens no session. The cookie is HttpOnly,
//! SameSite=Lax, Secure when the server is told it is behind HTTPS, and lasts as long as the
//! session.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sha2::{Digest, Sha256};

pub const COOKIE_NAME: &str = "pd_session";
/// How long a session lasts after sign-in.
pub const SESSION_DAYS: i64 = 14;
pub const SESSION_MS: i64 = SESSION_DAYS * 24 * 60 * 60 * 1000;

/// A fresh random token.
pub fn new_token() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// What the database keeps of a token.
pub fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// The session token in a request's `Cookie` header(s), if any.
pub fn token_from_cookies<'a>(cookie_headers: impl Iterator<Item = &'a str>) -> Option<String> {
    cookie_headers
        .flat_map(|header| header.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE_NAME)
        .map(|(_, value)| value.trim().to_owned())
        .filter(|value| !value.is_empty() && value.len() <= 128)
}

/// Whether a request comes from this site's own pages: no `Origin` (not a cross-site browser
/// request) or one naming this `Host`.
pub fn same_site(headers: &axum::http::HeaderMap) -> bool {
    use axum::http::header::{HOST, ORIGIN};
    let origin = headers.get(ORIGIN).and_then(|v| v.to_str().ok());
    let host = headers.get(HOST).and_then(|v| v.to_str().ok());
    match (origin, host) {
        (None, _) => true,
        (Some(origin), Some(host)) => origin.split_once("://").is_some_and(|(_, rest)| rest == host),
        (Some(_), None) => false,
    }
}

/// The session token of a request, from its `Cookie` headers.
pub fn token_in(headers: &axum::http::HeaderMap) -> Option<String> {
    token_from_cookies(headers.get_all(axum::http::header::COOKIE).iter().filter_map(|v| v.to_str().ok()))
}

/// `Set-Cookie` for a new session.
pub fn set_cookie(token: &str, secure: bool) -> String {
    format!("{COOKIE_NAME}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{}", SESSION_MS / 1000, secure_flag(secure))
}

/// The cookie naming the signed-in account for the browser's local copies (`pd_account`):
/// readable by the page's script, not a credential.
pub const ACCOUNT_COOKIE: &str = "pd_account";

pub fn set_account_cookie(account: i64, secure: bool) -> String {
    format!("{ACCOUNT_COOKIE}={account}; Path=/; SameSite=Lax; Max-Age={}{}", SESSION_MS / 1000, secure_flag(secure))
}

pub fn clear_account_cookie(secure: bool) -> String {
    format!("{ACCOUNT_COOKIE}=; Path=/; SameSite=Lax; Max-Age=0{}", secure_flag(secure))
}

/// `Set-Cookie` that removes the session cookie.
pub fn clear_cookie(secure: bool) -> String {
    format!("{COOKIE_NAME}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}", secure_flag(secure))
}

fn secure_flag(secure: bool) -> &'static str {
    if secure {
        "; Secure"
    } else {
        ""
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_only_their_hash_is_kept() {
        let (a, b) = (new_token().unwrap(), new_token().unwrap());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(token_hash(&a), token_hash(&a));
        assert_ne!(token_hash(&a), token_hash(&b));
        assert_eq!(token_hash(&a).len(), 32);
    }

    #[test]
    fn the_cookie_is_found_among_others_and_carries_its_flags() {
        let headers = ["theme=dark; pd_session=abc123 ", "other=1"];
        assert_eq!(token_from_cookies(headers.into_iter()), Some("abc123".into()));
        assert_eq!(token_from_cookies(["pd_sessionx=1; x=pd_session"].into_iter()), None);
        assert_eq!(token_from_cookies(["pd_session="].into_iter()), None);
        assert_eq!(token_from_cookies(std::iter::empty()), None);
        let cookie = set_cookie("t", true);
        for flag in ["HttpOnly", "SameSite=Lax", "Path=/", "Secure", "Max-Age=1209600"] {
            assert!(cookie.contains(flag), "{cookie}");
        }
        assert!(!set_cookie("t", false).contains("Secure"));
        assert!(clear_cookie(false).contains("Max-Age=0"));
    }
}
