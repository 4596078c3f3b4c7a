//! Which refusals of access go into the audit log: the same refusal (who, document, action,
//! channel) once per [`AUDIT_REFUSAL_EVERY`], and at most [`AUDIT_REFUSALS_AT_MOST`] per
//! [`AUDIT_REFUSAL_EVERY`] altogether, so a client retrying or a scanner trying many document
//! ids cannot fill the log; the refusals left out are counted into the next entry. Both
//! limits are governor's GCRA limiters: the overall one lets a burst of
//! [`AUDIT_REFUSALS_AT_MOST`] through, then one more every `AUDIT_REFUSAL_EVERY /
//! AUDIT_REFUSALS_AT_MOST` (0.6 s), rather than resetting a fixed window each minute.

use governor::{DefaultDirectRateLimiter, DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// A refusal of the same thing to the same principal on the same channel is audited once in
/// this time (a client retrying, a connection rechecked every two seconds).
pub const AUDIT_REFUSAL_EVERY: Duration = Duration::from_secs(60);
/// At most this many refusals are audited per [`AUDIT_REFUSAL_EVERY`] altogether.
pub const AUDIT_REFUSALS_AT_MOST: u32 = 100;
/// Refusals remembered before the ones not seen for [`AUDIT_REFUSAL_EVERY`] are forgotten.
const REMEMBERED: usize = 10_000;

pub struct Refusals {
    each: DefaultKeyedRateLimiter<String>,
    overall: DefaultDirectRateLimiter,
    /// Refusals left out since the last one audited.
    dropped: AtomicUsize,
}

impl Default for Refusals {
    fn default() -> Self {
        let once = Quota::with_period(AUDIT_REFUSAL_EVERY).expect("a positive period");
        let at_most = NonZeroU32::new(AUDIT_REFUSALS_AT_MOST).expect("a positive limit");
        let overall = Quota::with_period(AUDIT_REFUSAL_EVERY / AUDIT_REFUSALS_AT_MOST).expect("a positive period").allow_burst(at_most);
        Self { each: RateLimiter::keyed(once), overall: RateLimiter::direct(overall), dropped: AtomicUsize::new(0) }
    }
}

impl Refusals {
    /// Whether to audit the refusal `key` now, and if so how many refusals were left out
    /// before it. A repeat within [`AUDIT_REFUSAL_EVERY`] is neither audited nor counted; a
    /// refusal over the overall limit is counted.
    pub fn admit(&self, key: String) -> Option<usize> {
        if self.each.len() >= REMEMBERED {
            self.each.retain_recent();
        }
        if self.each.check_key(&key).is_err() {
            return None;
        }
        if self.overall.check().is_err() {
            self.dropped.fetch_add(1, Ordering::Relaxed);
            return None;
        }
        Some(self.dropped.swap(0, Ordering::Relaxed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_refusal_is_audited_once_a_minute() {
        let refusals = Refusals::default();
        assert_eq!(refusals.admit("signed out|tor/nps|Read|page".into()), Some(0));
        assert_eq!(refusals.admit("signed out|tor/nps|Read|page".into()), None);
        assert_eq!(refusals.admit("signed out|tor/nps|Read|export".into()), Some(0), "another channel is another refusal");
    }

    #[test]
    fn past_the_overall_limit_refusals_are_counted_into_the_next_entry() {
        let refusals = Refusals::default();
        for i in 0..AUDIT_REFUSALS_AT_MOST {
            assert_eq!(refusals.admit(format!("scan {i}")), Some(0), "{i}");
        }
        for i in 0..7 {
            assert_eq!(refusals.admit(format!("over {i}")), None);
        }
        // The limit lets one more through every 0.6 s.
        std::thread::sleep(AUDIT_REFUSAL_EVERY / AUDIT_REFUSALS_AT_MOST + Duration::from_millis(50));
        assert_eq!(refusals.admit("after".into()), Some(7));
        assert_eq!(refusals.dropped.load(Ordering::Relaxed), 0);
    }
}
