//! `/hoeringer/ny`: the sender's form — committee, the councils to ask, the dates, and
//! whether young people outside the councils may add their input.
use crate::api::hearings::{hearing_form, CreateHearing};
use crate::i18n::*;
use crate::ui::auth::action_error;
use crate::ui::components::form::{flashed, Field, FormError, Select, TextArea};
use crate::ui::components::once_field::OnceField;
use crate::ui::error_text::shown;
use crate::ui::tr::{tr, trs};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NewHearingPage() -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateHearing>::new();
    let error = action_error(create);
    let form = Resource::new(|| (), |_| hearing_form());
    let councils_error = move || {
        error
            .get()
            .filter(|e| e.field() == Some("council_ids"))
            .map(|e| shown(&e))
    };
    view! {
        <Title text=trs(i18n, |l| td_string!(l, hearing_new_title))() />
        <h1>{tr(i18n, |l| td_string!(l, hearing_new_title))}</h1>
        <p class="lead">{tr(i18n, |l| td_string!(l, hearing_new_lead))}</p>
        <Transition fallback=move || view! { <p>{tr(i18n, |l| td_string!(l, loading))}</p> }>
            {move || form.get().map(|r| match r {
                Err(_) => view! { <p class="notice">{tr(i18n, |l| td_string!(l, hearing_not_allowed))}</p> }.into_any(),
                Ok(data) => {
                    let committees: Vec<(String, String)> = data.committees.iter().map(|(id, n)| (id.0.to_string(), n.clone())).collect();
                    view! {
                        <ActionForm action=create attr:class="form">
                            <FormError error />
                            <OnceField />
                            <Field name="title" label=move || tr(i18n, |l| td_string!(l, hearing_f_title))() error required=true minlength=5 maxlength=160 />
                            <TextArea name="question" label=move || tr(i18n, |l| td_string!(l, hearing_f_question))()
                                hint=move || tr(i18n, |l| td_string!(l, hearing_f_question_hint))() error required=true maxlength=1000 rows=3 readability=true />
                            <TextArea name="background" label=move || tr(i18n, |l| td_string!(l, hearing_f_background))() error maxlength=20_000 rows=8 />
                            // File upload form (h-files): the lead wires the files helper's
                            // upload component here (files are added after sending, on the
                            // hearing's page, or here once the component exists).
                            <Select name="committee_id" label=move || tr(i18n, |l| td_string!(l, hearing_f_committee))() error options=committees required=true />
                            <fieldset class="field" class:field--invalid=move || councils_error().is_some()>
                                <legend>{tr(i18n, |l| td_string!(l, hearing_f_councils))}</legend>
                                {data.councils.iter().enumerate().map(|(i, (id, name))| {
                                    let field = format!("council_ids[{i}]");
                                    let checked = flashed(&field).is_some();
                                    let fid = format!("f-council-{}", id.0);
                                    view! {
                                        <div class="checkbox">
                                            <input type="checkbox" id=fid.clone() name=field value=id.0.to_string() checked=checked aria-describedby="f-council_ids-error" />
                                            <label for=fid>{name.clone()}</label>
                                        </div>
                                    }
                                }).collect_view()}
                                <p class="field-error" id="f-council_ids-error" aria-live="polite">{councils_error}</p>
                            </fieldset>
                            <Field name="respond_date" kind="date" label=move || tr(i18n, |l| td_string!(l, hearing_f_respond))()
                                hint=move || tr(i18n, |l| td_string!(l, hearing_f_respond_hint))() error required=true />
                            <Field name="decision_date" kind="date" label=move || tr(i18n, |l| td_string!(l, hearing_f_decision))()
                                hint=move || tr(i18n, |l| td_string!(l, hearing_f_decision_hint))() error required=true />
                            <div class="checkbox">
                                <input type="checkbox" id="f-allow_input" name="allow_input" value="1" checked=flashed("allow_input").is_some() />
                                <label for="f-allow_input">{tr(i18n, |l| td_string!(l, hearing_f_allow_input))}</label>
                            </div>
                            <button type="submit" class="button">{tr(i18n, |l| td_string!(l, hearing_send))}</button>
                        </ActionForm>
                    }.into_any()
                }
            })}
        </Transition>
    }
}
