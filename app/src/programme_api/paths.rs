//! Where to go after signing in: the `?next=` path, encoded as a query value and checked to
//! stay on this site.

/// What a local path keeps unencoded as a query value (`?next=`): RFC 3986's unreserved
/// characters and `/`; everything else, `?`, `&`, `#` and non-ASCII included, is encoded.
const PATH_IN_QUERY: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~').remove(b'/');

/// A local path percent-encoded as a query value (`?next=`).
pub fn encode_path(path: &str) -> String {
    percent_encoding::utf8_percent_encode(path, PATH_IN_QUERY).to_string()
}

/// Where to go after signing in: a path on this site, else the overview.
pub fn safe_next(next: Option<String>) -> String {
    next.filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.contains('\\')).unwrap_or_else(|| "/".to_owned())
}

#[cfg(test)]
mod tests {
    use super::{encode_path, safe_next};

    #[test]
    fn a_path_goes_into_a_query_value_intact() {
        assert_eq!(encode_path("/tor/nps"), "/tor/nps");
        assert_eq!(encode_path("/search?q=a b&x=1#top"), "/search%3Fq%3Da%20b%26x%3D1%23top");
        assert_eq!(encode_path("/é"), "/%C3%A9");
    }

    #[test]
    fn only_paths_on_this_site_are_followed_after_signing_in() {
        assert_eq!(safe_next(Some("/tor/nps".into())), "/tor/nps");
        for elsewhere in ["https://evil.example", "//evil.example", "/\\evil.example", "javascript:alert(1)", ""] {
            assert_eq!(safe_next(Some(elsewhere.into())), "/", "{elsewhere:?}");
        }
        assert_eq!(safe_next(None), "/");
    }
}
