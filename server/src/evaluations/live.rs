//! Live results (issue 15): the open results pages of an evaluation learn at once that an
//! answer was recorded, and fetch their figures again (`public/live-results.js`, through
//! `GET /evaluations/{id}/live`, server-sent events in `http/evaluations.rs`), so a chair
//! shows the mid-term evaluation filling in while the PCs answer.
//!
//! Decisions: one channel for the whole server, every follower picking its own evaluation's
//! ids out of it (followers are results readers: the Secretariat, and the PCs for the
//! mid-term evaluation, a few dozen at most); a notice carries nothing but the evaluation's
//! id, so a page learns no more than the respondent count it already shows, and an anonymous
//! questionnaire's figures still move in whole batches (the page the follower fetches is
//! drawn by `desk_core::evaluation::published`); a follower too slow to read its notices gets
//! one for all it missed. Nothing is stored: a page that was not following fetches the
//! results anew when it opens.

use std::sync::Arc;
use tokio::sync::broadcast;
use tokio::sync::broadcast::error::RecvError;

/// How many notices may wait for a follower before it only learns that it missed some.
const BACKLOG: usize = 256;

/// The channel recorded answers are announced on. Cloning shares it.
#[derive(Clone)]
pub struct Live {
    sender: broadcast::Sender<Arc<str>>,
}

impl Default for Live {
    fn default() -> Self {
        Self { sender: broadcast::channel(BACKLOG).0 }
    }
}

impl Live {
    /// Tells whoever follows `evaluation` that an answer to it was recorded (nobody following:
    /// nothing happens).
    pub fn answered(&self, evaluation: &str) {
        // An error only says nobody follows anything just now.
        let _ = self.sender.send(Arc::from(evaluation));
    }

    /// A follower of `evaluation`, hearing of answers recorded from now on.
    pub fn follow(&self, evaluation: &str) -> Follower {
        Follower { receiver: self.sender.subscribe(), evaluation: Arc::from(evaluation) }
    }
}

/// One results page following one evaluation.
pub struct Follower {
    receiver: broadcast::Receiver<Arc<str>>,
    evaluation: Arc<str>,
}

impl Follower {
    /// Waits until an answer to the followed evaluation is recorded: `Some(())` once for each,
    /// or once for all of them when the follower fell behind (it fetches the whole results
    /// anyway); `None` when the channel is gone.
    pub async fn answered(&mut self) -> Option<()> {
        loop {
            match self.receiver.recv().await {
                Ok(id) if id == self.evaluation => return Some(()),
                Ok(_) => continue,
                Err(RecvError::Lagged(_)) => return Some(()),
                Err(RecvError::Closed) => return None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;
    use tokio::time::timeout;

    const SHORT: Duration = Duration::from_millis(50);

    #[tokio::test]
    async fn a_follower_hears_its_own_evaluation_only_and_only_from_when_it_follows() {
        let live = Live::default();
        live.answered("before");
        let mut follower = live.follow("mid-term-2021");
        let mut other = live.follow("training-2020");
        live.answered("training-2020");
        live.answered("mid-term-2021");
        assert_eq!(timeout(SHORT, follower.answered()).await, Ok(Some(())));
        assert!(timeout(SHORT, follower.answered()).await.is_err(), "one answer, one notice");
        assert_eq!(timeout(SHORT, other.answered()).await, Ok(Some(())));
        assert!(timeout(SHORT, other.answered()).await.is_err());
    }

    #[tokio::test]
    async fn a_follower_that_fell_behind_still_hears_that_answers_came() {
        let live = Live::default();
        let mut follower = live.follow("mid-term-2021");
        for _ in 0..BACKLOG * 2 {
            live.answered("training-2020");
        }
        live.answered("mid-term-2021");
        // The missed notices may have held its own: it is told so rather than nothing.
        assert_eq!(timeout(SHORT, follower.answered()).await, Ok(Some(())));
    }

    #[tokio::test]
    async fn a_follower_ends_when_the_channel_is_gone() {
        let live = Live::default();
        let mut follower = live.follow("mid-term-2021");
        drop(live);
        assert_eq!(timeout(SHORT, follower.answered()).await, Ok(None));
    }
}
