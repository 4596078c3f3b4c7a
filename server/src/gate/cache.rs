//! The gate's cache of principals and policies: a value is used for [`FRESH_FOR`] after it
//! was read; once stale, the first caller to ask reads it again while every other caller goes
//! on with the stale value for up to another [`FRESH_FOR`] (stale-while-revalidate, one
//! refresher per key), so hundreds of connections on one document cost one query when it goes
//! stale, not hundreds, and none of them waits for it.
//!
//! Hand-written on purpose: moka, the usual Rust cache, coalesces loads (`get_with`) but makes
//! every caller wait for the reload, and has no refresh-after-write (moka-rs/moka#467, open);
//! the first gate that waited gave sync p99 43 ms instead of 8 ms (README, Performance).

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a principal or policy read from the database is used before reading it again.
pub const FRESH_FOR: Duration = Duration::from_secs(2);

/// Values kept at once; past it, the stale ones are forgotten first.
const CACHE_LIMIT: usize = 10_000;

struct Entry<V> {
    value: V,
    read_at: Instant,
    /// Set while one caller reads it again; the others go on with the value meanwhile.
    refreshing_since: Option<Instant>,
}

/// Values by key, each read from the database by the caller that finds it missing or stale.
pub struct Cache<K, V> {
    entries: Mutex<HashMap<K, Entry<V>>>,
}

impl<K, V> Default for Cache<K, V> {
    fn default() -> Self {
        Self { entries: Mutex::new(HashMap::new()) }
    }
}

impl<K: Eq + Hash, V: Clone> Cache<K, V> {
    /// The value to use, or `None`: then the caller reads it and [`Cache::keep`]s it. A stale
    /// value is `None` for the first caller and still served to the others while it reads
    /// (if that caller never comes back, another one reads it after [`FRESH_FOR`]).
    pub fn get(&self, key: &K) -> Option<V> {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let entry = entries.get_mut(key)?;
        if entry.read_at.elapsed() < FRESH_FOR || entry.refreshing_since.is_some_and(|since| since.elapsed() < FRESH_FOR) {
            return Some(entry.value.clone());
        }
        entry.refreshing_since = Some(Instant::now());
        None
    }

    /// Keeps a value just read.
    pub fn keep(&self, key: K, value: V) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= CACHE_LIMIT {
            entries.retain(|_, entry| entry.read_at.elapsed() < FRESH_FOR);
        }
        entries.insert(key, Entry { value, read_at: Instant::now(), refreshing_since: None });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Makes the entry of `key` look read `ago`.
    fn age(cache: &Cache<&'static str, u32>, key: &'static str, ago: Duration) {
        let mut entries = cache.entries.lock().unwrap();
        entries.get_mut(key).unwrap().read_at = Instant::now() - ago;
    }

    #[test]
    fn a_fresh_value_is_served_and_a_missing_one_is_read() {
        let cache = Cache::default();
        assert_eq!(cache.get(&"doc"), None);
        cache.keep("doc", 1);
        assert_eq!(cache.get(&"doc"), Some(1));
    }

    #[test]
    fn a_stale_value_is_read_again_by_one_caller_while_the_others_keep_it() {
        let cache = Cache::default();
        cache.keep("doc", 1);
        age(&cache, "doc", FRESH_FOR + Duration::from_millis(1));
        assert_eq!(cache.get(&"doc"), None, "the first caller reads it again");
        for _ in 0..100 {
            assert_eq!(cache.get(&"doc"), Some(1), "the others go on with the stale value");
        }
        cache.keep("doc", 2);
        assert_eq!(cache.get(&"doc"), Some(2));
    }

    #[test]
    fn a_refresher_that_never_came_back_hands_over_after_fresh_for() {
        let cache = Cache::default();
        cache.keep("doc", 1);
        age(&cache, "doc", FRESH_FOR * 3);
        assert_eq!(cache.get(&"doc"), None);
        cache.entries.lock().unwrap().get_mut("doc").unwrap().refreshing_since = Some(Instant::now() - FRESH_FOR);
        assert_eq!(cache.get(&"doc"), None, "another caller reads it");
    }

    #[test]
    fn past_the_limit_stale_values_are_forgotten_first() {
        let cache: Cache<u32, u32> = Cache::default();
        for key in 0..CACHE_LIMIT as u32 {
            cache.keep(key, key);
        }
        for entry in cache.entries.lock().unwrap().values_mut().take(10) {
            entry.read_at = Instant::now() - FRESH_FOR * 2;
        }
        cache.keep(u32::MAX, 0);
        assert_eq!(cache.entries.lock().unwrap().len(), CACHE_LIMIT - 10 + 1);
    }
}
