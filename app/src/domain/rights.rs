//! Who may do what. One value per object — [`ProposalRights`], [`CouncilRights`] — computed
//! by a pure function from the person looking and the object's access data (one row the
//! database reads). The pages use it to decide what to show, the server functions to decide
//! what to allow, so each rule is written once, here.
use crate::domain::account::{AccountStatus, CouncilKind, RoleKind, SessionUser};
use crate::domain::error::AppError;
use crate::domain::ids::{CouncilId, SchoolId, UserId};
use crate::domain::proposal::{AnswerKind, Stage, Viewer, Visibility};
use serde::{Deserialize, Serialize};

/// May the person do it now? `NotYou`: not this person (refused, 403). `NotNow`: this person,
/// but not in the object's present state (the server function says why).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Gate {
    #[default]
    NotYou,
    NotNow,
    Yes,
}

impl Gate {
    fn of(who: bool, now: bool) -> Self {
        match (who, now) {
            (false, _) => Self::NotYou,
            (true, false) => Self::NotNow,
            (true, true) => Self::Yes,
        }
    }

    pub fn yes(self) -> bool {
        self == Self::Yes
    }

    /// Refuses (403) a person who may never do it here; the state is checked with [`Gate::now`].
    pub fn authorize(self) -> Result<(), AppError> {
        match self {
            Self::NotYou => Err(AppError::Forbidden),
            Self::NotNow | Self::Yes => Ok(()),
        }
    }

    /// After [`Gate::authorize`]: `not_now()` when the object's state does not allow it.
    pub fn now(self, not_now: impl FnOnce() -> AppError) -> Result<(), AppError> {
        match self {
            Self::Yes => Ok(()),
            Self::NotNow => Err(not_now()),
            Self::NotYou => Err(AppError::Forbidden),
        }
    }
}

/// Who may see a proposal's page: a draft only its author; a proposal awaiting approval
/// (pre-moderation) its author and the moderators; everything else everyone (a hidden one
/// shows only the moderator's reason).
pub fn may_view(stage: Stage, visibility: Visibility, is_author: bool, can_moderate: bool) -> bool {
    match (stage, visibility) {
        (Stage::Draft, _) => is_author,
        (_, Visibility::Pending) => is_author || can_moderate,
        _ => true,
    }
}

/// On the public list, and open to support, comments, follows and reports: submitted (not a
/// draft) and published.
pub fn is_public(stage: Stage, visibility: Visibility) -> bool {
    stage != Stage::Draft && visibility == Visibility::Published
}

/// The facts about one proposal, and about the person looking at it, that decide what they
/// may do: one row (`db::proposals::access`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposalAccess {
    pub author: UserId,
    pub stage: Stage,
    pub visibility: Visibility,
    pub council: CouncilId,
    /// Ja, Delvist or Nej, once answered.
    pub answer: Option<AnswerKind>,
    /// The committee it was forwarded to, once forwarded.
    pub committee: Option<String>,
    /// The person looking sits on that committee (a term running today).
    pub in_committee: bool,
    /// The person looking supports it.
    pub supports: bool,
    /// The person looking follows it.
    pub follows: bool,
}

/// What the person looking may do with one proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ProposalRights {
    pub view: bool,
    pub is_author: bool,
    /// The author's draft: edit, submit, delete.
    pub edit: bool,
    /// Young people with an active account, not their own, while public.
    pub support: Gate,
    /// Anyone logged in, while public (withdrawing a support that is not there changes
    /// nothing).
    pub unsupport: Gate,
    /// Young people, staff (coordinator, moderators) and politicians with an active account,
    /// while public. The role shown with it: `domain::dialogue::comment_role`.
    pub comment: Gate,
    /// Ask the author a question (a comment marked as one): a politician of the committee it
    /// was forwarded to, with an active account, while it is public, forwarded and not yet
    /// answered. The answer deadline does not move.
    pub ask: Gate,
    /// Anyone logged in, while public.
    pub follow: Gate,
    /// Anyone with an active account, while public.
    pub report: Gate,
    /// Hide content, approve proposals awaiting approval.
    pub moderate: bool,
    /// A politician of the committee it was forwarded to, until answered.
    pub answer: Gate,
    /// The committee's politicians or the coordinator, after a Ja or Delvist.
    pub follow_up: Gate,
    /// A politician of the committee that answered, once answered.
    pub clarify: Gate,
    /// "Forstod du svaret?": the author or a supporter, once answered.
    pub give_feedback: Gate,
    /// The coordinator, while it waits for an answer.
    pub change_deadline: Gate,
}

