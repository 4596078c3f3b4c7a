//! Parts of a page that load from their own wasm file after the page is interactive (the ToR
//! editor, `crate::pages::tor::loader`): while one loads, what only keeps things for offline
//! use waits ([`when_loaded`]), so it does not take a slow network's bandwidth from what the
//! person opened the page for.

use std::cell::RefCell;

/// Parts loading now, and what waits for none to be loading.
#[derive(Default)]
struct Waiting {
    loading: usize,
    then: Vec<Box<dyn FnOnce()>>,
}

thread_local! {
    static WAITING: RefCell<Waiting> = RefCell::new(Waiting::default());
}

/// One part loading: made when its load starts, dropped when it has loaded or failed.
pub struct Loading(());

impl Loading {
    pub fn start() -> Self {
        WAITING.with(|w| w.borrow_mut().loading += 1);
        Loading(())
    }
}

impl Drop for Loading {
    fn drop(&mut self) {
        let ready = WAITING.with(|w| {
            let mut w = w.borrow_mut();
            w.loading -= 1;
            if w.loading == 0 {
                std::mem::take(&mut w.then)
            } else {
                Vec::new()
            }
        });
        // Run outside the borrow: one of them may start a load of its own.
        for then in ready {
            then();
        }
    }
}

/// Runs `then` now when nothing is loading, else once every part loading has loaded or failed.
pub fn when_loaded(then: impl FnOnce() + 'static) {
    let mut then: Option<Box<dyn FnOnce()>> = Some(Box::new(then));
    WAITING.with(|w| {
        let mut w = w.borrow_mut();
        if w.loading > 0 {
            w.then.extend(then.take());
        }
    });
    if let Some(then) = then {
        then();
    }
}
