//! Sign-in rate limits: per account (the email as typed, lower-cased, whether or not it
//! exists, so the limit tells nothing) and per client address. governor's keyed GCRA limiters;
//! keys not seen for a while are dropped by [`LoginLimiter::forget_idle`].

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::IpAddr;
use std::num::NonZeroU32;

/// Sign-ins per email per minute (and the burst allowed).
pub const PER_ACCOUNT_PER_MINUTE: u32 = 5;
/// Sign-ins per client address per minute.
pub const PER_ADDRESS_PER_MINUTE: u32 = 30;

pub struct LoginLimiter {
    by_account: DefaultKeyedRateLimiter<String>,
    by_address: DefaultKeyedRateLimiter<IpAddr>,
}

impl Default for LoginLimiter {
    fn default() -> Self {
        let quota = |n: u32| Quota::per_minute(NonZeroU32::new(n).expect("a positive quota"));
        Self { by_account: RateLimiter::keyed(quota(PER_ACCOUNT_PER_MINUTE)), by_address: RateLimiter::keyed(quota(PER_ADDRESS_PER_MINUTE)) }
    }
}

impl LoginLimiter {
    /// Whether one more sign-in attempt for `email` from `address` may go ahead now (and
    /// counts it).
    pub fn allow(&self, email: &str, address: IpAddr) -> bool {
        // Both are counted even when the first refuses, so a flood from one address cannot
        // hide behind many emails, nor the other way round.
        let account = self.by_account.check_key(&email.trim().to_lowercase()).is_ok();
        let by_address = self.by_address.check_key(&address).is_ok();
        account && by_address
    }

    pub fn forget_idle(&self) {
        self.by_account.retain_recent();
        self.by_address.retain_recent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_per_account_whatever_the_case_and_per_address() {
        let limiter = LoginLimiter::default();
        let here: IpAddr = "127.0.0.1".parse().unwrap();
        for i in 0..PER_ACCOUNT_PER_MINUTE {
            assert!(limiter.allow("Anna@example.org", here), "attempt {i}");
        }
        assert!(!limiter.allow("anna@EXAMPLE.org", here), "the same account, other case");
        assert!(limiter.allow("bruno@example.org", here), "another account is not held back");
        let elsewhere: IpAddr = "10.0.0.1".parse().unwrap();
        assert!(!limiter.allow("anna@example.org", elsewhere), "the account stays limited from anywhere");
        let flood: IpAddr = "10.0.0.2".parse().unwrap();
        let allowed = (0..PER_ADDRESS_PER_MINUTE + 5).filter(|i| limiter.allow(&format!("p{i}@x.org"), flood)).count();
        assert_eq!(allowed as u32, PER_ADDRESS_PER_MINUTE);
    }
}
