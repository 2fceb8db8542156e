//! The proposal form, for a new proposal and for finishing a draft. Two submit buttons:
//! "Gem som kladde" and "Send forslaget" (`intent`). Browser validation (required,
//! lengths) stops most mistakes before sending; the server checks everything again.
use crate::api::proposals::{proposal_targets, SaveProposal};
use crate::domain::proposal::{
    ProposalDraft, Theme, MAX_BODY_CHARS, MAX_TITLE_CHARS, MIN_BODY_CHARS, MIN_TITLE_CHARS,
};
use crate::i18n::*;
use crate::ui::auth::action_error;
use crate::ui::components::form::{Field, FormError, Select, TextArea};
use crate::ui::components::once_field::OnceField;
use crate::ui::tr::{is_en, tr};
use leptos::prelude::*;

#[component]
pub fn ProposalForm(
    save: ServerAction<SaveProposal>,
    draft: Option<ProposalDraft>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(save);
    let targets = Resource::new(|| (), |_| proposal_targets());
    let en = is_en(i18n);
    let themes: Vec<(String, String)> = Theme::ALL
        .into_iter()
        .map(|t| (t.as_str().to_owned(), t.label(en).to_owned()))
        .collect();
    let id = draft.as_ref().map(|d| d.id.0.to_string());
    let title = draft.as_ref().map(|d| d.title.clone());
    let body = draft.as_ref().map(|d| d.body.clone());
    let theme = draft.as_ref().map(|d| d.theme.as_str().to_owned());
    let council = draft.as_ref().map(|d| d.council.0.to_string());
    let show_name = draft.as_ref().map(|d| d.show_name).unwrap_or(true);
    view! {
        <ActionForm action=save attr:class="form">
            <OnceField />
            <FormError error />
            {id.map(|id| view! { <input type="hidden" name="id" value=id /> })}
            <Field name="title" label=move || tr(i18n, |l| td_string!(l, proposal_field_title)) error required=true
                minlength=MIN_TITLE_CHARS as u32 maxlength=MAX_TITLE_CHARS as u32 value=title.unwrap_or_default()
                hint=move || tr(i18n, |l| td_string!(l, proposal_field_title_hint)) />
            <TextArea name="body" label=move || tr(i18n, |l| td_string!(l, proposal_field_body)) error required=true
                maxlength=MAX_BODY_CHARS as u32 rows=8 value=body.unwrap_or_default()
                hint=move || format!("{} ({MIN_BODY_CHARS}–{MAX_BODY_CHARS})", tr(i18n, |l| td_string!(l, proposal_field_body_hint))()) />
            <Select name="theme" label=move || tr(i18n, |l| td_string!(l, proposal_field_theme)) error options=themes
                selected=theme.unwrap_or_default() required=true />
            <Transition fallback=|| ()>
                {
                    let council = council.clone();
                    move || targets.get().map(|r| {
                        let options: Vec<(String, String)> = r.unwrap_or_default().into_iter()
                            .map(|t| (t.id.0.to_string(), t.name)).collect();
                        view! {
                            <Select name="council_id" label=move || tr(i18n, |l| td_string!(l, proposal_field_council)) error
                                options selected=council.clone().unwrap_or_default() required=true />
                        }
                    })
                }
            </Transition>
            <div class="check">
                <input id="f-show_name" name="show_name" type="checkbox" value="1" checked=show_name />
                <label for="f-show_name">{tr(i18n, |l| td_string!(l, proposal_field_show_name))}</label>
            </div>
            <p class="hint">{tr(i18n, |l| td_string!(l, proposal_field_show_name_hint))}</p>
            <div class="form__buttons">
                <button type="submit" name="intent" value="submit" class="button">{tr(i18n, |l| td_string!(l, proposal_submit))}</button>
                <button type="submit" name="intent" value="draft" class="button button--secondary" formnovalidate=true>{tr(i18n, |l| td_string!(l, proposal_save_draft))}</button>
            </div>
        </ActionForm>
    }
}
