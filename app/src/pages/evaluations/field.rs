//! One question of a questionnaire as plain form fields (no JavaScript needed): its label and
//! help in the respondent's language where written (marked with `lang`), the input its kind
//! asks for named `q-<id>` (`desk_core::evaluation::field_name`), filled in with the kept
//! draft. A question shown only under a condition says when it applies, and a stylesheet
//! written for the form ([`conditional_css`]) hides it until then, without JavaScript (the
//! server ignores an answer to a question its condition hides).

use crate::evaluation::{field_name, is_chosen, shown_value, AnswerValue, Form, Lang, Localized, Question, QuestionKind, RATING_MAX, RATING_MIN};
use leptos::prelude::*;

/// Text in `lang` where written, with the `lang` attribute of the language shown.
#[component]
pub fn Words(text: Localized, lang: Lang) -> impl IntoView {
    let shown = text.lang_of(lang);
    view! { <span lang=shown.code()>{text.pick(lang).to_owned()}</span> }
}

/// CSS that hides each conditional question of `form` until its condition is met, without
/// JavaScript: `form.questionnaire:not(:has([name="q-P"][value="V"]:checked)) #q-Q-group
/// {display:none}`. A browser without `:has` shows the question, with its hint saying when it
/// applies. Only ids that are form ids (slugs: `is_id`) are written, so nothing a form holds
/// can close the stylesheet or add rules of its own.
pub fn conditional_css(form: &Form) -> String {
    form.questions
        .iter()
        .filter_map(|q| {
            let when = q.show_when.as_ref()?;
            let ids = [q.id.as_str(), when.question.as_str(), when.equals.as_str()];
            ids.iter().all(|id| crate::evaluation::is_id(id)).then(|| {
                format!(
                    "form.questionnaire:not(:has([name=\"{}\"][value=\"{}\"]:checked)) #{}-group{{display:none}}\n",
                    field_name(&when.question),
                    when.equals,
                    field_name(&q.id)
                )
            })
        })
        .collect()
}

/// "Answer this only if you answered “Poorly” to question 5."
fn condition_words(form: &Form, question: &Question, lang: Lang) -> Option<String> {
    let when = question.show_when.as_ref()?;
    let position = form.position(&when.question)? + 1;
    let other = form.question(&when.question)?;
    let value = other
        .kind
        .options()
        .iter()
        .find(|c| c.id == when.equals)
        .map_or_else(|| if when.equals == crate::evaluation::YES { "Yes".to_owned() } else { "No".to_owned() }, |c| c.label.pick(lang).to_owned());
    Some(format!("Answer this only if you answered “{value}” to question {position}."))
}

