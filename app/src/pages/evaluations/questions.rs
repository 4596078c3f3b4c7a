//! The question editor (issue 15), a plain form that works without JavaScript: the
//! Secretariat adjusts an evaluation's questions (`/evaluations/{id}/questions`) and its
//! managers the templates new evaluations start from (`/templates/{format}`). Each question's
//! id, kind, words in English, French and Arabic, help, whether it is required, its options or
//! limits and its condition (`desk_core::evaluation::FormFields`). Adding, removing and moving
//! a question post the form and come back with the change, unsaved; saving replaces the
//! current version until it is answered (a template: used for an evaluation) and makes a new
//! version after. Two server functions, `GET /_app/question_editor` and
//! `GET /_app/template_editor`; the server answers the form's post: saved, back here with
//! `?saved=<version>`; a step, or a save refused, this page again with what was posted
//! ([`PostedEditor`]), so nothing typed is lost.

use super::report::sentence;
use super::EvaluationStyles;
use crate::evaluation::{editor_field, FormFields, FormVersion, QuestionFields, KINDS};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

/// The question editor of one evaluation or template.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuestionEditor {
    /// Where the form posts (`/evaluations/{id}/questions`, `/templates/{format}`): also
    /// which editor a post's [`PostedEditor`] is for.
    pub action: String,
    pub title: String,
    /// The evaluation's results page, for an evaluation.
    pub results: Option<String>,
    /// What saving will do, in a sentence (in place, or the next version).
    pub note: String,
    /// The current version, and whether an answer to it was accepted (saving then makes the
    /// next version).
    pub version: FormVersion,
    pub frozen: bool,
    pub fields: FormFields,
    /// A digest of the questions the fields started from: a save whose questions changed
    /// meanwhile (someone else saved) is refused, not written over theirs.
    pub base: String,
    /// Why the posted questions were not saved, each in words; empty otherwise.
    pub problems: Vec<String>,
    /// What the last step did ("Question 4 added, not saved yet."), for the status line.
    pub done: Option<String>,
}

/// The editor as the server made it from a post (a step, or a refused save), put in the
/// rendering context so that [`get_question_editor`] shows it instead of the saved questions.
#[derive(Clone, Debug)]
pub struct PostedEditor(pub QuestionEditor);

/// The editor as posted to `action`, when the server renders the page for that post.
#[cfg(feature = "ssr")]
fn posted(action: &str) -> Option<QuestionEditor> {
    use_context::<PostedEditor>().map(|p| p.0).filter(|p| p.action == action)
}

/// Evaluation `id`'s question editor, for the Secretariat (others: not found).
#[server(prefix = "/_app", endpoint = "question_editor", input = leptos::server_fn::codec::GetUrl)]
pub async fn get_question_editor(id: String) -> Result<QuestionEditor, ServerFnError> {
    if let Some(posted) = posted(&format!("/evaluations/{id}/questions")) {
        return Ok(posted);
    }
    let (desk, headers) = super::desk()?;
    Ok(desk.question_editor(headers, id).await?)
}

/// The template of `format` (a `Format` key) in the editor, for the Secretariat's managers
/// (others: not found).
#[server(prefix = "/_app", endpoint = "template_editor", input = leptos::server_fn::codec::GetUrl)]
pub async fn get_template_editor(format: String) -> Result<QuestionEditor, ServerFnError> {
    if let Some(posted) = posted(&format!("/templates/{format}")) {
        return Ok(posted);
    }
    let (desk, headers) = super::desk()?;
    Ok(desk.template_editor(headers, format).await?)
}

/// `/evaluations/{id}/questions`.
#[component]
pub fn QuestionEditorPage() -> impl IntoView {
    let params = use_params_map();
    let editor = Resource::new(move || params.read().get("id").unwrap_or_default(), get_question_editor);
    view! { <EditorPage editor=editor/> }
}

/// `/templates/{format}`.
#[component]
pub fn TemplateEditorPage() -> impl IntoView {
    let params = use_params_map();
    let editor = Resource::new(move || params.read().get("format").unwrap_or_default(), get_template_editor);
    view! { <EditorPage editor=editor/> }
}

