//! Who may speak for which Yjs client id in one room. Writing: the writer that last added
//! changes under a client id owns it (a reconnected tab takes its id back with its first new
//! change; a tab passing on another tab's offline work takes that id); an update repeating
//! clocks already stored is accepted only from the owner, since from anyone else it is either
//! a race (healed by a resync) or a second replica with the same id, whose clashing changes
//! Yjs would skip without a word. A writer is a connection, and every connection of one
//! browser session counts as the same writer: tabs of one browser share their stored copies
//! (each writes under its own client id, `desk_core::sync::client`), so one tab sends what
//! another typed offline and the other then repeats it, which is no clash. Presence: the first
//! connection to announce a client id owns that presence (nobody else may rename or remove it)
//! until it says goodbye or leaves.

use std::collections::HashMap;
use std::sync::Mutex;

/// Client ids remembered per room and kind before new ones are no longer recorded (a
/// connection writes with one id per tab; this only bounds what a hostile client costs).
const MAX_CLIENTS: usize = 10_000;

/// Who writes through a connection: the connection's id, and the browser session it was
/// opened with (a key of its session cookie; `None` signed out or with a document token, then
/// the connection alone).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Writer {
    pub connection: u64,
    pub session: Option<u64>,
}

impl Writer {
    /// Whether this writer may repeat what `owner` wrote: the same connection, or another of
    /// the same browser session.
    fn speaks_for(&self, owner: &Writer) -> bool {
        self.connection == owner.connection || (self.session.is_some() && self.session == owner.session)
    }
}

#[derive(Default)]
pub struct Owners {
    writers: Mutex<HashMap<u64, Writer>>,
    presence: Mutex<HashMap<u64, u64>>,
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

impl Owners {
    /// Writer `from` writes an update repeating stored changes of `overlapping` clients and
    /// adding changes of `extending` ones. `Err(client)`: `client` belongs to another writer
    /// (or to one before the room was loaded); nothing is recorded then.
    pub fn claim_writes(&self, from: Writer, overlapping: impl Iterator<Item = u64>, extending: impl Iterator<Item = u64>) -> Result<(), u64> {
        let mut writers = lock(&self.writers);
        for client in overlapping {
            if !writers.get(&client).is_some_and(|owner| from.speaks_for(owner)) {
                return Err(client);
            }
        }
        for client in extending {
            if writers.len() < MAX_CLIENTS || writers.contains_key(&client) {
                writers.insert(client, from);
            }
        }
        Ok(())
    }

    /// Whether connection `from` may announce presence as `client` (taking it if nobody has).
    pub fn claim_presence(&self, from: u64, client: u64) -> bool {
        let mut presence = lock(&self.presence);
        match presence.get(&client) {
            Some(&owner) => owner == from,
            None if presence.len() < MAX_CLIENTS => {
                presence.insert(client, from);
                true
            }
            None => false,
        }
    }

    /// `client`'s presence left (its owner said goodbye): anyone may take the id again.
    pub fn release_presence(&self, from: u64, client: u64) {
        let mut presence = lock(&self.presence);
        if presence.get(&client) == Some(&from) {
            presence.remove(&client);
        }
    }

    /// Connection `from` left the room: its presence ids are free again. (The client ids it
    /// wrote with stay its own: a reconnecting tab writes past them, never over them.)
    pub fn connection_left(&self, from: u64) {
        lock(&self.presence).retain(|_, owner| *owner != from);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A writer signed out (the connection alone).
    fn alone(connection: u64) -> Writer {
        Writer { connection, session: None }
    }

    #[test]
    fn repeating_another_connections_clocks_is_refused_extending_them_is_not() {
        let owners = Owners::default();
        let (one, two) = (alone(1), alone(2));
        assert_eq!(owners.claim_writes(one, [].into_iter(), [4242].into_iter()), Ok(()));
        assert_eq!(owners.claim_writes(one, [4242].into_iter(), [4242].into_iter()), Ok(()), "its own resend");
        assert_eq!(owners.claim_writes(two, [4242].into_iter(), [].into_iter()), Err(4242), "a second replica with the id");
        assert_eq!(owners.claim_writes(two, [].into_iter(), [4242, 7].into_iter()), Ok(()), "passing on later changes");
        assert_eq!(owners.claim_writes(one, [7].into_iter(), [].into_iter()), Err(7), "7 was written by 2");
        assert_eq!(owners.claim_writes(one, [4242].into_iter(), [].into_iter()), Err(4242), "2 added to 4242 last");
        assert_eq!(owners.claim_writes(one, [].into_iter(), [4242].into_iter()), Ok(()), "1 adds again: 4242 is its own again");
        assert_eq!(owners.claim_writes(one, [4242].into_iter(), [].into_iter()), Ok(()));
        assert_eq!(owners.claim_writes(alone(3), [99].into_iter(), [].into_iter()), Err(99), "written before anyone here");
    }

    #[test]
    fn tabs_of_one_browser_session_repeat_each_others_clocks_other_sessions_do_not() {
        let owners = Owners::default();
        let first_tab = Writer { connection: 1, session: Some(77) };
        let second_tab = Writer { connection: 2, session: Some(77) };
        let elsewhere = Writer { connection: 3, session: Some(78) };
        // The first tab passes on the second tab's offline work (client 20) with its own (10).
        assert_eq!(owners.claim_writes(first_tab, [].into_iter(), [10, 20].into_iter()), Ok(()));
        // The second tab, back online, repeats its own work: the same browser, no clash.
        assert_eq!(owners.claim_writes(second_tab, [10, 20].into_iter(), [20].into_iter()), Ok(()));
        assert_eq!(owners.claim_writes(first_tab, [20].into_iter(), [].into_iter()), Ok(()));
        // Another browser (another session) and a signed-out connection repeating them clash.
        assert_eq!(owners.claim_writes(elsewhere, [20].into_iter(), [].into_iter()), Err(20));
        assert_eq!(owners.claim_writes(alone(4), [10].into_iter(), [].into_iter()), Err(10));
        // Two signed-out connections never count as one browser.
        assert_eq!(owners.claim_writes(alone(5), [].into_iter(), [30].into_iter()), Ok(()));
        assert_eq!(owners.claim_writes(alone(6), [30].into_iter(), [].into_iter()), Err(30));
    }

    #[test]
    fn presence_belongs_to_its_first_announcer_until_it_leaves() {
        let owners = Owners::default();
        assert!(owners.claim_presence(1, 10));
        assert!(owners.claim_presence(1, 10));
        assert!(!owners.claim_presence(2, 10), "someone else's id");
        owners.release_presence(2, 10);
        assert!(!owners.claim_presence(2, 10), "only the owner releases");
        owners.release_presence(1, 10);
        assert!(owners.claim_presence(2, 10));
        owners.connection_left(2);
        assert!(owners.claim_presence(3, 10));
    }
}
