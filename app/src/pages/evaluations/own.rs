//! `/evaluations/{id}/answer`: an evaluation answered signed in, as a plain form (works
//! without JavaScript): a Secretariat member's individual internal evaluation, a Permanent
//! Correspondent's mid-term evaluation for their delegation (its other PCs revise the same
//! answer). The server answers `POST /evaluations/{id}/answer` like a questionnaire's form.
//! One server function, `GET /_app/own_answer`.

use super::answer::{Questionnaire, Sending};
use super::report::sentence;
use super::EvaluationStyles;
use super::QuestionnaireView;
use crate::evaluation::Lang;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// Evaluation `id`'s form as this session answers it.
#[server(prefix = "/_app", endpoint = "own_answer", input = leptos::server_fn::codec::GetUrl)]
pub async fn get_own_answer(id: String) -> Result<QuestionnaireView, ServerFnError> {
    let (desk, headers) = super::desk()?;
    Ok(desk.own_answer(headers, id).await?)
}

#[component]
pub fn OwnAnswerPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let view_of = Resource::new(id, get_own_answer);
    view! {
        <EvaluationStyles/>
        <Suspense fallback=|| view! { <p class="loading" role="status">"Loading the form…"</p> }>
            {move || Suspend::new(async move {
                match view_of.await {
                    Err(e) => view! {
                        {(sentence(&e) == super::NO_SUCH_EVALUATION).then(crate::pages::not_found::set_not_found_status)}
                        <Title text="Evaluation"/>
                        <h1>"Evaluation"</h1>
                        <p class="note">{sentence(&e)}</p>
                        <p><a href="/evaluations">"All evaluations"</a></p>
                    }.into_any(),
                    Ok(form) => view! {
                        <p class="breadcrumb"><a href=format!("/evaluations/{}", id())>"Results"</a></p>
                        <Questionnaire questionnaire=form action=format!("/evaluations/{}/answer", id()) sending=Sending::read(query) lang=Lang::En/>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
