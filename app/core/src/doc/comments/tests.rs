//! The comments document's tests: writing, merging, reading damaged data, and anchors that
//! follow their words through edits (property tests).

use super::*;
use crate::doc::accept_suggestion;
use crate::doc::thread::{Decision, Suggestion, MAX_COMMENT_CHARS};
use crate::doc::Stick;
use crate::doc::{resolve_all, IdRun, Resolved, TorDoc, TorSection};
use std::collections::HashMap;
use std::collections::HashSet;
use std::sync::Arc;
use yrs::{Any, Map, MapPrelim, RootRef, Transact};

pub(in crate::doc) const PURPOSE: TorSection = TorSection::Purpose;

pub(in crate::doc) fn person(id: &str) -> Author {
    Author { id: id.into(), name: format!("Person {id}") }
}

/// A ToR whose purpose is `text`, and an empty comments document.
pub(in crate::doc) fn setup(text: &str) -> (TorDoc, CommentsDoc) {
    let tor = TorDoc::new(1);
    tor.splice(PURPOSE, 0, 0, text);
    (tor, CommentsDoc::new(2))
}

/// Comments on the first occurrence of `words`.
pub(in crate::doc) fn comment_on(tor: &TorDoc, comments: &CommentsDoc, words: &str, suggestion: Option<&str>, now_ms: u64) -> String {
    let text = tor.text(PURPOSE);
    let start = text[..text.find(words).unwrap()].encode_utf16().count() as u32;
    let anchor = Anchor::new(tor, PURPOSE, start, start + words.encode_utf16().count() as u32).unwrap();
    let new = NewComment { author: person("ann"), body: "Is this right?".into(), anchor, suggestion: suggestion.map(str::to_owned), now_ms };
    comments.add(new).unwrap().0
}

pub(in crate::doc) fn words(tor: &TorDoc, resolved: Resolved) -> Option<String> {
    match resolved {
        Resolved::At { section, start, end } => {
            let units: Vec<u16> = tor.text(section).encode_utf16().collect();
            Some(String::from_utf16(&units[start as usize..end as usize]).unwrap())
        }
        Resolved::Orphaned => None,
    }
}

#[test]
fn rejecting_closes_the_thread_and_is_recorded() {
    let (tor, comments) = setup("Train 300 prison staff");
    let id = comment_on(&tor, &comments, "300", Some("400"), 10);
    let update = comments.reject_suggestion(&id, &person("cat"), 15).unwrap();
    let peer = CommentsDoc::new(9);
    peer.apply_update(&comments.encode_state()).unwrap();
    peer.apply_update(&update).unwrap();
    for c in [&comments, &peer] {
        let thread = c.thread(&id).unwrap();
        assert_eq!(thread.status, Status::Resolved);
        assert_eq!(
            thread.suggestion,
            Some(Suggestion { text: "400".into(), decision: Some((Decision::Rejected, person("cat"), 15)), ..Suggestion::default() })
        );
    }
    assert_eq!(tor.text(PURPOSE), "Train 300 prison staff", "rejecting leaves the ToR alone");
    assert_eq!(accept_suggestion(&tor, &comments, &id, &person("cat"), 16), Err(CommentError::AlreadyDecided));
}

