//! Setting the municipality up (coordinator only): the profile, councils with their age
//! ranges and dated memberships, committees with their politicians, and the checklist of
//! what is still missing. Every endpoint here checks the Sekretariat role itself.
use crate::domain::error::AppError;
use crate::domain::ids::{CommitteeId, CouncilId, ProposalId, SchoolId, UserId};
use crate::domain::setup::{CommitteeAdmin, CouncilAdmin, SchoolAdmin, SetupView};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::domain::message::Msg;

#[cfg(feature = "ssr")]
use crate::{
    api::accounts::current_year,
    domain::account::{self as accounts, CouncilKind, RoleKind, SessionUser},
    domain::audit::AuditAction,
    domain::setup as rules,
    ssr::{
        auth, db,
        frame::{Frame, Tx},
    },
};

#[cfg(feature = "ssr")]
async fn coordinator() -> Result<SessionUser, AppError> {
    auth::require(&[RoleKind::Sekretariat]).await
}

/// Writes the change's audit line in the change's transaction and commits both.
#[cfg(feature = "ssr")]
async fn commit_logged(
    mut tx: Tx,
    me: &SessionUser,
    target: &str,
    id: Option<i64>,
    what: &str,
) -> Result<(), AppError> {
    // A change names the value it set, so a form sent twice writes one line.
    tx.audit_change(AuditAction::SetupChanged, target, id, what)
        .await?;
    tx.commit().await?;
    tracing::info!(
        target_kind = target,
        target_id = id,
        by = me.id.0,
        what,
        "setup changed"
    );
    Ok(())
}

#[cfg(feature = "ssr")]
fn parse_id(raw: &str, field: &str, msg: Msg) -> Result<i64, AppError> {
    raw.trim()
        .parse::<i64>()
        .map_err(|_| AppError::invalid(field, msg))
}

/// The setup checklist with the profile.
#[server(prefix = "/api", endpoint = "admin/setup")]
pub async fn get_setup() -> Result<SetupView, AppError> {
    auth::respond(
        async {
            coordinator().await?;
            let pool = auth::state()?.db.pool().clone();
            let profile = db::settings::profile(&pool).await?;
            let counts =
                db::setup::counts(&pool, current_year(), profile.default_committee).await?;
            Ok(SetupView {
                counts,
                profile,
                committees: db::setup::active_committees(&pool).await?,
            })
        }
        .await,
    )
}

/// Saves the municipality's profile.
#[server(prefix = "/api", endpoint = "admin/profile")]
pub async fn save_profile(
    name: String,
    accessibility_contact: String,
    answer_weeks: String,
    consent_age: String,
    pool_min_age: String,
    #[server(default)] default_committee: String,
) -> Result<(), AppError> {
    auth::respond(
        async {
            let frame = Frame::new(coordinator().await?)?;
            let profile = rules::validate_profile(
                &name,
                &accessibility_contact,
                &answer_weeks,
                &consent_age,
                &pool_min_age,
                &default_committee,
            )?;
            let pool = frame.pool().clone();
            if let Some(c) = profile.default_committee {
                if !db::setup::committee_active(&pool, CommitteeId(c)).await? {
                    return Err(AppError::invalid(
                        "default_committee",
                        Msg::CommitteeMissing,
                    ));
                }
            }
            let mut tx = frame.begin().await?;
            db::settings::save_profile_tx(&mut tx, &profile).await?;
            let what = format!(
                "profil gemt: {} / {} / {} uger / samtykke {} / pulje fra {} / udvalg {}",
                profile.name,
                profile.accessibility_contact,
                profile.answer_weeks,
                profile.consent_age,
                profile.pool_min_age,
                profile
                    .default_committee
                    .map(|c| c.to_string())
                    .unwrap_or_default()
            );
            commit_logged(tx, &frame.user, "profile", None, &what).await?;
            leptos_axum::redirect("/admin/opsaetning?gemt=profil");
            Ok(())
        }
        .await,
    )
}

/// Every council with its members, for the coordinator.
#[server(prefix = "/api", endpoint = "admin/councils")]
pub async fn admin_councils() -> Result<Vec<CouncilAdmin>, AppError> {
    auth::respond(
        async {
            coordinator().await?;
            Ok(db::setup::councils(auth::state()?.db.pool()).await?)
        }
        .await,
    )
}

