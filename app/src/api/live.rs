//! Live sessions (issue #23): Bytinget and class sessions. Opening and running a session is
//! for its host (the coordinator may take over); taking part needs only the code — a
//! participant is a random token in a cookie (kept hashed), with or without an account.
//! Every function checks its caller and input itself (the rules are `domain::live`), and
//! tells the session's live stream after each change.
use crate::domain::error::AppError;
use crate::domain::ids::{LiveItemId, LiveVoteId};
use crate::domain::live::LivePage;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::{
    domain::account::SessionUser,
    domain::ids::LiveSessionId,
    domain::live::{self as rules, LiveKind},
    domain::message::Msg,
    ssr::{
        auth::{self, RateTicket},
        db::{self, live},
        oidc_flow,
        once::{self, Outcome},
        state::AppState,
    },
};

/// The participant cookie: a random token for one session.
pub const COOKIE: &str = "stemme_live";

/// What joining gives back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveJoined {
    /// "Deltager {number}".
    pub number: i64,
}

/// The session with `code` (as typed), or a field error on `field`.
#[cfg(feature = "ssr")]
pub(crate) async fn session_by_code(
    state: &AppState,
    code: &str,
    field: &str,
) -> Result<live::SessionRow, AppError> {
    let code = rules::normalize_code(code)
        .ok_or_else(|| AppError::invalid(field, Msg::LiveCodeUnknown))?;
    live::by_code(state.db.pool(), &code)
        .await?
        .ok_or_else(|| AppError::invalid(field, Msg::LiveCodeUnknown))
}

/// The session's host (or the coordinator), with an open session.
#[cfg(feature = "ssr")]
pub(crate) async fn require_runner(
    state: &AppState,
    code: &str,
) -> Result<(SessionUser, live::SessionRow), AppError> {
    let me = auth::require_active().await?;
    let session = session_by_code(state, code, "code").await?;
    if !rules::may_run(&me, session.host) {
        return Err(AppError::Forbidden);
    }
    Ok((me, session))
}

/// The token in the request's participant cookie, if it is one of ours.
#[cfg(feature = "ssr")]
async fn cookie_token() -> Option<String> {
    let headers = leptos_axum::extract::<http::HeaderMap>().await.ok()?;
    let header = headers.get(http::header::COOKIE)?.to_str().ok()?;
    oidc_flow::usable_cookie(oidc_flow::cookie_value(Some(header), COOKIE)).map(str::to_owned)
}

/// The caller as a participant of `session`: by their cookie, or by their account.
#[cfg(feature = "ssr")]
pub(crate) async fn participant_in(
    state: &AppState,
    session: LiveSessionId,
    me: Option<&SessionUser>,
) -> Result<Option<live::Participant>, AppError> {
    let pool = state.db.pool();
    if let Some(token) = cookie_token().await {
        if let Some(p) = live::by_token(pool, &oidc_flow::sha256_hex(&token)).await? {
            if p.session == session {
                return Ok(Some(p));
            }
        }
    }
    if let Some(me) = me {
        return Ok(live::by_user(pool, session, me.id).await?);
    }
    Ok(None)
}

/// The caller as a participant of `session`, or 403.
#[cfg(feature = "ssr")]
pub(crate) async fn require_participant(
    state: &AppState,
    session: LiveSessionId,
) -> Result<live::Participant, AppError> {
    let me = auth::current_user().await?;
    participant_in(state, session, me.as_ref())
        .await?
        .ok_or(AppError::Forbidden)
}

/// Tells the session's stream that something changed.
#[cfg(feature = "ssr")]
pub(crate) fn changed(state: &AppState, session: LiveSessionId) {
    state.live.changed(session);
}

