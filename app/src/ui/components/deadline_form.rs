//! The coordinator sets or extends one proposal's answer deadline, with a public reason.
//! Shown on a forwarded proposal's page to the coordinator only (the server checks again).
use crate::api::setup::ChangeDeadline;
use crate::domain::account::RoleKind;
use crate::i18n::*;
use crate::ui::auth::{action_error, use_auth};
use crate::ui::components::form::{Field, FormError, TextArea};
use crate::ui::pages::admin_setup::pick;
use crate::ui::tr::is_en;
use leptos::prelude::*;

#[component]
pub fn DeadlineForm(id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let change = ServerAction::<ChangeDeadline>::new();
    let error = action_error(change);
    move || {
        let en = is_en(i18n);
        auth.current()
            .filter(|u| u.has(RoleKind::Sekretariat))
            .map(|_| {
                view! {
                    <details class="admin-box">
                        <summary>{pick(en, "Ændr svarfristen (koordinator)", "Change the answer deadline (coordinator)")}</summary>
                        <ActionForm action=change attr:class="form">
                            <FormError error=error />
                            <input type="hidden" name="proposal_id" value=id />
                            <Field name="deadline" kind="date" label=move || pick(en, "Ny svarfrist", "New deadline") error=error required=true />
                            <TextArea name="reason" label=move || pick(en, "Begrundelse (vises for alle)", "Reason (shown to everyone)") error=error
                                required=true minlength=10 maxlength=1000 rows=3 readability=true />
                            <button type="submit" class="button">{pick(en, "Gem svarfristen", "Save the deadline")}</button>
                        </ActionForm>
                    </details>
                }
            })
    }
}
