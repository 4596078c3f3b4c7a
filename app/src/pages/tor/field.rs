//! One section's field: its text (escaped for server-rendered HTML), the count of room left,
//! and reporting where my caret is.

use super::*;

/// A section's field. `used`: the length of its text in UTF-16 code units, as browsers
/// count `maxlength`; the field stops at [`MAX_SECTION_UNITS`] and, from
/// [`SECTION_WARN_UNITS`] on, says how much of it is used, before the limit is reached.
#[component]
pub(super) fn Field(doc: DocId, section: TorSection, hint: Option<String>, initial: String, used: u32, may_edit: bool) -> impl IntoView {
    let comments = expect_context::<CommentsUi>();
    let field_id = format!("tor-{}", section.root_name());
    let hint_id = format!("{field_id}-hint");
    let count_id = format!("{field_id}-count");
    let used = RwSignal::new(used);
    let near_limit = move || used.get() >= SECTION_WARN_UNITS;
    let described_by = {
        let (hint_id, count_id, has_hint) = (hint_id.clone(), count_id.clone(), hint.is_some());
        move || {
            let ids: Vec<&str> = [has_hint.then_some(hint_id.as_str()), near_limit().then_some(count_id.as_str())].into_iter().flatten().collect();
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    #[cfg(feature = "hydrate")]
    {
        // Text merged from elsewhere changes the count too.
        let (doc, live) = (doc.clone(), Live::get());
        Effect::new(move |_| {
            live.texts.track();
            used.set(crate::browser::section_text(&doc, section).encode_utf16().count() as u32);
        });
    }
    let on_input = {
        let doc = doc.clone();
        move |ev: leptos::ev::Event| {
            let _ = (&ev, &doc);
            #[cfg(feature = "hydrate")]
            {
                let value = event_target_value(&ev);
                used.set(value.encode_utf16().count() as u32);
                crate::browser::edit_field(&doc, section, &value);
                report_caret(&doc, section, &ev);
            }
        }
    };
    let on_blur = {
        let doc = doc.clone();
        move |_: leptos::ev::FocusEvent| {
            let _ = &doc;
            #[cfg(feature = "hydrate")]
            crate::browser::set_caret(&doc, None);
        }
    };
    view! {
        <div class="tor-section">
            <label for=field_id.clone()>{section.label()}</label>
            {hint.map(|hint| view! { <p class="hint" id=hint_id.clone()>{hint}</p> })}
            <div class="tor-field">
                <textarea
                    id=field_id
                    data-doc=doc.to_string()
                    data-section=section.root_name()
                    aria-describedby=described_by
                    rows="3"
                    maxlength=MAX_SECTION_UNITS
                    spellcheck="true"
                    // Editable once this browser's copy is ready, if the session may edit (see
                    // browser::fields::refresh).
                    readonly=true
                    data-may-edit=if may_edit { "true" } else { "false" }
                    on:input=on_input
                    on:select=caret_reporter(&doc, section)
                    on:keyup=caret_reporter(&doc, section)
                    on:click=caret_reporter(&doc, section)
                    on:mouseup=move |ev: leptos::ev::MouseEvent| {
                        let _ = &ev;
                        #[cfg(feature = "hydrate")]
                        if let Some(index) = caret_of(ev.as_ref()) {
                            comments.caret_at(section, index);
                        }
                    }
                    on:focus=caret_reporter(&doc, section)
                    on:blur=on_blur
                >{initial}</textarea>
                <Overlay doc=doc section=section/>
            </div>
            <p class="field-count" id=count_id aria-live="polite" hidden=move || !near_limit()>
                {move || section_count(used.get())}
            </p>
            <button type="button" class="comment-button" on:click=move |_| comments.start_draft(section, None)>
                "Comment on the selected words"<span class="visually-hidden">" in “"{section.label()}"”"</span>
            </button>
        </div>
    }
}

/// How much of a section's room is used, in words a person reads.
pub(super) fn section_count(used: u32) -> String {
    let left = MAX_SECTION_UNITS.saturating_sub(used);
    if left == 0 {
        format!("This section is full ({} characters, the most one section holds). Shorten it to add more.", thousands(MAX_SECTION_UNITS))
    } else {
        format!("{} of {} characters used; {} left in this section.", thousands(used), thousands(MAX_SECTION_UNITS), thousands(left))
    }
}

/// 30000 → "30,000".
pub(super) fn thousands(n: u32) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// An event handler that tells the others where my caret is now.
pub(super) fn caret_reporter<E: AsRef<leptos::ev::Event>>(doc: &DocId, section: TorSection) -> impl Fn(E) + 'static {
    let doc = doc.clone();
    move |ev: E| {
        let _ = (&ev, &doc, section);
        #[cfg(feature = "hydrate")]
        report_caret(&doc, section, ev.as_ref());
    }
}

/// The collapsed caret of the field an event happened in.
#[cfg(feature = "hydrate")]
pub(super) fn caret_of(ev: &leptos::ev::Event) -> Option<u32> {
    use wasm_bindgen::JsCast;
    let field = ev.target()?.dyn_into::<web_sys::HtmlTextAreaElement>().ok()?;
    let (start, end) = (field.selection_start().ok()??, field.selection_end().ok()??);
    (start == end).then_some(start)
}

#[cfg(feature = "hydrate")]
pub(super) fn report_caret(doc: &DocId, section: TorSection, ev: &leptos::ev::Event) {
    use wasm_bindgen::JsCast;
    let Some(field) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok()) else { return };
    let (Ok(Some(start)), Ok(Some(end))) = (field.selection_start(), field.selection_end()) else { return };
    crate::browser::set_caret(doc, Some((section, start, end)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_count_says_how_much_room_is_left_and_when_it_is_full() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(30_000), "30,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(section_count(24_000), "24,000 of 30,000 characters used; 6,000 left in this section.");
        assert!(section_count(MAX_SECTION_UNITS).starts_with("This section is full"));
    }
}
