//! Document ids: stable, printable names such as `tor/nps` (the terms of reference of the
//! action `nps`) and `tor/nps/comments` (the comments on it). They appear in URLs, in sync messages and in storage, so they are checked
//! strictly and never renamed.

use crate::model::{is_slug, Programme};
use std::fmt;

/// What a document is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DocKind {
    /// Terms of reference of an action or a permanent activity.
    TermsOfReference,
    /// The comments on a terms of reference, in a document of their own, so that people may
    /// comment on a ToR they may not edit.
    TorComments,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DocId {
    kind: DocKind,
    subject: String,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a document id (expected e.g. \"tor/nps\")")]
pub struct BadDocId(String);

impl DocId {
    pub fn terms_of_reference(subject: &str) -> Result<Self, BadDocId> {
        Self::parse(&format!("tor/{subject}"))
    }

    /// Parses `tor/<subject>` or `tor/<subject>/comments`; the subject is a lowercase slug
    /// of at most 64 characters.
    pub fn parse(text: &str) -> Result<Self, BadDocId> {
        let bad = || BadDocId(text.chars().take(100).collect());
        let mut parts = text.split('/');
        let (Some("tor"), Some(subject), rest) = (parts.next(), parts.next(), parts.next()) else {
            return Err(bad());
        };
        let kind = match (rest, parts.next()) {
            (None, _) => DocKind::TermsOfReference,
            (Some("comments"), None) => DocKind::TorComments,
            _ => return Err(bad()),
        };
        if !is_slug(subject) {
            return Err(bad());
        }
        Ok(Self { kind, subject: subject.to_owned() })
    }

    pub fn kind(&self) -> DocKind {
        self.kind
    }

    /// The comments document of a terms of reference (itself for a comments document).
    pub fn comments(&self) -> Self {
        Self { kind: DocKind::TorComments, subject: self.subject.clone() }
    }

    /// The terms of reference a comments document is about (itself for a ToR).
    pub fn terms(&self) -> Self {
        Self { kind: DocKind::TermsOfReference, subject: self.subject.clone() }
    }

    /// The terms of reference of every action and permanent activity, in programme order.
    pub fn all_terms_of_reference(programme: &Programme) -> Vec<Self> {
        let subjects = programme.actions().map(|a| &a.id).chain(programme.permanent_activities.iter().map(|a| &a.id));
        subjects.filter_map(|subject| Self::terms_of_reference(subject).ok()).collect()
    }

    /// What the document is about: an action's or a permanent activity's id.
    pub fn subject(&self) -> &str {
        &self.subject
    }

    /// Whether the programme has the action or permanent activity this document is about.
    pub fn exists_in(&self, programme: &Programme) -> bool {
        match self.kind {
            DocKind::TermsOfReference | DocKind::TorComments => {
                programme.action(&self.subject).is_some() || programme.permanent_activity(&self.subject).is_some()
            }
        }
    }
}

impl fmt::Display for DocId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            DocKind::TermsOfReference => write!(f, "tor/{}", self.subject),
            DocKind::TorComments => write!(f, "tor/{}/comments", self.subject),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::seed;

    #[test]
    fn parses_prints_and_checks_against_the_programme() {
        let p = seed::programme();
        let id = DocId::parse("tor/nps").unwrap();
        assert_eq!(id.to_string(), "tor/nps");
        let comments = DocId::parse("tor/nps/comments").unwrap();
        assert_eq!(comments, id.comments());
        assert_eq!(comments.to_string(), "tor/nps/comments");
        assert_eq!(comments.terms(), id);
        assert!(comments.exists_in(&p));
        assert!(id.exists_in(&p));
        assert!(DocId::terms_of_reference("airports-group").unwrap().exists_in(&p));
        assert!(!DocId::parse("tor/no-such-action").unwrap().exists_in(&p));
        // Every action and permanent activity has a ToR id that round-trips.
        let all = DocId::all_terms_of_reference(&p);
        assert_eq!(all.len(), 26 + 7);
        for id in all {
            assert!(id.exists_in(&p));
            assert_eq!(DocId::parse(&id.to_string()).unwrap(), id);
        }
    }

    #[test]
    fn refuses_anything_else() {
        for bad in [
            "",
            "tor",
            "tor/",
            "tor/NPS",
            "tor/a b",
            "tor/../x",
            "tor/-nps",
            "minutes/nps",
            "tor/nps/extra",
            "/nps",
            "tor/nps/comments/x",
            "tor//comments",
            "tor/nps/",
        ] {
            assert!(DocId::parse(bad).is_err(), "{bad:?}");
        }
        assert!(DocId::parse(&format!("tor/{}", "a".repeat(65))).is_err());
        let long = "x".repeat(10_000);
        assert!(DocId::parse(&long).unwrap_err().0.len() <= 100);
    }
}
