//! Signing in and out: the sign-in page (a plain form, so it works without JavaScript; the
//! server answers `POST /session/sign-in` with the session cookie and a redirect) and who is
//! signed in, in the header, with the sign-out button.

use crate::programme_api::{get_session, safe_next};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn SignInPage() -> impl IntoView {
    let query = use_query_map();
    let error = move || match query.read().get("error").as_deref() {
        Some("wrong") => Some("Wrong email or password."),
        Some("too-many") => Some("Too many sign-in attempts. Wait a minute and try again."),
        Some(_) => Some("Signing in did not work. Try again."),
        None => None,
    };
    let next = move || safe_next(query.read().get("next"));
    view! {
        <Title text="Sign in"/>
        <h1>"Sign in"</h1>
        {move || error().map(|message| view! { <p class="error" role="alert">{message}</p> })}
        <form class="sign-in" method="post" action="/session/sign-in">
            <input type="hidden" name="next" value=next/>
            <label>"Email"<input type="email" name="email" autocomplete="username" required/></label>
            <label>"Password"<input type="password" name="password" autocomplete="current-password" required minlength="12"/></label>
            <button type="submit">"Sign in"</button>
        </form>
        <p class="note">"Accounts are made by the Secretariat. Without one you can read the programme and what is open to everyone."</p>
    }
}

/// An invitation (`/invite/{secret}`) or the first start's setup link (`/setup/{secret}`,
/// which also asks for the email): a name and a password make the account, which the server
/// signs in; its delegation is the one whoever invited them chose from the Secretariat's list. Whether the link still works is only known on submitting it.
#[component]
pub fn InvitationPage(setup: bool) -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let secret = move || params.read().get("secret").unwrap_or_default();
    let error = move || {
        query.read().get("error").map(|code| match code.as_str() {
            "invalid" => "This link does not work: it was used already, has expired, or was never made. Ask for a new one.",
            "email" => "That is not an email address.",
            "name" => "Give the name others will see.",
            "password" => "The password needs at least 12 characters.",
            "exists" => "There is already an account for that email address: sign in instead.",
            _ => "That did not work. Try again.",
        })
    };
    let (title, intro) = if setup {
        (
            "Set up Programme Desk",
            "This installation has no account yet. The account you make here becomes the Secretariat's first manager; the link then stops working.",
        )
    } else {
        (
            "Accept your invitation",
            "You were invited to a group of the Pompidou Group's work programme. Make your account: the invitation works once and for seven days.",
        )
    };
    view! {
        <Title text=title/>
        <h1>{title}</h1>
        <p>{intro}</p>
        {move || error().map(|message| view! { <p class="error" role="alert">{message}</p> })}
        <form class="sign-in" method="post" action="/session/accept-invitation">
            <input type="hidden" name="secret" value=secret/>
            {setup.then(|| view! { <label>"Email"<input type="email" name="email" autocomplete="username" required/></label> })}
            <label>"Your name, as others see it"<input type="text" name="name" autocomplete="name" required maxlength="100"/></label>
            <label>"Password (at least 12 characters)"<input type="password" name="password" autocomplete="new-password" required minlength="12"/></label>
            <button type="submit">"Make my account"</button>
        </form>
    }
}

/// "Sign in", or who is signed in and a sign-out button, for the header.
#[component]
pub fn SessionLinks() -> impl IntoView {
    let session = Resource::new(|| (), |_| get_session());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match session.await {
                    Ok(Some(me)) => view! { <SignOutForm name=me.name email=me.email/> }.into_any(),
                    // Offline or unknown: nothing rather than a wrong "Sign in".
                    Err(_) => ().into_any(),
                    Ok(None) => view! { <a class="session" href="/sign-in">"Sign in"</a> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Who is signed in, with the groups link and the sign-out button: an island, because with
/// JavaScript signing out first mentions unsynced changes and deletes this account's local
/// copies (`crate::browser::before_sign_out`); without it the form simply posts.
#[island]
fn SignOutForm(name: String, email: String) -> impl IntoView {
    view! {
        <form class="session" method="post" action="/session/sign-out" on:submit=|ev| {
            #[cfg(feature = "hydrate")]
            if !crate::browser::before_sign_out() {
                ev.prevent_default();
            }
            #[cfg(not(feature = "hydrate"))]
            let _ = ev;
        }>
            <span class="signed-in-as" title=email>{name}</span>
            " "<a href="/groups">"Groups"</a>
            " "<button type="submit">"Sign out"</button>
        </form>
    }
}