/// Creates a council: an Ungeråd, an elevråd (with its school), Det Fælles Elevråd, or
/// another youth body with its own name; optionally with an age range for members.
#[server(prefix = "/api", endpoint = "admin/council/create")]
pub async fn create_council(
    kind: String,
    name: String,
    #[server(default)] school_id: String,
    #[server(default)] min_age: String,
    #[server(default)] max_age: String,
) -> Result<(), AppError> {
    auth::respond(
        async {
            let frame = Frame::new(coordinator().await?)?;
            let kind = rules::parse_kind(&kind)?;
            let name = rules::validate_body_name(&name)?;
            let ages = rules::validate_age_range(&min_age, &max_age)?;
            let pool = frame.pool().clone();
            let school = if kind == CouncilKind::Elevraad {
                let id = SchoolId(parse_id(&school_id, "school_id", Msg::ChooseCouncilSchool)?);
                if !db::schools::exists(&pool, id).await? {
                    return Err(AppError::invalid("school_id", Msg::SchoolMissing));
                }
                Some(id)
            } else {
                None
            };
            let mut tx = frame.begin().await?;
            let id = db::setup::create_council_tx(&mut tx, kind, &name, school, ages)
                .await
                .map_err(|e| AppError::from(e).conflict_on("name"))?;
            commit_logged(
                tx,
                &frame.user,
                "council",
                Some(id.0),
                &format!("råd oprettet: {}", kind.as_str()),
            )
            .await?;
            leptos_axum::redirect(&format!("/admin/raad?gemt=raad#raad-{}", id.0));
            Ok(())
        }
        .await,
    )
}

/// Renames a council and sets its age range.
#[server(prefix = "/api", endpoint = "admin/council/update")]
pub async fn update_council(
    council_id: CouncilId,
    name: String,
    #[server(default)] min_age: String,
    #[server(default)] max_age: String,
) -> Result<(), AppError> {
    auth::respond(
        async {
            let frame = Frame::new(coordinator().await?)?;
            let name = rules::validate_body_name(&name)?;
            let ages = rules::validate_age_range(&min_age, &max_age)?;
            let pool = frame.pool().clone();
            let council = council_id;
            match db::setup::council_archived(&pool, council).await? {
                None => return Err(AppError::NotFound),
                Some(true) => return Err(AppError::Conflict(Msg::CouncilArchivedLocked)),
                Some(false) => {}
            }
            let mut tx = frame.begin().await?;
            if !db::setup::update_council_tx(&mut tx, council, &name, ages)
                .await
                .map_err(|e| AppError::from(e).conflict_on("name"))?
            {
                return Err(AppError::Conflict(Msg::CouncilChangedJustNow));
            }
            let what = format!(
                "råd omdøbt/aldersgrænse: {name} ({}–{})",
                ages.0.map(|a| a.to_string()).unwrap_or_default(),
                ages.1.map(|a| a.to_string()).unwrap_or_default()
            );
            commit_logged(tx, &frame.user, "council", Some(council.0), &what).await?;
            leptos_axum::redirect(&format!("/admin/raad?gemt=raad#raad-{}", council.0));
            Ok(())
        }
        .await,
    )
}

/// Archives a council (never deleted: its meetings, votes and decisions stay public).
#[server(prefix = "/api", endpoint = "admin/council/archive")]
pub async fn archive_council(council_id: CouncilId) -> Result<(), AppError> {
    auth::respond(
        async {
            let frame = Frame::new(coordinator().await?)?;
            let pool = frame.pool().clone();
            let council = council_id;
            match db::setup::council_archived(&pool, council).await? {
                None => return Err(AppError::NotFound),
                Some(true) => return Err(AppError::Conflict(Msg::CouncilArchived)),
                Some(false) => {}
            }
            let mut tx = frame.begin().await?;
            if !db::setup::archive_council_tx(&mut tx, council).await? {
                return Err(AppError::Conflict(Msg::CouncilArchived));
            }
            commit_logged(tx, &frame.user, "council", Some(council.0), "råd arkiveret").await?;
            leptos_axum::redirect("/admin/raad?gemt=arkiveret");
            Ok(())
        }
        .await,
    )
}

