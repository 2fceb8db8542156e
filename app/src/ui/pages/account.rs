//! Min konto: status, roles, my data (view and download), change password, delete.
use crate::api::accounts::{get_my_data, ChangePassword, DeleteAccount};
use crate::domain::account::{AccountStatus, MyData, RoleGrant};
use crate::i18n::*;
use crate::ui::auth::action_error;
use crate::ui::components::form::{Field, FormError};
use crate::ui::components::linked_logins::LinkedLoginsSection;
use crate::ui::components::mail_prefs::MailPrefsSection;
use crate::ui::components::verify_notice::VerifyNotice;
use crate::ui::format::date_da;
use crate::ui::tr::{tr, trs};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let change = ServerAction::<ChangePassword>::new();
    let delete = ServerAction::<DeleteAccount>::new();
    let data = Resource::new(move || change.version().get(), |_| get_my_data());
    view! {
        <Title text=trs(i18n, |l| td_string!(l, account_title))() />
        <h1>{tr(i18n, |l| td_string!(l, account_title))}</h1>
        <Transition fallback=move || view! { <p>{tr(i18n, |l| td_string!(l, loading))}</p> }>
            {move || data.get().map(|result| match result {
                Ok(me) => view! { <AccountDetails me change delete /> }.into_any(),
                Err(_) => view! {
                    <p>{tr(i18n, |l| td_string!(l, account_not_logged_in))}" "<A href="/log-ind">{tr(i18n, |l| td_string!(l, login_submit))}</A></p>
                }.into_any(),
            })}
        </Transition>
    }
}

fn role_line(g: &RoleGrant) -> String {
    let mut s = g.role.label_da().to_owned();
    if let Some(c) = &g.council {
        s.push_str(&format!(", {}", c.name));
    }
    if let Some((a, b)) = g.term {
        s.push_str(&format!(" ({a}–{b})"));
    }
    s
}

#[component]
fn AccountDetails(
    me: MyData,
    change: ServerAction<ChangePassword>,
    delete: ServerAction<DeleteAccount>,
) -> impl IntoView {
    let i18n = use_i18n();
    let change_error = action_error(change);
    let delete_error = action_error(delete);
    let query = leptos_router::hooks::use_query_map();
    let changed = move || {
        matches!(change.value().get(), Some(Ok(())))
            || query.read().get("skiftet").is_some_and(|v| v == "1")
    };
    let awaiting = me.status == AccountStatus::AwaitingConfirmation;
    let has_password = me.has_password;
    let welcome = move || query.read().get("ny").is_some_and(|v| v == "1");
    let mut roles: Vec<String> = me.roles.iter().map(role_line).collect();
    if let Some(school) = &me.teacher_at {
        roles.push(format!(
            "{} ({})",
            crate::domain::account::RoleKind::Laerer.label_da(),
            school.name
        ));
    }
    view! {
        <p class="lead">{tr(i18n, |l| td_string!(l, account_hello))}", "<strong>{me.first_name.clone()}</strong></p>
        {move || welcome().then(|| view! { <p class="success" role="status" data-testid="welcome">{tr(i18n, |l| td_string!(l, account_new_from_login))}</p> })}
        <VerifyNotice />
        {awaiting.then(|| view! {
            <section class="notice" aria-labelledby="awaiting">
                <h2 id="awaiting">{tr(i18n, |l| td_string!(l, account_awaiting_title))}</h2>
                <p>{tr(i18n, |l| td_string!(l, account_awaiting))}</p>
            </section>
        })}
        <h2>{tr(i18n, |l| td_string!(l, account_roles))}</h2>
        <ul>{roles.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ul>

        <h2 id="mine-data">{tr(i18n, |l| td_string!(l, account_my_data))}</h2>
        <p>{tr(i18n, |l| td_string!(l, account_my_data_lead))}</p>
        <dl class="facts">
            <dt>{tr(i18n, |l| td_string!(l, field_first_name))}</dt><dd>{me.first_name.clone()}</dd>
            <dt>{tr(i18n, |l| td_string!(l, field_email))}</dt><dd>{me.email.clone()}</dd>
            <dt>{tr(i18n, |l| td_string!(l, field_birth_year))}</dt><dd>{me.birth_year.map(|y| y.to_string()).unwrap_or_else(|| "–".to_owned())}</dd>
            <dt>{tr(i18n, |l| td_string!(l, account_status))}</dt><dd>{me.status.label_da()}</dd>
            <dt>{tr(i18n, |l| td_string!(l, account_school))}</dt>
            <dd>{me.school.clone().map(|s| s.into_any()).unwrap_or_else(|| tr(i18n, |l| td_string!(l, account_none)).into_any())}</dd>
            <dt>{tr(i18n, |l| td_string!(l, account_created))}</dt><dd>{date_da(me.created_at)}</dd>
        </dl>
        <p><a href="/konto/mine-data.json" download="stemme-mine-data.json">{tr(i18n, |l| td_string!(l, account_download))}</a></p>

        <LinkedLoginsSection />

        <MailPrefsSection />

        {has_password.then(|| view! {
        <h2>{tr(i18n, |l| td_string!(l, account_change_password))}</h2>
        <ActionForm action=change attr:class="form" attr:id="password-form">
            <FormError error=change_error />
            {move || changed().then(|| view! { <p class="success" role="status">{tr(i18n, |l| td_string!(l, account_password_changed))}</p> })}
            <Field name="current" label=move || tr(i18n, |l| td_string!(l, field_current_password)) error=change_error
                kind="password" autocomplete="current-password" required=true />
            <Field name="new_password" label=move || tr(i18n, |l| td_string!(l, field_new_password)) error=change_error
                kind="password" autocomplete="new-password" required=true minlength=10 maxlength=128
                hint=move || tr(i18n, |l| td_string!(l, field_password_hint)) />
            <button type="submit" class="button">{tr(i18n, |l| td_string!(l, account_change_password))}</button>
        </ActionForm>
        })}

        <h2>{tr(i18n, |l| td_string!(l, account_delete_title))}</h2>
        <p>{tr(i18n, |l| td_string!(l, account_delete_lead))}</p>
        <ActionForm action=delete attr:class="form" attr:id="delete-form">
            <FormError error=delete_error />
            {if has_password {
                view! {
                    <Field name="password" label=move || tr(i18n, |l| td_string!(l, field_password)) error=delete_error
                        kind="password" autocomplete="current-password" required=true />
                }.into_any()
            } else {
                // No password to check: the person confirms in words instead.
                view! {
                    <input type="hidden" name="password" value="" />
                    <p class="field">
                        <input type="checkbox" id="f-confirm" name="confirm" value="ja" required=true />
                        " "<label for="f-confirm">{tr(i18n, |l| td_string!(l, account_delete_confirm))}</label>
                    </p>
                }.into_any()
            }}
            <button type="submit" class="button button--danger">{tr(i18n, |l| td_string!(l, account_delete_submit))}</button>
        </ActionForm>
    }
}