/// Opens a session: Bytinget (coordinator, council chairs and secretaries) or a class
/// session (a teacher, at their school). Returns the join code.
#[server(prefix = "/api", endpoint = "live/open")]
pub async fn open_live(
    kind: String,
    title: String,
    #[server(default)] class_name: String,
    #[server(default)] form_token: String,
) -> Result<String, AppError> {
    auth::respond(
        async {
            let me = auth::require_active().await?;
            let kind = LiveKind::parse(&kind)
                .ok_or_else(|| AppError::invalid("kind", Msg::LiveChooseKind))?;
            let state = auth::state()?;
            let pool = state.db.pool();
            let runs = kind == LiveKind::Bytinget && live::runs_a_council(pool, me.id).await?;
            if !rules::may_host(&me, kind, runs) {
                return Err(AppError::Forbidden);
            }
            let title = rules::validate_title(&title)?;
            let class_name = match kind {
                LiveKind::Klasse => Some(rules::validate_class_name(&class_name)?),
                LiveKind::Bytinget => None,
            };
            let o = once::check(pool, &form_token, me.id, "live").await?;
            let done = |code: String| {
                leptos_axum::redirect(&format!("/live/{code}"));
                Ok(code)
            };
            if let Some(prev) = once::previous(pool, &o).await? {
                return done(prev);
            }
            let now = chrono::Utc::now();
            let made = live::create_session(
                pool,
                &live::NewSession {
                    kind,
                    title: &title,
                    host: me.id,
                    school: if kind == LiveKind::Klasse {
                        me.school_id
                    } else {
                        None
                    },
                    class_name: class_name.as_deref(),
                    opened_at: now.timestamp_micros(),
                    expires_at: rules::expires_at(now).timestamp_micros(),
                },
                Some(&o),
            )
            .await
            .map(|(_, code)| code);
            match once::settle(pool, &o, RateTicket::default(), made).await? {
                Outcome::Created(code) => {
                    tracing::info!(kind = kind.as_str(), by = me.id.0, "live session opened");
                    done(code)
                }
                Outcome::Replayed(prev) => done(prev),
            }
        }
        .await,
    )
}

/// Joins a session with its code. No account needed: the participant is a random token in
/// a cookie, for this session only. Joining again (same cookie, or same account) gives the
/// same participant; a closed or expired session refuses.
#[server(prefix = "/api", endpoint = "live/join")]
pub async fn join_live(
    code: String,
    #[server(default)] key: String,
) -> Result<LiveJoined, AppError> {
    auth::respond(
        async {
            let state = auth::state()?;
            let pool = state.db.pool();
            let session = session_by_code(&state, &code, "code").await?;
            let now = chrono::Utc::now();
            if !session.info.open(now) {
                return Err(AppError::invalid("code", Msg::LiveSessionClosed));
            }
            let me = auth::current_user().await?;
            let done = |joined: LiveJoined| {
                leptos_axum::redirect(&format!("/live/{}", session.info.code));
                Ok(joined)
            };
            if let Some(p) = participant_in(&state, session.info.id, me.as_ref()).await? {
                return done(LiveJoined { number: p.number });
            }
            // The join form carries a random key made when its page was rendered: it becomes
            // the participant's token, so a double tap (or a retry before the cookie came
            // back) joins once. Without one (an API client) the server draws the token.
            let key = oidc_flow::usable_cookie(Some(key.trim())).map(str::to_owned);
            if me.is_none() {
                if let Some(key) = &key {
                    if let Some(p) = live::by_token(pool, &oidc_flow::sha256_hex(key)).await? {
                        if p.session != session.info.id {
                            return Err(AppError::Forbidden);
                        }
                        set_cookie(&state, key, session.info.expires_at - now);
                        return done(LiveJoined { number: p.number });
                    }
                }
            }
            let token = match key {
                Some(k) if me.is_none() => k,
                _ => oidc_flow::random_hex(),
            };
            let joined = live::join(
                pool,
                session.info.id,
                &oidc_flow::sha256_hex(&token),
                me.as_ref().map(|u| u.id),
            )
            .await;
            let p = match joined {
                Ok(p) => p,
                // The same key at the same moment: the other request made the participant.
                Err(db::DbError::Sqlx(e)) if db::is_unique_violation(&e) => {
                    match live::by_token(pool, &oidc_flow::sha256_hex(&token)).await? {
                        Some(p) if p.session == session.info.id => p,
                        _ => match me.as_ref() {
                            Some(u) => live::by_user(pool, session.info.id, u.id)
                                .await?
                                .ok_or(AppError::Internal)?,
                            None => return Err(AppError::Internal),
                        },
                    }
                }
                Err(db::DbError::Conflict(msg)) => return Err(AppError::invalid("code", msg)),
                Err(other) => return Err(other.into()),
            };
            set_cookie(&state, &token, session.info.expires_at - now);
            changed(&state, session.info.id);
            tracing::info!(session = session.info.id.0, "live participant joined");
            done(LiveJoined { number: p.number })
        }
        .await,
    )
}

