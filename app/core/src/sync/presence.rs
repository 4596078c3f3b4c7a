//! Presence ("awareness" in Yjs): who else has a document open, their name and colour, and
//! where their caret is. Each replica announces its own state with a clock; the newest clock
//! per client wins; a state not renewed for [`PEER_TIMEOUT_MS`] is dropped, and a null
//! state means "left". Encoded as y-protocols awareness updates (yrs's types), so stock Yjs
//! clients see our people and we see theirs.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Arc;
use yrs::sync::awareness::{AwarenessUpdate, AwarenessUpdateEntry};
use yrs::ClientID;

/// A peer not heard from for this long has left (as in y-protocols).
pub const PEER_TIMEOUT_MS: u64 = 30_000;
/// Our own state is re-sent this often so peers do not time us out.
pub const RENEW_MS: u64 = 15_000;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub name: String,
    pub color: String,
}

/// A caret or selection in one section, as sticky positions (see `TorDoc::sticky`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    pub section: String,
    pub anchor: Vec<u8>,
    pub head: Vec<u8>,
}

/// What one replica announces, in the JSON shape Yjs editors use (`user`, `cursor`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeerState {
    pub user: User,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<Cursor>,
}

struct Peer {
    clock: u32,
    state: Option<PeerState>,
    heard_at_ms: u64,
}

/// Presence in one document, seen from one replica.
pub struct Presence {
    me: u64,
    clock: u32,
    mine: Option<PeerState>,
    sent_at_ms: u64,
    peers: HashMap<u64, Peer>,
}

impl Presence {
    pub fn new(me: u64) -> Self {
        Self { me, clock: 0, mine: None, sent_at_ms: 0, peers: HashMap::new() }
    }

    /// Sets our state (None: leaving) and returns the awareness update announcing it.
    pub fn set_mine(&mut self, state: Option<PeerState>, now_ms: u64) -> AwarenessUpdate {
        self.mine = state;
        self.clock += 1;
        self.announce(now_ms)
    }

    pub fn mine(&self) -> Option<&PeerState> {
        self.mine.as_ref()
    }

    /// Our current state as an awareness update (to greet a newcomer or to renew).
    pub fn announce(&mut self, now_ms: u64) -> AwarenessUpdate {
        self.sent_at_ms = now_ms;
        let json = match &self.mine {
            Some(state) => serde_json::to_string(state).unwrap_or_else(|_| "null".into()),
            None => "null".into(),
        };
        let entry = AwarenessUpdateEntry { clock: self.clock, json: Arc::from(json) };
        AwarenessUpdate { clients: HashMap::from([(ClientID::new(self.me), entry)]) }
    }

    /// Merges a peer's awareness update. Returns whether someone new appeared (so we greet
    /// them with our own state) and whether anything visible changed.
    pub fn receive(&mut self, update: &AwarenessUpdate, now_ms: u64) -> PresenceChange {
        let mut change = PresenceChange::default();
        for (client, entry) in &update.clients {
            let client = client.get();
            if client == self.me {
                continue;
            }
            let state = serde_json::from_str::<Option<PeerState>>(&entry.json).unwrap_or(None);
            let known = self.peers.get(&client);
            if known.is_some_and(|peer| peer.clock >= entry.clock && !(peer.clock == entry.clock && state.is_none())) {
                continue;
            }
            let was_present = known.is_some_and(|peer| peer.state.is_some());
            if !was_present && state.is_some() {
                change.newcomer = true;
            }
            if known.map(|peer| &peer.state) != Some(&state) {
                change.visible = true;
            }
            self.peers.insert(client, Peer { clock: entry.clock, state, heard_at_ms: now_ms });
        }
        change
    }

    /// Drops peers not heard from in time; returns whether any was dropped, and our renewal
    /// when it is due.
    pub fn tick(&mut self, now_ms: u64) -> (bool, Option<AwarenessUpdate>) {
        let before = self.present().count();
        self.peers.retain(|_, peer| now_ms.saturating_sub(peer.heard_at_ms) < PEER_TIMEOUT_MS);
        let dropped = self.present().count() != before;
        let renew = (self.mine.is_some() && now_ms.saturating_sub(self.sent_at_ms) >= RENEW_MS).then(|| self.announce(now_ms));
        (dropped, renew)
    }

