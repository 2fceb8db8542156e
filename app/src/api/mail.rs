//! E-mail: each person's choices (`/konto#mail`), unsubscribing by a mail's link without
//! logging in (`/afmeld`), and the coordinator's outbox (`/admin/post`).
use crate::domain::error::AppError;
use crate::domain::mail::{MailCategory, MailChoices, OutboxMailView, OutboxPageView};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    domain::account::RoleKind,
    domain::mail::{MailMode, MailPayload, OutboxItem, OUTBOX_PER_PAGE, OUTBOX_STATUSES},
    domain::message::Msg,
    ssr::{auth, db},
};

/// The caller's mail choices and whether their address is verified.
#[server(prefix = "/api", endpoint = "mail/prefs")]
pub async fn mail_prefs() -> Result<MailChoices, AppError> {
    auth::respond(
        async {
            let me = auth::require_user().await?;
            let state = auth::state()?;
            let prefs = db::mail::prefs(state.db.pool(), me.id)
                .await?
                .ok_or(AppError::NotFound)?;
            Ok(MailChoices {
                updates: prefs.updates,
                deadlines: prefs.deadlines,
                lang: prefs.lang,
                verified: prefs.verified,
                deadline_reminders: me.has(RoleKind::Politiker) || me.has(RoleKind::Sekretariat),
            })
        }
        .await,
    )
}

/// Saves how often the caller gets each kind of mail, and in which language. `deadlines`
/// is left as it is when the form has no such choice (it is shown to politicians and the
/// coordinator only). Saving the same choices again changes nothing.
#[server(prefix = "/api", endpoint = "mail/save")]
pub async fn save_mail_prefs(
    updates: String,
    deadlines: Option<String>,
    lang: String,
) -> Result<(), AppError> {
    auth::respond(
        async {
            let me = auth::require_user().await?;
            let mode = |field: &str, value: &str| {
                MailMode::parse(value.trim())
                    .ok_or_else(|| AppError::invalid(field, Msg::ChooseMailMode))
            };
            let updates = mode("updates", &updates)?;
            let deadlines = match deadlines.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(value) => Some(mode("deadlines", value)?),
            };
            let lang = match lang.trim() {
                l @ ("da" | "en") => l.to_owned(),
                _ => return Err(AppError::invalid("lang", Msg::ChooseMailLang)),
            };
            let state = auth::state()?;
            let now = chrono::Utc::now();
            let mut tx = db::write_tx(state.db.pool()).await?;
            db::mail::set_mode_tx(&mut tx, me.id, MailCategory::Updates, updates, now).await?;
            if let Some(deadlines) = deadlines {
                db::mail::set_mode_tx(&mut tx, me.id, MailCategory::Deadlines, deadlines, now)
                    .await?;
            }
            db::mail::set_lang_tx(&mut tx, me.id, &lang).await?;
            tx.commit().await?;
            leptos_axum::redirect("/konto?post=gemt#mail");
            Ok(())
        }
        .await,
    )
}

/// Turns off the kind of mail an unsubscribe link names, for the one person it belongs
/// to, without logging in. Repeating it is harmless. Returns the kind turned off.
#[server(prefix = "/api", endpoint = "mail/unsubscribe")]
pub async fn unsubscribe(token: String) -> Result<MailCategory, AppError> {
    auth::respond(
        async {
            let state = auth::state()?;
            let mut tx = db::write_tx(state.db.pool()).await?;
            let done = db::mail::unsubscribe_tx(&mut tx, token.trim(), chrono::Utc::now()).await?;
            let Some((user, category)) = done else {
                return Err(AppError::invalid("token", Msg::UnsubscribeLinkInvalid));
            };
            tx.commit().await?;
            tracing::info!(
                user_id = user.0,
                category = category.as_str(),
                "unsubscribed by link"
            );
            leptos_axum::redirect(&format!("/afmeld?afmeldt={}", category.as_str()));
            Ok(category)
        }
        .await,
    )
}

