//! Anonymous respondents: a browser answering a post-activity questionnaire holds a random key
//! (cookie `pd_respondent`, HttpOnly, a year); the server records only a digest of that key
//! and the evaluation, so one browser answers each questionnaire once (a second submission is
//! a new revision of the same answer) while nothing links an answer to a person, to an
//! account, or to the same browser's answers to other questionnaires. New keys are minted at
//! most [`NEW_KEYS_PER_MINUTE`] per client address, so nobody stuffs a questionnaire by
//! throwing their key away; and a key is signed by the server ([`new_key`], [`is_signed`]),
//! so nobody mints their own past that limit by making up keys of the right shape.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::net::IpAddr;
use std::num::NonZeroU32;

/// New respondent keys per client address per minute (and the burst allowed): a seminar room
/// behind one address answers at the end of a session, about 40 people at once.
pub const NEW_KEYS_PER_MINUTE: u32 = 60;

/// Random bytes in a key; the rest of its 32 bytes is their signature.
const NONCE: usize = 16;

/// A fresh respondent key signed under `secret` (the server's `respondent-key`): 16 random
/// bytes and the first 16 of HMAC-SHA256(`secret`, "respondent-key:" ‖ those bytes), base64url
/// (43 characters).
pub fn new_key(secret: &[u8]) -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes[..NONCE])?;
    let tag = signature(secret, &bytes[..NONCE]).finalize().into_bytes();
    bytes[NONCE..].copy_from_slice(&tag[..32 - NONCE]);
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

fn signature(secret: &[u8], nonce: &[u8]) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(b"respondent-key:");
    mac.update(nonce);
    mac
}

/// Whether `key` is one [`new_key`] made under `secret` (compared in constant time).
pub fn is_signed(secret: &[u8], key: &str) -> bool {
    match URL_SAFE_NO_PAD.decode(key) {
        Ok(bytes) if bytes.len() == 32 => signature(secret, &bytes[..NONCE]).verify_truncated_left(&bytes[NONCE..]).is_ok(),
        _ => false,
    }
}

/// Whether `key` has the shape [`new_key`] makes (a cookie can be anything).
pub fn is_key(key: &str) -> bool {
    key.len() == 43 && URL_SAFE_NO_PAD.decode(key).is_ok_and(|b| b.len() == 32)
}

/// The respondent id stored for `key` answering `evaluation`: hex SHA-256, 64 characters.
pub fn anonymous_id(evaluation: &str, key: &str) -> String {
    let digest = Sha256::digest(format!("respondent:{evaluation}:{key}").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Limits how fast one address mints respondent keys (governor's keyed GCRA).
pub struct KeyLimiter {
    by_address: DefaultKeyedRateLimiter<IpAddr>,
}

impl Default for KeyLimiter {
    fn default() -> Self {
        Self { by_address: RateLimiter::keyed(Quota::per_minute(NonZeroU32::new(NEW_KEYS_PER_MINUTE).expect("a positive quota"))) }
    }
}

impl KeyLimiter {
    /// Whether `address` may have one more new key now (and counts it).
    pub fn allow(&self, address: IpAddr) -> bool {
        self.by_address.check_key(&address).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_random_signed_and_recognised() {
        let secret = b"server secret";
        let (a, b) = (new_key(secret).unwrap(), new_key(secret).unwrap());
        assert_ne!(a, b);
        assert!(is_key(&a) && is_key(&b));
        assert!(is_signed(secret, &a) && is_signed(secret, &b));
        assert!(!is_signed(b"another server's secret", &a));
        // A key of the right shape made up by a client, or one with a byte changed, is not.
        assert!(!is_signed(secret, &URL_SAFE_NO_PAD.encode([7u8; 32])));
        let mut bytes = URL_SAFE_NO_PAD.decode(&a).unwrap();
        bytes[3] ^= 1;
        assert!(!is_signed(secret, &URL_SAFE_NO_PAD.encode(&bytes)));
        assert!(!is_signed(secret, "") && !is_signed(secret, "!!!") && !is_signed(secret, &a[..42]));
        for bad in ["", "short", &"x".repeat(44), "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"] {
            assert!(!is_key(bad), "{bad:?}");
        }
    }

    #[test]
    fn one_key_is_a_different_respondent_in_each_evaluation() {
        let key = new_key(b"secret").unwrap();
        let first = anonymous_id("training-2020", &key);
        assert_eq!(first, anonymous_id("training-2020", &key));
        assert_ne!(first, anonymous_id("training-2021", &key));
        assert_eq!(first.len(), 64);
        assert!(!first.contains(&key));
    }

    #[test]
    fn an_address_mints_a_bounded_number_of_keys() {
        let limiter = KeyLimiter::default();
        let here: IpAddr = "192.0.2.1".parse().unwrap();
        let allowed = (0..NEW_KEYS_PER_MINUTE + 10).filter(|_| limiter.allow(here)).count();
        assert_eq!(allowed, NEW_KEYS_PER_MINUTE as usize);
        assert!(limiter.allow("192.0.2.2".parse().unwrap()), "another address is counted apart");
    }
}
