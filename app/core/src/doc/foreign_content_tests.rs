//! Content a stock Yjs client can write into a section that this app does not model (embeds
//! such as Quill's images, formatting attributes, shared types inserted into the text, and
//! other non-string items): the browser's positions, which count only the visible string,
//! must land on the right characters of the `Y.Text` (see `tor.rs`). Each replica has its
//! own client id: the stock client 7, the browser 11, the server 13.

use super::comments::tests::{person, words};
use super::{accept_suggestion, resolve_all, tor_markdown, undo_acceptance, Anchor, CommentsDoc, NewComment, Resolved, Stick, TorDoc, TorSection};
use std::collections::HashMap;
use std::sync::Arc;
use yrs::branch::BranchPtr;
use yrs::types::text::YChange;
use yrs::types::Attrs;
use yrs::updates::decoder::Decode;
use yrs::{
    Any, Array, ArrayRef, Assoc, ClientID, Doc, GetString, IndexedSequence, MapPrelim, OffsetKind, Options, Out, ReadTxn, StateVector, Text, TextRef, Transact,
};

const PURPOSE: TorSection = TorSection::Purpose;
const STOCK: u64 = 7;
const BROWSER: u64 = 11;
const SERVER: u64 = 13;

/// A stock Yjs client's document (UTF-16 offsets, like Yjs).
fn stock_client() -> Doc {
    let mut options = Options::with_client_id(ClientID::new(STOCK));
    options.offset_kind = OffsetKind::Utf16;
    Doc::with_options(options)
}

fn purpose_of(doc: &Doc) -> TextRef {
    doc.get_or_insert_text(PURPOSE.root_name())
}

/// Everything `from` has that `to` lacks.
fn sync_into(from: &Doc, to: &TorDoc) {
    let update = from.transact().encode_state_as_update_v1(&to.state_vector());
    to.apply_update(&update).unwrap();
}

fn apply_to_stock(stock: &Doc, update: &[u8]) {
    let update = yrs::Update::decode_v1(update).unwrap();
    stock.transact_mut().apply_update(update).unwrap();
}

/// The stock client's view: its string, and the non-string items in order (as Yjs's
/// `toDelta` shows them), `"S"` standing for each run of string.
fn stock_view(stock: &Doc) -> (String, Vec<String>) {
    let text = purpose_of(stock);
    let txn = stock.transact();
    let mut delta: Vec<String> = Vec::new();
    for piece in text.diff(&txn, YChange::identity) {
        let kind = match piece.insert {
            Out::Any(Any::String(_)) => "S".to_owned(),
            Out::Any(any) => format!("embed {any}"),
            Out::YMap(_) => "map".to_owned(),
            other => format!("{other:?}"),
        };
        if !(kind == "S" && delta.last().map(String::as_str) == Some("S")) {
            delta.push(kind);
        }
    }
    (text.get_string(&txn), delta)
}

/// The stock client's length of the section, in Yjs indices.
fn stock_len(stock: &Doc) -> u32 {
    let text = purpose_of(stock); // before the transaction: it may open one of its own
    let txn = stock.transact();
    text.len(&txn)
}

fn image() -> Any {
    Any::Map(Arc::new(HashMap::from([("image".to_owned(), Any::from("x.png"))])))
}

fn utf16_at(text: &str, unit: u32) -> usize {
    super::utf16::byte_offset(text, unit)
}

/// The issue as reported: the stock client writes the purpose, then inserts an image at 0 (as
/// Quill does); the editor types "Z" at the end in the browser.
#[test]
fn typing_after_an_embed_lands_where_the_caret_is() {
    let stock = stock_client();
    {
        let text = purpose_of(&stock);
        let mut txn = stock.transact_mut();
        text.insert(&mut txn, 0, "Intro. Rest of purpose.");
        text.insert_embed(&mut txn, 0, image());
    }
    let browser = TorDoc::new(BROWSER);
    let server = TorDoc::new(SERVER);
    sync_into(&stock, &browser);
    sync_into(&stock, &server);
    assert_eq!(browser.text(PURPOSE), "Intro. Rest of purpose.", "the embed is not shown");
    assert_eq!(browser.len(PURPOSE), 23, "nor counted");

    let typed = browser.splice(PURPOSE, 23, 0, "Z");
    assert_eq!(browser.text(PURPOSE), "Intro. Rest of purpose.Z");
    // And every later edit too, at the end and in the middle.
    let more = [browser.splice(PURPOSE, 24, 0, "!"), browser.splice(PURPOSE, 7, 4, "Best"), browser.splice(PURPOSE, 0, 0, ">")];
    assert_eq!(browser.text(PURPOSE), ">Intro. Best of purpose.Z!");
    for update in std::iter::once(&typed).chain(&more) {
        server.apply_update(update).unwrap();
        apply_to_stock(&stock, update);
    }
    assert_eq!(server.text(PURPOSE), ">Intro. Best of purpose.Z!");
    let (string, delta) = stock_view(&stock);
    assert_eq!(string, ">Intro. Best of purpose.Z!");
    let purpose_text = purpose_of(&stock);
    // The image is still there, before "Intro": the ">" typed at the very start went before
    // it (text typed where invisible items sit goes just after the visible character before).
    assert_eq!(delta.len(), 3, "{delta:?}");
    assert!(delta[0] == "S" && delta[1].starts_with("embed") && delta[2] == "S", "{delta:?}");
    let txn = stock.transact();
    let pieces = purpose_text.diff(&txn, YChange::identity);
    assert_eq!(pieces[0].insert, Out::Any(Any::from(">")));
    assert_eq!(pieces[1].insert, Out::Any(image()));
}