/// Sets whether the council shows its members' first names, and who voted what, to the
/// public as well (for adult bodies); by default only signed-in people of the municipality
/// see them (`domain::council::names_visible`). The coordinator only.
#[server(prefix = "/api", endpoint = "admin/council/names")]
pub async fn set_council_names_public(
    council_id: CouncilId,
    names_public: Option<String>,
) -> Result<(), AppError> {
    auth::respond(
        async {
            let frame = Frame::new(coordinator().await?)?;
            let public = names_public.is_some_and(|s| !s.is_empty());
            let council = council_id;
            let mut tx = frame.begin().await?;
            if !db::councils::set_names_public_tx(&mut tx, council, public).await? {
                return Err(AppError::NotFound);
            }
            let what = if public {
                "medlemmernes navne vises offentligt"
            } else {
                "medlemmernes navne vises kun for dem, der er logget ind"
            };
            commit_logged(tx, &frame.user, "council", Some(council.0), what).await?;
            leptos_axum::redirect(&format!("/admin/raad?gemt=navne#raad-{}", council.0));
            Ok(())
        }
        .await,
    )
}

/// Appoints a person (found by e-mail) to a council for a dated term, optionally as its
/// chair or secretary. The council's age range is checked against the person's age this
/// year; an elevråd's members are pupils of its school.
#[server(prefix = "/api", endpoint = "admin/council/appoint")]
pub async fn appoint_member(
    council_id: CouncilId,
    email: String,
    starts_on: String,
    ends_on: String,
    #[server(default)] post: String,
) -> Result<(), AppError> {
    auth::respond(
        async {
            let frame = Frame::new(coordinator().await?)?;
            let post = match post.trim() {
                "" => None,
                "chair" => Some("chair"),
                "secretary" => Some("secretary"),
                _ => return Err(AppError::invalid("post", Msg::ChoosePost)),
            };
            let email = accounts::validate_email(&email)
                .map_err(|_| AppError::invalid("email", Msg::WritePersonEmail))?;
            let term = rules::validate_term(&starts_on, &ends_on)?;
            let pool = frame.pool().clone();
            let council = db::setup::council(&pool, council_id)
                .await?
                .ok_or(AppError::NotFound)?;
            if council.archived {
                return Err(AppError::Conflict(Msg::CouncilArchivedNoAppointments));
            }
            let person = db::setup::person_by_email(&pool, &email)
                .await?
                .ok_or_else(|| AppError::invalid("email", Msg::NoAccountForPerson))?;
            let age = person
                .birth_year
                .map(|y| accounts::age_in(current_year(), y))
                .unwrap_or(0);
            rules::check_member_age(&council.name, council.min_age, council.max_age, age)?;
            if council.kind == CouncilKind::Elevraad && person.school_id != council.school_id {
                return Err(AppError::invalid("email", Msg::NotPupilAtSchool));
            }
            let role = if council.kind.open_to_all_youth() {
                RoleKind::Ungeraadsmedlem
            } else {
                RoleKind::Elevraadsmedlem
            };
            let mut tx = frame.begin().await?;
            db::setup::appoint_tx(&mut tx, person.id, role, council.id, term, frame.user.id)
                .await?;
            if let Some(post) = post {
                db::councils::set_officer_tx(&mut tx, council.id, person.id, post).await?;
            }
            commit_logged(
                tx,
                &frame.user,
                "council",
                Some(council.id.0),
                &format!(
                    "bruger {} udnævnt {}–{}{}",
                    person.id.0,
                    term.0,
                    term.1,
                    post.map(|p| format!(" ({p})")).unwrap_or_default()
                ),
            )
            .await?;
            leptos_axum::redirect(&format!("/admin/raad?gemt=medlem#raad-{}", council.id.0));
            Ok(())
        }
        .await,
    )
}

