//! Ungerådets pulje: the public page, opening a year, applying, deciding and reporting
//! back. Every rule is checked here again, whatever the form did: the age and amount rules,
//! an explanation for partial grants and rejections, and never spending what isn't there.
// Form endpoints take one argument per form field (the budget has six lines), and the
// client stub the `server` macro generates for the browser build has the same arguments.
#![allow(clippy::too_many_arguments)]

use crate::domain::error::AppError;
use crate::domain::ids::ApplicationId;
use crate::domain::pool::{ApplicationDetail, ApplicationForm, PoolView};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::domain::message::Msg;

#[cfg(feature = "ssr")]
use crate::{
    domain::account::RoleKind,
    domain::audit::AuditAction,
    domain::council::{decision_basis, AgendaItemId},
    domain::pool::{self as rules, ApplicationAgenda, ApplicationStatus, PoolPage, ReportState},
    ssr::once::{self, Outcome},
    ssr::{auth, db, frame::Frame},
};

#[cfg(feature = "ssr")]
fn today() -> chrono::NaiveDate {
    rules::danish_today(chrono::Utc::now())
}

/// May `user` record the council's decisions (chair, secretary, coordinator)?
#[cfg(feature = "ssr")]
async fn runs(
    user: &crate::domain::account::SessionUser,
    council: crate::domain::ids::CouncilId,
) -> Result<bool, AppError> {
    crate::api::councils::can_run(user, council).await
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
                        Some(u) => runs(u, y.council).await?,
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
                default_min_age: db::settings::profile(&pool).await?.pool_min_age,
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
            let frame = Frame::new(auth::require(&[RoleKind::Sekretariat]).await?)?;
            let settings = rules::validate_pool_year(&year, &amount, &max_grant, &min_age, &rules)?;
            let council = db::pool::ungeraad(frame.pool())
                .await?
                .ok_or(AppError::Conflict(Msg::OpenYouthCouncilFirst))?;
            let mut tx = frame.begin().await?;
            db::pool::open_year_tx(&mut tx, &settings, council, frame.user.id).await?;
            tx.audit(
                AuditAction::PoolYearOpened,
                "pool_year",
                Some(i64::from(settings.year)),
                &format!("{} øre", settings.amount),
            )
            .await?;
            tx.commit().await?;
            tracing::info!(
                year = settings.year,
                amount_ore = settings.amount,
                by = frame.user.id.0,
                "pool year opened"
            );
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
    #[server(default)] form_token: String,
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
                .ok_or(AppError::Conflict(Msg::PoolNotOpen))?;
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
            let o = once::check(&pool, &form_token, me.id, "pool_application").await?;
            let done = |id: &str| {
                leptos_axum::redirect(&format!("/puljen/ansoegning/{id}?sendt=1"));
                Ok(())
            };
            if let Some(prev) = once::previous(&pool, &o).await? {
                return done(&prev);
            }
            let ticket = auth::limit_user("pool-apply", me.id, 10, 3600).await?;
            let made =
                db::pool::create_application(&pool, year.id, me.id, &application, Some(&o)).await;
            match once::settle(&pool, &o, ticket, made).await? {
                Outcome::Created(id) => {
                    db::pool::delete_draft(&pool, me.id).await?;
                    tracing::info!(
                        application = id,
                        asked_ore = application.amount,
                        "pool application submitted"
                    );
                    done(&id.to_string())
                }
                Outcome::Replayed(prev) => done(&prev),
            }
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
pub async fn get_application(id: ApplicationId) -> Result<ApplicationDetail, AppError> {
    auth::respond(
        async {
            let me = auth::current_user().await?;
            let pool = auth::state()?.db.pool().clone();
            let a = db::pool::application(&pool, id)
                .await?
                .ok_or(AppError::NotFound)?;
            let is_applicant = me.as_ref().is_some_and(|u| u.id == a.applicant_id);
            let runner = match &me {
                Some(u) => runs(u, a.council).await?,
                None => false,
            };
            if a.status == ApplicationStatus::Submitted && !(is_applicant || runner) {
                return Err(AppError::NotFound);
            }
            let agenda = if runner && a.status == ApplicationStatus::Submitted {
                let items = db::councils::application_items(&pool, a.id).await?;
                let pick = items
                    .iter()
                    .find(|i| i.2 == a.council && decision_basis(i.3).is_ok())
                    .or_else(|| items.iter().find(|i| i.2 == a.council));
                pick.map(|(item, meeting, _, vote)| ApplicationAgenda {
                    item: item.0,
                    meeting: meeting.0,
                    tally: vote.and_then(|v| v.tally).map(|t| (t.yes, t.no, t.abstain)),
                    passed: decision_basis(*vote).is_ok(),
                })
            } else {
                None
            };
            let report_state = ReportState::of(a.app.date, a.report.is_some(), today());
            Ok(ApplicationDetail {
                id: a.id,
                year: a.year,
                // The applicant (often a minor) is named to signed-in people of the
                // municipality only, like a council's members (`names_visible`).
                applicant: if crate::domain::council::names_visible(
                    me.as_ref()
                        .is_some_and(|u| u.status == crate::domain::account::AccountStatus::Active),
                    false,
                ) {
                    a.applicant
                } else {
                    String::new()
                },
                applicant_id: a.applicant_id,
                can_decide: agenda.is_some_and(|g| g.passed),
                agenda,
                runner,
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

/// The Ungeråd's decision on an application, recorded by those who run its meetings
/// (chair, secretary or the coordinator) once the council's vote on the agenda item about
/// the application is closed and passed ([`decision_basis`]). `item_id` names that item
/// (optional: the item with the passed vote is found when it is left out). The tally
/// stored with the decision is the vote's, counted from the ballots — never typed in.
#[server(prefix = "/api", endpoint = "pool/decide")]
pub async fn decide_application(
    application_id: ApplicationId,
    #[server(default)] item_id: String,
    #[server(default)] decision: String,
    #[server(default)] amount: String,
    #[server(default)] explanation: String,
    #[server(default)] conditions: String,
) -> Result<(), AppError> {
    auth::respond(
        async {
            let me = auth::require_active().await?;
            let pool = auth::state()?.db.pool().clone();
            let a = db::pool::application(&pool, application_id)
                .await?
                .ok_or(AppError::NotFound)?;
            if !runs(&me, a.council).await? {
                return Err(AppError::Forbidden);
            }
            if a.status != ApplicationStatus::Submitted {
                return Err(AppError::Conflict(Msg::ApplicationDecided));
            }
            let vote = match item_id.trim() {
                "" => {
                    let items = db::councils::application_items(&pool, a.id).await?;
                    let ours = items.into_iter().filter(|i| i.2 == a.council);
                    let mut votes: Vec<_> = ours.map(|i| i.3).collect();
                    // The passed vote if there is one, else the newest item's (to say why not).
                    match votes.iter().position(|v| decision_basis(*v).is_ok()) {
                        Some(i) => votes.swap_remove(i),
                        None => votes.into_iter().next().flatten(),
                    }
                }
                raw => {
                    let item = raw
                        .parse::<i64>()
                        .map(AgendaItemId)
                        .map_err(|_| AppError::invalid("item_id", Msg::ChooseItem))?;
                    let on_item = db::councils::item_application(&pool, item).await?;
                    let council = db::councils::item_context(&pool, item).await?.map(|c| c.1);
                    if on_item != Some(a.id) || council != Some(a.council) {
                        return Err(AppError::invalid("item_id", Msg::ItemNotAboutApplication));
                    }
                    db::councils::item_vote(&pool, item).await?
                }
            };
            let (vote, tally) = decision_basis(vote)?;
            let d = rules::validate_decision(
                &decision,
                &amount,
                &explanation,
                &conditions,
                a.app.amount,
            )?;
            let frame = Frame::new(me)?;
            let me = &frame.user;
            let mut tx = frame.begin().await?;
            let granted =
                db::pool::decide_tx(&mut tx, a.id, &d, vote, me.id, chrono::Utc::now()).await?;
            tx.audit(
                AuditAction::PoolDecided,
                "pool_application",
                Some(a.id),
                &format!(
                    "bevilget {granted} øre (afstemning {}: for {}, imod {}, undlader {})",
                    vote.0, tally.yes, tally.no, tally.abstain
                ),
            )
            .await?;
            tx.commit().await?;
            tracing::info!(
                application = a.id,
                granted_ore = granted,
                vote = vote.0,
                by = me.id.0,
                "pool application decided"
            );
            leptos_axum::redirect(&format!("/puljen/ansoegning/{}?afgjort=1", a.id));
            Ok(())
        }
        .await,
    )
}

/// The applicant reports back after the activity: what happened and what was spent.
#[server(prefix = "/api", endpoint = "pool/report")]
pub async fn report_back(
    application_id: ApplicationId,
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
                return Err(AppError::Conflict(Msg::NothingToReport));
            }
            if today() <= a.app.date {
                return Err(AppError::Conflict(Msg::ReportAfterActivity));
            }
            let actual = [actual1, actual2, actual3, actual4, actual5, actual6];
            let r = rules::validate_report(&report, &participants, &actual, a.app.lines.len())?;
            let frame = Frame::new(me)?;
            let mut tx = frame.begin().await?;
            let unspent =
                db::pool::file_report_tx(&mut tx, a.id, &r, frame.user.id, chrono::Utc::now())
                    .await?;
            tx.audit(
                AuditAction::PoolReported,
                "pool_application",
                Some(a.id),
                &format!("returneret {unspent} øre"),
            )
            .await?;
            tx.commit().await?;
            tracing::info!(
                application = a.id,
                returned_ore = unspent,
                "pool report filed"
            );
            leptos_axum::redirect(&format!("/puljen/ansoegning/{}?rapporteret=1", a.id));
            Ok(())
        }
        .await,
    )
}
