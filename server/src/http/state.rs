//! What every handler of the HTTP application shares: the programme, its stores, the sync
//! hub, accounts and the access gate, and the server's settings.

use crate::store::ProgrammeStore;
use axum::extract::FromRef;
use desk_core::model::Programme;
use leptos::prelude::LeptosOptions;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub programme: Arc<Programme>,
    /// The programme's store (for `/healthz`).
    pub programme_store: Arc<dyn ProgrammeStore>,
    pub hub: Arc<crate::sync::Hub>,
    pub accounts: crate::accounts::Accounts,
    pub gate: crate::gate::Gate,
    pub evaluations: crate::evaluations::Evaluations,
    /// Session cookies carry `Secure` (the server is behind HTTPS).
    pub secure_cookies: bool,
}

impl FromRef<AppState> for Arc<crate::sync::Hub> {
    fn from_ref(state: &AppState) -> Self {
        state.hub.clone()
    }
}

impl FromRef<AppState> for crate::gate::Gate {
    fn from_ref(state: &AppState) -> Self {
        state.gate.clone()
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
