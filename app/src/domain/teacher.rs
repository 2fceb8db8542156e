//! The Lærer (teacher) role (issue #23, DOMAIN.md): a teacher at exactly one school,
//! granted and revoked by the coordinator (the `teachers` table, not a `user_roles` row).
//! A teacher confirms the school's pupils whose accounts await confirmation; the
//! coordinator keeps the right to confirm any such account. One rule, [`may_confirm`],
//! decides both for the server function and for the page (`/skole`).
use crate::domain::account::{AccountStatus, RoleKind, SessionUser};
use crate::domain::ids::{SchoolId, UserId};
use crate::domain::rights::Gate;
use serde::{Deserialize, Serialize};

/// Pupils awaiting confirmation shown per page of `/skole`.
pub const PUPILS_PER_PAGE: i64 = 50;

/// The school a person teaches at: `Some` only for a person holding the Lærer role.
pub fn teacher_school(me: &SessionUser) -> Option<SchoolId> {
    if me.has(RoleKind::Laerer) {
        me.school_id
    } else {
        None
    }
}

/// The facts about one account that decide who may confirm it (one row the database reads).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConfirmFacts {
    pub status: AccountStatus,
    /// The school the account is attached to, if any.
    pub school: Option<SchoolId>,
    /// A pupil: holds the role Elev at `school` (and is not a teacher).
    pub pupil: bool,
}

/// May `me` confirm this account? The coordinator: any account. A teacher: only a pupil of
/// the teacher's own school — a pupil of another school, or an account that is not a
/// pupil, is not theirs (403). Either only while the account awaits confirmation
/// (`Gate::NotNow` afterwards).
pub fn may_confirm(me: &SessionUser, account: &ConfirmFacts) -> Gate {
    let coordinator = me.has(RoleKind::Sekretariat);
    let teacher =
        teacher_school(me).is_some_and(|school| account.pupil && account.school == Some(school));
    if !(coordinator || teacher) {
        return Gate::NotYou;
    }
    if account.status == AccountStatus::AwaitingConfirmation {
        Gate::Yes
    } else {
        Gate::NotNow
    }
}

/// A pupil awaiting confirmation, as the teacher sees them on `/skole`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingPupil {
    pub id: UserId,
    pub first_name: String,
    /// Empty when the account has none (made from a login that gave no address).
    pub email: String,
    pub birth_year: Option<i32>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// The teacher's school and one page of its pupils awaiting confirmation, newest first;
/// `next` is the keyset cursor for the following page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingPupils {
    pub school: String,
    pub pupils: Vec<PendingPupil>,
    pub next: Option<UserId>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn teacher_at(school: i64) -> SessionUser {
        let mut me = SessionUser::for_test(1, &[RoleKind::Laerer]);
        me.school_id = Some(SchoolId(school));
        me
    }

    fn pending(school: Option<i64>, pupil: bool) -> ConfirmFacts {
        ConfirmFacts {
            status: AccountStatus::AwaitingConfirmation,
            school: school.map(SchoolId),
            pupil,
        }
    }

    #[test]
    fn a_teacher_confirms_only_pending_pupils_of_their_own_school() {
        let me = teacher_at(7);
        assert_eq!(may_confirm(&me, &pending(Some(7), true)), Gate::Yes);
        assert_eq!(may_confirm(&me, &pending(Some(8), true)), Gate::NotYou);
        // At the school but not a pupil (no Elev role), or at no school.
        assert_eq!(may_confirm(&me, &pending(Some(7), false)), Gate::NotYou);
        assert_eq!(may_confirm(&me, &pending(None, false)), Gate::NotYou);
        let active = ConfirmFacts {
            status: AccountStatus::Active,
            ..pending(Some(7), true)
        };
        assert_eq!(may_confirm(&me, &active), Gate::NotNow);
    }

    #[test]
    fn the_coordinator_confirms_any_pending_account_and_others_none() {
        let coordinator = SessionUser::for_test(2, &[RoleKind::Sekretariat]);
        assert_eq!(may_confirm(&coordinator, &pending(None, false)), Gate::Yes);
        assert_eq!(
            may_confirm(&coordinator, &pending(Some(8), true)),
            Gate::Yes
        );
        for role in [RoleKind::Elev, RoleKind::Moderator, RoleKind::Politiker] {
            let mut me = SessionUser::for_test(3, &[role]);
            me.school_id = Some(SchoolId(7));
            assert_eq!(may_confirm(&me, &pending(Some(7), true)), Gate::NotYou);
            assert_eq!(teacher_school(&me), None);
        }
        // The Lærer role without a school (never stored so) confirms nobody.
        let no_school = SessionUser::for_test(4, &[RoleKind::Laerer]);
        assert_eq!(may_confirm(&no_school, &pending(None, true)), Gate::NotYou);
        assert_eq!(teacher_school(&teacher_at(7)), Some(SchoolId(7)));
    }
}