/// Sets the participant cookie (for as long as the session takes joins).
#[cfg(feature = "ssr")]
fn set_cookie(state: &AppState, token: &str, left: chrono::Duration) {
    let secure = if state.cookie_secure { "; Secure" } else { "" };
    let max_age = left.num_seconds().max(60);
    if let (Some(options), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(&format!(
            "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"
        )),
    ) {
        options.append_header(http::header::SET_COOKIE, value);
    }
}

/// A fresh join key for a join form (see [`join_live`]).
#[cfg(feature = "ssr")]
fn join_key() -> String {
    oidc_flow::random_hex()
}

/// A session's page: what everyone sees, what the caller did (if they joined) and, for who
/// runs it, the host's tools. Readable by anyone with the code.
#[server(prefix = "/api", endpoint = "live/get")]
pub async fn get_live(code: String) -> Result<LivePage, AppError> {
    auth::respond(
        async {
            let state = auth::state()?;
            let pool = state.db.pool();
            let code = rules::normalize_code(&code).ok_or(AppError::NotFound)?;
            let session = live::by_code(pool, &code)
                .await?
                .ok_or(AppError::NotFound)?;
            let live_state = live::state(pool, session.info.id)
                .await?
                .ok_or(AppError::NotFound)?;
            let me = auth::current_user().await?;
            let participant = participant_in(&state, session.info.id, me.as_ref()).await?;
            let mine = match &participant {
                Some(p) => Some(live::me(pool, p).await?),
                None => None,
            };
            let host = match &me {
                Some(me) if rules::may_run(me, session.host) => {
                    let join_url = format!(
                        "{}/live/{}",
                        state.public_url.trim_end_matches('/'),
                        session.info.code
                    );
                    let elevraad = match session.school {
                        Some(school) => live::school_elevraad(pool, school)
                            .await?
                            .map(|(_, name)| name),
                        None => None,
                    };
                    Some(crate::domain::live::HostView {
                        qr_svg: crate::ssr::live_qr::svg(&join_url),
                        join_url,
                        pending: live::pending_ideas(pool, session.info.id).await?,
                        elevraad,
                    })
                }
                _ => None,
            };
            let join_key = mine.is_none().then(join_key);
            Ok(LivePage {
                session: session.info,
                state: live_state,
                me: mine,
                host,
                join_key,
            })
        }
        .await,
    )
}

/// The sessions the caller opened (newest first), for the start page.
#[server(prefix = "/api", endpoint = "live/mine")]
pub async fn my_live_sessions() -> Result<Vec<crate::domain::live::LiveSessionInfo>, AppError> {
    auth::respond(
        async {
            let me = auth::require_user().await?;
            let state = auth::state()?;
            Ok(live::hosted_by(state.db.pool(), me.id).await?)
        }
        .await,
    )
}

/// What the start page offers the caller: which kinds they may open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct HostKinds {
    pub bytinget: bool,
    pub klasse: bool,
    /// A fresh key for the join form on the start page (see [`join_live`]).
    pub join_key: String,
}

#[server(prefix = "/api", endpoint = "live/kinds")]
pub async fn live_host_kinds() -> Result<HostKinds, AppError> {
    auth::respond(
        async {
            let Some(me) = auth::current_user().await? else {
                return Ok(HostKinds {
                    join_key: join_key(),
                    ..HostKinds::default()
                });
            };
            let state = auth::state()?;
            let runs = live::runs_a_council(state.db.pool(), me.id).await?;
            Ok(HostKinds {
                bytinget: rules::may_host(&me, LiveKind::Bytinget, runs),
                klasse: rules::may_host(&me, LiveKind::Klasse, false),
                join_key: join_key(),
            })
        }
        .await,
    )
}