/// Ends a member's term now: the last day was yesterday, so the person no longer votes.
#[server(prefix = "/api", endpoint = "admin/council/end")]
pub async fn end_membership(council_id: CouncilId, user_id: UserId) -> Result<(), AppError> {
    auth::respond(
        async {
            let frame = Frame::new(coordinator().await?)?;
            let council = council_id;
            let mut tx = frame.begin().await?;
            if !db::setup::end_membership_tx(&mut tx, user_id, council).await? {
                return Err(AppError::Conflict(Msg::NoActiveTerm));
            }
            commit_logged(
                tx,
                &frame.user,
                "council",
                Some(council.0),
                &format!("bruger {user_id}: periode afsluttet"),
            )
            .await?;
            leptos_axum::redirect(&format!("/admin/raad?gemt=medlem#raad-{}", council.0));
            Ok(())
        }
        .await,
    )
}

/// Every committee with its politicians.
#[server(prefix = "/api", endpoint = "admin/committees")]
pub async fn admin_committees() -> Result<Vec<CommitteeAdmin>, AppError> {
    auth::respond(
        async {
            coordinator().await?;
            let pool = auth::state()?.db.pool().clone();
            let default = db::settings::profile(&pool).await?.default_committee;
            Ok(db::setup::committees(&pool, default).await?)
        }
        .await,
    )
}