#[test]
fn concurrent_resolve_reopen_and_replies_merge() {
    let (tor, a) = setup("Pompidou Group");
    let id = comment_on(&tor, &a, "Group", None, 10);
    let b = CommentsDoc::new(7);
    b.apply_update(&a.encode_state()).unwrap();
    // Offline, at the same time: A resolves and replies, B reopens... then resolves, replies twice.
    let ua = [a.set_status(&id, Status::Resolved, &person("ann"), 20).unwrap(), a.reply(&id, &person("ann"), "Done.", 21).unwrap()];
    let ub = [
        b.reply(&id, &person("bob"), "Not quite.", 22).unwrap(),
        b.set_status(&id, Status::Open, &person("bob"), 23).unwrap(),
        b.reply(&id, &person("bob"), "See the outputs.", 24).unwrap(),
    ];
    for u in &ub {
        a.apply_update(u).unwrap();
    }
    for u in ua.iter().rev() {
        b.apply_update(u).unwrap();
        b.apply_update(u).unwrap(); // duplicates are harmless
    }
    let (ta, tb) = (a.thread(&id).unwrap(), b.thread(&id).unwrap());
    assert_eq!(ta, tb);
    let mut bodies: Vec<_> = ta.replies.iter().map(|r| r.body.clone().unwrap()).collect();
    bodies.sort();
    assert_eq!(bodies, ["Done.", "Not quite.", "See the outputs."]);
    // The status and who set it come from the same writer.
    match ta.status {
        Status::Resolved => assert_eq!(ta.status_changed, Some((person("ann"), 20))),
        Status::Open => assert_eq!(ta.status_changed, Some((person("bob"), 23))),
    }
    let ids: HashSet<_> = ta.replies.iter().map(|r| r.id.clone()).collect();
    assert_eq!(ids.len(), 3, "reply ids are unique");
}

#[test]
fn only_authors_edit_or_delete_and_deleted_comments_keep_their_replies() {
    let (tor, comments) = setup("Expert report");
    let id = comment_on(&tor, &comments, "report", None, 10);
    comments.reply(&id, &person("bob"), "Agreed", 11).unwrap();
    let reply = comments.thread(&id).unwrap().replies[0].id.clone();

    assert_eq!(comments.edit(&id, None, &person("bob"), "mine now", 12), Err(CommentError::NotYours));
    assert_eq!(comments.delete(&id, None, &person("bob"), 12), Err(CommentError::NotYours));
    assert_eq!(comments.edit(&id, Some(&reply), &person("ann"), "hers", 12), Err(CommentError::NotYours));
    assert_eq!(comments.delete(&id, Some(&reply), &person("ann"), 12), Err(CommentError::NotYours));
    assert!(matches!(comments.edit(&id, Some("nope"), &person("bob"), "x", 12), Err(CommentError::NoSuchReply(_))));
    assert!(matches!(comments.edit("nope", None, &person("ann"), "x", 12), Err(CommentError::NoSuchThread(_))));

    comments.edit(&id, None, &person("ann"), "  Is this the right word?\nSee p. 3  ", 13).unwrap();
    comments.edit(&id, Some(&reply), &person("bob"), "Agreed, mostly", 14).unwrap();
    let thread = comments.thread(&id).unwrap();
    assert_eq!(thread.body.as_deref(), Some("Is this the right word?\nSee p. 3"));
    assert_eq!((thread.created_ms, thread.edited_ms), (10, Some(13)));
    assert_eq!(thread.replies[0].body.as_deref(), Some("Agreed, mostly"));
    assert_eq!(thread.replies[0].edited_ms, Some(14));

    comments.delete(&id, None, &person("ann"), 15).unwrap();
    let thread = comments.thread(&id).unwrap();
    assert_eq!(thread.body, None);
    assert_eq!(thread.replies.len(), 1, "the replies stay");
    assert_eq!(thread.replies[0].body.as_deref(), Some("Agreed, mostly"));
    assert_eq!(comments.threads().len(), 1, "a deleted comment is still listed");
    assert_eq!(comments.edit(&id, None, &person("ann"), "back", 16), Err(CommentError::Deleted));
    // Replies to a deleted comment are still possible, and a reply can be deleted too.
    comments.reply(&id, &person("ann"), "Withdrawn", 17).unwrap();
    comments.delete(&id, Some(&reply), &person("bob"), 18).unwrap();
    let thread = comments.thread(&id).unwrap();
    assert_eq!(thread.replies.iter().map(|r| r.body.clone()).collect::<Vec<_>>(), [None, Some("Withdrawn".into())]);
}