#[component]
fn EditorPage(editor: Resource<Result<QuestionEditor, ServerFnError>>) -> impl IntoView {
    let saved = use_query_map().read_untracked().get("saved");
    view! {
        <EvaluationStyles/>
        <Suspense fallback=|| view! { <p class="loading" role="status">"Loading the questions…"</p> }>
            {move || {
                let saved = saved.clone();
                Suspend::new(async move {
                    match editor.await {
                        Err(e) => view! {
                            {[super::NO_SUCH_EVALUATION, super::NO_SUCH_TEMPLATE].contains(&sentence(&e).as_str()).then(crate::pages::not_found::set_not_found_status)}
                            <Title text="Questions"/>
                            <h1>"Questions"</h1>
                            <p class="note">{sentence(&e)}</p>
                            <p><a href="/evaluations">"All evaluations"</a></p>
                        }.into_any(),
                        Ok(editor) => view! { <Editor editor=editor saved=saved/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn Editor(editor: QuestionEditor, saved: Option<String>) -> impl IntoView {
    let action = editor.action.clone();
    let count = editor.fields.questions.len();
    let problems = (!editor.problems.is_empty()).then(|| {
        view! {
            <div class="problems" id="problems" role="alert">
                <h2>"These questions are not saved yet"</h2>
                <ul>{editor.problems.iter().map(|p| view! { <li>{p.clone()}</li> }).collect_view()}</ul>
                <p>"What you typed is kept below: put it right and save again."</p>
            </div>
        }
    });
    let saved = saved.map(|v| view! { <p class="notice" id="saved" role="status">{format!("Saved: the questions are version {v}.")}</p> });
    view! {
        <Title text=format!("Questions: {}", editor.title)/>
        <p class="breadcrumb"><a href="/evaluations">"Evaluations"</a>{editor.results.clone().map(|href| view! { " › "<a href=href>{editor.title.clone()}</a> })}</p>
        <h1>{format!("Questions of “{}”", editor.title)}</h1>
        <p class="note">{editor.note.clone()}</p>
        {saved}
        {editor.done.clone().map(|done| view! { <p class="notice" role="status">{done}</p> })}
        {problems}
        <form method="post" action=action.clone() class="question-editor">
            <input type="hidden" name="base" value=editor.base.clone()/>
            // The first button is what Enter in a field presses: saving, never a step.
            <p><button type="submit" name="step" value="save" formaction=format!("{action}#problems")>"Save the questions"</button></p>
            {editor.fields.questions.iter().enumerate().map(|(at, q)| view! { <QuestionBlock at=at count=count fields=q.clone() action=action.clone()/> }).collect_view()}
            <p class="editor-actions">
                <button type="submit" name="step" value="add" class="secondary" formaction=format!("{action}#question-{}", count + 1)>"Add a question"</button>
                <button type="submit" name="step" value="save" formaction=format!("{action}#problems")>"Save the questions"</button>
            </p>
        </form>
    }
}

/// The fields of question `at` (from 0) of `count`.
#[component]
fn QuestionBlock(at: usize, count: usize, fields: QuestionFields, action: String) -> impl IntoView {
    let n = at + 1;
    let name = move |field: &str| editor_field(at, field);
    let id_of = move |field: &str| format!("e{at}-{field}");
    let text = move |field: &'static str, label: String, value: String, lang: &'static str| {
        let dir = if lang == "ar" { "rtl" } else { "auto" };
        view! {
            <label for=id_of(field)>{label}</label>
            <input type="text" id=id_of(field) name=name(field) value=value lang=lang dir=dir/>
        }
    };
    let kind_options = KINDS.iter().map(|(key, words)| view! { <option value=*key selected={fields.kind == *key}>{*words}</option> }).collect_view();
    let has_details =
        [&fields.options, &fields.max_choices, &fields.low, &fields.high, &fields.min, &fields.max, &fields.when_question].iter().any(|v| !v.trim().is_empty())
            || fields.integer
            || matches!(fields.kind.as_str(), "single_choice" | "multiple_choice" | "rating");
    view! {
        <fieldset class="question-edit" id=format!("question-{n}")>
            <legend>{format!("Question {n}")}</legend>
            {text("label-en", "Question in English".into(), fields.label[0].clone(), "en")}
            {text("label-fr", "Question in French (optional)".into(), fields.label[1].clone(), "fr")}
            {text("label-ar", "Question in Arabic (optional)".into(), fields.label[2].clone(), "ar")}
            <label for=id_of("kind")>"Kind of answer"</label>
            <select id=id_of("kind") name=name("kind")>{kind_options}</select>
            <label class="check"><input type="checkbox" name=name("required") checked=fields.required/>" An answer is required"</label>
            {text("help-en", "Help in English (optional)".into(), fields.help[0].clone(), "en")}
            {text("help-fr", "Help in French (optional)".into(), fields.help[1].clone(), "fr")}
            {text("help-ar", "Help in Arabic (optional)".into(), fields.help[2].clone(), "ar")}
            <details open=has_details>
                <summary>"Options, limits and condition"</summary>
                <label for=id_of("options")>"Options (single and multiple choice): one a line, as "<code>"[id] English | Français | العربية"</code>"; the id and the other languages may be left out"</label>
                <textarea id=id_of("options") name=name("options") rows=(fields.options.lines().count() * 2 + 1).clamp(4, 16).to_string() dir="auto">{fields.options.clone()}</textarea>
                {text("max-choices", "Most options one may choose (multiple choice; blank: no limit)".into(), fields.max_choices.clone(), "en")}
                {text("max-chars", "Most characters (texts; blank: 500 for a short text, 20,000 for a long one)".into(), fields.max_chars.clone(), "en")}
                {text("low", "Words at the low end (rating): English | Français | العربية".into(), fields.low.clone(), "en")}
                {text("high", "Words at the high end (rating)".into(), fields.high.clone(), "en")}
                {text("min", "Smallest number (number; blank: none)".into(), fields.min.clone(), "en")}
                {text("max", "Largest number (number; blank: none)".into(), fields.max.clone(), "en")}
                <label class="check"><input type="checkbox" name=name("integer") checked=fields.integer/>" Whole numbers only (number)"</label>
                {text("when-question", "Show only when the question with this id (an earlier single choice or yes/no question; blank: always)".into(), fields.when_question.clone(), "en")}
                {text("when-equals", "… has this answer (an option's id, or yes or no)".into(), fields.when_equals.clone(), "en")}
            </details>
            <label for=id_of("id")>"Id (answers, results and the CSV know the question by it; blank: made from the English words)"</label>
            <input type="text" id=id_of("id") name=name("id") value=fields.id.clone() maxlength="40" lang="en" dir="ltr" autocapitalize="none" spellcheck="false"/>
            <p class="editor-actions">
                {(at > 0).then(|| view! {
                    <button type="submit" name="step" value=format!("up-{at}") class="secondary" formaction=format!("{action}#question-{}", n - 1)>{format!("Move question {n} up")}</button>
                })}
                <button type="submit" name="step" value=format!("remove-{at}") class="secondary" formaction=format!("{action}#question-{}", n.min(count.saturating_sub(1)).max(1))>{format!("Remove question {n}")}</button>
            </p>
        </fieldset>
    }
}
