//! The identity providers' buttons (UNI-Login, MitID) on the login and sign-up pages, and
//! the reason a provider login was refused (`?login-fejl=…`). Plain links: they work
//! before the page's script has loaded.
use crate::api::identities::login_options;
use crate::domain::identity::{LoginChoices, LoginRefusal};
use crate::i18n::*;
use crate::ui::error_text::msg_text;
use crate::ui::tr::tr;
use leptos::prelude::*;

/// The reason from `?login-fejl=…`, in an alert, when there is one.
#[component]
pub fn LoginRefusalNotice() -> impl IntoView {
    let i18n = use_i18n();
    let query = leptos_router::hooks::use_query_map();
    move || {
        let refusal = query
            .read()
            .get("login-fejl")
            .and_then(|c| LoginRefusal::parse(&c))?;
        let text = msg_text(i18n.get_locale(), &refusal.msg());
        Some(view! {
            <p class="error-summary" role="alert" data-testid="login-refusal" data-code=refusal.as_str()>{text}</p>
        })
    }
}

/// One button per provider; `signup` words them for making an account.
#[component]
pub fn ProviderButtons(choices: LoginChoices, #[prop(optional)] signup: bool) -> impl IntoView {
    let i18n = use_i18n();
    if choices.providers.is_empty() {
        return ().into_any();
    }
    view! {
        <ul class="provider-buttons" role="list">
            {choices.providers.into_iter().map(|p| {
                let href = format!("/auth/oidc/{}/start", p.id);
                view! {
                    <li>
                        <a class="button provider-button" href=href data-provider=p.id.clone()>
                            {if signup {
                                tr(i18n, |l| td_string!(l, signup_with)).into_any()
                            } else {
                                tr(i18n, |l| td_string!(l, login_with)).into_any()
                            }}" "{p.label}
                        </a>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// The site's login choices, loaded once for the page.
pub fn use_login_choices() -> Resource<Result<LoginChoices, crate::domain::error::AppError>> {
    Resource::new(|| (), |_| login_options())
}
