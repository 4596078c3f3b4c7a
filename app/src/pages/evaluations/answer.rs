//! `/answer/{secret}`: the questionnaire a participant opens from the link the Secretariat
//! shared, without an account, anonymously. A plain form posting to the same address (the
//! server answers with `?sent=1`, or `?refused=1` having kept the answers as this browser's
//! draft, which the page shows again with what needs attention), so it works on the
//! lowest-end phone with JavaScript off. `?lang=fr` or `?lang=ar` shows the questions in
//! French or Arabic where written (Arabic right to left). One server function,
//! `GET /_app/questionnaire`.

use super::field::{conditional_css, QuestionField};
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
    let lang = move || query.read().get("lang").and_then(|code| Lang::from_code(&code)).unwrap_or(Lang::En);
    view! {
        <EvaluationStyles/>
        <Suspense fallback=|| view! { <p class="loading" role="status">"Loading the questionnaire…"</p> }>
            {move || Suspend::new(async move {
                match view_of.await {
                    Err(e) => view! {
                        {(sentence(&e) == super::NO_SUCH_LINK).then(crate::pages::not_found::set_not_found_status)}
                        <Title text="Questionnaire"/>
                        <h1>"Questionnaire"</h1>
                        <p class="note">{sentence(&e)}</p>
                    }.into_any(),
                    Ok(questionnaire) => view! {
                        <Questionnaire questionnaire=questionnaire action=format!("/answer/{}", secret()) sending=Sending::read(query) lang=lang()/>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// What a page's address says of the last sending of its form: `?sent=1`, or
/// `?refused=<code>` ([`super::REFUSED_CODES`]) with `&q=<question ids>` for unreadable answers.
pub(super) struct Sending {
    sent: bool,
    refused: Option<String>,
    unreadable: Vec<String>,
}

impl Sending {
    pub(super) fn read(query: Memo<leptos_router::params::ParamsMap>) -> Self {
        let query = query.read();
        Self {
            sent: query.get("sent").is_some(),
            refused: query.get("refused").filter(|code| super::REFUSED_CODES.contains(&code.as_str())),
            unreadable: query.get("q").map(|ids| ids.split(',').map(str::to_owned).collect()).unwrap_or_default(),
        }
    }
}

/// A form to answer, posting to `action` (the page's own address), with what the address
/// says of the last sending and the questions' language.
#[component]
pub(super) fn Questionnaire(questionnaire: QuestionnaireView, action: String, sending: Sending, lang: Lang) -> impl IntoView {
    let Sending { sent, refused, unreadable } = sending;
    let QuestionnaireView { title, activity_name, opens, closes, status, version, form, draft, answered, answering_as, account } = questionnaire;
    let signed_in = account.is_some();
    let languages = Lang::ALL.map(|l| {
        let (href, name) = match l {
            Lang::En => (action.clone(), "English"),
            Lang::Fr => (format!("{action}?lang=fr"), "Français"),
            Lang::Ar => (format!("{action}?lang=ar"), "العربية"),
        };
        view! { <li><a href=href lang=l.code() aria-current=(l == lang).then_some("page")>{name}</a></li> }
    });
    // What the page says of a refusal: the kept draft's problems, the answers that could not
    // be read (they are not in the draft), or the server's reason.
    let mut problems: Vec<(String, String)> = Vec::new();
    for id in &unreadable {
        let label = form.question(id).map_or_else(|| "An answer to a question this form does not have".to_owned(), |q| format!("“{}”", q.label.en));
        problems.push((id.clone(), format!("{label}: this answer could not be read; choose or write it again")));
    }
    if let (Some(draft), Some("answers" | "unreadable")) = (&draft, refused.as_deref()) {
        problems.extend(
            validate(&form, draft)
                .err()
                .unwrap_or_default()
                .into_iter()
                .filter(|p| !unreadable.contains(&p.question))
                .map(|p| (p.question.clone(), p.to_string())),
        );
    }
    let reason = match refused.as_deref() {
        Some("early") => Some(format!("This questionnaire opens on {opens}: your answers are kept; send them again from then on.")),
        Some("version") => Some("The questions changed since this page was opened: check your answers against them and send again.".to_owned()),
        Some("busy") => Some("Too many people started answering from this network just now: wait a minute and send again.".to_owned()),
        Some("account") => Some(
            "This form was opened while another account was signed in: your answers were not sent. They are kept on this device; sign in as that account to send them.".to_owned(),
        ),
        Some(_) => Some("Your answers were not sent yet; they are kept. Please check:".to_owned()),
        None => None,
    };
    // `?sent=1` alone (a shared address) says nothing: the browser must have answered.
    let sent = sent && answered;
    let state = match status {
        Status::Upcoming => Some(format!("This questionnaire opens on {opens}. You can fill it in now: if you send it before then, your answers are kept and you can send them again once it is open.")),
        Status::Closed => Some(format!("This questionnaire closed on {closes}. Answers still reach the Secretariat, marked late.")),
        Status::Open => None,
    };
    let dir = if lang == Lang::Ar { "rtl" } else { "ltr" };
    let css = conditional_css(&form);
    let again = if lang == Lang::En { action.clone() } else { format!("{action}?lang={}", lang.code()) };
    view! {
        <Title text=title.clone()/>
        {answering_as.is_none().then(|| view! { <nav aria-label="Language of the questions"><ul class="languages">{languages}</ul></nav> })}
        <h1>{title}</h1>
        <p class="note">{match &answering_as {
            None => format!("About: {activity_name}. Anonymous: nobody, not even the Secretariat, can tell who gave which answers."),
            Some(who) => format!("About: {activity_name}. You answer as {who}; the Secretariat sees this answer."),
        }}</p>
        {state.map(|text| view! { <p class="note">{text}</p> })}
        {sent.then(|| view! {
            <p class="saved" role="status">"Thank you: your answers are recorded."</p>
            <p><a href=again.clone()>"Answer again"</a>" (sending the form again replaces your answers)"</p>
        })}
        {(answered && !sent).then(|| {
            let text = match &answering_as {
                None => "This browser has answered already. Sending the form again replaces those answers.".to_owned(),
                Some(who) => format!("An answer is recorded for {who}. Sending the form again replaces it."),
            };
            view! { <p class="note" role="status">{text}</p> }
        })}
        {reason.map(|reason| view! {
            <div class="error" role="alert">
                <p>{reason}</p>
                <ul>
                    {problems.iter().map(|(id, text)| view! { <li><a href=format!("#q-{id}-group")>{text.clone()}</a></li> }).collect_view()}
                </ul>
            </div>
        })}
        <form class="questionnaire" method="post" action=action lang=lang.code() dir=dir hidden=sent>
            <input type="hidden" name="form_version" value=version.0.to_string()/>
            <input type="hidden" name="lang" value=lang.code()/>
            {account.map(|id| view! { <input type="hidden" name="account" value=id.to_string()/> })}
            {form.questions.iter().enumerate().map(|(i, q)| {
                let answer = draft.as_ref().and_then(|d| d.get(&q.id).cloned());
                view! { <QuestionField form=form.clone() question=q.clone() number=i + 1 answer=answer lang=lang/> }
            }).collect_view()}
            <button type="submit" lang="en">"Send my answers"</button>
        </form>
        <style>{css}</style>
        <super::UnsentAnswers/>
        {match signed_in {
            false => view! { <p class="note">"The answers go to the Pompidou Group's Secretariat, which publishes only results counted over at least 3 answers."</p> },
            true => view! { <p class="note">"This answer is not anonymous: whoever may read this evaluation's results sees it in them, its free texts word for word, from the first answer on."</p> },
        }}
    }
}
