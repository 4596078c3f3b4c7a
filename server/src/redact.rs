//! What the request log may show of a request target: credentials in it are replaced by
//! `[redacted]` at every log level. Query parameters whose name says they carry a secret
//! (`token`, `secret`, `password`, `key`, `code`, `session` and names containing them, any
//! case), and everything after the `invite` or `setup` segment of a path (the secret of
//! `/invite/<secret>` and `/setup/<secret>` links, however mangled). Headers are never
//! logged (tower-http's spans leave them out here).

use axum::http::Uri;

const REDACTED: &str = "[redacted]";

/// Path segments after which the rest of a path is a secret.
const SECRET_SEGMENTS: [&str; 2] = ["invite", "setup"];

fn is_secret_name(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    ["token", "secret", "password", "passwd", "key", "code", "session", "auth"].iter().any(|word| name.contains(word))
}

/// `uri`'s path and query with credentials replaced, for logs.
pub fn redacted(uri: &Uri) -> String {
    // Every segment after an `invite` or `setup` one, wherever it stands and however it is
    // written (`//invite/…`, `/Invite//…`: a link mangled by a mail program still holds the
    // secret).
    let mut secret_follows = false;
    let path: Vec<&str> = uri
        .path()
        .split('/')
        .map(|segment| {
            if secret_follows && !segment.is_empty() {
                return REDACTED;
            }
            secret_follows |= SECRET_SEGMENTS.iter().any(|s| segment.eq_ignore_ascii_case(s));
            segment
        })
        .collect();
    let path = path.join("/");
    let Some(query) = uri.query() else { return path };
    let mut kept = form_urlencoded::Serializer::new(String::new());
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        kept.append_pair(&name, if is_secret_name(&name) { REDACTED } else { &value });
    }
    format!("{path}?{}", kept.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(target: &str) -> String {
        redacted(&target.parse().unwrap())
    }

    #[test]
    fn credentials_never_reach_the_log() {
        assert_eq!(r("/yjs/tor/nps?token=pd1.abc.def"), "/yjs/tor/nps?token=%5Bredacted%5D");
        assert_eq!(r("/yjs/tor/nps?room=x&Token=pd1&access_token=zz"), "/yjs/tor/nps?room=x&Token=%5Bredacted%5D&access_token=%5Bredacted%5D");
        assert_eq!(r("/invite/s3cr3t"), "/invite/[redacted]");
        assert_eq!(r("/setup/s3cr3t/more?x=1"), "/setup/[redacted]/[redacted]?x=1");
        // However the link was mangled on its way.
        assert_eq!(r("//invite/s3cr3t"), "//invite/[redacted]");
        assert_eq!(r("/invite//s3cr3t"), "/invite//[redacted]");
        assert_eq!(r("/Invite/s3cr3t"), "/Invite/[redacted]");
        assert_eq!(r("/api/v1/invitations"), "/api/v1/invitations", "other paths stay readable");
        assert_eq!(r("/search?q=r%C3%A9union"), "/search?q=r%C3%A9union", "other queries stay readable");
        assert_eq!(r("/matrix"), "/matrix");
        // Not `token=` only: a parameter given twice, or with an encoded name.
        assert!(!r("/yjs/x?token=a&token=b").contains("=a"));
        assert!(!r("/yjs/x?%74oken=secretvalue").contains("secretvalue"));
    }
}