/// A section holding every kind of content a stock client can put there: formatting, an
/// embed, a nested shared map, and items of another type (what a client that opened the
/// section as a `Y.Array` would write), several units long.
fn mixed() -> (Doc, TorDoc, TorDoc) {
    let stock = stock_client();
    {
        let text = purpose_of(&stock);
        let mut txn = stock.transact_mut();
        text.insert(&mut txn, 0, "Reduce harm in prisons and in the community.");
        // Yjs index space: formatting takes none.
        text.format(&mut txn, 7, 4, Attrs::from([(Arc::from("bold"), Any::Bool(true))]));
        text.insert_embed(&mut txn, 12, image()); // before "in prisons"
        text.insert_embed(&mut txn, 0, MapPrelim::from_iter([("kind", Any::from("chart"))]));
        let as_array = ArrayRef::from(BranchPtr::from(AsRef::<yrs::branch::Branch>::as_ref(&text)));
        as_array.insert_range(&mut txn, 25, [Any::from(1.0), Any::from(2.0), Any::from("three")]); // before "and"
        let len = text.len(&txn);
        text.insert_embed(&mut txn, len, image());
    }
    let (browser, server) = (TorDoc::new(BROWSER), TorDoc::new(SERVER));
    sync_into(&stock, &browser);
    sync_into(&stock, &server);
    (stock, browser, server)
}

const MIXED: &str = "Reduce harm in prisons and in the community.";

#[test]
fn format_takes_no_index_space_and_other_content_does() {
    let (stock, browser, _) = mixed();
    // 44 visible units, 1 map, 2 images, 3 array items; formatting: none.
    assert_eq!(stock_len(&stock), 44 + 1 + 2 + 3);
    assert_eq!(browser.text(PURPOSE), MIXED);
    assert_eq!(browser.len(PURPOSE), 44);
}

/// Every edit in the browser changes the visible string exactly as the same splice of a plain
/// string would, on every replica, and keeps every item it did not span.
#[test]
fn splices_anywhere_change_exactly_the_visible_units() {
    let edits: &[(u32, u32, &str)] = &[
        (44, 0, "Z"),       // the very end, before the trailing image
        (0, 0, "A "),       // the very start, before the map: "A Reduce harm in…"
        (10, 0, "-"),       // inside the bold word: "h-arm"
        (15, 0, "really "), // after "h-arm ", i.e. just before the image before "in prisons"
        (21, 1, "_"),       // the space before that image: the image stays after it
        (30, 3, ""),        // "ns ", up to the array items (they stay)
        (8, 3, "xx"),       // " h-", across the start of the bold word
    ];
    let (stock, browser, server) = mixed();
    let mut expected = MIXED.to_owned();
    for &(at, delete, insert) in edits {
        let before = browser.text(PURPOSE);
        assert_eq!(before, expected);
        let update = browser.splice(PURPOSE, at, delete, insert);
        let (from, to) = (utf16_at(&expected, at), utf16_at(&expected, at + delete));
        expected.replace_range(from..to, insert);
        assert_eq!(browser.text(PURPOSE), expected, "splice({at}, {delete}, {insert:?}) of {before:?}");
        server.apply_update(&update).unwrap();
        apply_to_stock(&stock, &update);
        assert_eq!(server.text(PURPOSE), expected);
        assert_eq!(stock_view(&stock).0, expected);
    }
    // Nothing was deleted but string: the map, both images and the three items are there.
    assert_eq!(stock_len(&stock), super::utf16::len(&expected) + 6);
    let (_, delta) = stock_view(&stock);
    assert_eq!(delta.iter().filter(|d| d.starts_with("embed")).count(), 2, "{delta:?}");
    assert_eq!(delta.iter().filter(|d| *d == "map").count(), 1, "{delta:?}");
}

