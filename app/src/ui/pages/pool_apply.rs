//! Søg puljen: the application form — the activity, who it is for, when and where, and a
//! budget whose lines add up to the amount asked. A plain form: works without JavaScript.
use crate::api::pool::{my_pool_draft, ApplyToPool};
use crate::domain::pool::{ApplicationForm, BUDGET_LINES};
use crate::i18n::*;
use crate::ui::auth::action_error;
use crate::ui::components::form::{flashed, Field, FormError, TextArea};
use crate::ui::components::once_field::OnceField;
use crate::ui::error_text::shown;
use crate::ui::tr::{tr, trs};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

const LINE_TEXT: [&str; BUDGET_LINES] = [
    "line1_text",
    "line2_text",
    "line3_text",
    "line4_text",
    "line5_text",
    "line6_text",
];
const LINE_AMOUNT: [&str; BUDGET_LINES] = [
    "line1_amount",
    "line2_amount",
    "line3_amount",
    "line4_amount",
    "line5_amount",
    "line6_amount",
];

#[component]
pub fn PoolApplyPage() -> impl IntoView {
    let i18n = use_i18n();
    let action: ServerAction<ApplyToPool> = ServerAction::new();
    let draft = Resource::new(move || action.version().get(), |_| my_pool_draft());
    let query = use_query_map();
    let saved = move || query.read().get("kladde").is_some_and(|v| v == "1");
    view! {
        <Title text=trs(i18n, |l| td_string!(l, pool_apply_title))() />
        <p class="meta"><A href="/puljen">{tr(i18n, |l| td_string!(l, pool_title))}</A></p>
        <h1>{tr(i18n, |l| td_string!(l, pool_apply_title))}</h1>
        <p class="lead">{tr(i18n, |l| td_string!(l, pool_apply_lead))}</p>
        {move || saved().then(|| view! { <p class="success" role="status">{tr(i18n, |l| td_string!(l, pool_draft_saved))}</p> })}
        <Transition fallback=move || view! { <p>{tr(i18n, |l| td_string!(l, loading))}</p> }>
            {move || draft.get().map(|d| view! { <ApplyForm action draft=d.ok().flatten().unwrap_or_default() /> })}
        </Transition>
    }
}

#[component]
fn ApplyForm(action: ServerAction<ApplyToPool>, draft: ApplicationForm) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(action);
    let message = move |name: &'static str| {
        move || {
            error
                .get()
                .filter(|e| e.field() == Some(name))
                .map(|e| shown(&e))
        }
    };
    let d = draft;
    let lines: Vec<(String, String)> = (0..BUDGET_LINES)
        .map(|i| d.lines.get(i).cloned().unwrap_or_default())
        .collect();
    let paid = flashed("already_paid").unwrap_or_else(|| d.already_paid.clone());
    view! {
        <ActionForm action attr:class="form" attr:novalidate=true>
            <OnceField />
            <FormError error />
            <p class="field-error" id="f-applicant-error" aria-live="polite">{message("applicant")}</p>
            <Field name="title" label=move || tr(i18n, |l| td_string!(l, pool_f_title))() error required=true maxlength=120 value=d.title.clone() />
            <TextArea name="activity" label=move || tr(i18n, |l| td_string!(l, pool_f_activity))() error required=true maxlength=5000
                hint=move || tr(i18n, |l| td_string!(l, pool_f_activity_hint))() value=d.activity.clone() />
            <Field name="audience" label=move || tr(i18n, |l| td_string!(l, pool_f_audience))() error required=true maxlength=300 value=d.audience.clone() />
            <Field name="participants" label=move || tr(i18n, |l| td_string!(l, pool_f_participants))() error required=true inputmode="numeric" value=d.participants.clone() />
            <Field name="date" kind="date" label=move || tr(i18n, |l| td_string!(l, pool_f_date))() error required=true value=d.date.clone() />
            <Field name="place" label=move || tr(i18n, |l| td_string!(l, pool_f_place))() error required=true maxlength=200 value=d.place.clone() />
            <TextArea name="members" label=move || tr(i18n, |l| td_string!(l, pool_f_members))() error maxlength=1000 rows=3
                hint=move || tr(i18n, |l| td_string!(l, pool_f_members_hint))() value=d.members.clone() />
            <fieldset class="budget">
                <legend>{tr(i18n, |l| td_string!(l, pool_f_budget))}</legend>
                <p class="hint">{tr(i18n, |l| td_string!(l, pool_f_budget_hint))}</p>
                {lines.into_iter().enumerate().map(|(i, (text, amount))| {
                    let n = i + 1;
                    view! {
                        <div class="budget__line">
                            <Field name=LINE_TEXT[i] label=move || format!("{} {n}", tr(i18n, |l| td_string!(l, pool_f_line))()) error maxlength=200 value=text />
                            <Field name=LINE_AMOUNT[i] label=move || format!("{} {n}", tr(i18n, |l| td_string!(l, pool_f_line_amount))()) error inputmode="numeric" value=amount />
                        </div>
                    }
                }).collect_view()}
            </fieldset>
            <Field name="amount" label=move || tr(i18n, |l| td_string!(l, pool_f_amount))() error required=true inputmode="numeric"
                hint=move || tr(i18n, |l| td_string!(l, pool_f_amount_hint))() value=d.amount.clone() />
            <fieldset aria-describedby="f-already_paid-error">
                <legend>{tr(i18n, |l| td_string!(l, pool_f_paid))}</legend>
                <div class="check">
                    <input type="radio" id="paid-nej" name="already_paid" value="nej" required checked=paid == "nej" />
                    <label for="paid-nej">{tr(i18n, |l| td_string!(l, pool_f_paid_no))}</label>
                </div>
                <div class="check">
                    <input type="radio" id="paid-ja" name="already_paid" value="ja" checked=paid == "ja" />
                    <label for="paid-ja">{tr(i18n, |l| td_string!(l, pool_f_paid_yes))}</label>
                </div>
                <p class="field-error" id="f-already_paid-error" aria-live="polite">{message("already_paid")}</p>
            </fieldset>
            <div class="button-row">
                <button type="submit" name="intent" value="submit" class="button">{tr(i18n, |l| td_string!(l, pool_f_submit))}</button>
                <button type="submit" name="intent" value="draft" class="button button--secondary">{tr(i18n, |l| td_string!(l, pool_f_draft))}</button>
            </div>
        </ActionForm>
    }
}
