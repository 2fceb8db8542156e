//! Ungerådets pulje: the public page, opening a year, applying, deciding and reporting
//! back. Every rule is checked here again, whatever the form did: the age and amount rules,
//! an explanation for partial grants and rejections, and never spending what isn't there.
// Form endpoints take one argument per form field (the budget has six lines), and the
// client stub the `server` macro generates for the browser build has the same arguments.
#![allow(clippy::too_many_arguments)]

use crate::domain::error::AppError;
use crate::domain::pool::{ApplicationDetail, ApplicationForm, PoolView};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    domain::account::RoleKind,
    domain::pool::{self as rules, ApplicationStatus, PoolPage, ReportState},
    ssr::{auth, db},
};

#[cfg(feature = "ssr")]
fn today() -> chrono::NaiveDate {
    rules::danish_today(chrono::Utc::now())
}

/// The chair decides with a term that covers today (whatever pool year it is).
#[cfg(feature = "ssr")]
fn this_year() -> i32 {
    crate::domain::heard::local_year(chrono::Utc::now())
}

/// The pool page for `year` (the newest year when absent).
#[server(prefix = "/api", endpoint = "pool/view")]
pub async fn get_pool(year: Option<i32>) -> Result<PoolView, AppError> {
    auth::respond(
        async {
            let me = auth::current_user().await?;
            let pool = auth::state()?.db.pool().clone();
            let today = today();
            let years = db::pool::years(&pool).await?;
            let page = match db::pool::year(&pool, year).await? {
                None if year.is_some() => return Err(AppError::NotFound),
                None => None,
                Some(y) => {
                    let can_decide = match &me {
                        Some(u) => db::pool::is_chair(&pool, y.council, u.id, this_year()).await?,
                        None => false,
                    };
                    let ledger = db::pool::ledger(&pool, y.id).await?;
                    Some(PoolPage {
                        grants: db::pool::list(&pool, y.id, true, today).await?,
                        reports: db::pool::reports(&pool, y.id).await?,
                        balance_points: ledger.iter().map(|e| (e.at, e.balance)).collect(),
                        waiting: if can_decide
                            || me.as_ref().is_some_and(|u| u.has(RoleKind::Sekretariat))
                        {
                            db::pool::list(&pool, y.id, false, today).await?
                        } else {
                            Vec::new()
                        },
                        mine: match &me {
                            Some(u) => db::pool::mine(&pool, u.id, today).await?,
                            None => Vec::new(),
                        },
                        can_decide,
                        settings: y.settings,
                        ledger: y.ledger,
                    })
                }
            };
            Ok(PoolView {
                page,
                years,
                can_open: me.as_ref().is_some_and(|u| u.has(RoleKind::Sekretariat)),
                logged_in: me.is_some(),
            })
        }
        .await,
    )
}

/// The coordinator opens a pool year with its amount, limits and rules.
#[server(prefix = "/api", endpoint = "pool/open")]
pub async fn open_pool_year(
    year: String,
    amount: String,
    max_grant: String,
    min_age: String,
    rules: String,
) -> Result<(), AppError> {
    auth::respond(
        async {
            let me = auth::require(&[RoleKind::Sekretariat]).await?;
            let settings = rules::validate_pool_year(&year, &amount, &max_grant, &min_age, &rules)?;
            let pool = auth::state()?.db.pool().clone();
            let council = db::pool::ungeraad(&pool)
                .await?
                .ok_or_else(|| AppError::Conflict("Opret Ungerådet, før puljen åbnes.".into()))?;
            db::pool::open_year(&pool, &settings, council, me.id).await?;
            tracing::info!(
                year = settings.year,
                amount_ore = settings.amount,
                by = me.id.0,
                "pool year opened"
            );
            auth::audit(
                me.id,
                crate::domain::audit::AuditAction::PoolYearOpened,
                "pool_year",
                Some(i64::from(settings.year)),
                &format!("{} øre", settings.amount),
            )
            .await;
            leptos_axum::redirect(&format!("/puljen?aar={}", settings.year));
            Ok(())
        }
        .await,
    )
}

