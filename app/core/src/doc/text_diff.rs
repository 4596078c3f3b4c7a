//! Turns "the field held `old`, now it holds `new`" into one splice (index, delete, insert),
//! in UTF-16 units like the document's offsets: how a plain `<textarea>` edit becomes a CRDT
//! change. The splice never cuts a surrogate pair in half.

/// One replacement: delete `delete` units at `index`, insert `insert` there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Splice {
    pub index: u32,
    pub delete: u32,
    pub insert: String,
}

/// Where position `at` of `old` (UTF-16 units, like a field's caret) is in `new`, when `new`
/// is `old` with text merged in or out: unchanged before the change, moved by its length
/// after it, at the end of what was inserted when the change replaced it.
pub fn moved_position(old: &str, new: &str, at: u32) -> u32 {
    let Some(splice) = splice_between(old, new) else { return at };
    let inserted = splice.insert.encode_utf16().count() as u32;
    if at <= splice.index {
        at
    } else if at >= splice.index + splice.delete {
        at - splice.delete + inserted
    } else {
        splice.index + inserted
    }
}

/// The smallest single splice that turns `old` into `new`, or `None` if they are equal.
/// Where the change is ambiguous (typing a letter next to the same letter), the common part
/// is taken from the start first, as editors do.
pub fn splice_between(old: &str, new: &str) -> Option<Splice> {
    let old: Vec<u16> = old.encode_utf16().collect();
    let new: Vec<u16> = new.encode_utf16().collect();
    let mut prefix = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    if prefix > 0 && is_high_surrogate(old[prefix - 1]) {
        // The common part ends inside a pair whose second half differs: take the whole pair.
        prefix -= 1;
    }
    let room = old.len().min(new.len()) - prefix;
    let mut suffix = old.iter().rev().zip(new.iter().rev()).take(room).take_while(|(a, b)| a == b).count();
    if suffix > 0 && is_low_surrogate(old[old.len() - suffix]) {
        suffix -= 1;
    }
    if prefix == old.len() && prefix == new.len() {
        return None;
    }
    let insert = String::from_utf16_lossy(&new[prefix..new.len() - suffix]);
    Some(Splice { index: prefix as u32, delete: (old.len() - suffix - prefix) as u32, insert })
}

fn is_high_surrogate(unit: u16) -> bool {
    (0xD800..0xDC00).contains(&unit)
}

fn is_low_surrogate(unit: u16) -> bool {
    (0xDC00..0xE000).contains(&unit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn apply(old: &str, splice: &Splice) -> String {
        let units: Vec<u16> = old.encode_utf16().collect();
        let (i, d) = (splice.index as usize, splice.delete as usize);
        let mut out: Vec<u16> = units[..i].to_vec();
        out.extend(splice.insert.encode_utf16());
        out.extend(&units[i + d..]);
        String::from_utf16(&out).expect("the splice keeps surrogate pairs whole")
    }

    #[test]
    fn typical_edits() {
        assert_eq!(splice_between("abc", "abc"), None);
        assert_eq!(splice_between("abc", "abXc"), Some(Splice { index: 2, delete: 0, insert: "X".into() }));
        assert_eq!(splice_between("abc", "ac"), Some(Splice { index: 1, delete: 1, insert: "".into() }));
        assert_eq!(splice_between("aa", "aaa"), Some(Splice { index: 2, delete: 0, insert: "a".into() }));
        assert_eq!(splice_between("", "é"), Some(Splice { index: 0, delete: 0, insert: "é".into() }));
        assert_eq!(splice_between("x😀", "x😃"), Some(Splice { index: 1, delete: 2, insert: "😃".into() }));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]
        #[test]
        fn the_splice_turns_old_into_new(old in "[ab😀😃é\n]{0,12}", new in "[ab😀😃é\n]{0,12}") {
            match splice_between(&old, &new) {
                None => prop_assert_eq!(&old, &new),
                Some(splice) => prop_assert_eq!(apply(&old, &splice), new),
            }
        }
    }
}

#[cfg(test)]
mod moved_position_tests {
    use super::moved_position;

    #[test]
    fn a_caret_stays_next_to_the_same_characters_when_text_is_merged_in_elsewhere() {
        // Another tab's words merged in before the caret: it moves by their length.
        assert_eq!(moved_position("mine", "theirs mine", 4), 11);
        // After it: it stays.
        assert_eq!(moved_position("mine", "mine theirs", 4), 4);
        assert_eq!(moved_position("mine", "mine theirs", 2), 2);
        // Inside a replaced part: at the end of what replaced it.
        assert_eq!(moved_position("abcdef", "abXYZef", 3), 5);
        // Units are UTF-16, as a field counts them.
        assert_eq!(moved_position("ab", "😀ab", 2), 4);
        assert_eq!(moved_position("same", "same", 3), 3);
    }
}
