//! Typed IDs: a `UserId` can never be passed where a `SchoolId` is expected.
use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
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
    /// A comment on a proposal.
    CommentId,
    /// A report to the moderators.
    ReportId,
    /// An in-app notification.
    NotificationId,
);
