//! Owns how search compares text: [`fold`] is the one function that turns a query or an
//! indexed text into the form both are matched in, so that "Réunion" typed (NFC), "Réunion"
//! pasted from macOS or a PDF (NFD: "e" + U+0301), "RÉUNION", "reunion" and "ﬁnance" /
//! "finance" meet. Every comparison of words in `model::search` (the programme search, and the
//! ToR text search of `pages::search`) goes through it; nothing else lowercases for matching,
//! and nothing shown to a person is folded (hits carry the original titles).
//!
//! The steps follow Unicode's compatibility caseless matching (The Unicode Standard §3.13,
//! D145) with accents removed, as a search box is expected to:
//!
//! 1. **NFKD** (UAX #15). Decomposing makes NFC and NFD text equal and separates accents from
//!    their letters. The compatibility form (K) rather than NFD because pasted text is full of
//!    compatibility characters that people type plainly: ligatures from PDFs ("ﬁ" → "fi"),
//!    full-width Latin and digits from East Asian keyboards, "ſ", "µ", Greek symbol variants
//!    ("ϐ" → "β"), superscripts and circled numbers. The price is that "x²" is found as "x2".
//! 2. **Drop General Category Mn** (non-spacing marks): the accents, Hebrew and Arabic vowel
//!    points, variation selectors (so "❤️" and "❤" meet). Spacing marks (Mc), which are vowel
//!    signs in Indic scripts, stay. Some languages count a marked letter as a letter of its own
//!    (й/и, ñ/n, å/a); search then finds a little more, never less. One Mn stays: U+0345
//!    COMBINING GREEK YPOGEGRAMMENI (the iota under "ᾳ"), which is a letter to case: its
//!    uppercase is "Ι", and case folding makes it "ι" (so "ᾳ" and "ΑΙ" meet, as they should).
//! 3. **Case folding**: each character lowercased after uppercasing (`char::to_uppercase`,
//!    then `char::to_lowercase`: full Unicode mappings, locale-independent, no context). This is
//!    Unicode's full case folding (CaseFolding.txt, status C+F) where it differs from mere
//!    lowercasing: final "ς" → "σ" (so the query "ΟΔΟΣ", whose last letter `str::to_lowercase`
//!    would make a final sigma, is still a prefix of "οδοστρωσία"), "ı" → "i" (the Turkish
//!    dotless i; with "İ" → "I" from steps 1–2 the Turkish and the English casing of a word
//!    meet without a locale), ypogegrammeni → "ι", "ᲀ" → "в" and the other old Cyrillic
//!    variants; the rest of that file (ſ, µ, ϐ, ﬁ …) NFKD has done already. Then "ß" and "ẞ" →
//!    "ss", as full case folding has it (so "STRASSE" finds "Straße"). Then, as
//!    accent-insensitive search does, the letters whose stroke is part of the letter, which
//!    no decomposition separates: "ł" → "l", "ø" → "o", "đ" → "d", "ħ" → "h", "ŧ" → "t", and
//!    the ligatures "æ" → "ae", "œ" → "oe" (so "Lodz" finds "Łódź" and "coeur" "cœur").
//! 4. **NFC**, so that what is left composes again (Hangul syllables, Indic two-part vowel
//!    signs): a word prefix is then a prefix of whole syllables, not of jamo.
//!
//! One pass suffices (D145 applies decomposition and folding twice): case folding a
//! decomposed character without marks gives characters without a decomposition or marks.
//! The tests check this and the rest for every scalar value: folding is idempotent, every
//! normalization form of a text folds alike, and so do a text's uppercase and lowercase.
//!
//! Where it runs: on the host and the server with the crates `unicode-normalization` and
//! `unicode-properties` (non-wasm dependencies only); in the browser (the wasm `hydrate`
//! build, where the programme search runs again after hydration) with the browser's own
//! `String.prototype.normalize` and the RegExp `/(?!\u0345)\p{Mn}/gu`, so the wasm bundle
//! carries no Unicode tables. Both sides of a comparison are always folded by the same build.
//! The two agree on every character both Unicode versions know (steps 1, 2 and 4 compared
//! for planes 0–3 and 14 against Node's ICU 78: they differed only on characters new in
//! Unicode 18). ASCII text takes a fast path that needs neither.

/// `text` in search form (see the module). Shapes: `fold("Re\u{301}UNION") == "reunion"`,
/// `fold("Straße") == "strasse"`, `fold("ΑΘΉΝΑ") == "αθηνα"`, `fold("\u{301}") == ""`. White
/// space and punctuation are kept (NFKD may rewrite them, e.g. "…" → "..."); splitting into
/// words is the caller's.
pub fn fold(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    let decomposed = platform::decompose_without_nonspacing_marks(text);
    let mut folded = String::with_capacity(decomposed.len());
    for c in decomposed.chars().flat_map(char::to_uppercase).flat_map(char::to_lowercase) {
        match c {
            'ß' => folded.push_str("ss"),
            'ł' => folded.push('l'),
            'ø' => folded.push('o'),
            'đ' => folded.push('d'),
            'ħ' => folded.push('h'),
            'ŧ' => folded.push('t'),
            'æ' => folded.push_str("ae"),
            'œ' => folded.push_str("oe"),
            c => folded.push(c),
        }
    }
    if folded.is_ascii() {
        return folded;
    }
    platform::compose(&folded)
}

