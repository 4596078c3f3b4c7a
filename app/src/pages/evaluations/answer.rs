//! `/answer/{secret}`: the questionnaire a participant opens from the link the Secretariat
//! shared, without an account, anonymously. A plain form posting to the same address (the
//! server answers with `?sent=1`, or `?refused=1` having kept the answers as this browser's
//! draft, which the page shows again with what needs attention), so it works on the
//! lowest-end phone with JavaScript off. `?lang=fr` or `?lang=ar` shows the questions in
//! French or Arabic where written (Arabic right to left). One server function,
//! `GET /_app/questionnaire`.

use super::field::QuestionField;
use super::report::sentence;
use super::EvaluationStyles;
use super::{QuestionnaireView, Status};
use crate::evaluation::{validate, Lang};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The questionnaire behind link `secret`, as this browser sees it.
#[server(prefix = "/_app", endpoint = "questionnaire", input = leptos::server_fn::codec::GetUrl)]
pub async fn get_questionnaire(secret: String) -> Result<QuestionnaireView, ServerFnError> {
    let (desk, headers) = super::desk()?;
    Ok(desk.questionnaire(headers, secret).await?)
}

#[component]
pub fn AnswerPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let secret = move || params.read().get("secret").unwrap_or_default();
    let view_of = Resource::new(secret, get_questionnaire);
    let flag = move |name: &str| query.read().get(name).is_some();
    let lang = move || query.read().get("lang").and_then(|code| Lang::from_code(&code)).unwrap_or(Lang::En);
    view! {
        <EvaluationStyles/>
        <Suspense fallback=|| view! { <p class="loading" role="status">"Loading the questionnaire…"</p> }>
            {move || Suspend::new(async move {
                match view_of.await {
                    Err(e) => view! {
                        <Title text="Questionnaire"/>
                        <h1>"Questionnaire"</h1>
                        <p class="note">{sentence(&e)}</p>
                    }.into_any(),
                    Ok(questionnaire) => view! {
                        <Questionnaire questionnaire=questionnaire secret=secret() sent=flag("sent") refused=flag("refused") lang=lang()/>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Questionnaire(questionnaire: QuestionnaireView, secret: String, sent: bool, refused: bool, lang: Lang) -> impl IntoView {
    let QuestionnaireView { title, activity_name, opens, closes, status, version, form, draft, answered } = questionnaire;
    let action = format!("/answer/{secret}");
    let languages = Lang::ALL.map(|l| {
        let (href, name) = match l {
            Lang::En => (action.clone(), "English"),
            Lang::Fr => (format!("{action}?lang=fr"), "Français"),
            Lang::Ar => (format!("{action}?lang=ar"), "العربية"),
        };
        view! { <li><a href=href lang=l.code() aria-current=(l == lang).then_some("page")>{name}</a></li> }
    });
    let problems = match (&draft, refused) {
        (Some(draft), true) => validate(&form, draft).err().unwrap_or_default(),
        _ => vec![],
    };
    let state = match status {
        Status::Upcoming => Some(format!("This questionnaire opens on {opens}. You can fill it in now: if you send it before then, your answers are kept and you can send them again once it is open.")),
        Status::Closed => Some(format!("This questionnaire closed on {closes}. Answers still reach the Secretariat, marked late.")),
        Status::Open => None,
    };
    let dir = if lang == Lang::Ar { "rtl" } else { "ltr" };
    view! {
        <Title text=title.clone()/>
        <nav aria-label="Language of the questions"><ul class="languages">{languages}</ul></nav>
        <h1>{title}</h1>
        <p class="note">{format!("About: {activity_name}. Anonymous: nobody, not even the Secretariat, can tell who gave which answers.")}</p>
        {state.map(|text| view! { <p class="note">{text}</p> })}
        {sent.then(|| view! { <p class="saved" role="status">"Thank you: your answers are recorded. Sending the form again from this browser replaces them."</p> })}
        {(answered && !sent).then(|| view! { <p class="note" role="status">"This browser has answered already. Sending the form again replaces those answers."</p> })}
        {refused.then(|| view! {
            <div class="error" role="alert">
                <p>"Your answers were not sent yet; they are kept. Please check:"</p>
                <ul>
                    {problems.iter().map(|p| view! { <li><a href=format!("#q-{}-group", p.question)>{p.to_string()}</a></li> }).collect_view()}
                </ul>
                {problems.is_empty().then(|| view! { <p>"An answer could not be read (a rating or number in letters, say): fill in the questions again."</p> })}
            </div>
        })}
        <form class="questionnaire" method="post" action=action lang=lang.code() dir=dir>
            <input type="hidden" name="form_version" value=version.0.to_string()/>
            {form.questions.iter().enumerate().map(|(i, q)| {
                let answer = draft.as_ref().and_then(|d| d.get(&q.id).cloned());
                view! { <QuestionField form=form.clone() question=q.clone() number=i + 1 answer=answer lang=lang/> }
            }).collect_view()}
            <button type="submit">"Send my answers"</button>
        </form>
        <p class="note">"The answers go to the Pompidou Group's Secretariat, which publishes only results counted over at least 3 answers."</p>
    }
}
