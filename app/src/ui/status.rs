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

/// The answer deadline, with "N dage tilbage" or "N dage over fristen"
/// (`domain::setup::deadline_days`, the one rule for it).
/// The line under a hearing waiting for the sender's feedback (tilbagemelding).
pub fn feedback_deadline_line(deadline: DateTime<Utc>, now: DateTime<Utc>, en: bool) -> String {
    let days = crate::domain::setup::deadline_days(deadline, now, en);
    match (days_overdue(deadline, now).is_some(), en) {
        (false, false) => format!(
            "Venter på tilbagemelding — frist {} ({days})",
            date(deadline, false)
        ),
        (false, true) => format!(
            "Waiting for feedback — deadline {} ({days})",
            date(deadline, true)
        ),
        (true, false) => format!(
            "Venter på tilbagemelding — fristen {} er overskredet: {days}",
            date(deadline, false)
        ),
        (true, true) => format!(
            "Waiting for feedback — the deadline {} has passed: {days}",
            date(deadline, true)
        ),
    }
}

pub fn deadline_line(deadline: DateTime<Utc>, now: DateTime<Utc>, en: bool) -> String {
    let days = crate::domain::setup::deadline_days(deadline, now, en);
    match (days_overdue(deadline, now).is_some(), en) {
        (false, false) => format!(
            "Venter på svar fra politikerne — svarfrist {} ({days})",
            date(deadline, false)
        ),
        (false, true) => format!(
            "Waiting for the politicians' answer — deadline {} ({days})",
            date(deadline, true)
        ),
        (true, false) => format!(
            "Venter på svar fra politikerne — svarfristen {} er overskredet: {days}",
            date(deadline, false)
        ),
        (true, true) => format!(
            "Waiting for the politicians' answer — the deadline {} has passed: {days}",
            date(deadline, true)
        ),
    }
}
