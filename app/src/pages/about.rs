//! The programme's preamble: introduction, principles, added value, expected outcomes,
//! products and "Why Pompidou Group?".

use super::parts::ListingView;
use crate::layout::{ProgrammeView, WithProgramme};
use crate::model::Programme;
use leptos::prelude::*;
use leptos_meta::Title;
use std::sync::Arc;

#[component]
pub fn AboutPage() -> impl IntoView {
    view! { <WithProgramme render=ProgrammeView::new(about)/> }
}

fn about(p: Arc<Programme>) -> impl IntoView {
    view! {
        <Title text="About the programme"/>
        <h1>"About the programme"</h1>
        <section id="introduction">
            <h2>"Introduction"</h2>
            {p.introduction.iter().map(|para| view! { <p>{para.clone()}</p> }).collect_view()}
        </section>
        <section id="principles">
            <h2>"Principles"</h2>
            <ListingView listing=p.principles.clone()/>
        </section>
        <section id="added-value">
            <h2>"Added value"</h2>
            <ListingView listing=p.added_value.clone()/>
        </section>
        <section id="expected-outcomes">
            <h2>"Expected outcomes"</h2>
            <ListingView listing=p.expected_outcomes.clone()/>
        </section>
        <section id="products">
            <h2>"Products"</h2>
            <ListingView listing=p.products.clone()/>
        </section>
        <section id="why-pompidou">
            <h2>"Why Pompidou Group?"</h2>
            <ListingView listing=p.why_pompidou.clone()/>
        </section>
    }
}
