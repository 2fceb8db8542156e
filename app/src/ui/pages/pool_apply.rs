//! Søg puljen: the application form — the activity, who it is for, when and where, and a
//! budget whose lines add up to the amount asked. A plain form: works without JavaScript.
use crate::api::pool::ApplyToPool;
use crate::domain::pool::BUDGET_LINES;
use crate::i18n::*;
use crate::ui::auth::action_error;
use crate::ui::components::form::{flashed, Field, FormError, TextArea};
use crate::ui::tr::{tr, trs};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

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
    let error = action_error(action);
    let message = move |name: &'static str| {
        move || {
            error
                .get()
                .filter(|e| e.field() == Some(name))
                .map(|e| e.to_string())
        }
    };
    view! {
        <Title text=trs(i18n, |l| td_string!(l, pool_apply_title)) />
        <p class="meta"><A href="/puljen">{tr(i18n, |l| td_string!(l, pool_title))}</A></p>
        <h1>{tr(i18n, |l| td_string!(l, pool_apply_title))}</h1>
        <p class="lead">{tr(i18n, |l| td_string!(l, pool_apply_lead))}</p>
        <ActionForm action attr:class="form" attr:novalidate=true>
            <FormError error />
            <p class="field-error" id="f-applicant-error" aria-live="polite">{message("applicant")}</p>
            <Field name="title" label=move || tr(i18n, |l| td_string!(l, pool_f_title))() error required=true maxlength=120 />
            <TextArea name="activity" label=move || tr(i18n, |l| td_string!(l, pool_f_activity))() error required=true maxlength=5000
                hint=move || tr(i18n, |l| td_string!(l, pool_f_activity_hint))() />
            <Field name="audience" label=move || tr(i18n, |l| td_string!(l, pool_f_audience))() error required=true maxlength=300 />
            <Field name="participants" label=move || tr(i18n, |l| td_string!(l, pool_f_participants))() error required=true inputmode="numeric" />
            <Field name="date" kind="date" label=move || tr(i18n, |l| td_string!(l, pool_f_date))() error required=true />
            <Field name="place" label=move || tr(i18n, |l| td_string!(l, pool_f_place))() error required=true maxlength=200 />
            <TextArea name="members" label=move || tr(i18n, |l| td_string!(l, pool_f_members))() error maxlength=1000 rows=3
                hint=move || tr(i18n, |l| td_string!(l, pool_f_members_hint))() />
            <fieldset class="budget">
                <legend>{tr(i18n, |l| td_string!(l, pool_f_budget))}</legend>
                <p class="hint">{tr(i18n, |l| td_string!(l, pool_f_budget_hint))}</p>
                {(0..BUDGET_LINES).map(|i| {
                    let n = i + 1;
                    view! {
                        <div class="budget__line">
                            <Field name=LINE_TEXT[i] label=move || format!("{} {n}", tr(i18n, |l| td_string!(l, pool_f_line))()) error maxlength=200 />
                            <Field name=LINE_AMOUNT[i] label=move || format!("{} {n}", tr(i18n, |l| td_string!(l, pool_f_line_amount))()) error inputmode="numeric" />
                        </div>
                    }
                }).collect_view()}
            </fieldset>
            <Field name="amount" label=move || tr(i18n, |l| td_string!(l, pool_f_amount))() error required=true inputmode="numeric"
                hint=move || tr(i18n, |l| td_string!(l, pool_f_amount_hint))() />
            <fieldset aria-describedby="f-already_paid-error">
                <legend>{tr(i18n, |l| td_string!(l, pool_f_paid))}</legend>
                <div class="check">
                    <input type="radio" id="paid-nej" name="already_paid" value="nej" required checked=flashed("already_paid").as_deref() == Some("nej") />
                    <label for="paid-nej">{tr(i18n, |l| td_string!(l, pool_f_paid_no))}</label>
                </div>
                <div class="check">
                    <input type="radio" id="paid-ja" name="already_paid" value="ja" />
                    <label for="paid-ja">{tr(i18n, |l| td_string!(l, pool_f_paid_yes))}</label>
                </div>
                <p class="field-error" id="f-already_paid-error" aria-live="polite">{message("already_paid")}</p>
            </fieldset>
            <button type="submit" class="button">{tr(i18n, |l| td_string!(l, pool_f_submit))}</button>
        </ActionForm>
    }
}