impl ProposalRights {
    /// The rights of `user` (None: not logged in) on the proposal `p`.
    pub fn of(user: Option<&SessionUser>, p: &ProposalAccess) -> Self {
        let Some(u) = user else {
            return Self {
                view: may_view(p.stage, p.visibility, false, false),
                ..Self::default()
            };
        };
        let is_author = u.id == p.author;
        let active = u.status == AccountStatus::Active;
        let coordinator = u.has(RoleKind::Sekretariat);
        let politician = u.has(RoleKind::Politiker) && p.in_committee;
        let public = is_public(p.stage, p.visibility);
        let answered = p.stage == Stage::Answered;
        Self {
            view: may_view(p.stage, p.visibility, is_author, u.can_moderate()),
            is_author,
            edit: is_author && p.stage == Stage::Draft,
            support: Gate::of(u.can_propose() && !is_author, public),
            unsupport: Gate::of(true, public),
            comment: Gate::of(
                active && (u.can_propose() || u.can_moderate() || u.has(RoleKind::Politiker)),
                public,
            ),
            ask: Gate::of(
                active && politician,
                public && p.stage == Stage::Forwarded && p.answer.is_none(),
            ),
            follow: Gate::of(true, public),
            report: Gate::of(active, public),
            moderate: u.can_moderate(),
            answer: Gate::of(politician, p.stage == Stage::Forwarded),
            follow_up: Gate::of(
                politician || coordinator,
                answered && p.answer.is_some_and(AnswerKind::allows_follow_up),
            ),
            clarify: Gate::of(politician, answered),
            give_feedback: Gate::of(is_author || p.supports, answered),
            change_deadline: Gate::of(coordinator, p.stage == Stage::Forwarded),
        }
    }

    /// What the proposal page is told about the person looking.
    pub fn viewer(&self, user: Option<&SessionUser>, p: &ProposalAccess) -> Viewer {
        Viewer {
            logged_in: user.is_some(),
            can_act: user.is_some_and(SessionUser::can_propose),
            is_author: self.is_author,
            supports: user.is_some() && p.supports,
            follows: user.is_some() && p.follows,
            can_moderate: self.moderate,
            can_answer: self.answer.yes(),
            can_follow_up: self.follow_up.yes(),
            can_clarify: self.clarify.yes(),
            can_give_feedback: self.give_feedback.yes(),
            can_change_deadline: self.change_deadline.yes(),
            can_comment: self.comment.yes(),
            can_ask: self.ask.yes(),
        }
    }
}

/// The facts about one council, and about the person looking, that decide what they may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CouncilAccess {
    pub kind: CouncilKind,
    pub school: Option<SchoolId>,
    /// The person looking is its chair or secretary (with a running term), or an
    /// elevrådsformand of it.
    pub is_officer: bool,
    /// The person looking is a member with a running term.
    pub is_member: bool,
}

/// What the person looking may do with one council.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CouncilRights {
    /// Run its meetings: plan them, edit the agenda, open and close votes, record the
    /// council's decisions, write minutes, handle suggestions, set the ballot rules.
    pub run: bool,
    /// Vote (a member with a running term).
    pub vote: bool,
    /// Suggest an agenda item.
    pub suggest: bool,
    /// See who the members are (their accounts) and appoint officers.
    pub administer: bool,
}

