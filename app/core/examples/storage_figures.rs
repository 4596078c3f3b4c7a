//! Figures (not a test): what documents cost in a browser's local store, for README's
//! "Offline data on a phone". A ToR and its comments are built with the real document types,
//! typed word by word by three people, with a tenth of the words deleted and typed again;
//! a questionnaire's answers and a meeting (issues 15 and 17, not built yet) are synthetic
//! yrs documents of the size those issues describe. Each is counted as IndexedDB holds it now
//! (`app/src/browser/indexed.rs`: the state's bytes, plus a key and a small JSON of counts in
//! `meta`) and as localStorage held it before (key plus JSON with the state in base64, in
//! characters, against the 5,000,000 characters a browser gives a site there): the figures
//! behind the move.
//!
//! cargo run --release -p desk-core --example storage_figures

use desk_core::doc::{Anchor, Author, CommentsDoc, NewComment, TorDoc, TorSection};
use yrs::{Doc, GetString, Map, Options, ReadTxn, StateVector, Text, Transact};

/// What localStorage gives a site, in characters (the smallest browsers' limit).
const LIMIT_CHARS: usize = 5_000_000;
/// IndexedDB's key (twice: `meta` and `state`) and `meta`'s JSON, in bytes.
const IDB_OVERHEAD: usize = 2 * 40 + r#"{"made":1234,"confirmed":1234,"bytes":123456}"#.len();
/// `pd:123456:doc:` plus a document id, and the JSON around the state.
const KEY_AND_ENVELOPE: usize = 40 + r#"{"state":"","made":1234,"confirmed":1234}"#.len();

const WORDS: [&str; 12] =
    ["the ", "Pompidou ", "Group ", "drug ", "policy ", "réduction ", "cooperation ", "member ", "States ", "training ", "MedNET ", "évaluation\n"];

/// Characters a document whose state is `state_bytes` takes in localStorage.
fn stored_chars(state_bytes: usize) -> usize {
    state_bytes.div_ceil(3) * 4 + KEY_AND_ENVELOPE
}

/// `chars` of words, typed one word at a time by three people in turn at the end of the
/// text, every tenth word deleted again and retyped: `(index, delete, insert)` steps.
fn typing(chars: usize) -> Vec<(u32, u32, &'static str, usize)> {
    let mut steps = Vec::new();
    let (mut len, mut i) = (0u32, 0usize);
    while (len as usize) < chars {
        let word = WORDS[i % WORDS.len()];
        let units = word.encode_utf16().count() as u32;
        steps.push((len, 0, word, i % 3));
        if i % 10 == 9 {
            steps.push((len, units, "", i % 3));
            steps.push((len, 0, word, (i + 1) % 3));
        }
        len += units;
        i += 1;
    }
    steps
}

/// A ToR with `chars` characters in each of its nine sections.
fn tor(chars_per_section: usize) -> TorDoc {
    let people: Vec<TorDoc> = (0..3).map(|i| TorDoc::new(10 + i)).collect();
    for section in TorSection::ALL {
        for (index, delete, insert, who) in typing(chars_per_section) {
            let update = people[who].splice(section, index, delete, insert);
            for (other, replica) in people.iter().enumerate() {
                if other != who {
                    replica.apply_update(&update).expect("an update of a replica applies");
                }
            }
        }
    }
    people.into_iter().next().expect("three replicas")
}

/// Comments on `tor`: `threads` threads of a 300-character comment and two replies.
fn comments(tor: &TorDoc, threads: usize) -> CommentsDoc {
    let doc = CommentsDoc::new(20);
    let body = "A comment of about three hundred characters, as delegates write them. ".repeat(4);
    for i in 0..threads {
        let author = Author { id: format!("person-{}", i % 7), name: format!("Delegate {}", i % 7) };
        let section = TorSection::ALL[i % TorSection::ALL.len()];
        let start = (i as u32 * 37) % tor.len(section).max(1);
        let anchor = Anchor::new(tor, section, start, (start + 20).min(tor.len(section))).expect("an anchor inside the text");
        let new = NewComment { author: author.clone(), body: body.clone(), anchor, suggestion: None, now_ms: 1_700_000_000_000 + i as u64 };
        let (thread, _update) = doc.add(new).expect("a comment is added");
        for reply in 0..2 {
            doc.reply(&thread, &author, &body, 1_700_000_000_000 + (i * 10 + reply) as u64).expect("a reply is added");
        }
    }
    doc
}