/// Adds an item to the agenda: a free title, or a public proposal by its number (its title
/// is used when no title is given).
#[server(prefix = "/api", endpoint = "live/item/add")]
pub async fn add_live_item(
    code: String,
    #[server(default)] title: String,
    #[server(default)] proposal: String,
    #[server(default)] form_token: String,
) -> Result<LiveItemId, AppError> {
    auth::respond(
        async {
            let state = auth::state()?;
            let pool = state.db.pool();
            let (me, session) = require_runner(&state, &code).await?;
            rules::require_open(
                session.info.closed_at,
                session.info.expires_at,
                chrono::Utc::now(),
            )?;
            let proposal = match proposal.trim().trim_start_matches('#') {
                "" => None,
                n => Some(crate::domain::ids::ProposalId(n.parse().map_err(|_| {
                    AppError::invalid("proposal", Msg::LiveUnknownProposal)
                })?)),
            };
            let title = match (title.trim(), proposal) {
                ("", Some(p)) => live::public_proposal_title(pool, p)
                    .await?
                    .ok_or_else(|| AppError::invalid("proposal", Msg::LiveUnknownProposal))?,
                (t, _) => t.to_owned(),
            };
            if let Some(p) = proposal {
                live::public_proposal_title(pool, p)
                    .await?
                    .ok_or_else(|| AppError::invalid("proposal", Msg::LiveUnknownProposal))?;
            }
            let title = rules::validate_item_title(&title)?;
            let o = once::check(pool, &form_token, me.id, "live_item").await?;
            if let Some(prev) = once::previous(pool, &o).await? {
                return Ok(LiveItemId(prev.parse().map_err(|_| AppError::Internal)?));
            }
            let made = live::add_item(pool, session.info.id, &title, proposal, Some(&o)).await;
            let id = match once::settle(pool, &o, RateTicket::default(), made).await? {
                Outcome::Created(id) => id,
                Outcome::Replayed(prev) => {
                    LiveItemId(prev.parse().map_err(|_| AppError::Internal)?)
                }
            };
            changed(&state, session.info.id);
            Ok(id)
        }
        .await,
    )
}

/// Opens a live vote: a question, options (one per line; none = For/Imod/Undlader), a timer
/// in seconds (0 = none) and optionally the agenda item it is about. One open vote per
/// session: a second press is refused and opens nothing.
#[server(prefix = "/api", endpoint = "live/vote/open")]
pub async fn open_live_vote(
    code: String,
    question: String,
    #[server(default)] options: String,
    #[server(default)] seconds: String,
    #[server(default)] item_id: String,
) -> Result<LiveVoteId, AppError> {
    auth::respond(
        async {
            let state = auth::state()?;
            let pool = state.db.pool();
            let (me, session) = require_runner(&state, &code).await?;
            rules::require_open(
                session.info.closed_at,
                session.info.expires_at,
                chrono::Utc::now(),
            )?;
            let question = rules::validate_question(&question)?;
            let options = rules::parse_options(&options)?;
            let seconds = match seconds.trim() {
                "" => 0,
                s => s
                    .parse()
                    .map_err(|_| AppError::invalid("seconds", Msg::LiveTimer))?,
            };
            let seconds = rules::validate_timer(seconds)?;
            let item = match item_id.trim() {
                "" | "0" => None,
                s => {
                    let id = LiveItemId(
                        s.parse()
                            .map_err(|_| AppError::invalid("item_id", Msg::NotFound))?,
                    );
                    match live::item(pool, id).await? {
                        Some((s, _)) if s == session.info.id => Some(id),
                        _ => return Err(AppError::invalid("item_id", Msg::NotFound)),
                    }
                }
            };
            let vote = live::open_vote(pool, session.info.id, item, &question, &options, seconds)
                .await
                .map_err(|e| match e {
                    db::DbError::Conflict(msg) => AppError::Conflict(msg),
                    other => other.into(),
                })?;
            changed(&state, session.info.id);
            tracing::info!(
                vote = vote.0,
                session = session.info.id.0,
                by = me.id.0,
                "live vote opened"
            );
            Ok(vote)
        }
        .await,
    )
}

/// Casts the caller's ballot (a participant of the vote's session): true when counted,
/// false when they had already voted (nothing changes). Never logs the choice.
#[server(prefix = "/api", endpoint = "live/ballot")]
pub async fn cast_live_ballot(vote_id: LiveVoteId, option: i64) -> Result<bool, AppError> {
    auth::respond(
        async {
            let state = auth::state()?;
            let pool = state.db.pool();
            let ctx = live::vote_ctx(pool, vote_id)
                .await?
                .ok_or(AppError::NotFound)?;
            let p = require_participant(&state, ctx.session).await?;
            let now = chrono::Utc::now();
            let closes = ctx.closes_at.map(db::time::to_datetime);
            if !rules::vote_open(ctx.closed_at.map(db::time::to_datetime), closes, now) {
                return Err(AppError::Conflict(Msg::VoteClosed));
            }
            let option = rules::validate_option(option, ctx.options as usize)?;
            let counted = live::ballot(pool, vote_id, ctx.session, p.id, option).await?;
            if counted {
                changed(&state, ctx.session);
            }
            Ok(counted)
        }
        .await,
    )
}