#[test]
fn an_edit_spanning_an_embed_deletes_it_and_one_at_its_edge_does_not() {
    let (stock, browser, _) = mixed();
    // "harm " ends just before the image; deleting it leaves the image.
    apply_to_stock(&stock, &browser.splice(PURPOSE, 7, 5, ""));
    assert_eq!(stock_view(&stock).1.iter().filter(|d| d.starts_with("embed")).count(), 2);
    // "Reduce in prisons": deleting "e in" spans the image.
    assert_eq!(browser.text(PURPOSE), "Reduce in prisons and in the community.");
    apply_to_stock(&stock, &browser.splice(PURPOSE, 5, 4, ""));
    assert_eq!(browser.text(PURPOSE), "Reduc prisons and in the community.");
    assert_eq!(stock_view(&stock).0, "Reduc prisons and in the community.");
    assert_eq!(stock_view(&stock).1.iter().filter(|d| d.starts_with("embed")).count(), 1, "only the spanned image went");
    // "s a" spans the array items, which a text edit cannot delete: they stay.
    let update = browser.splice(PURPOSE, 12, 3, "");
    apply_to_stock(&stock, &update);
    let expected = "Reduc prisonnd in the community.";
    assert_eq!(browser.text(PURPOSE), expected);
    assert_eq!(stock_view(&stock).0, expected);
    assert_eq!(stock_len(&stock), 32 + 1 + 1 + 3, "the map, the last image and the three items");
}

#[test]
fn carets_and_selections_stay_on_their_characters_after_embeds() {
    let (stock, browser, _) = mixed();
    let at = |words: &str| MIXED[..MIXED.find(words).unwrap()].encode_utf16().count() as u32;
    // A caret just before "in prisons" (after "harm ", with the image between), and a
    // selection of "prisons".
    let caret = browser.sticky(PURPOSE, at("in prisons"), Stick::ToPrevious);
    let start = browser.sticky(PURPOSE, at("prisons"), Stick::ToNext);
    let end = browser.sticky(PURPOSE, at("prisons") + 7, Stick::ToPrevious);
    let last = browser.sticky(PURPOSE, 99, Stick::ToNext);
    assert_eq!(browser.resolve_sticky(&caret), Some(at("in prisons")));
    assert_eq!(browser.resolve_sticky(&start), Some(at("prisons")));
    assert_eq!(browser.resolve_sticky(&end), Some(at("prisons") + 7));
    assert_eq!(browser.resolve_sticky(&last), Some(44));
    // The stock client adds text and another image before them.
    {
        let text = purpose_of(&stock);
        let mut txn = stock.transact_mut();
        text.insert(&mut txn, 1, "Help ");
        text.insert_embed(&mut txn, 1, image());
    }
    sync_into(&stock, &browser);
    let now = browser.text(PURPOSE);
    assert_eq!(now, format!("Help {MIXED}"));
    let at = |words: &str| now[..now.find(words).unwrap()].encode_utf16().count() as u32;
    assert_eq!(browser.resolve_sticky(&caret), Some(at("in prisons")));
    assert_eq!(browser.resolve_sticky(&start), Some(at("prisons")));
    assert_eq!(browser.resolve_sticky(&end), Some(at("prisons") + 7));
    assert_eq!(browser.resolve_sticky(&last), Some(49), "the end follows the last character, not the image after it");
    // A caret made by the stock client (as y-quill shares it), in Yjs indices: just after the
    // image before "in prisons", i.e. before "in".
    let yjs_index = {
        let text = purpose_of(&stock);
        let txn = stock.transact();
        let string = text.get_string(&txn);
        assert_eq!(string, now);
        // map, image, "Help ", "Reduce harm ", image: "in" follows.
        let peer = text.sticky_index(&txn, 1 + 1 + 5 + 12 + 1, Assoc::After).unwrap();
        yrs::updates::encoder::Encode::encode_v1(&peer)
    };
    assert_eq!(browser.resolve_sticky(&yjs_index), Some(at("in prisons")));
    // A position that is not in a section's text is nowhere.
    let in_the_map = {
        let text = purpose_of(&stock);
        let txn = stock.transact();
        let map = match text.diff(&txn, YChange::identity).into_iter().find_map(|d| match d.insert {
            Out::YMap(map) => Some(map),
            _ => None,
        }) {
            Some(map) => map,
            None => panic!("the map is there"),
        };
        yrs::updates::encoder::Encode::encode_v1(&yrs::StickyIndex::from_type(&txn, &map, Assoc::Before))
    };
    assert_eq!(browser.resolve_sticky(&in_the_map), None);
}

