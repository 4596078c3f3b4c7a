//! Suggestions on a ToR: accepting one replaces the commented words with the suggested text
//! in one ToR update and records who did it; undoing that acceptance puts the words back,
//! also in one update, and reopens the thread. Both touch the ToR and its comments together.

use super::comments::check_author;
use super::{utf16, Anchor, Author, CommentError, CommentsDoc, Decision, Resolved, TorDoc};

/// Accepts a thread's suggestion: replaces the anchored words in the ToR with the suggested
/// text in one ToR transaction (one update), and records the acceptance (resolving the thread,
/// keeping the replaced words for an undo, and anchoring the thread on the new text) in the
/// comments document. Returns (ToR update, comments update).
pub fn accept_suggestion(tor: &TorDoc, comments: &CommentsDoc, thread: &str, by: &Author, now_ms: u64) -> Result<(Vec<u8>, Vec<u8>), CommentError> {
    check_author(by)?;
    let current = comments.thread(thread).ok_or_else(|| CommentError::NoSuchThread(thread.into()))?;
    let suggestion = current.suggestion.ok_or(CommentError::NoSuggestion)?;
    if suggestion.decision.is_some() {
        return Err(CommentError::AlreadyDecided);
    }
    let Resolved::At { section, start, end } = current.anchor.resolve(tor) else {
        return Err(CommentError::Orphaned);
    };
    let replaced = utf16::slice(&tor.text(section), start, end).to_owned();
    let tor_update = tor.splice(section, start, end - start, &suggestion.text);
    let inserted = utf16::len(&suggestion.text);
    let anchor = if inserted > 0 { Anchor::new(tor, section, start, start + inserted).ok() } else { None };
    let comments_update = comments.decide(thread, Decision::Accepted, by, now_ms, anchor.as_ref(), &replaced)?;
    Ok((tor_update, comments_update))
}