/// The host and server: Unicode tables from crates.
#[cfg(not(target_arch = "wasm32"))]
mod platform {
    use unicode_normalization::UnicodeNormalization;
    use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

    /// NFKD of `text` without its General Category Mn characters but U+0345.
    pub fn decompose_without_nonspacing_marks(text: &str) -> String {
        text.nfkd().filter(|&c| c == '\u{345}' || c.general_category() != GeneralCategory::NonspacingMark).collect()
    }

    /// NFC of `text`.
    pub fn compose(text: &str) -> String {
        text.nfc().collect()
    }
}

/// The browser: its own normalization and Unicode properties, through JavaScript.
#[cfg(all(target_arch = "wasm32", feature = "browser"))]
mod platform {
    use js_sys::{JsString, RegExp};

    thread_local! {
        /// Every General Category Mn character but U+0345 (ES2018 Unicode property escapes).
        static NONSPACING_MARKS: RegExp = RegExp::new(r"(?!\u0345)\p{Mn}", "gu");
    }

    /// NFKD of `text` without its General Category Mn characters but U+0345.
    pub fn decompose_without_nonspacing_marks(text: &str) -> String {
        let decomposed = JsString::from(text).normalize("NFKD");
        NONSPACING_MARKS.with(|marks| decomposed.replace_all_by_pattern(marks, "").into())
    }

    /// NFC of `text`.
    pub fn compose(text: &str) -> String {
        JsString::from(text).normalize("NFC").into()
    }
}

#[cfg(all(target_arch = "wasm32", not(feature = "browser")))]
compile_error!("search folding in the browser needs the `browser` feature (js-sys's String.prototype.normalize); see app/core/src/model/fold.rs");

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    /// Every scalar value with a chance of a mapping: planes 0–3 and 14. Planes 4–13 are
    /// unassigned and 15–16 private use (no decomposition, case or category to test), and
    /// leaving them out keeps these tests at a few seconds in a debug build.
    fn every_char() -> impl Iterator<Item = char> {
        (0..=0x3FFFF).chain(0xE0000..=0xEFFFF).filter_map(char::from_u32)
    }

    #[test]
    fn shapes_in_the_doc() {
        assert_eq!(fold("Re\u{301}UNION"), "reunion");
        assert_eq!(fold("Réunion"), "reunion");
        assert_eq!(fold("Straße STRAẞE"), "strasse strasse");
        assert_eq!(fold("ΑΘΉΝΑ ΟΔΟΣ"), "αθηνα οδοσ");
        assert_eq!(fold("\u{301}"), "");
        assert_eq!(fold("ﬁnance Ｒéunion"), "finance reunion");
        assert_eq!(fold("İstanbul ISPARTA ısparta"), "istanbul isparta isparta");
        assert_eq!(fold("Łódź cœur"), "lodz coeur");
        assert_eq!(fold("한국"), "한국", "Hangul syllables compose again");
        assert_eq!(fold("ᾳ ΑΙ ᲀ"), "αι αι в");
    }

    /// Every scalar value: folding a folded text changes nothing (so a query folds to what
    /// the text it came from folds to), and NFC, NFD, NFKC and NFKD forms fold alike.
    #[test]
    fn every_char_folds_idempotently_and_alike_in_every_normalization_form() {
        for c in every_char() {
            let s = c.to_string();
            let folded = fold(&s);
            assert_eq!(fold(&folded), folded, "{c:?} U+{:04X}", c as u32);
            for form in [s.nfc().collect::<String>(), s.nfd().collect(), s.nfkc().collect(), s.nfkd().collect()] {
                if form != s {
                    assert_eq!(fold(&form), folded, "{c:?} U+{:04X}", c as u32);
                }
            }
        }
    }

    /// Every scalar value: its uppercase and its lowercase fold alike.
    #[test]
    fn every_char_folds_alike_in_upper_and_lower_case() {
        let mut differ = Vec::new();
        for c in every_char() {
            let (upper, lower): (String, String) = (c.to_uppercase().collect(), c.to_lowercase().collect());
            if fold(&upper) != fold(&lower) {
                differ.push(format!("U+{:04X} {c}: {:?} {:?}", c as u32, fold(&upper), fold(&lower)));
            }
        }
        assert!(differ.is_empty(), "{differ:#?}");
    }
}
