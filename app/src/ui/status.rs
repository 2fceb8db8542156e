//! A proposal's status in plain words, as the proposal page and lists show it.
use crate::domain::proposal::{days_overdue, Answer, ProposalStatus, Stage, Visibility};
use crate::ui::format::date;
use chrono::{DateTime, Utc};

/// "Venter på svar fra politikerne — svarfrist 14. januar 2027", and so on.
pub fn status_line(
    status: &ProposalStatus,
    visibility: Visibility,
    now: DateTime<Utc>,
    en: bool,
) -> String {
    if visibility == Visibility::Pending && status.stage() != Stage::Draft {
        return if en {
            "Waiting for a moderator to approve it — then everyone can see it".into()
        } else {
            "Venter på at en moderator godkender det — så kan alle se det".into()
        };
    }
    match status {
        ProposalStatus::Draft => if en {
            "Draft — not sent yet. Only you can see it."
        } else {
            "Kladde — ikke sendt endnu. Kun du kan se den."
        }
        .into(),
        ProposalStatus::Submitted => if en {
            "Sent — waiting to be put on the council's agenda"
        } else {
            "Sendt — venter på at komme på rådets dagsorden"
        }
        .into(),
        ProposalStatus::OnAgenda => if en {
            "On the agenda — the council will discuss it at its meeting"
        } else {
            "På dagsordenen — rådet behandler forslaget på sit møde"
        }
        .into(),
        ProposalStatus::Forwarded { deadline, .. } => deadline_line(*deadline, now, en),
        ProposalStatus::RejectedByCouncil { .. } => if en {
            "Declined by the council — read the council's explanation below"
        } else {
            "Afvist af rådet — læs rådets begrundelse nedenfor"
        }
        .into(),
        ProposalStatus::ResolvedByCouncil { .. } => if en {
            "Resolved by the council itself"
        } else {
            "Løst i rådet — rådet klarer det selv"
        }
        .into(),
        ProposalStatus::Answered { answer, .. } => match (answer, en) {
            (Answer::Ja { .. }, false) => "Besvaret: Ja — politikerne siger ja".into(),
            (Answer::Ja { .. }, true) => "Answered: Yes — the politicians said yes".into(),
            (Answer::Delvist(_), false) => {
                "Besvaret: Delvist — læs politikernes forklaring nedenfor".into()
            }
            (Answer::Delvist(_), true) => {
                "Answered: Partly — read the politicians' explanation below".into()
            }
            (Answer::Nej(_), false) => {
                "Besvaret: Nej — læs politikernes forklaring nedenfor".into()
            }
            (Answer::Nej(_), true) => {
                "Answered: No — read the politicians' explanation below".into()
            }
        },
    }
}

/// The answer deadline, with the days overdue once it has passed.
pub fn deadline_line(deadline: DateTime<Utc>, now: DateTime<Utc>, en: bool) -> String {
    match (days_overdue(deadline, now), en) {
        (None, false) => format!(
            "Venter på svar fra politikerne — svarfrist {}",
            date(deadline, false)
        ),
        (None, true) => format!(
            "Waiting for the politicians' answer — deadline {}",
            date(deadline, true)
        ),
        (Some(d), false) => format!(
            "Venter på svar fra politikerne — svarfristen {} er overskredet med {d} {}",
            date(deadline, false),
            if d == 1 { "dag" } else { "dage" }
        ),
        (Some(d), true) => format!(
            "Waiting for the politicians' answer — the deadline {} passed {d} {} ago",
            date(deadline, true),
            if d == 1 { "day" } else { "days" }
        ),
    }
}