    /// Forgets every peer (we were disconnected: their states are unknown until they renew).
    pub fn forget_peers(&mut self) {
        self.peers.clear();
    }

    /// The peers present now, by client id.
    pub fn present(&self) -> impl Iterator<Item = (u64, &PeerState)> {
        self.peers.iter().filter_map(|(id, peer)| peer.state.as_ref().map(|state| (*id, state)))
    }
}

/// Says that these clients (id, last clock seen) left: a null state with the next clock. A
/// server sends it for a connection that dropped without saying goodbye, so the others need
/// not wait for the timeout.
pub fn departure_notice(last_seen: impl IntoIterator<Item = (u64, u32)>) -> AwarenessUpdate {
    let null = Arc::<str>::from("null");
    let clients = last_seen
        .into_iter()
        .map(|(client, clock)| (ClientID::new(client), AwarenessUpdateEntry { clock: clock.saturating_add(1), json: null.clone() }))
        .collect();
    AwarenessUpdate { clients }
}

/// Whether an awareness entry announces that its client left (a null state).
pub fn is_departure(entry: &AwarenessUpdateEntry) -> bool {
    entry.json.trim() == "null"
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct PresenceChange {
    pub newcomer: bool,
    pub visible: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn anna() -> PeerState {
        PeerState { user: User { name: "Anna".into(), color: "#1f6feb".into() }, cursor: None }
    }

    #[test]
    fn newest_clock_wins_and_null_means_gone() {
        let mut a = Presence::new(1);
        let mut b = Presence::new(2);
        let hello = a.set_mine(Some(anna()), 0);
        assert_eq!(b.receive(&hello, 0), PresenceChange { newcomer: true, visible: true });
        assert_eq!(b.receive(&hello, 1), PresenceChange::default(), "a duplicate changes nothing");
        let mut moved = anna();
        moved.cursor = Some(Cursor { section: "scope".into(), anchor: vec![1], head: vec![1] });
        let newer = a.set_mine(Some(moved.clone()), 2);
        assert!(b.receive(&newer, 2).visible);
        assert!(!b.receive(&hello, 3).visible, "an older state is ignored");
        assert_eq!(b.present().map(|(id, s)| (id, s.clone())).collect::<Vec<_>>(), vec![(1, moved)]);
        let bye = a.set_mine(None, 4);
        assert!(b.receive(&bye, 4).visible);
        assert_eq!(b.present().count(), 0);
        assert_eq!(a.present().count(), 0, "one's own state is not a peer");
    }

    #[test]
    fn silent_peers_time_out_and_we_renew() {
        let mut a = Presence::new(1);
        let mut b = Presence::new(2);
        b.receive(&a.set_mine(Some(anna()), 0), 0);
        assert!(!b.tick(PEER_TIMEOUT_MS - 1).0);
        assert!(b.tick(PEER_TIMEOUT_MS).0);
        assert!(a.tick(RENEW_MS - 1).1.is_none());
        assert!(a.tick(RENEW_MS).1.is_some());
    }

    #[test]
    fn a_departure_notice_removes_a_peer() {
        let mut a = Presence::new(1);
        let mut b = Presence::new(2);
        let hello = a.set_mine(Some(anna()), 0);
        b.receive(&hello, 0);
        let clock = hello.clients.values().next().unwrap().clock;
        let notice = departure_notice([(1, clock)]);
        assert!(notice.clients.values().all(is_departure));
        assert!(b.receive(&notice, 1).visible);
        assert_eq!(b.present().count(), 0);
    }

    #[test]
    fn garbage_states_count_as_absent() {
        let mut b = Presence::new(2);
        let junk = AwarenessUpdate { clients: HashMap::from([(ClientID::new(9), AwarenessUpdateEntry { clock: 1, json: Arc::from("{not json") })]) };
        b.receive(&junk, 0);
        assert_eq!(b.present().count(), 0);
    }
}
