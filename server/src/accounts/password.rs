//! Passwords: argon2id hashes in PHC string form (salt and parameters inside), at least
//! [`MIN_PASSWORD_CHARS`] characters. Verifying compares in constant time (argon2 crate), and
//! a sign-in for an unknown email verifies against a fixed hash so that it takes as long as a
//! wrong password: the timing does not tell whether an account exists.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use std::sync::OnceLock;

pub const MIN_PASSWORD_CHARS: usize = 12;
/// Longer passwords are refused: hashing megabytes on request is a denial of service.
pub const MAX_PASSWORD_CHARS: usize = 1024;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("the password is too short: at least {MIN_PASSWORD_CHARS} characters")]
    TooShort,
    #[error("the password is too long: at most {MAX_PASSWORD_CHARS} characters")]
    TooLong,
    #[error("the password could not be hashed: {0}")]
    Hashing(String),
}

/// The argon2id hash of `password`, with a fresh random salt.
pub fn hash(password: &str) -> Result<String, PasswordError> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(PasswordError::TooShort);
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(PasswordError::TooLong);
    }
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| PasswordError::Hashing(e.to_string()))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| PasswordError::Hashing(e.to_string()))?;
    Argon2::default().hash_password(password.as_bytes(), &salt).map(|hash| hash.to_string()).map_err(|e| PasswordError::Hashing(e.to_string()))
}

/// Whether `password` matches `stored` (a [`hash`]); `None` as `stored` (no such account)
/// costs the same time and is never a match.
pub fn verify(password: &str, stored: Option<&str>) -> bool {
    if password.chars().count() > MAX_PASSWORD_CHARS {
        return false;
    }
    let (phc, real) = match stored {
        Some(phc) => (phc, true),
        None => (decoy(), false),
    };
    let Ok(parsed) = PasswordHash::new(phc) else { return false };
    Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok() && real
}

/// A hash of a password nobody knows, made once.
fn decoy() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| hash("no account has this password, ever").expect("hashing a constant"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_only_their_password_and_are_argon2id_with_a_salt() {
        let a = hash("correct horse battery").unwrap();
        let b = hash("correct horse battery").unwrap();
        assert!(a.starts_with("$argon2id$"), "{a}");
        assert_ne!(a, b, "each hash has its own salt");
        assert!(verify("correct horse battery", Some(&a)));
        assert!(!verify("correct horse batterY", Some(&a)));
        assert!(!verify("", Some(&a)));
        assert!(!verify("correct horse battery", None), "no account, no match");
        assert!(!verify("correct horse battery", Some("not a hash")));
    }

    #[test]
    fn length_limits() {
        assert_eq!(hash("elevenchars"), Err(PasswordError::TooShort));
        assert!(hash("twelve chars").is_ok());
        assert_eq!(hash(&"x".repeat(MAX_PASSWORD_CHARS + 1)), Err(PasswordError::TooLong));
        // Characters, not bytes: twelve accented letters are enough.
        assert!(hash("éééééééééééé").is_ok());
    }
}