/// A page of the outbox, newest first (50 before mail `before`), of one status or all,
/// with the count per status. Coordinator only.
#[server(prefix = "/api", endpoint = "admin/outbox")]
pub async fn outbox_page(
    status: Option<String>,
    before: Option<i64>,
) -> Result<OutboxPageView, AppError> {
    auth::respond(
        async {
            auth::require(&[RoleKind::Sekretariat]).await?;
            let status = match status.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(s) => Some(
                    OUTBOX_STATUSES
                        .into_iter()
                        .find(|known| *known == s)
                        .ok_or_else(|| AppError::invalid("status", Msg::ChooseMailStatus))?,
                ),
            };
            let state = auth::state()?;
            let pool = state.db.pool();
            let municipality = db::settings::profile(pool).await?.name;
            let counted = db::mail::counts(pool).await?;
            let counts = OUTBOX_STATUSES
                .into_iter()
                .map(|s| {
                    let n = counted
                        .iter()
                        .find(|(status, _)| status == s)
                        .map_or(0, |(_, n)| *n);
                    (s.to_owned(), n)
                })
                .collect();
            let mut rows = db::mail::list(pool, status, before, OUTBOX_PER_PAGE + 1).await?;
            let more = rows.len() as i64 > OUTBOX_PER_PAGE;
            rows.truncate(OUTBOX_PER_PAGE as usize);
            let next = if more {
                rows.last().map(|r| r.id)
            } else {
                None
            };
            let mails = rows
                .into_iter()
                .map(|r| {
                    let subject = shown_payload(&r.payload, state.smtp_configured)
                        .map(|p| {
                            crate::ssr::mail::render(&p, &r.lang, &state.public_url, &municipality)
                                .subject
                        })
                        .unwrap_or_default();
                    OutboxItem {
                        id: r.id,
                        created_at: db::time::to_datetime(r.created_at),
                        to_addr: r.to_addr,
                        subject,
                        status: r.status,
                        attempts: r.attempts,
                        last_error: r.last_error,
                    }
                })
                .collect();
            Ok(OutboxPageView {
                counts,
                mails,
                next,
                smtp: state.smtp_configured,
            })
        }
        .await,
    )
}

/// One mail of the outbox, rendered as it is (or was) sent. When mail leaves over SMTP,
/// the single-use token of a verification or reset mail is blanked: the coordinator must
/// not be able to take over someone's account. Coordinator only.
#[server(prefix = "/api", endpoint = "admin/outbox/mail")]
pub async fn outbox_mail(id: i64) -> Result<OutboxMailView, AppError> {
    auth::respond(
        async {
            auth::require(&[RoleKind::Sekretariat]).await?;
            let state = auth::state()?;
            let pool = state.db.pool();
            let row = db::mail::get(pool, id).await?.ok_or(AppError::NotFound)?;
            let municipality = db::settings::profile(pool).await?.name;
            let Some(payload) = shown_payload(&row.payload, state.smtp_configured) else {
                tracing::error!(mail = row.id, "outbox payload unreadable");
                return Err(AppError::Internal);
            };
            let rendered =
                crate::ssr::mail::render(&payload, &row.lang, &state.public_url, &municipality);
            Ok(OutboxMailView {
                id: row.id,
                created_at: db::time::to_datetime(row.created_at),
                sent_at: row.sent_at.map(db::time::to_datetime),
                to_addr: row.to_addr,
                message_id: row.message_id,
                kind: row.kind,
                lang: row.lang,
                status: row.status,
                attempts: row.attempts,
                last_error: row.last_error,
                subject: rendered.subject,
                text: rendered.text,
                unsubscribe_url: rendered.unsubscribe_url,
                smtp: state.smtp_configured,
            })
        }
        .await,
    )
}

/// A stored payload as the coordinator may see it: with its single-use token blanked
/// when mail leaves the building (SMTP configured).
#[cfg(feature = "ssr")]
fn shown_payload(stored: &str, smtp_configured: bool) -> Option<MailPayload> {
    let payload: MailPayload = serde_json::from_str(stored).ok()?;
    Some(if smtp_configured {
        payload.without_token()
    } else {
        payload
    })
}
