//! How full this browser's local store is, and what to say about it: the arithmetic behind
//! the "this device" page and the warning in the header, free of the browser so it is tested
//! on the host. README, "Offline data on a phone", has the figures behind the numbers.

/// From this share of what the browser allows the site on, the header warns.
pub const WARN_FROM: f64 = 0.8;

/// The site's storage use, in bytes, as the browser reports it
/// (`navigator.storage.estimate()`: IndexedDB, where the documents are, and the service
/// worker's caches, where the pages are).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StorageUse {
    /// Bytes the site uses (every account's copies, and the kept pages: the quota is the
    /// whole site's).
    pub used: u64,
    /// Bytes the browser allows the site (its quota), or less when a write was refused
    /// before that (what was used then).
    pub limit: u64,
}

impl StorageUse {
    /// Used, as a share of the limit (0.0–1.0, more when the estimate of the limit was low).
    pub fn fraction(self) -> f64 {
        if self.limit == 0 {
            return 1.0;
        }
        self.used as f64 / self.limit as f64
    }

    /// Whether to warn: at [`WARN_FROM`] or more.
    pub fn nearly_full(self) -> bool {
        self.fraction() >= WARN_FROM
    }

    /// "1.2 MB of about 5.0 MB (24%)".
    pub fn describe(self) -> String {
        format!("{} of about {} ({}%)", megabytes(self.used), megabytes(self.limit), (self.fraction() * 100.0).floor() as u64)
    }

    /// The warning the header shows when [`Self::nearly_full`], else `None`.
    pub fn warning(self) -> Option<String> {
        self.nearly_full().then(|| {
            format!(
                "This device's storage for Programme Desk is nearly full: {}. Nothing you typed is removed to make room. Go online so your changes are sent, or remove copies kept only for reading.",
                self.describe()
            )
        })
    }
}

/// What a person chose to keep on this device (per account, in this browser;
/// `crate::browser::device::chosen` reads it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keep {
    /// Keep every ToR one may read, for reading offline (the default).
    EveryTor,
    /// Keep every ToR except group-only ones (the Airports Group's, the Precursor network's).
    ExceptGroupOnly,
    /// Keep only what is opened on this device (group-only ones not even then).
    OnlyOpened,
}

impl Keep {
    pub const ALL: [Keep; 3] = [Keep::EveryTor, Keep::ExceptGroupOnly, Keep::OnlyOpened];

    /// As stored and as the page's radio buttons carry it.
    pub fn as_str(self) -> &'static str {
        match self {
            Keep::EveryTor => "every-tor",
            Keep::ExceptGroupOnly => "except-group-only",
            Keep::OnlyOpened => "only-opened",
        }
    }

    pub fn parse(text: &str) -> Option<Keep> {
        Keep::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// Whether a ToR (group-only or not) is kept in the background.
    pub fn keeps(self, group_only: bool) -> bool {
        match self {
            Keep::EveryTor => true,
            Keep::ExceptGroupOnly => !group_only,
            Keep::OnlyOpened => false,
        }
    }
}

/// Bytes as megabytes with one decimal ("0.4 MB"); under 0.1 MB in kilobytes; from
/// 10,000 MB in gigabytes.
pub fn megabytes(bytes: u64) -> String {
    if bytes < 100_000 {
        format!("{} KB", bytes.div_ceil(1000))
    } else if bytes < 10_000_000_000 {
        format!("{:.1} MB", bytes as f64 / 1_000_000.0)
    } else {
        format!("{:.0} GB", bytes as f64 / 1_000_000_000.0)
    }
}

/// Whether a localStorage key named a document copy, as versions before IndexedDB kept them:
/// `pd:doc:<id>` or `pd:<account id>:doc:<id>` (the rest are settings: `pd:<account>:keep`).
pub fn is_copy_key(key: &str) -> bool {
    let Some(rest) = key.strip_prefix("pd:") else { return false };
    let rest = match rest.split_once(':') {
        Some((account, after)) if !account.is_empty() && account.bytes().all(|b| b.is_ascii_digit()) => after,
        _ => rest,
    };
    rest.strip_prefix("doc:").is_some_and(|id| !id.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_warns_from_eighty_percent_and_says_how_full() {
        let at = |used| StorageUse { used, limit: 5_000_000 };
        assert!(!at(3_999_999).nearly_full());
        assert_eq!(at(3_999_999).warning(), None);
        assert!(at(4_000_000).nearly_full());
        assert_eq!(at(4_300_000).describe(), "4.3 MB of about 5.0 MB (86%)");
        assert!(at(4_300_000).warning().unwrap().contains("Nothing you typed is removed"));
        // A browser found to hold less than planned.
        assert!(StorageUse { used: 900_000, limit: 1_000_000 }.nearly_full());
        assert!(StorageUse { used: 0, limit: 0 }.nearly_full());
    }

    #[test]
    fn each_choice_keeps_what_it_says() {
        for keep in Keep::ALL {
            assert_eq!(Keep::parse(keep.as_str()), Some(keep));
        }
        assert_eq!(Keep::parse("everything"), None);
        assert!(Keep::EveryTor.keeps(true) && Keep::EveryTor.keeps(false));
        assert!(!Keep::ExceptGroupOnly.keeps(true) && Keep::ExceptGroupOnly.keeps(false));
        assert!(!Keep::OnlyOpened.keeps(true) && !Keep::OnlyOpened.keeps(false));
    }

    #[test]
    fn sizes_read_as_people_expect() {
        assert_eq!(megabytes(0), "0 KB");
        assert_eq!(megabytes(1), "1 KB");
        assert_eq!(megabytes(12_345), "13 KB");
        assert_eq!(megabytes(1_234_567), "1.2 MB");
        assert_eq!(megabytes(296_000_000_000), "296 GB");
    }

    #[test]
    fn copy_keys_are_told_from_settings() {
        assert!(is_copy_key("pd:doc:tor/airports-group"));
        assert!(is_copy_key("pd:17:doc:tor/airports-group"));
        assert!(is_copy_key("pd:17:doc:comments/tor/airports-group"));
        assert!(!is_copy_key("pd:17:keep"));
        assert!(!is_copy_key("pd:17:not-kept"));
        assert!(!is_copy_key("pd:persist-asked"));
        assert!(!is_copy_key("pd:wipe-pending"));
        assert!(!is_copy_key("pd:doc:"));
        assert!(!is_copy_key("filler:1"));
    }
}