#[test]
fn empty_and_oversized_texts_are_refused() {
    let (tor, comments) = setup("Timespan 2019-2022");
    let id = comment_on(&tor, &comments, "2019", None, 1);
    let anchor = comments.thread(&id).unwrap().anchor;
    let new = |body: &str, suggestion: Option<String>| NewComment { author: person("ann"), body: body.into(), anchor: anchor.clone(), suggestion, now_ms: 2 };
    for empty in ["", "   ", "\n\t \r\n"] {
        assert_eq!(comments.add(new(empty, None)), Err(CommentError::Empty));
        assert_eq!(comments.reply(&id, &person("bob"), empty, 3), Err(CommentError::Empty));
        assert_eq!(comments.edit(&id, None, &person("ann"), empty, 3), Err(CommentError::Empty));
    }
    let longest = "é".repeat(MAX_COMMENT_CHARS); // counted in characters, not bytes
    assert!(comments.add(new(&format!("  {longest}\n"), None)).is_ok());
    let too_long = "x".repeat(MAX_COMMENT_CHARS + 1);
    assert_eq!(comments.add(new(&too_long, None)), Err(CommentError::TooLong { chars: MAX_COMMENT_CHARS + 1 }));
    assert_eq!(comments.reply(&id, &person("bob"), &too_long, 3), Err(CommentError::TooLong { chars: MAX_COMMENT_CHARS + 1 }));
    assert_eq!(comments.edit(&id, None, &person("ann"), &too_long, 3), Err(CommentError::TooLong { chars: MAX_COMMENT_CHARS + 1 }));
    assert_eq!(comments.add(new("ok", Some(too_long.clone()))), Err(CommentError::TooLong { chars: MAX_COMMENT_CHARS + 1 }));
    let hollow = Anchor { start: Vec::new(), ..anchor.clone() };
    assert!(matches!(comments.add(NewComment { anchor: hollow.clone(), ..new("ok", None) }), Err(CommentError::BadRange(_))));
    assert!(matches!(comments.reattach(&id, hollow, &person("ann"), 3), Err(CommentError::BadRange(_))));
    let nobody = Author { id: " ".into(), name: "Nobody".into() };
    assert!(matches!(comments.reply(&id, &nobody, "hi", 3), Err(CommentError::Malformed(_))));
    assert_eq!(comments.threads().len(), 2);
    assert_eq!(comments.thread(&id).unwrap().replies, []);
    // The messages are meant for people.
    assert_eq!(CommentError::TooLong { chars: 10_001 }.to_string(), "the text is too long: 10001 characters, at most 10000");
}

#[test]
fn bad_ranges_are_refused() {
    let (tor, _) = setup("drug 💊 policy"); // the pill is two UTF-16 units, 5 and 6
    for (start, end) in [(3, 2), (4, 4), (0, 0), (10, 15), (0, 99), (99, 100)] {
        assert!(matches!(Anchor::new(&tor, PURPOSE, start, end), Err(CommentError::BadRange(_))), "{start}..{end}");
    }
    // Half a pill is not a character.
    assert!(matches!(Anchor::new(&tor, PURPOSE, 6, 8), Err(CommentError::BadRange(_))));
    assert!(matches!(Anchor::new(&tor, PURPOSE, 0, 6), Err(CommentError::BadRange(_))));
    assert!(matches!(Anchor::new(&tor, TorSection::Scope, 0, 1), Err(CommentError::BadRange(_))), "empty section");
    let pill = Anchor::new(&tor, PURPOSE, 5, 7).unwrap();
    assert_eq!((pill.quote.as_str(), pill.prefix.as_str(), pill.suffix.as_str()), ("💊", "drug ", " policy"));
    assert_eq!(pill.resolve(&tor), Resolved::At { section: PURPOSE, start: 5, end: 7 });
    let whole = Anchor::new(&tor, PURPOSE, 0, tor.len(PURPOSE)).unwrap();
    assert_eq!((whole.quote.as_str(), whole.prefix.as_str(), whole.suffix.as_str()), ("drug 💊 policy", "", ""));
}