impl CouncilRights {
    /// The rights of `user` on a council (`c` None: the council was not found; only the
    /// coordinator's own rights remain).
    pub fn of(user: Option<&SessionUser>, c: Option<&CouncilAccess>) -> Self {
        let Some(u) = user else {
            return Self::default();
        };
        let coordinator = u.has(RoleKind::Sekretariat);
        let Some(c) = c else {
            return Self {
                run: coordinator,
                administer: coordinator,
                ..Self::default()
            };
        };
        let suggest = u.status == AccountStatus::Active
            && match c.kind {
                CouncilKind::Ungeraad | CouncilKind::Anden => u.can_propose(),
                CouncilKind::FaellesElevraad => u.has(RoleKind::Elev),
                CouncilKind::Elevraad => u.has(RoleKind::Elev) && u.school_id == c.school,
            };
        Self {
            run: coordinator || c.is_officer,
            vote: c.is_member,
            suggest,
            administer: coordinator,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(id: i64, roles: &[RoleKind]) -> SessionUser {
        SessionUser::for_test(id, roles)
    }

    fn proposal(stage: Stage, answer: Option<AnswerKind>) -> ProposalAccess {
        ProposalAccess {
            author: UserId(1),
            stage,
            visibility: Visibility::Published,
            council: CouncilId(1),
            answer,
            committee: None,
            in_committee: false,
            supports: false,
            follows: false,
        }
    }

    #[test]
    fn who_sees_a_proposal() {
        for stage in Stage::ALL {
            for vis in Visibility::ALL {
                // The author sees everything of theirs.
                assert!(may_view(stage, vis, true, false));
                let anyone = may_view(stage, vis, false, false);
                assert_eq!(anyone, stage != Stage::Draft && vis != Visibility::Pending);
                // Moderators see what awaits approval, never someone's draft.
                assert_eq!(may_view(stage, vis, false, true), stage != Stage::Draft);
                // What is public is visible to anyone.
                assert!(!is_public(stage, vis) || anyone);
            }
        }
        assert!(is_public(Stage::Submitted, Visibility::Published));
        assert!(!is_public(Stage::Submitted, Visibility::Hidden));
        assert!(!is_public(Stage::Draft, Visibility::Published));
    }

    #[test]
    fn public_is_a_product_of_stage_and_visibility() {
        // The SQL filter (db::proposals::public_filter) is `status IN (..) AND visibility IN (..)`,
        // built from this function: exact only while the rule is such a product.
        for s in Stage::ALL {
            for v in Visibility::ALL {
                let some_v = Visibility::ALL.into_iter().any(|v2| is_public(s, v2));
                let some_s = Stage::ALL.into_iter().any(|s2| is_public(s2, v));
                assert_eq!(is_public(s, v), some_v && some_s, "{s:?} {v:?}");
            }
        }
    }

    #[test]
    fn follow_up_only_after_ja_or_delvist() {
        let coordinator = user(9, &[RoleKind::Sekretariat]);
        for (answer, ok) in [
            (Some(AnswerKind::Ja), true),
            (Some(AnswerKind::Delvist), true),
            (Some(AnswerKind::Nej), false),
        ] {
            let r = ProposalRights::of(Some(&coordinator), &proposal(Stage::Answered, answer));
            assert_eq!(r.follow_up.yes(), ok);
        }
        let r = ProposalRights::of(Some(&coordinator), &proposal(Stage::Forwarded, None));
        assert_eq!(r.follow_up, Gate::NotNow);
        // A politician outside the committee may not, whatever the answer.
        let outsider = user(8, &[RoleKind::Politiker]);
        let r = ProposalRights::of(
            Some(&outsider),
            &proposal(Stage::Answered, Some(AnswerKind::Ja)),
        );
        assert_eq!(r.follow_up, Gate::NotYou);
        assert_eq!(r.follow_up.authorize(), Err(AppError::Forbidden));
    }

    #[test]
    fn answering_is_for_the_committee_while_forwarded() {
        let mut p = proposal(Stage::Forwarded, None);
        let politician = user(7, &[RoleKind::Politiker]);
        assert_eq!(
            ProposalRights::of(Some(&politician), &p).answer,
            Gate::NotYou
        );
        p.in_committee = true;
        assert!(ProposalRights::of(Some(&politician), &p).answer.yes());
        p.stage = Stage::Answered;
        let r = ProposalRights::of(Some(&politician), &p);
        assert_eq!(r.answer, Gate::NotNow);
        assert!(r.clarify.yes());
        // Membership of the committee without the politician role is not enough.
        let coordinator = user(9, &[RoleKind::Sekretariat]);
        assert_eq!(
            ProposalRights::of(Some(&coordinator), &p).clarify,
            Gate::NotYou
        );
    }

    #[test]
    fn comment_follow_and_unsupport() {
        let youth = user(2, &[RoleKind::Ung]);
        let moderator = user(3, &[RoleKind::Moderator]);
        let politician = user(4, &[RoleKind::Politiker]);
        let mut pending = user(5, &[RoleKind::Ung]);
        pending.status = AccountStatus::AwaitingConfirmation;
        let mut p = proposal(Stage::Submitted, None);
        let of = |u: &SessionUser, p: &ProposalAccess| ProposalRights::of(Some(u), p);
        assert!(of(&youth, &p).comment.yes());
        assert!(of(&moderator, &p).comment.yes());
        // Any politician may comment (shown with their role), not only the committee's.
        assert!(of(&politician, &p).comment.yes());
        assert_eq!(of(&pending, &p).comment, Gate::NotYou);
        assert_eq!(of(&pending, &p).support, Gate::NotYou);
        for u in [&youth, &moderator, &politician, &pending] {
            assert!(of(u, &p).follow.yes());
            assert!(of(u, &p).unsupport.yes());
        }
        p.visibility = Visibility::Hidden;
        assert_eq!(of(&youth, &p).comment, Gate::NotNow);
        assert_eq!(of(&politician, &p).comment, Gate::NotNow);
        assert_eq!(of(&youth, &p).follow, Gate::NotNow);
        assert_eq!(of(&youth, &p).unsupport, Gate::NotNow);
    }

    #[test]
    fn questions_are_for_the_committee_before_the_answer() {
        let politician = user(7, &[RoleKind::Politiker]);
        let coordinator = user(9, &[RoleKind::Sekretariat]);
        let youth = user(2, &[RoleKind::Ung]);
        let of = |u: &SessionUser, p: &ProposalAccess| ProposalRights::of(Some(u), p).ask;
        let mut p = proposal(Stage::Forwarded, None);
        // Not in the committee: never.
        assert_eq!(of(&politician, &p), Gate::NotYou);
        p.in_committee = true;
        assert!(of(&politician, &p).yes());
        // The coordinator and young people never ask, whatever the committee says.
        assert_eq!(of(&coordinator, &p), Gate::NotYou);
        assert_eq!(of(&youth, &p), Gate::NotYou);
        // Not forwarded yet, answered, or hidden: not now.
        for stage in [Stage::Submitted, Stage::OnAgenda, Stage::Answered] {
            let q = ProposalAccess { stage, ..p.clone() };
            assert_eq!(of(&politician, &q), Gate::NotNow, "{stage:?}");
        }
        let answered = ProposalAccess {
            answer: Some(AnswerKind::Ja),
            ..p.clone()
        };
        assert_eq!(of(&politician, &answered), Gate::NotNow);
        let hidden = ProposalAccess {
            visibility: Visibility::Hidden,
            ..p.clone()
        };
        assert_eq!(of(&politician, &hidden), Gate::NotNow);
        // A politician whose account is not active: not them.
        let mut locked = politician.clone();
        locked.status = AccountStatus::AwaitingConfirmation;
        assert_eq!(of(&locked, &p), Gate::NotYou);
        // Every politician may comment; the viewer is told both.
        let r = ProposalRights::of(Some(&politician), &p);
        let v = r.viewer(Some(&politician), &p);
        assert!(v.can_comment && v.can_ask);
    }

    #[test]
    fn support_and_feedback() {
        let author = user(1, &[RoleKind::Ung]);
        let other = user(2, &[RoleKind::Ung]);
        let mut p = proposal(Stage::Submitted, None);
        assert_eq!(ProposalRights::of(Some(&author), &p).support, Gate::NotYou);
        assert!(ProposalRights::of(Some(&other), &p).support.yes());
        p.visibility = Visibility::Hidden;
        assert_eq!(ProposalRights::of(Some(&other), &p).support, Gate::NotNow);
        let mut p = proposal(Stage::Answered, Some(AnswerKind::Nej));
        assert!(ProposalRights::of(Some(&author), &p).give_feedback.yes());
        assert!(!ProposalRights::of(Some(&other), &p).give_feedback.yes());
        p.supports = true;
        assert!(ProposalRights::of(Some(&other), &p).give_feedback.yes());
        assert_eq!(
            ProposalRights::of(None, &p),
            ProposalRights {
                view: true,
                ..ProposalRights::default()
            }
        );
    }

    #[test]
    fn running_and_suggesting_in_a_council() {
        let c = CouncilAccess {
            kind: CouncilKind::Elevraad,
            school: Some(SchoolId(3)),
            is_officer: false,
            is_member: true,
        };
        let mut pupil = user(1, &[RoleKind::Elev]);
        assert!(!CouncilRights::of(Some(&pupil), Some(&c)).suggest);
        pupil.school_id = Some(SchoolId(3));
        let r = CouncilRights::of(Some(&pupil), Some(&c));
        assert!(r.suggest && r.vote && !r.run);
        let chair = CouncilAccess {
            is_officer: true,
            ..c.clone()
        };
        assert!(CouncilRights::of(Some(&pupil), Some(&chair)).run);
        let coordinator = user(9, &[RoleKind::Sekretariat]);
        assert!(CouncilRights::of(Some(&coordinator), None).run);
        assert!(!CouncilRights::of(None, Some(&chair)).run);
    }
}