/// Closes a live vote (the host). Its result goes to the record: a vote on a proposal's
/// item shows on the proposal's timeline.
#[server(prefix = "/api", endpoint = "live/vote/close")]
pub async fn close_live_vote(vote_id: LiveVoteId) -> Result<bool, AppError> {
    auth::respond(
        async {
            let state = auth::state()?;
            let pool = state.db.pool();
            let ctx = live::vote_ctx(pool, vote_id)
                .await?
                .ok_or(AppError::NotFound)?;
            let me = auth::require_active().await?;
            let session = live::by_id(pool, ctx.session)
                .await?
                .ok_or(AppError::NotFound)?;
            if !rules::may_run(&me, session.host) {
                return Err(AppError::Forbidden);
            }
            let closed = live::close_vote(pool, vote_id).await?;
            if closed {
                changed(&state, ctx.session);
                tracing::info!(vote = vote_id.0, by = me.id.0, "live vote closed");
            }
            Ok(closed)
        }
        .await,
    )
}

/// A participant asks for the floor (`action` = "request") or withdraws ("withdraw").
#[server(prefix = "/api", endpoint = "live/floor")]
pub async fn live_floor(code: String, action: String) -> Result<bool, AppError> {
    auth::respond(
        async {
            let state = auth::state()?;
            let pool = state.db.pool();
            let session = session_by_code(&state, &code, "code").await?;
            let p = require_participant(&state, session.info.id).await?;
            rules::require_open(
                session.info.closed_at,
                session.info.expires_at,
                chrono::Utc::now(),
            )?;
            let done = match action.as_str() {
                "request" => {
                    let live_state = live::state(pool, session.info.id)
                        .await?
                        .unwrap_or_default();
                    if !live_state.speakers_open {
                        return Err(AppError::Conflict(Msg::LiveSpeakersClosed));
                    }
                    live::request_floor(pool, session.info.id, p.id).await?
                }
                "withdraw" => live::withdraw(pool, session.info.id, Some(p.id), None).await?,
                _ => return Err(AppError::invalid("action", Msg::NotFound)),
            };
            if done {
                changed(&state, session.info.id);
            }
            Ok(done)
        }
        .await,
    )
}

/// The host runs the speakers' list: "next" (the one speaking, `current`, as the page saw
/// it, is done; the next waiting speaks), "up" (move `speaker` before `ahead`, the one
/// waiting just before them as the page saw it), "remove" (take `speaker` off), "open" /
/// "close" the list. A stale page changes nothing.
#[server(prefix = "/api", endpoint = "live/speakers")]
pub async fn live_speakers(
    code: String,
    action: String,
    #[server(default)] speaker: i64,
    #[server(default)] current: i64,
    #[server(default)] ahead: i64,
) -> Result<bool, AppError> {
    auth::respond(
        async {
            let state = auth::state()?;
            let pool = state.db.pool();
            let (_, session) = require_runner(&state, &code).await?;
            rules::require_open(
                session.info.closed_at,
                session.info.expires_at,
                chrono::Utc::now(),
            )?;
            let id = session.info.id;
            let done = match action.as_str() {
                "next" => live::next_speaker(pool, id, current).await?,
                "up" => live::move_up(pool, id, speaker, ahead).await?,
                "remove" => live::withdraw(pool, id, None, Some(speaker)).await?,
                "open" => live::set_switch(pool, id, live::Switch::Speakers, true).await?,
                "close" => live::set_switch(pool, id, live::Switch::Speakers, false).await?,
                _ => return Err(AppError::invalid("action", Msg::NotFound)),
            };
            if done {
                changed(&state, id);
            }
            Ok(done)
        }
        .await,
    )
}

/// Ends the session (the host): joins and actions stop, open votes close, the record stays.
#[server(prefix = "/api", endpoint = "live/close")]
pub async fn close_live(code: String) -> Result<bool, AppError> {
    auth::respond(
        async {
            let state = auth::state()?;
            let (me, session) = require_runner(&state, &code).await?;
            let closed = live::close_session(state.db.pool(), session.info.id).await?;
            if closed {
                changed(&state, session.info.id);
                tracing::info!(
                    session = session.info.id.0,
                    by = me.id.0,
                    "live session closed"
                );
            }
            Ok(closed)
        }
        .await,
    )
}