/// A young person applies to the newest pool year.
#[server(prefix = "/api", endpoint = "pool/apply")]
pub async fn apply_to_pool(
    title: String,
    activity: String,
    audience: String,
    participants: String,
    date: String,
    place: String,
    #[server(default)] members: String,
    amount: String,
    #[server(default)] already_paid: String,
    #[server(default)] line1_text: String,
    #[server(default)] line1_amount: String,
    #[server(default)] line2_text: String,
    #[server(default)] line2_amount: String,
    #[server(default)] line3_text: String,
    #[server(default)] line3_amount: String,
    #[server(default)] line4_text: String,
    #[server(default)] line4_amount: String,
    #[server(default)] line5_text: String,
    #[server(default)] line5_amount: String,
    #[server(default)] line6_text: String,
    #[server(default)] line6_amount: String,
    #[server(default)] intent: String,
) -> Result<(), AppError> {
    auth::respond(
        async {
            let me = auth::require_active().await?;
            if !me.can_propose() {
                return Err(AppError::Forbidden);
            }
            let pool = auth::state()?.db.pool().clone();
            let form = ApplicationForm {
                title,
                activity,
                audience,
                participants,
                date,
                place,
                members,
                amount,
                already_paid,
                lines: vec![
                    (line1_text, line1_amount),
                    (line2_text, line2_amount),
                    (line3_text, line3_amount),
                    (line4_text, line4_amount),
                    (line5_text, line5_amount),
                    (line6_text, line6_amount),
                ],
            };
            if intent.trim() == "draft" {
                // A draft is kept as typed (bounded), without the checks.
                let json =
                    serde_json::to_string(&form.bounded()).map_err(|_| AppError::Internal)?;
                db::pool::save_draft(&pool, me.id, &json).await?;
                leptos_axum::redirect("/puljen/ansoeg?kladde=1");
                return Ok(());
            }
            let year = db::pool::year(&pool, None)
                .await?
                .ok_or_else(|| AppError::Conflict("Puljen er ikke åbnet endnu.".into()))?;
            let today = today();
            use chrono::Datelike;
            let age = today.year() - db::pool::birth_year(&pool, me.id).await?;
            let application = rules::validate_application(
                &form,
                year.settings.max_grant,
                year.settings.min_age,
                age,
                today,
            )?;
            let id = db::pool::create_application(&pool, year.id, me.id, &application).await?;
            db::pool::delete_draft(&pool, me.id).await?;
            tracing::info!(
                application = id,
                asked_ore = application.amount,
                "pool application submitted"
            );
            leptos_axum::redirect(&format!("/puljen/ansoegning/{id}?sendt=1"));
            Ok(())
        }
        .await,
    )
}

/// The caller's saved draft, if any.
#[server(prefix = "/api", endpoint = "pool/my-draft")]
pub async fn my_pool_draft() -> Result<Option<ApplicationForm>, AppError> {
    auth::respond(
        async {
            let Some(me) = auth::current_user().await? else {
                return Ok(None);
            };
            let pool = auth::state()?.db.pool().clone();
            Ok(db::pool::draft(&pool, me.id)
                .await?
                .and_then(|json| serde_json::from_str(&json).ok()))
        }
        .await,
    )
}

