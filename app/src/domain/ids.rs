//! Typed IDs: a `UserId` can never be passed where a `SchoolId` is expected. One macro makes
//! every id; on the wire (forms, JSON) an id is its plain number (`serde(transparent)`), and
//! on the server it binds and decodes as the database's integer (`sqlx(transparent)`).
use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "ssr", derive(sqlx::Type))]
        #[cfg_attr(feature = "ssr", sqlx(transparent))]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.trim().parse().map(Self)
            }
        }
    )*};
}

id_type!(
    /// A person with an account.
    UserId,
    /// A school (with its elevråd).
    SchoolId,
    /// A council: the Ungeråd, an elevråd or Det Fælles Elevråd.
    CouncilId,
    /// One role granted to one user.
    RoleGrantId,
    /// A proposal (forslag).
    ProposalId,
    /// A login at an identity provider linked to an account.
    IdentityId,
    /// A comment on a proposal.
    CommentId,
    /// A report to the moderators.
    ReportId,
    /// An in-app notification.
    NotificationId,
    /// A council meeting.
    MeetingId,
    /// One item on a meeting's agenda.
    AgendaItemId,
    /// A vote on an agenda item.
    VoteId,
    /// A suggestion for a council's agenda.
    SuggestionId,
    /// One version of an agenda item's minutes.
    MinutesId,
    /// A committee (udvalg) of politicians.
    CommitteeId,
    /// A pool year (puljeår) of a council.
    PoolYearId,
    /// An application to the pool.
    ApplicationId,
    /// A politician's further explanation of an answer.
    ClarificationId,
    /// One line of the audit log.
    AuditEntryId,
    /// One entry on a proposal's timeline (a status change, a follow-up).
    ProposalEventId,
    /// One entry in a pool year's ledger.
    LedgerEntryId,
    /// A hearing (høring): a committee asks councils first.
    HearingId,
    /// A background file (PDF) of a hearing.
    HearingFileId,
    /// A young person's input to a hearing.
    HearingInputId,
    /// A council member's comment on the council's draft response to a hearing.
    HearingCommentId,
    /// A live session (Bytinget or a class session).
    LiveSessionId,
    /// One participant of one live session (with or without an account).
    ParticipantId,
    /// An item on a live session's agenda.
    LiveItemId,
    /// A live vote in a session.
    LiveVoteId,
    /// A pupil's idea in a class session.
    IdeaId,
);
