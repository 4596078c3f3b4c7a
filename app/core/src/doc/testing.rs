//! Fixtures for tests here and in the server (feature `testing`).

use super::{TorDoc, TorSection};

/// Three updates to `section`, by two replicas, where the second and the third both depend
/// on the first. Applied in the order second, third, first, yrs 0.28.1 keeps the second and
/// third pending for good (see `convergence_tests`). Together they give the text "a".
pub fn dependent_chain(section: TorSection) -> [Vec<u8>; 3] {
    let (a, b) = (TorDoc::new(1), TorDoc::new(5));
    let first = a.splice(section, 0, 0, ".");
    b.apply_update(&first).expect("valid update");
    let second = b.splice(section, 0, 1, ".");
    a.apply_update(&second).expect("valid update");
    let third = a.splice(section, 0, 1, "a");
    [first, second, third]
}