#[test]
fn comments_after_embeds_resolve_to_their_words() {
    let (stock, tor, _) = mixed();
    let comments = CommentsDoc::new(17);
    let at = |text: &str, words: &str| text[..text.find(words).unwrap()].encode_utf16().count() as u32;
    let start = at(MIXED, "the community");
    let anchor = Anchor::new(&tor, PURPOSE, start, start + 13).unwrap();
    assert_eq!(anchor.quote, "the community");
    assert_eq!(anchor.prefix, "Reduce harm in prisons and in ");
    let new = NewComment { author: person("ann"), body: "Which?".into(), anchor: anchor.clone(), suggestion: Some("society".into()), now_ms: 1 };
    let (id, _) = comments.add(new).unwrap();
    // The same anchor without ids (as another Yjs client writes them) resolves by its sticky
    // positions.
    let by_position = Anchor { words: Vec::new(), ..anchor.clone() };
    for a in [&anchor, &by_position] {
        assert_eq!(words(&tor, a.resolve(&tor)).as_deref(), Some("the community"));
    }
    // The stock client inserts another image and text before them.
    {
        let text = purpose_of(&stock);
        let mut txn = stock.transact_mut();
        text.insert_embed(&mut txn, 3, image());
        text.insert(&mut txn, 3, "Ab ");
    }
    sync_into(&stock, &tor);
    for a in [&anchor, &by_position] {
        assert_eq!(words(&tor, a.resolve(&tor)).as_deref(), Some("the community"));
    }
    let now = tor.text(PURPOSE);
    let start = at(&now, "the community");
    assert_eq!(resolve_all(&tor, &comments), vec![(id.clone(), Resolved::At { section: PURPOSE, start, end: start + 13 })]);

    // Accepting the suggestion replaces exactly those words; undoing puts them back.
    let (update, _) = accept_suggestion(&tor, &comments, &id, &person("bob"), 2).unwrap();
    apply_to_stock(&stock, &update);
    let accepted = now.replace("the community", "society");
    assert_eq!(tor.text(PURPOSE), accepted);
    assert_eq!(stock_view(&stock).0, accepted);
    let (update, _) = undo_acceptance(&tor, &comments, &id, &person("bob"), 3).unwrap();
    apply_to_stock(&stock, &update);
    assert_eq!(tor.text(PURPOSE), now);
    assert_eq!(stock_view(&stock).0, now);
    assert_eq!(words(&tor, comments.thread(&id).unwrap().anchor.resolve(&tor)).as_deref(), Some("the community"));
    let (_, delta) = stock_view(&stock);
    assert_eq!(delta.iter().filter(|d| d.starts_with("embed")).count(), 3, "no image lost: {delta:?}");
}

#[test]
fn export_and_text_show_the_string_only() {
    let (stock, tor, _) = mixed();
    let comments = CommentsDoc::new(17);
    let start = MIXED.find("prisons").unwrap() as u32;
    let anchor = Anchor::new(&tor, PURPOSE, start, start + 7).unwrap();
    comments.add(NewComment { author: person("ann"), body: "Which?".into(), anchor, suggestion: None, now_ms: 1 }).unwrap();
    // One more image, before the words, after the comment was made.
    {
        let text = purpose_of(&stock);
        let mut txn = stock.transact_mut();
        text.insert_embed(&mut txn, 1, image());
    }
    sync_into(&stock, &tor);
    assert_eq!(tor.text(PURPOSE), MIXED);
    let md = tor_markdown("NPS", &tor, &comments);
    assert!(md.contains("## Purpose\n\nReduce harm in prisons[^1] and in the community.\n"), "{md}");
    for placeholder in ['\u{FFFC}', '{', '}'] {
        assert!(!md.contains(placeholder), "{md}");
    }
    assert!(md.contains("[^1]: “prisons” **Person ann** (open): Which?"), "{md}");
    assert!(!md.contains("x.png") && !md.contains("chart") && !md.contains("three"), "{md}");
}

/// An edit next to an embed keeps it; once the stock client deletes it, the section holds only
/// strings again and offsets are indices again.
#[test]
fn an_embed_deleted_again_leaves_plain_text() {
    let stock = stock_client();
    let tor = TorDoc::new(BROWSER);
    {
        let text = purpose_of(&stock);
        let mut txn = stock.transact_mut();
        text.insert(&mut txn, 0, "abc");
        text.insert_embed(&mut txn, 1, image());
    }
    sync_into(&stock, &tor);
    assert_eq!((tor.text(PURPOSE), tor.len(PURPOSE)), ("abc".to_owned(), 3));
    tor.splice(PURPOSE, 1, 1, "B"); // spans the image? No: "b" only, the image is at its edge
    assert_eq!(tor.text(PURPOSE), "aBc");
    {
        let text = purpose_of(&stock);
        let mut txn = stock.transact_mut();
        text.remove_range(&mut txn, 1, 1); // the image
    }
    let update = stock.transact().encode_state_as_update_v1(&StateVector::default());
    tor.apply_update(&update).unwrap();
    tor.splice(PURPOSE, 3, 0, "d");
    assert_eq!((tor.text(PURPOSE), tor.len(PURPOSE)), ("aBcd".to_owned(), 4));
}
