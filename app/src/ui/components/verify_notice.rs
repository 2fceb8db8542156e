//! The e-mail address section at the top of /konto: verified, or not yet (no mail until it
//! is) with a button that sends the verification mail again. Unlike the other components
//! it reads its own status (`mail_status`), so /konto needs only to place it.
use crate::api::account_mail::{mail_status, ResendVerification};
use crate::i18n::*;
use crate::ui::auth::action_error;
use crate::ui::components::form::FormError;
use crate::ui::tr::tr;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn VerifyNotice() -> impl IntoView {
    let i18n = use_i18n();
    let resend = ServerAction::<ResendVerification>::new();
    let error = action_error(resend);
    let status = Resource::new(move || resend.version().get(), |_| mail_status());
    let query = use_query_map();
    let sent = move || {
        matches!(resend.value().get(), Some(Ok(())))
            || query
                .read()
                .get("bekraeftelse")
                .is_some_and(|v| v == "sendt")
    };
    view! {
        <Transition fallback=|| ()>
            {move || status.get().and_then(|r| r.ok()).map(|s| if !s.has_address {
                view! {
                    <section aria-labelledby="mail-address" data-testid="mail-none">
                        <h2 id="mail-address">{tr(i18n, |l| td_string!(l, account_mail_title))}</h2>
                        <p>{tr(i18n, |l| td_string!(l, account_mail_none))}</p>
                    </section>
                }.into_any()
            } else if s.verified {
                view! {
                    <section aria-labelledby="mail-address" data-testid="mail-verified">
                        <h2 id="mail-address">{tr(i18n, |l| td_string!(l, account_mail_title))}</h2>
                        <p>{tr(i18n, |l| td_string!(l, account_mail_verified))}</p>
                    </section>
                }.into_any()
            } else {
                view! {
                    <section class="notice" aria-labelledby="mail-address" data-testid="mail-unverified">
                        <h2 id="mail-address">{tr(i18n, |l| td_string!(l, account_mail_title))}</h2>
                        <p>{tr(i18n, |l| td_string!(l, account_mail_unverified))}</p>
                        {move || sent().then(|| view! { <p class="success" role="status" data-testid="verify-resent">{tr(i18n, |l| td_string!(l, account_resend_sent))}</p> })}
                        <ActionForm action=resend attr:class="form" attr:id="resend-form">
                            <FormError error />
                            <button type="submit" class="button" data-testid="verify-resend">{tr(i18n, |l| td_string!(l, account_resend_submit))}</button>
                        </ActionForm>
                    </section>
                }.into_any()
            })}
        </Transition>
    }
}