/// One application. Decided ones are public; undecided ones are seen by the applicant,
/// the Ungeråd's chair and the coordinator.
#[server(prefix = "/api", endpoint = "pool/application")]
pub async fn get_application(id: i64) -> Result<ApplicationDetail, AppError> {
    auth::respond(
        async {
            let me = auth::current_user().await?;
            let pool = auth::state()?.db.pool().clone();
            let a = db::pool::application(&pool, id)
                .await?
                .ok_or(AppError::NotFound)?;
            let is_applicant = me.as_ref().is_some_and(|u| u.id == a.applicant_id);
            let can_decide = match &me {
                Some(u) => db::pool::is_chair(&pool, a.council, u.id, this_year()).await?,
                None => false,
            };
            let coordinator = me.as_ref().is_some_and(|u| u.has(RoleKind::Sekretariat));
            if a.status == ApplicationStatus::Submitted
                && !(is_applicant || can_decide || coordinator)
            {
                return Err(AppError::NotFound);
            }
            let report_state = ReportState::of(a.app.date, a.report.is_some(), today());
            Ok(ApplicationDetail {
                id: a.id,
                year: a.year,
                applicant: a.applicant,
                applicant_id: a.applicant_id,
                can_decide: can_decide && a.status == ApplicationStatus::Submitted,
                can_report: is_applicant
                    && a.status.is_grant()
                    && matches!(report_state, ReportState::Due | ReportState::Late),
                app: a.app,
                status: a.status,
                granted: a.granted,
                explanation: a.explanation,
                conditions: a.conditions,
                votes: a.votes,
                decided_at: a.decided_at,
                report: a.report,
                report_state,
                returned: a.returned,
                submitted_at: a.submitted_at,
            })
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
fn vote_count(raw: &str, field: &str) -> Result<Option<i64>, AppError> {
    let t = raw.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse::<i64>()
        .ok()
        .filter(|n| (0..=1000).contains(n))
        .map(Some)
        .ok_or_else(|| AppError::invalid(field, "Skriv antallet af stemmer som et helt tal."))
}

/// The Ungeråd's chair records the decision (and the vote, if there was one).
#[server(prefix = "/api", endpoint = "pool/decide")]
pub async fn decide_application(
    application_id: i64,
    #[server(default)] decision: String,
    #[server(default)] amount: String,
    #[server(default)] explanation: String,
    #[server(default)] conditions: String,
    #[server(default)] votes_for: String,
    #[server(default)] votes_against: String,
    #[server(default)] votes_abstain: String,
) -> Result<(), AppError> {
    auth::respond(
        async {
            let me = auth::require_active().await?;
            let pool = auth::state()?.db.pool().clone();
            let a = db::pool::application(&pool, application_id)
                .await?
                .ok_or(AppError::NotFound)?;
            if !db::pool::is_chair(&pool, a.council, me.id, this_year()).await? {
                return Err(AppError::Forbidden);
            }
            if a.status != ApplicationStatus::Submitted {
                return Err(AppError::Conflict(
                    "Ansøgningen er allerede afgjort.".into(),
                ));
            }
            let d = rules::validate_decision(
                &decision,
                &amount,
                &explanation,
                &conditions,
                a.app.amount,
            )?;
            let votes = match (
                vote_count(&votes_for, "votes_for")?,
                vote_count(&votes_against, "votes_against")?,
                vote_count(&votes_abstain, "votes_abstain")?,
            ) {
                (None, None, None) => None,
                (f, ag, ab) => Some((f.unwrap_or(0), ag.unwrap_or(0), ab.unwrap_or(0))),
            };
            let granted =
                db::pool::decide(&pool, a.id, &d, votes, me.id, chrono::Utc::now()).await?;
            tracing::info!(
                application = a.id,
                granted_ore = granted,
                by = me.id.0,
                "pool application decided"
            );
            auth::audit(
                me.id,
                crate::domain::audit::AuditAction::PoolDecided,
                "pool_application",
                Some(a.id),
                &format!("bevilget {granted} øre"),
            )
            .await;
            leptos_axum::redirect(&format!("/puljen/ansoegning/{}?afgjort=1", a.id));
            Ok(())
        }
        .await,
    )
}

/// The applicant reports back after the activity: what happened and what was spent.
#[server(prefix = "/api", endpoint = "pool/report")]
pub async fn report_back(
    application_id: i64,
    #[server(default)] report: String,
    #[server(default)] participants: String,
    #[server(default)] actual1: String,
    #[server(default)] actual2: String,
    #[server(default)] actual3: String,
    #[server(default)] actual4: String,
    #[server(default)] actual5: String,
    #[server(default)] actual6: String,
) -> Result<(), AppError> {
    auth::respond(
        async {
            let me = auth::require_active().await?;
            let pool = auth::state()?.db.pool().clone();
            let a = db::pool::application(&pool, application_id)
                .await?
                .ok_or(AppError::NotFound)?;
            if a.applicant_id != me.id {
                return Err(AppError::Forbidden);
            }
            if !a.status.is_grant() || a.report.is_some() {
                return Err(AppError::Conflict(
                    "Der er ikke noget at afrapportere.".into(),
                ));
            }
            if today() <= a.app.date {
                return Err(AppError::Conflict(
                    "Afrapporteringen skrives, når aktiviteten er holdt.".into(),
                ));
            }
            let actual = [actual1, actual2, actual3, actual4, actual5, actual6];
            let r = rules::validate_report(&report, &participants, &actual, a.app.lines.len())?;
            let unspent = db::pool::file_report(&pool, a.id, &r, me.id, chrono::Utc::now()).await?;
            tracing::info!(
                application = a.id,
                returned_ore = unspent,
                "pool report filed"
            );
            auth::audit(
                me.id,
                crate::domain::audit::AuditAction::PoolReported,
                "pool_application",
                Some(a.id),
                &format!("returneret {unspent} øre"),
            )
            .await;
            leptos_axum::redirect(&format!("/puljen/ansoegning/{}?rapporteret=1", a.id));
            Ok(())
        }
        .await,
    )
}