#[test]
fn context_is_at_most_32_characters_each_side() {
    let before = "a".repeat(40) + "€";
    let after = "€".to_owned() + &"b".repeat(40);
    let (tor, _) = setup(&format!("{before}WORD{after}"));
    let start = before.encode_utf16().count() as u32;
    let anchor = Anchor::new(&tor, PURPOSE, start, start + 4).unwrap();
    assert_eq!(anchor.quote, "WORD");
    assert_eq!(anchor.prefix, "a".repeat(31) + "€");
    assert_eq!(anchor.suffix, "€".to_owned() + &"b".repeat(31));
}

#[test]
fn anchors_follow_edits_and_keep_typing_at_their_edges_outside() {
    let (tor, comments) = setup("harm reduction services");
    let id = comment_on(&tor, &comments, "reduction", None, 1);
    tor.splice(PURPOSE, 0, 0, "drug "); // before: "drug harm reduction services"
    tor.splice(PURPOSE, 10, 0, "-"); // just before the words: outside
    tor.splice(PURPOSE, 20, 0, "!"); // just after the words: outside
    tor.splice(PURPOSE, 14, 0, "…"); // inside: inside
    assert_eq!(tor.text(PURPOSE), "drug harm -red…uction! services");
    let place = comments.thread(&id).unwrap().anchor.resolve(&tor);
    assert_eq!(words(&tor, place).as_deref(), Some("red…uction"));
    tor.splice(PURPOSE, 11, 2, ""); // its first characters go
    let place = comments.thread(&id).unwrap().anchor.resolve(&tor);
    assert_eq!(words(&tor, place).as_deref(), Some("d…uction"));
    let text = tor.text(PURPOSE);
    let at = text.find("d…uction").unwrap() as u32;
    tor.splice(PURPOSE, at, "d…uction".encode_utf16().count() as u32, "");
    assert_eq!(comments.thread(&id).unwrap().anchor.resolve(&tor), Resolved::Orphaned);
    assert_eq!(resolve_all(&tor, &comments), vec![(id, Resolved::Orphaned)]);
}

#[test]
fn reattaching_moves_a_comment() {
    let (tor, comments) = setup("one two three");
    let id = comment_on(&tor, &comments, "two", None, 1);
    tor.splice(PURPOSE, 4, 3, "");
    assert_eq!(resolve_all(&tor, &comments), vec![(id.clone(), Resolved::Orphaned)]);
    let anchor = Anchor::new(&tor, PURPOSE, 5, 10).unwrap();
    comments.reattach(&id, anchor.clone(), &person("bob"), 2).unwrap();
    assert_eq!(comments.thread(&id).unwrap().anchor, anchor);
    assert_eq!(resolve_all(&tor, &comments), vec![(id, Resolved::At { section: PURPOSE, start: 5, end: 10 })]);
    assert!(matches!(comments.reattach("nope", anchor, &person("bob"), 3), Err(CommentError::NoSuchThread(_))));
}

#[test]
fn ids_are_unique_and_threads_oldest_first() {
    let (tor, a) = setup("a b c d");
    let b = CommentsDoc::new(3);
    let mut ids = vec![comment_on(&tor, &a, "c", None, 30), comment_on(&tor, &a, "a", None, 10)];
    ids.push(comment_on(&tor, &b, "b", None, 20));
    ids.push(comment_on(&tor, &b, "d", None, 10));
    a.apply_update(&b.encode_state()).unwrap();
    let threads = a.threads();
    let listed: Vec<_> = threads.iter().map(|t| (t.created_ms, t.anchor.quote.as_str())).collect();
    assert_eq!(listed, [(10, "a"), (10, "d"), (20, "b"), (30, "c")]);
    let unique: HashSet<_> = ids.iter().collect();
    assert_eq!(unique.len(), 4);
    assert!(ids.iter().all(|id| threads.iter().any(|t| &t.id == id)));
}