/// Undoes an accepted suggestion: the suggested text, if still exactly as accepted, is replaced
/// by the words it replaced (one ToR update), and the thread is reopened on them with the undo
/// recorded. Refused, changing nothing, when the accepted text has been edited or deleted since
/// (undo that by hand), or the acceptance kept no words to put back. Returns (ToR update,
/// comments update).
pub fn undo_acceptance(tor: &TorDoc, comments: &CommentsDoc, thread: &str, by: &Author, now_ms: u64) -> Result<(Vec<u8>, Vec<u8>), CommentError> {
    check_author(by)?;
    let current = comments.thread(thread).ok_or_else(|| CommentError::NoSuchThread(thread.into()))?;
    let suggestion = current.suggestion.ok_or(CommentError::NoSuggestion)?;
    if !matches!(suggestion.decision, Some((Decision::Accepted, ..))) {
        return Err(CommentError::NotAccepted);
    }
    let cannot = |why: &str| CommentError::CannotUndo(why.to_owned());
    let replaced = suggestion.replaced.ok_or_else(|| cannot("it did not record the words it replaced"))?;
    let section = current.anchor.section;
    // Where the accepted text is: its anchor, or for a deletion the place the words were (the
    // anchor's start follows the first deleted character).
    let (start, end) = if suggestion.text.is_empty() {
        let at = tor.resolve_sticky(&current.anchor.start).ok_or_else(|| cannot("the place of the deleted words is unknown here"))?;
        (at, at)
    } else {
        match current.anchor.resolve(tor) {
            Resolved::At { start, end, .. } => (start, end),
            Resolved::Orphaned => return Err(cannot("the accepted text has been deleted since")),
        }
    };
    if utf16::slice(&tor.text(section), start, end) != suggestion.text {
        return Err(cannot("the accepted text has been edited since"));
    }
    let tor_update = tor.splice(section, start, end - start, &replaced);
    let anchor = Anchor::new(tor, section, start, start + utf16::len(&replaced)).ok();
    let comments_update = comments.record_undone(thread, by, now_ms, anchor.as_ref())?;
    Ok((tor_update, comments_update))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::comments::tests::{comment_on, person, setup, words, PURPOSE};
    use crate::doc::{resolve_all, Status};

    #[test]
    fn accepting_replaces_exactly_the_words_in_one_update_and_is_recorded() {
        let (tor, comments) = setup("Reduce the harm of drugs in prisons.");
        let peer = TorDoc::new(3);
        peer.apply_update(&tor.encode_state()).unwrap();
        let peer_comments = CommentsDoc::new(4);
        let id = comment_on(&tor, &comments, "harm", Some("health risks"), 10);
        peer_comments.apply_update(&comments.encode_state()).unwrap();

        let (tor_update, comments_update) = accept_suggestion(&tor, &comments, &id, &person("bob"), 20).unwrap();
        assert_eq!(tor.text(PURPOSE), "Reduce the health risks of drugs in prisons.");
        // One update carries the whole replacement.
        peer.apply_update(&tor_update).unwrap();
        assert_eq!(peer.text(PURPOSE), "Reduce the health risks of drugs in prisons.");
        peer_comments.apply_update(&comments_update).unwrap();
        for (t, c) in [(&tor, &comments), (&peer, &peer_comments)] {
            let thread = c.thread(&id).unwrap();
            assert_eq!(thread.suggestion.unwrap().decision, Some((Decision::Accepted, person("bob"), 20)));
            assert_eq!(thread.status, Status::Resolved);
            assert_eq!(thread.status_changed, Some((person("bob"), 20)));
            // The comment now sits on the text that replaced the words.
            assert_eq!(words(t, thread.anchor.resolve(t)).as_deref(), Some("health risks"));
        }
        assert_eq!(accept_suggestion(&tor, &comments, &id, &person("bob"), 30), Err(CommentError::AlreadyDecided));
        assert_eq!(comments.reject_suggestion(&id, &person("bob"), 30), Err(CommentError::AlreadyDecided));
        assert_eq!(tor.text(PURPOSE), "Reduce the health risks of drugs in prisons.");
    }

    #[test]
    fn accepting_a_deletion_and_refusals() {
        let (tor, comments) = setup("in all member states");
        let id = comment_on(&tor, &comments, "all ", Some(""), 10);
        accept_suggestion(&tor, &comments, &id, &person("bob"), 20).unwrap();
        assert_eq!(tor.text(PURPOSE), "in member states");
        assert_eq!(resolve_all(&tor, &comments), vec![(id.clone(), Resolved::Orphaned)]);

        let plain = comment_on(&tor, &comments, "member", None, 30);
        assert_eq!(accept_suggestion(&tor, &comments, &plain, &person("bob"), 40), Err(CommentError::NoSuggestion));
        assert_eq!(comments.reject_suggestion(&plain, &person("bob"), 40), Err(CommentError::NoSuggestion));
        assert!(matches!(accept_suggestion(&tor, &comments, "nope", &person("bob"), 40), Err(CommentError::NoSuchThread(_))));

        // Its words deleted meanwhile: nothing to replace, nothing changes.
        let gone = comment_on(&tor, &comments, "states", Some("countries"), 50);
        tor.splice(PURPOSE, 10, 6, "");
        let (tor_sv, comments_sv) = (tor.encoded_state_vector(), comments.encoded_state_vector());
        assert_eq!(accept_suggestion(&tor, &comments, &gone, &person("bob"), 60), Err(CommentError::Orphaned));
        assert_eq!((tor.encoded_state_vector(), comments.encoded_state_vector()), (tor_sv, comments_sv));
        assert_eq!(tor.text(PURPOSE), "in member ");
    }

    #[test]
    fn undoing_an_acceptance_puts_the_words_back_in_one_update_and_reopens() {
        let (tor, comments) = setup("Reduce the harm of drugs in prisons.");
        let (peer, peer_comments) = (TorDoc::new(3), CommentsDoc::new(4));
        let id = comment_on(&tor, &comments, "harm", Some("health risks"), 10);
        accept_suggestion(&tor, &comments, &id, &person("bob"), 20).unwrap();
        peer.apply_update(&tor.encode_state()).unwrap();
        peer_comments.apply_update(&comments.encode_state()).unwrap();
        assert_eq!(comments.thread(&id).unwrap().suggestion.unwrap().replaced.as_deref(), Some("harm"));
        // Someone types elsewhere meanwhile; the undo touches only the accepted words.
        peer.apply_update(&tor.splice(PURPOSE, 0, 0, "Aim: ")).unwrap();

        let (tor_update, comments_update) = undo_acceptance(&tor, &comments, &id, &person("cat"), 30).unwrap();
        assert_eq!(tor.text(PURPOSE), "Aim: Reduce the harm of drugs in prisons.");
        peer.apply_update(&tor_update).unwrap();
        peer_comments.apply_update(&comments_update).unwrap();
        for (t, c) in [(&tor, &comments), (&peer, &peer_comments)] {
            assert_eq!(t.text(PURPOSE), "Aim: Reduce the harm of drugs in prisons.");
            let thread = c.thread(&id).unwrap();
            let suggestion = thread.suggestion.unwrap();
            assert_eq!(suggestion.decision, None, "undecided again");
            assert_eq!(suggestion.undone, Some((person("cat"), 30)));
            assert_eq!(thread.status, Status::Open);
            assert_eq!(words(t, thread.anchor.resolve(t)).as_deref(), Some("harm"));
        }
        assert_eq!(undo_acceptance(&tor, &comments, &id, &person("cat"), 40), Err(CommentError::NotAccepted));
        // It can be accepted again.
        accept_suggestion(&tor, &comments, &id, &person("bob"), 50).unwrap();
        assert_eq!(tor.text(PURPOSE), "Aim: Reduce the health risks of drugs in prisons.");
    }

    #[test]
    fn undoing_an_accepted_deletion_puts_the_words_back_where_they_were() {
        let (tor, comments) = setup("in all member states");
        let id = comment_on(&tor, &comments, "all ", Some(""), 10);
        accept_suggestion(&tor, &comments, &id, &person("bob"), 20).unwrap();
        assert_eq!(tor.text(PURPOSE), "in member states");
        undo_acceptance(&tor, &comments, &id, &person("bob"), 30).unwrap();
        assert_eq!(tor.text(PURPOSE), "in all member states");
        assert_eq!(resolve_all(&tor, &comments), vec![(id, Resolved::At { section: PURPOSE, start: 3, end: 7 })]);
    }

    #[test]
    fn undo_is_refused_without_change_when_it_cannot_be_exact() {
        let (tor, comments) = setup("Train 300 prison staff in 2021");
        let rejected = comment_on(&tor, &comments, "300", Some("400"), 10);
        comments.reject_suggestion(&rejected, &person("cat"), 15).unwrap();
        let open = comment_on(&tor, &comments, "prison", Some("probation"), 10);
        let edited = comment_on(&tor, &comments, "staff", Some("officers"), 10);
        let deleted = comment_on(&tor, &comments, "2021", Some("2022"), 10);
        for id in [&edited, &deleted] {
            accept_suggestion(&tor, &comments, id, &person("bob"), 20).unwrap();
        }
        assert_eq!(tor.text(PURPOSE), "Train 300 prison officers in 2022");
        tor.splice(PURPOSE, 17, 0, "senior ");
        tor.splice(PURPOSE, 24, 1, "O"); // "officers" -> "Officers"
        tor.splice(PURPOSE, 36, 4, ""); // "2022" deleted
        assert_eq!(tor.text(PURPOSE), "Train 300 prison senior Officers in ");
        let before = (tor.encoded_state_vector(), comments.encoded_state_vector());
        assert_eq!(undo_acceptance(&tor, &comments, &rejected, &person("x"), 30), Err(CommentError::NotAccepted));
        assert_eq!(undo_acceptance(&tor, &comments, &open, &person("x"), 30), Err(CommentError::NotAccepted));
        assert!(matches!(undo_acceptance(&tor, &comments, &edited, &person("x"), 30), Err(CommentError::CannotUndo(why)) if why.contains("edited")));
        assert!(matches!(undo_acceptance(&tor, &comments, &deleted, &person("x"), 30), Err(CommentError::CannotUndo(why)) if why.contains("deleted")));
        assert!(matches!(undo_acceptance(&tor, &comments, "nope", &person("x"), 30), Err(CommentError::NoSuchThread(_))));
        assert_eq!((tor.encoded_state_vector(), comments.encoded_state_vector()), before, "nothing changed");
    }
}