/// Creates a committee (udvalg). The first committee becomes the default one.
#[server(prefix = "/api", endpoint = "admin/committee/create")]
pub async fn create_committee(name: String) -> Result<(), AppError> {
    auth::respond(
        async {
            let frame = Frame::new(coordinator().await?)?;
            let name = rules::validate_body_name(&name)?;
            let mut profile = db::settings::profile(frame.pool()).await?;
            let mut tx = frame.begin().await?;
            let id = db::setup::create_committee_tx(&mut tx, &name)
                .await
                .map_err(|e| AppError::from(e).conflict_on("name"))?;
            if profile.default_committee.is_none() {
                profile.default_committee = Some(id);
                db::settings::save_profile_tx(&mut tx, &profile).await?;
            }
            commit_logged(tx, &frame.user, "committee", Some(id), "udvalg oprettet").await?;
            leptos_axum::redirect(&format!("/admin/udvalg?gemt=udvalg#udvalg-{id}"));
            Ok(())
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "admin/committee/rename")]
pub async fn rename_committee(committee_id: CommitteeId, name: String) -> Result<(), AppError> {
    auth::respond(
        async {
            let frame = Frame::new(coordinator().await?)?;
            let name = rules::validate_body_name(&name)?;
            let mut tx = frame.begin().await?;
            if !db::setup::rename_committee_tx(&mut tx, committee_id, &name)
                .await
                .map_err(|e| AppError::from(e).conflict_on("name"))?
            {
                return Err(AppError::NotFound);
            }
            commit_logged(
                tx,
                &frame.user,
                "committee",
                Some(committee_id.0),
                &format!("udvalg omdøbt til {name}"),
            )
            .await?;
            leptos_axum::redirect(&format!("/admin/udvalg?gemt=udvalg#udvalg-{committee_id}"));
            Ok(())
        }
        .await,
    )
}

/// Archives a committee. Proposals already forwarded to it keep it on their timeline.
#[server(prefix = "/api", endpoint = "admin/committee/archive")]
pub async fn archive_committee(committee_id: CommitteeId) -> Result<(), AppError> {
    auth::respond(
        async {
            let frame = Frame::new(coordinator().await?)?;
            let mut tx = frame.begin().await?;
            if !db::setup::archive_committee_tx(&mut tx, committee_id).await? {
                return Err(AppError::NotFound);
            }
            commit_logged(
                tx,
                &frame.user,
                "committee",
                Some(committee_id.0),
                "udvalg arkiveret",
            )
            .await?;
            leptos_axum::redirect("/admin/udvalg?gemt=arkiveret");
            Ok(())
        }
        .await,
    )
}

/// Seats a politician (found by e-mail, an adult) on a committee from a date.
#[server(prefix = "/api", endpoint = "admin/committee/seat")]
pub async fn seat_politician(
    committee_id: CommitteeId,
    email: String,
    starts_on: String,
) -> Result<(), AppError> {
    auth::respond(
        async {
            let frame = Frame::new(coordinator().await?)?;
            let email = accounts::validate_email(&email)
                .map_err(|_| AppError::invalid("email", Msg::WritePoliticianEmail))?;
            let from = rules::parse_date(&starts_on, "starts_on")?;
            let pool = frame.pool().clone();
            if !db::setup::committee_active(&pool, committee_id).await? {
                return Err(AppError::NotFound);
            }
            let person = db::setup::person_by_email(&pool, &email)
                .await?
                .ok_or_else(|| AppError::invalid("email", Msg::NoAccountForPolitician))?;
            if person
                .birth_year
                .is_some_and(|y| accounts::age_in(current_year(), y) < 18)
            {
                return Err(AppError::invalid("email", Msg::PoliticianAdult));
            }
            let mut tx = frame.begin().await?;
            db::setup::seat_politician_tx(&mut tx, committee_id, person.id, from, frame.user.id)
                .await?;
            commit_logged(
                tx,
                &frame.user,
                "committee",
                Some(committee_id.0),
                &format!("bruger {} indsat fra {from}", person.id.0),
            )
            .await?;
            leptos_axum::redirect(&format!(
                "/admin/udvalg?gemt=politiker#udvalg-{committee_id}"
            ));
            Ok(())
        }
        .await,
    )
}

/// Ends a politician's seat; `ends_on` is the last day (today when empty).
#[server(prefix = "/api", endpoint = "admin/committee/unseat")]
pub async fn unseat_politician(
    committee_id: CommitteeId,
    user_id: UserId,
    #[server(default)] ends_on: String,
) -> Result<(), AppError> {
    auth::respond(
        async {
            let frame = Frame::new(coordinator().await?)?;
            let until = if ends_on.trim().is_empty() {
                rules::copenhagen_date(chrono::Utc::now())
            } else {
                rules::parse_date(&ends_on, "ends_on")?
            };
            let mut tx = frame.begin().await?;
            if !db::setup::unseat_politician_tx(&mut tx, committee_id, user_id, until).await? {
                return Err(AppError::Conflict(Msg::NotOnCommittee));
            }
            commit_logged(
                tx,
                &frame.user,
                "committee",
                Some(committee_id.0),
                &format!("bruger {user_id} udtrådt {until}"),
            )
            .await?;
            leptos_axum::redirect(&format!(
                "/admin/udvalg?gemt=politiker#udvalg-{committee_id}"
            ));
            Ok(())
        }
        .await,
    )
}

/// Every school, archived ones last.
#[server(prefix = "/api", endpoint = "admin/schools")]
pub async fn admin_schools() -> Result<Vec<SchoolAdmin>, AppError> {
    auth::respond(
        async {
            coordinator().await?;
            Ok(db::setup::schools(auth::state()?.db.pool()).await?)
        }
        .await,
    )
}

/// Renames a school (and its elevråd, if it still has its first name).
#[server(prefix = "/api", endpoint = "admin/school/rename")]
pub async fn rename_school(school_id: SchoolId, name: String) -> Result<(), AppError> {
    auth::respond(
        async {
            let frame = Frame::new(coordinator().await?)?;
            let name = accounts::clean_text(&name);
            let n = name.chars().count();
            if !(2..=100).contains(&n) || name.contains(['<', '>']) {
                return Err(AppError::invalid("name", Msg::SchoolName));
            }
            let mut tx = frame.begin().await?;
            if !db::setup::rename_school_tx(&mut tx, school_id, &name)
                .await
                .map_err(|e| AppError::from(e).conflict_on("name"))?
            {
                return Err(AppError::NotFound);
            }
            commit_logged(
                tx,
                &frame.user,
                "school",
                Some(school_id.0),
                &format!("skole omdøbt til {name}"),
            )
            .await?;
            leptos_axum::redirect("/admin/skoler?gemt=skole");
            Ok(())
        }
        .await,
    )
}

/// Sets a school's institution number (UNI-Login), or clears it when empty.
#[server(prefix = "/api", endpoint = "admin/school/institution")]
pub async fn set_school_institution(
    school_id: SchoolId,
    institution_number: String,
) -> Result<(), AppError> {
    auth::respond(
        async {
            let frame = Frame::new(coordinator().await?)?;
            let number = crate::domain::setup::parse_institution_number(&institution_number)?;
            let mut tx = frame.begin().await?;
            let changed = db::setup::set_institution_tx(&mut tx, school_id, number.as_deref())
                .await
                .map_err(|e| AppError::from(e).conflict_on("institution_number"))?
                .ok_or(AppError::NotFound)?;
            if changed {
                commit_logged(
                    tx,
                    &frame.user,
                    "school",
                    Some(school_id.0),
                    &format!(
                        "institutionsnummer sat til {}",
                        number.as_deref().unwrap_or("(intet)")
                    ),
                )
                .await?;
            }
            leptos_axum::redirect("/admin/skoler?gemt=skole");
            Ok(())
        }
        .await,
    )
}

/// Archives a school and its elevråd.
#[server(prefix = "/api", endpoint = "admin/school/archive")]
pub async fn archive_school(school_id: SchoolId) -> Result<(), AppError> {
    auth::respond(
        async {
            let frame = Frame::new(coordinator().await?)?;
            let mut tx = frame.begin().await?;
            if !db::setup::archive_school_tx(&mut tx, school_id).await? {
                return Err(AppError::NotFound);
            }
            commit_logged(
                tx,
                &frame.user,
                "school",
                Some(school_id.0),
                "skole arkiveret",
            )
            .await?;
            leptos_axum::redirect("/admin/skoler?gemt=arkiveret");
            Ok(())
        }
        .await,
    )
}

/// Creates an account for an adult (a politician or staff member), who does not sign up
/// as a young person: active at once, no youth role. Roles come from seating them on a
/// committee or from `/admin/brugere`. The coordinator passes the first password on.
#[server(prefix = "/api", endpoint = "admin/adult")]
pub async fn create_adult(
    first_name: String,
    birth_year: String,
    email: String,
    password: String,
) -> Result<(), AppError> {
    auth::respond(
        async {
            let frame = Frame::new(coordinator().await?)?;
            let first_name = accounts::validate_first_name(&first_name)?;
            let birth_year = accounts::parse_birth_year(&birth_year)?;
            if accounts::age_in(current_year(), birth_year) < 18 {
                return Err(AppError::invalid("birth_year", Msg::AdultAccount));
            }
            let email = accounts::validate_email(&email)?;
            accounts::validate_new_password("password", &password)?;
            let hash = crate::ssr::password::hash_new(password).await?;
            let mut tx = frame.begin().await?;
            let id = db::users::create_tx(
                &mut tx,
                db::users::NewUser {
                    first_name: &first_name,
                    email: &email,
                    birth_year,
                    password_hash: &hash,
                    status: accounts::AccountStatus::Active,
                    school_id: None,
                    youth: false,
                },
            )
            .await
            .map_err(|e| AppError::from(e).conflict_on("email"))?;
            // They confirm the address the coordinator typed (verification mail).
            db::mail::queue_verification_tx(&mut tx, id, chrono::Utc::now()).await?;
            commit_logged(tx, &frame.user, "user", Some(id.0), "voksenkonto oprettet").await?;
            leptos_axum::redirect("/admin/udvalg?gemt=konto");
            Ok(())
        }
        .await,
    )
}

/// Sets or extends one forwarded proposal's answer deadline, with a reason everyone reads on
/// the proposal's timeline.
#[server(prefix = "/api", endpoint = "admin/proposal/deadline")]
pub async fn change_deadline(
    proposal_id: ProposalId,
    deadline: String,
    reason: String,
) -> Result<(), AppError> {
    auth::respond(
        async {
            let frame = Frame::new(coordinator().await?)?;
            let at = rules::validate_new_deadline(&deadline, chrono::Utc::now())?;
            let reason = rules::validate_deadline_reason(&reason)?;
            let id = proposal_id;
            let mut tx = frame.begin().await?;
            if !db::setup::change_deadline_tx(&mut tx, id, at, &reason, frame.user.id).await? {
                return Err(AppError::Conflict(Msg::DeadlineUnchangeable));
            }
            commit_logged(
                tx,
                &frame.user,
                "proposal",
                Some(proposal_id.0),
                &format!("svarfrist sat til {deadline}"),
            )
            .await?;
            leptos_axum::redirect(&format!("/forslag/{proposal_id}?frist=1"));
            Ok(())
        }
        .await,
    )
}