/// yrs integrates text whose client has a gap in its clocks (an earlier update still on its
/// way) when the text's neighbours are known; the state vector then stops at the gap. Such
/// text must still be found, and counted before the words that follow it.
#[test]
fn words_after_a_gap_in_a_clients_updates_are_found() {
    let (tor, comments) = setup("base text");
    let other = TorDoc::new(5);
    other.apply_update(&tor.encode_state()).unwrap();
    let _still_on_its_way = tor.splice(PURPOSE, 9, 0, " more");
    let arrives_first = tor.splice(PURPOSE, 0, 0, "new ");
    other.apply_update(&arrives_first).unwrap();
    assert_eq!(other.text(PURPOSE), "new base text", "yrs integrates it despite the gap");
    let on_new = comment_on(&other, &comments, "new", None, 1);
    let on_text = comment_on(&other, &comments, "text", None, 2);
    for (id, start, end) in [(on_new, 0, 3), (on_text, 9, 13)] {
        let at = Resolved::At { section: PURPOSE, start, end };
        assert_eq!(comments.thread(&id).unwrap().anchor.resolve(&other), at);
        assert!(resolve_all(&other, &comments).contains(&(id, at)));
    }
}

#[test]
fn garbage_anchors_resolve_to_orphaned() {
    let (tor, _) = setup("some text here");
    let other = TorDoc::new(5);
    other.apply_update(&tor.encode_state()).unwrap();
    other.splice(TorSection::Scope, 0, 0, "scope text");
    let with_ids = Anchor::new(&tor, PURPOSE, 2, 6).unwrap();
    assert!(!with_ids.words.is_empty());
    // The sticky positions alone (an anchor made by another client).
    let good = Anchor { words: Vec::new(), ..with_ids.clone() };
    let mut garbage: Vec<Vec<u8>> = vec![vec![], vec![0], vec![0xff; 9], vec![1, 2, 3], vec![0x80; 40], b"\x00\x05\x05".to_vec()];
    // Every prefix and byte flip of a real position.
    for i in 0..good.start.len() {
        garbage.push(good.start[..i].to_vec());
        for bit in 0..8 {
            let mut flipped = good.start.clone();
            flipped[i] ^= 1 << bit;
            garbage.push(flipped);
        }
    }
    // A position in another section.
    garbage.push(other.sticky(TorSection::Scope, 2, Stick::ToNext));
    tor.apply_update(&other.encode_state()).unwrap();
    for bytes in garbage {
        for anchor in [
            Anchor { start: bytes.clone(), ..good.clone() },
            Anchor { end: bytes.clone(), ..good.clone() },
            Anchor { start: bytes.clone(), end: bytes.clone(), ..good.clone() },
        ] {
            let _ = anchor.resolve(&tor); // must not panic
        }
        if bytes == other.sticky(TorSection::Scope, 2, Stick::ToNext) {
            assert_eq!(Anchor { start: bytes.clone(), ..good.clone() }.resolve(&tor), Resolved::Orphaned);
        }
    }
    for anchor in [&good, &with_ids] {
        let cross = Anchor { section: TorSection::Scope, ..anchor.clone() };
        assert_eq!(cross.resolve(&tor), Resolved::Orphaned, "positions in Purpose are not in Scope");
        assert_eq!(anchor.resolve(&TorDoc::new(8)), Resolved::Orphaned, "a replica without the text");
        assert_eq!(anchor.resolve(&tor), Resolved::At { section: PURPOSE, start: 2, end: 6 });
    }
    // Ids: unreadable bytes are none; ids of characters that do not exist, or extreme
    // clocks and lengths, place nothing.
    for bytes in [vec![1u8; 15], vec![0xff; 16], vec![7; 17]] {
        assert_eq!(IdRun::decode_all(&bytes), None, "{bytes:?}");
    }
    let extreme = [
        IdRun { client: yrs::ClientID::new(1), clock: u32::MAX, len: u32::MAX },
        IdRun { client: yrs::ClientID::new(999), clock: 0, len: 5 },
        IdRun { client: yrs::ClientID::new(1), clock: 10_000, len: 1 },
    ];
    let decoded = IdRun::decode_all(&IdRun::encode_all(&extreme)).unwrap();
    assert_eq!(decoded, extreme);
    assert_eq!(Anchor { words: decoded, ..with_ids.clone() }.resolve(&tor), Resolved::Orphaned);
}