fn doc(client: u64) -> Doc {
    Doc::with_options(Options::with_client_id(yrs::ClientID::new(client)))
}

/// Types `chars` into `text` (as [`typing`] does, one person).
fn type_into(doc: &Doc, name: &str, chars: usize) {
    let text = doc.get_or_insert_text(name);
    for (index, delete, insert, _) in typing(chars) {
        let mut txn = doc.transact_mut();
        if delete > 0 {
            text.remove_range(&mut txn, index, delete);
        }
        if !insert.is_empty() {
            text.insert(&mut txn, index, insert);
        }
    }
}

/// One person's answers to a questionnaire (issue 15): 30 questions, 20 of them choices or
/// short texts (40 characters), 10 long texts (800 characters).
fn answers() -> Doc {
    let d = doc(30);
    let choices = d.get_or_insert_map("answers");
    for q in 0..20 {
        let mut txn = d.transact_mut();
        choices.insert(&mut txn, format!("q{q}"), format!("answer {q}: a choice or a short text."));
    }
    for q in 20..30 {
        type_into(&d, &format!("q{q}"), 800);
    }
    d
}

/// A meeting (issue 17): an agenda of 15 items, minutes of 20,000 characters and decisions of
/// 3,000, typed during the meeting.
fn meeting() -> Doc {
    let d = doc(40);
    let agenda = d.get_or_insert_map("agenda");
    for item in 0..15 {
        let mut txn = d.transact_mut();
        let entry =
            format!(r#"{{"title":"Agenda item {item}: review of the terms of reference","presenter":"Secretariat","minutes":20,"position":"a{item}"}}"#);
        agenda.insert(&mut txn, format!("item-{item}"), entry);
    }
    type_into(&d, "minutes", 20_000);
    type_into(&d, "decisions", 3_000);
    d
}

fn state_len(d: &Doc) -> usize {
    d.transact().encode_state_as_update_v1(&StateVector::default()).len()
}

fn check_text(d: &Doc, name: &str) -> usize {
    let txn = d.transact();
    txn.get_text(name).map_or(0, |t| t.get_string(&txn).len())
}

fn main() {
    let typical = tor(1_500);
    let long = tor(6_000);
    let typical_comments = comments(&typical, 20);
    let busy_comments = comments(&long, 100);
    let answers = answers();
    let meeting = meeting();
    assert!(check_text(&meeting, "minutes") >= 20_000, "the meeting's minutes were typed");

    let rows = [
        ("ToR, 9 sections of 1,500 characters", typical.encode_state().len()),
        ("ToR, 9 sections of 6,000 characters", long.encode_state().len()),
        ("Comments, 20 threads of 3 messages", typical_comments.encode_state().len()),
        ("Comments, 100 threads of 3 messages", busy_comments.encode_state().len()),
        ("Answers to a questionnaire (synthetic)", state_len(&answers)),
        ("Meeting: agenda, minutes, decisions (synthetic)", state_len(&meeting)),
    ];
    println!("| document | bytes in IndexedDB | characters it took in localStorage |");
    println!("|---|---|---|");
    for (what, state) in rows {
        println!("| {what} | {} | {} |", state + IDB_OVERHEAD, stored_chars(state));
    }
    let rows = rows.map(|(what, state)| (what, stored_chars(state), state + IDB_OVERHEAD));

    // Everything a delegate may keep: the programme's 41 ToRs with their comments (typical),
    // 5 of them long and busy, 20 meetings and 20 answered questionnaires.
    let kept = 36 * (rows[0].1 + rows[2].1) + 5 * (rows[1].1 + rows[3].1) + 20 * rows[5].1 + 20 * rows[4].1;
    println!();
    let bytes = 36 * (rows[0].2 + rows[2].2) + 5 * (rows[1].2 + rows[3].2) + 20 * rows[5].2 + 20 * rows[4].2;
    println!(
        "A delegate keeping everything: {bytes} bytes in IndexedDB; in localStorage it took {kept} characters, {:.0}% of the {LIMIT_CHARS} it allows.",
        kept as f64 * 100.0 / LIMIT_CHARS as f64
    );
}