#[component]
pub fn QuestionField(form: Form, question: Question, number: usize, answer: Option<AnswerValue>, lang: Lang) -> impl IntoView {
    let name = field_name(&question.id);
    let id = name.clone();
    let hint_id = format!("{id}-hint");
    // Only an unconditional required question is required by the browser: a conditional one
    // may not apply, and nothing without JavaScript can tell.
    let required = question.required && question.show_when.is_none();
    let mut hints: Vec<String> = Vec::new();
    if question.required {
        hints.push(if question.show_when.is_some() { "Required when it applies.".into() } else { "Required.".into() });
    }
    if let Some(words) = condition_words(&form, &question, lang) {
        hints.push(words);
    }
    let value = shown_value(answer.as_ref());
    let (input, grouped) = match &question.kind {
        QuestionKind::ShortText { max_chars } => {
            (view! { <input type="text" id=id.clone() name=name.clone() maxlength=*max_chars value=value required=required aria-describedby=hint_id.clone()/> }.into_any(), false)
        }
        QuestionKind::LongText { max_chars } => {
            (view! { <textarea id=id.clone() name=name.clone() maxlength=*max_chars rows="4" required=required aria-describedby=hint_id.clone()>{crate::pages::parts::textarea_text(value)}</textarea> }.into_any(), false)
        }
        QuestionKind::SingleChoice { options } => (
            options
                .iter()
                .map(|o| {
                    let checked = is_chosen(answer.as_ref(), &o.id);
                    view! { <label class="choice"><input type="radio" name=name.clone() value=o.id.clone() checked=checked required=required/>" "<Words text=o.label.clone() lang=lang/></label> }
                })
                .collect_view()
                .into_any(),
            true,
        ),
        QuestionKind::MultipleChoice { options, max } => {
            if let Some(max) = max {
                hints.push(format!("Choose at most {max}."));
            }
            (
                options
                    .iter()
                    .map(|o| {
                        let checked = is_chosen(answer.as_ref(), &o.id);
                        view! { <label class="choice"><input type="checkbox" name=name.clone() value=o.id.clone() checked=checked/>" "<Words text=o.label.clone() lang=lang/></label> }
                    })
                    .collect_view()
                    .into_any(),
                true,
            )
        }
        QuestionKind::Rating { low_label, high_label } => {
            hints.push(format!("{RATING_MIN}: {}; {RATING_MAX}: {}.", low_label.pick(lang), high_label.pick(lang)));
            (
                (RATING_MIN..=RATING_MAX)
                    .map(|v| {
                        let checked = value == v.to_string();
                        view! { <label class="choice rating"><input type="radio" name=name.clone() value=v.to_string() checked=checked required=required/>" "{v}</label> }
                    })
                    .collect_view()
                    .into_any(),
                true,
            )
        }
        QuestionKind::YesNo => (
            [("yes", "Yes"), ("no", "No")]
                .into_iter()
                .map(|(v, words)| {
                    let checked = value == v;
                    view! { <label class="choice"><input type="radio" name=name.clone() value=v checked=checked required=required/>" "<span lang="en">{words}</span></label> }
                })
                .collect_view()
                .into_any(),
            true,
        ),
        QuestionKind::Number { min, max, integer } => {
            hints.push(number_hint(*min, *max, *integer));
            (view! { <input type="text" inputmode="decimal" id=id.clone() name=name.clone() value=value required=required aria-describedby=hint_id.clone()/> }.into_any(), false)
        }
        QuestionKind::Date => {
            hints.push("A date, yyyy-mm-dd.".into());
            (view! { <input type="date" id=id.clone() name=name.clone() value=value required=required aria-describedby=hint_id.clone()/> }.into_any(), false)
        }
    };
    let label = view! { {format!("{number}. ")}<Words text=question.label.clone() lang=lang/> };
    let help = question.help.clone().map(|help| view! { <p class="help"><Words text=help lang=lang/></p> });
    // The interface's own words are English until the languages issue: marked so, and laid
    // out on their own direction inside an Arabic form.
    let hint = view! { <p class="hint" id=hint_id.clone() lang="en" dir="auto">{hints.join(" ")}</p> };
    if grouped {
        view! {
            <fieldset class="question" id=format!("{id}-group") aria-describedby=hint_id.clone()>
                <legend>{label}</legend>
                {help}
                {hint}
                {input}
            </fieldset>
        }
        .into_any()
    } else {
        view! {
            <div class="question" id=format!("{id}-group")>
                <label for=id.clone()>{label}</label>
                {help}
                {hint}
                {input}
            </div>
        }
        .into_any()
    }
}

/// "A number between 0 and 100.", "A whole number of at least 1."
fn number_hint(min: Option<f64>, max: Option<f64>, integer: bool) -> String {
    let kind = if integer { "A whole number" } else { "A number" };
    match (min, max) {
        (Some(min), Some(max)) => format!("{kind} between {min} and {max}."),
        (Some(min), None) => format!("{kind} of at least {min}."),
        (None, Some(max)) => format!("{kind} of at most {max}."),
        (None, None) => format!("{kind}."),
    }
}

#[cfg(test)]
mod tests {
    use super::conditional_css;
    use crate::evaluation::{template, Format, ShowWhen};

    #[test]
    fn each_conditional_question_is_hidden_until_its_answer_is_chosen() {
        let form = template(Format::MidTerm).form().cloned().unwrap();
        let css = conditional_css(&form);
        let conditional = form.questions.iter().filter(|q| q.show_when.is_some()).count();
        assert_eq!(css.lines().count(), conditional);
        assert!(css.contains(r#"form.questionnaire:not(:has([name="q-continue"][value="with-changes"]:checked)) #q-changes-group{display:none}"#), "{css}");
    }

    #[test]
    fn only_form_ids_reach_the_stylesheet() {
        let mut form = template(Format::MidTerm).form().cloned().unwrap();
        form.questions[0].show_when = Some(ShowWhen { question: "x\"]) , * {display:none} /*".into(), equals: "</style>".into() });
        let before = conditional_css(&template(Format::MidTerm).form().cloned().unwrap());
        assert_eq!(conditional_css(&form), before);
    }
}