#[test]
fn a_malformed_comments_document_is_listed_without_panicking() {
    let (tor, comments) = setup("the words");
    let good = comment_on(&tor, &comments, "words", None, 5);
    {
        let mut txn = comments.yrs().transact_mut();
        let threads = MapRef::root(THREADS).get_or_create(&mut txn);
        threads.insert(&mut txn, "just-a-string", "hello");
        threads.insert(&mut txn, "a-number", 42.0);
        let wrong: MapRef = threads.insert(
            &mut txn,
            "wrong-types",
            MapPrelim::from_iter([
                ("author_id", In::from(7.0)),
                ("created", "yesterday".into()),
                ("body", In::from(true)),
                ("anchor", "here".into()),
                ("status", "resolved".into()),
                ("suggestion", In::from(3.0)),
                ("replies", "none".into()),
            ]),
        );
        let _ = wrong;
        let anchor_map = |section: &str, start: Any| {
            Any::Map(Arc::new(HashMap::from([
                ("section".to_owned(), Any::from(section)),
                ("start".to_owned(), start),
                ("end".to_owned(), Any::from(vec![0xffu8, 0xff])),
                ("quote".to_owned(), Any::from("q")),
            ])))
        };
        threads.insert(
            &mut txn,
            "odd-anchor",
            MapPrelim::from_iter([
                ("author_id", In::from("zed")),
                ("created", In::from(-5.0)),
                ("body", "still here".into()),
                ("anchor", anchor_map("no-such-section", Any::from(vec![1u8])).into()),
                ("status", Any::Map(Arc::new(HashMap::from([("state".to_owned(), Any::from(1.0))]))).into()),
                ("accepted", Any::from("yes").into()),
                ("replies", In::Array(ArrayPrelim::from(vec![In::from("not a map"), In::Map(MapPrelim::default())]))),
            ]),
        );
        threads.insert(&mut txn, "garbage-positions", MapPrelim::from_iter([("anchor", In::from(anchor_map("scope", Any::from("text"))))]));
        threads.insert(&mut txn, "empty", MapPrelim::default());
    }
    // Through an update, as it would arrive from a peer.
    let peer = CommentsDoc::new(8);
    peer.apply_update(&comments.encode_state()).unwrap();
    for c in [&comments, &peer] {
        let threads = c.threads();
        let ids: Vec<_> = threads.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids.len(), 5, "{ids:?}");
        for id in [&good, "wrong-types", "odd-anchor", "garbage-positions", "empty"] {
            assert!(ids.contains(&id), "{id} listed");
        }
        let odd = c.thread("odd-anchor").unwrap();
        assert_eq!((odd.body.as_deref(), odd.created_ms, odd.status, odd.replies.len()), (Some("still here"), 0, Status::Open, 0));
        let resolved: HashMap<_, _> = resolve_all(&tor, c).into_iter().collect();
        assert_eq!(resolved.len(), 5);
        assert_eq!(resolved[&good], Resolved::At { section: PURPOSE, start: 4, end: 9 });
        for id in ["wrong-types", "odd-anchor", "garbage-positions", "empty"] {
            assert_eq!(resolved[id], Resolved::Orphaned, "{id}");
        }
        // Changes to damaged threads are refused or done, never a panic.
        assert!(matches!(c.reply("wrong-types", &person("ann"), "hi", 9), Err(CommentError::Malformed(_))));
        assert_eq!(c.edit("wrong-types", None, &person("ann"), "hi", 9), Err(CommentError::NotYours));
        assert!(c.set_status("wrong-types", Status::Resolved, &person("ann"), 9).is_ok());
        assert_eq!(c.reject_suggestion("wrong-types", &person("ann"), 9), Err(CommentError::NoSuggestion));
        assert!(c.reply("empty", &person("ann"), "first reply", 9).is_ok());
        assert_eq!(c.thread("empty").unwrap().replies.len(), 1);
        assert!(matches!(c.reply("just-a-string", &person("ann"), "hi", 9), Err(CommentError::NoSuchThread(_))));
        assert!(matches!(accept_suggestion(&tor, c, "garbage-positions", &person("ann"), 9), Err(CommentError::NoSuggestion)));
    }
}
