//! Document tokens for stock Yjs clients, which cannot sign in: `pd1.<payload>.<signature>`,
//! the payload `{account, doc, expires_ms}` as base64url JSON and the signature its
//! HMAC-SHA256 under the server's secret (made once, kept in the database). A token opens one
//! document, as its account, until it expires; the account's rights are checked at every
//! message as for a session, so removing a role also disarms its tokens.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

const PREFIX: &str = "pd1";
/// Longest validity a token may be issued for.
pub const MAX_TTL_MS: i64 = 30 * 24 * 60 * 60 * 1000;

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Claims {
    pub account: i64,
    pub doc: String,
    pub expires_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("not a document token")]
    Malformed,
    #[error("the token's signature does not match")]
    BadSignature,
    #[error("the token has expired")]
    Expired,
}

fn mac(secret: &[u8]) -> Hmac<Sha256> {
    Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes keys of any length")
}

pub fn issue(secret: &[u8], claims: &Claims) -> String {
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).expect("claims serialize"));
    let mut mac = mac(secret);
    mac.update(format!("{PREFIX}.{payload}").as_bytes());
    let signature = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    format!("{PREFIX}.{payload}.{signature}")
}

/// The claims of a token signed with `secret` and not expired at `now_ms`.
pub fn verify(secret: &[u8], token: &str, now_ms: i64) -> Result<Claims, TokenError> {
    let mut parts = token.split('.');
    let (Some(PREFIX), Some(payload), Some(signature), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(TokenError::Malformed);
    };
    let signature = URL_SAFE_NO_PAD.decode(signature).map_err(|_| TokenError::Malformed)?;
    let mut mac = mac(secret);
    mac.update(format!("{PREFIX}.{payload}").as_bytes());
    // Constant-time comparison.
    mac.verify_slice(&signature).map_err(|_| TokenError::BadSignature)?;
    let claims: Claims = URL_SAFE_NO_PAD.decode(payload).ok().and_then(|json| serde_json::from_slice(&json).ok()).ok_or(TokenError::Malformed)?;
    if claims.expires_ms <= now_ms {
        return Err(TokenError::Expired);
    }
    Ok(claims)
}

/// Reads a validity such as `90s`, `30m`, `12h` or `7d` (at most [`MAX_TTL_MS`]).
pub fn parse_ttl(text: &str) -> Option<i64> {
    let text = text.trim();
    let unit = text.chars().last()?;
    let n: i64 = text[..text.len() - unit.len_utf8()].parse().ok().filter(|n| *n > 0)?;
    let ms = n.checked_mul(match unit {
        's' => 1000,
        'm' => 60 * 1000,
        'h' => 60 * 60 * 1000,
        'd' => 24 * 60 * 60 * 1000,
        _ => return None,
    })?;
    (ms <= MAX_TTL_MS).then_some(ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

    #[test]
    fn a_token_opens_what_it_says_until_it_expires() {
        let claims = Claims { account: 7, doc: "tor/nps".into(), expires_ms: 2_000 };
        let token = issue(SECRET, &claims);
        assert!(token.starts_with("pd1."));
        assert_eq!(verify(SECRET, &token, 1_999), Ok(claims));
        assert_eq!(verify(SECRET, &token, 2_000), Err(TokenError::Expired));
    }

    #[test]
    fn tampered_or_foreign_tokens_are_refused() {
        let token = issue(SECRET, &Claims { account: 7, doc: "tor/nps".into(), expires_ms: 2_000 });
        assert_eq!(verify(b"another secret", &token, 0), Err(TokenError::BadSignature));
        // Another document, another account or a later expiry under the same signature.
        let (head, signature) = token.rsplit_once('.').unwrap();
        for claims in [
            Claims { account: 7, doc: "tor/airports-group".into(), expires_ms: 2_000 },
            Claims { account: 1, doc: "tor/nps".into(), expires_ms: 2_000 },
            Claims { account: 7, doc: "tor/nps".into(), expires_ms: i64::MAX },
        ] {
            let forged = format!("pd1.{}.{signature}", URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).unwrap()));
            assert_eq!(verify(SECRET, &forged, 0), Err(TokenError::BadSignature), "{claims:?}");
        }
        let mut flipped = head.to_owned().into_bytes();
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        assert!(verify(SECRET, &format!("{}.{signature}", String::from_utf8_lossy(&flipped)), 0).is_err());
        for junk in ["", "pd1", "pd1..", "pd1.a.b.c", "x.y.z", "pd1.!!.??"] {
            assert!(verify(SECRET, junk, 0).is_err(), "{junk:?}");
        }
    }

    #[test]
    fn validities() {
        assert_eq!(parse_ttl("90s"), Some(90_000));
        assert_eq!(parse_ttl("2h"), Some(7_200_000));
        assert_eq!(parse_ttl("30d"), Some(MAX_TTL_MS));
        for bad in ["31d", "0h", "-1h", "h", "", "10", "1y", "ää"] {
            assert_eq!(parse_ttl(bad), None, "{bad:?}");
        }
    }
}
