//! An error's text in the person's language, from its code and parameters: the one
//! function the pages (form fields, error banners) and the server (refusal pages, the
//! JSON `message`) use. The texts are in `locales/*.json` under `errors`.
use crate::domain::error::AppError;
use crate::domain::explanation::Writing;
use crate::domain::message::{Arg, Msg};
use crate::i18n::Locale;
use leptos_i18n::td_string;

/// The error's text in `locale`.
pub fn error_text(locale: Locale, error: &AppError) -> String {
    msg_text(locale, &error.msg())
}

/// The error's text in the page's language (in a component; Danish outside one).
pub fn shown(error: &AppError) -> String {
    let locale = leptos::prelude::use_context::<leptos_i18n::I18nContext<Locale>>()
        .map_or(Locale::da, |i18n| i18n.get_locale());
    error_text(locale, error)
}

/// A message's text in `locale`, its parameters filled in.
pub fn msg_text(locale: Locale, msg: &Msg) -> String {
    let args = msg.args();
    let text = template(locale, msg);
    if args.is_empty() {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let value = after.find('}').and_then(|end| {
            let name = &after[..end];
            let (_, arg) = args.iter().find(|(n, _)| *n == name)?;
            Some((arg_text(locale, arg), end))
        });
        match value {
            Some((value, end)) => {
                out.push_str(&value);
                rest = &after[end + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn arg_text(locale: Locale, arg: &Arg<'_>) -> String {
    let en = locale == Locale::en;
    match arg {
        Arg::Int(n) => n.to_string(),
        Arg::Count(n) => grouped(*n, if en { ',' } else { '.' }),
        Arg::Kroner(ore) if en => {
            let kr = ore / 100;
            match ore % 100 {
                0 => format!("DKK {}", grouped(kr, ',')),
                rest => format!("DKK {}.{:02}", grouped(kr, ','), rest.abs()),
            }
        }
        Arg::Kroner(ore) => crate::domain::pool::kroner(*ore),
        Arg::Text(s) => (*s).to_owned(),
        Arg::Stage(s) => s.label(en).to_owned(),
        Arg::Meeting(s) => s.label(en).to_owned(),
        Arg::Subject(w) => subject(locale, *w).to_owned(),
        Arg::Ask(w) => ask(locale, *w).to_owned(),
        Arg::Msg(m) => msg_text(locale, m),
    }
}

/// 10000 → "10.000" (Danish) or "10,000" (English).
fn grouped(n: i64, sep: char) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + 4);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// The message's text with `{name}` where its parameters go.
fn template(l: Locale, msg: &Msg) -> &'static str {
    match msg {
        Msg::Unauthenticated => td_string!(l, errors.unauthenticated),
        Msg::Forbidden => td_string!(l, errors.forbidden),
        Msg::NotFound => td_string!(l, errors.not_found),
        Msg::RateLimited => td_string!(l, errors.rate_limited),
        Msg::Internal => td_string!(l, errors.internal),
        Msg::Unreadable => td_string!(l, errors.unreadable),
        Msg::UnsupportedMediaType => td_string!(l, errors.unsupported_media_type),
        Msg::TooLarge => td_string!(l, errors.too_large),
        Msg::MissingField { .. } => td_string!(l, errors.missing_field),
        Msg::UnreadableField { .. } => td_string!(l, errors.unreadable_field),
        Msg::DuplicateField { .. } => td_string!(l, errors.duplicate_field),
        Msg::NotANumber { .. } => td_string!(l, errors.not_a_number),
        Msg::UnreadableFields => td_string!(l, errors.unreadable_fields),
        Msg::FormExpired => td_string!(l, errors.form_expired),
        Msg::TitleTooShort { .. } => td_string!(l, errors.title_too_short),
        Msg::TitleTooLong { .. } => td_string!(l, errors.title_too_long),
        Msg::BodyTooShort { .. } => td_string!(l, errors.body_too_short),
        Msg::BodyTooLong { .. } => td_string!(l, errors.body_too_long),
        Msg::CommentTooShort { .. } => td_string!(l, errors.comment_too_short),
        Msg::CommentTooLong { .. } => td_string!(l, errors.comment_too_long),
        Msg::ChooseTheme => td_string!(l, errors.choose_theme),
        Msg::ChooseRecipient => td_string!(l, errors.choose_recipient),
        Msg::WrongRecipient => td_string!(l, errors.wrong_recipient),
        Msg::UnknownProposal => td_string!(l, errors.unknown_proposal),
        Msg::SearchTooLong { .. } => td_string!(l, errors.search_too_long),
        Msg::InvalidPage => td_string!(l, errors.invalid_page),
        Msg::OwnProposal => td_string!(l, errors.own_proposal),
        Msg::ProposalChangedJustNow => td_string!(l, errors.proposal_changed_just_now),
        Msg::ProposalMissing => td_string!(l, errors.proposal_missing),
        Msg::StageStep { .. } => td_string!(l, errors.stage_step),
        Msg::HiddenAlready => td_string!(l, errors.hidden_already),
        Msg::ChooseAnswer => td_string!(l, errors.choose_answer),
        Msg::TextTooLong { .. } => td_string!(l, errors.text_too_long),
        Msg::ChooseReason => td_string!(l, errors.choose_reason),
        Msg::AlreadyAnswered => td_string!(l, errors.already_answered),
        Msg::NotAnsweredYet => td_string!(l, errors.not_answered_yet),
        Msg::ChooseYesNo => td_string!(l, errors.choose_yes_no),
        Msg::InvalidChoice => td_string!(l, errors.invalid_choice),
        Msg::ChooseProgress => td_string!(l, errors.choose_progress),
        Msg::FollowUpAfterYes => td_string!(l, errors.follow_up_after_yes),
        Msg::WritingTooLong { .. } => td_string!(l, errors.writing_too_long),
        Msg::WritingUnreadable { .. } => td_string!(l, errors.writing_unreadable),
        Msg::WritingTooShort { .. } => td_string!(l, errors.writing_too_short),
        Msg::WritingFewWords { .. } => td_string!(l, errors.writing_few_words),
        Msg::ShownToEveryone { .. } => td_string!(l, errors.shown_to_everyone),
        Msg::TooYoungToSignUp => td_string!(l, errors.too_young_to_sign_up),
        Msg::AgeOutsideRange => td_string!(l, errors.age_outside_range),
        Msg::WriteFirstName => td_string!(l, errors.write_first_name),
        Msg::FirstNameTooLong => td_string!(l, errors.first_name_too_long),
        Msg::FirstNameBrackets => td_string!(l, errors.first_name_brackets),
        Msg::BirthYear => td_string!(l, errors.birth_year),
        Msg::InvalidEmail => td_string!(l, errors.invalid_email),
        Msg::PasswordTooShort => td_string!(l, errors.password_too_short),
        Msg::PasswordTooLong => td_string!(l, errors.password_too_long),
        Msg::WrongLogin => td_string!(l, errors.wrong_login),
        Msg::WrongCurrentPassword => td_string!(l, errors.wrong_current_password),
        Msg::WrongPassword => td_string!(l, errors.wrong_password),
        Msg::EmailTaken => td_string!(l, errors.email_taken),
        Msg::LoginProviderDown => td_string!(l, errors.login_provider_down),
        Msg::LoginCancelled => td_string!(l, errors.login_cancelled),
        Msg::LoginFailed => td_string!(l, errors.login_failed),
        Msg::LoginTooYoung => td_string!(l, errors.login_too_young),
        Msg::LoginTooOld => td_string!(l, errors.login_too_old),
        Msg::LoginSchoolNotHere => td_string!(l, errors.login_school_not_here),
        Msg::LoginStaffAsk => td_string!(l, errors.login_staff_ask),
        Msg::LoginNoAge => td_string!(l, errors.login_no_age),
        Msg::LoginLinkedElsewhere => td_string!(l, errors.login_linked_elsewhere),
        Msg::LoginAlreadyLinked => td_string!(l, errors.login_already_linked),
        Msg::LastWayIn => td_string!(l, errors.last_way_in),
        Msg::PasswordLoginOff => td_string!(l, errors.password_login_off),
        Msg::UnknownLoginProvider => td_string!(l, errors.unknown_login_provider),
        Msg::InstitutionNumber => td_string!(l, errors.institution_number),
        Msg::InstitutionTaken => td_string!(l, errors.institution_taken),
        Msg::ConfirmDeletion => td_string!(l, errors.confirm_deletion),
        Msg::QuestionNotNow => td_string!(l, errors.question_not_now),
        Msg::VerifyLinkInvalid => td_string!(l, errors.verify_link_invalid),
        Msg::ResetLinkInvalid => td_string!(l, errors.reset_link_invalid),
        Msg::NotVotedYet => td_string!(l, errors.not_voted_yet),
        Msg::CloseVoteFirst => td_string!(l, errors.close_vote_first),
        Msg::VoteFailed => td_string!(l, errors.vote_failed),
        Msg::NoQuorum => td_string!(l, errors.no_quorum),
        Msg::PublishAgendaFirst => td_string!(l, errors.publish_agenda_first),
        Msg::MinutesApprovedNoVoting => td_string!(l, errors.minutes_approved_no_voting),
        Msg::MinutesAfterMeeting => td_string!(l, errors.minutes_after_meeting),
        Msg::MinutesApprovedLocked => td_string!(l, errors.minutes_approved_locked),
        Msg::SuggestionTitle => td_string!(l, errors.suggestion_title),
        Msg::WriteSummary => td_string!(l, errors.write_summary),
        Msg::DecisionTooLong => td_string!(l, errors.decision_too_long),
        Msg::MeetingTime => td_string!(l, errors.meeting_time),
        Msg::MeetingYear => td_string!(l, errors.meeting_year),
        Msg::MeetingPlace => td_string!(l, errors.meeting_place),
        Msg::ItemTitle => td_string!(l, errors.item_title),
        Msg::CouncilArchivedNoMeetings => td_string!(l, errors.council_archived_no_meetings),
        Msg::MissingStep => td_string!(l, errors.missing_step),
        Msg::MeetingMovedOn { .. } => td_string!(l, errors.meeting_moved_on),
        Msg::MeetingFinished => td_string!(l, errors.meeting_finished),
        Msg::CloseVotesBeforeMinutes => td_string!(l, errors.close_votes_before_minutes),
        Msg::MeetingJustMoved => td_string!(l, errors.meeting_just_moved),
        Msg::AgendaLocked => td_string!(l, errors.agenda_locked),
        Msg::ChooseProposal => td_string!(l, errors.choose_proposal),
        Msg::ProposalNotForAgenda => td_string!(l, errors.proposal_not_for_agenda),
        Msg::ChooseVote => td_string!(l, errors.choose_vote),
        Msg::VoteClosed => td_string!(l, errors.vote_closed),
        Msg::AlreadyVoted => td_string!(l, errors.already_voted),
        Msg::VoteAlreadyClosed => td_string!(l, errors.vote_already_closed),
        Msg::VoteExists => td_string!(l, errors.vote_exists),
        Msg::ItemNotProposal => td_string!(l, errors.item_not_proposal),
        Msg::ChooseDecision => td_string!(l, errors.choose_decision),
        Msg::YouthCouncilSendsToPoliticians => {
            td_string!(l, errors.youth_council_sends_to_politicians)
        }
        Msg::NoCouncilToSendTo => td_string!(l, errors.no_council_to_send_to),
        Msg::NotOnAgenda => td_string!(l, errors.not_on_agenda),
        Msg::ChooseCommittee => td_string!(l, errors.choose_committee),
        Msg::WriteWhatCouncilDoes => td_string!(l, errors.write_what_council_does),
        Msg::ChooseApplication => td_string!(l, errors.choose_application),
        Msg::ApplicationMissing => td_string!(l, errors.application_missing),
        Msg::OtherCouncilsApplication => td_string!(l, errors.other_councils_application),
        Msg::ApplicationDecided => td_string!(l, errors.application_decided),
        Msg::ApplicationOnAgenda => td_string!(l, errors.application_on_agenda),
        Msg::ChooseMeeting => td_string!(l, errors.choose_meeting),
        Msg::ChooseUpcomingMeeting => td_string!(l, errors.choose_upcoming_meeting),
        Msg::ProposalHandled => td_string!(l, errors.proposal_handled),
        Msg::ChooseOfficer => td_string!(l, errors.choose_officer),
        Msg::ChooseMember => td_string!(l, errors.choose_member),
        Msg::DecisionNeedsVote => td_string!(l, errors.decision_needs_vote),
        Msg::MinutesSavedByOther => td_string!(l, errors.minutes_saved_by_other),
        Msg::ChooseItem => td_string!(l, errors.choose_item),
        Msg::ItemNotAboutApplication => td_string!(l, errors.item_not_about_application),
        Msg::AmountWhole => td_string!(l, errors.amount_whole),
        Msg::AmountPositive => td_string!(l, errors.amount_positive),
        Msg::AmountNoOre => td_string!(l, errors.amount_no_ore),
        Msg::AmountNumber => td_string!(l, errors.amount_number),
        Msg::AmountTooLarge => td_string!(l, errors.amount_too_large),
        Msg::PoolYear => td_string!(l, errors.pool_year),
        Msg::MaxGrantOverPool => td_string!(l, errors.max_grant_over_pool),
        Msg::PoolMinAge => td_string!(l, errors.pool_min_age),
        Msg::RulesTooLong => td_string!(l, errors.rules_too_long),
        Msg::ActivityTitle { .. } => td_string!(l, errors.activity_title),
        Msg::ActivityAudience { .. } => td_string!(l, errors.activity_audience),
        Msg::ActivityPlace { .. } => td_string!(l, errors.activity_place),
        Msg::ActivityText => td_string!(l, errors.activity_text),
        Msg::ParticipantsExpected => td_string!(l, errors.participants_expected),
        Msg::ActivityDate => td_string!(l, errors.activity_date),
        Msg::ActivityPast => td_string!(l, errors.activity_past),
        Msg::ActivityTooFar => td_string!(l, errors.activity_too_far),
        Msg::AtMostChars { .. } => td_string!(l, errors.at_most_chars),
        Msg::ApplicantTooYoung { .. } => td_string!(l, errors.applicant_too_young),
        Msg::AlreadyPaid => td_string!(l, errors.already_paid),
        Msg::AnswerAlreadyPaid => td_string!(l, errors.answer_already_paid),
        Msg::BudgetLineText { .. } => td_string!(l, errors.budget_line_text),
        Msg::BudgetEmpty => td_string!(l, errors.budget_empty),
        Msg::BudgetSum { .. } => td_string!(l, errors.budget_sum),
        Msg::OverMaxGrant { .. } => td_string!(l, errors.over_max_grant),
        Msg::PartialMustBeLess { .. } => td_string!(l, errors.partial_must_be_less),
        Msg::ChoosePoolDecision => td_string!(l, errors.choose_pool_decision),
        Msg::ReportText => td_string!(l, errors.report_text),
        Msg::ParticipantsCame => td_string!(l, errors.participants_came),
        Msg::OpenYouthCouncilFirst => td_string!(l, errors.open_youth_council_first),
        Msg::PoolNotOpen => td_string!(l, errors.pool_not_open),
        Msg::NothingToReport => td_string!(l, errors.nothing_to_report),
        Msg::ReportAfterActivity => td_string!(l, errors.report_after_activity),
        Msg::PoolAlreadyOpen { .. } => td_string!(l, errors.pool_already_open),
        Msg::PoolTooLittleLeft => td_string!(l, errors.pool_too_little_left),
        Msg::PoolDecisionNeedsVote => td_string!(l, errors.pool_decision_needs_vote),
        Msg::ReportSent => td_string!(l, errors.report_sent),
        Msg::BalanceNegative => td_string!(l, errors.balance_negative),
        Msg::ChooseRole => td_string!(l, errors.choose_role),
        Msg::ChooseRoleCouncil => td_string!(l, errors.choose_role_council),
        Msg::CouncilMissing => td_string!(l, errors.council_missing),
        Msg::RoleDoesNotFitCouncil => td_string!(l, errors.role_does_not_fit_council),
        Msg::WriteYear => td_string!(l, errors.write_year),
        Msg::TermYears => td_string!(l, errors.term_years),
        Msg::SchoolName => td_string!(l, errors.school_name),
        Msg::PupilAge => td_string!(l, errors.pupil_age),
        Msg::ChooseSchool => td_string!(l, errors.choose_school),
        Msg::SchoolMissing => td_string!(l, errors.school_missing),
        Msg::WeeksRange => td_string!(l, errors.weeks_range),
        Msg::RoleTaken => td_string!(l, errors.role_taken),
        Msg::BadFileName => td_string!(l, errors.bad_file_name),
        Msg::CommitteeMissing => td_string!(l, errors.committee_missing),
        Msg::ChooseCouncilSchool => td_string!(l, errors.choose_council_school),
        Msg::CouncilArchivedLocked => td_string!(l, errors.council_archived_locked),
        Msg::CouncilChangedJustNow => td_string!(l, errors.council_changed_just_now),
        Msg::CouncilArchived => td_string!(l, errors.council_archived),
        Msg::ChoosePost => td_string!(l, errors.choose_post),
        Msg::WritePersonEmail => td_string!(l, errors.write_person_email),
        Msg::CouncilArchivedNoAppointments => {
            td_string!(l, errors.council_archived_no_appointments)
        }
        Msg::NoAccountForPerson => td_string!(l, errors.no_account_for_person),
        Msg::NotPupilAtSchool => td_string!(l, errors.not_pupil_at_school),
        Msg::NoActiveTerm => td_string!(l, errors.no_active_term),
        Msg::WritePoliticianEmail => td_string!(l, errors.write_politician_email),
        Msg::NoAccountForPolitician => td_string!(l, errors.no_account_for_politician),
        Msg::PoliticianAdult => td_string!(l, errors.politician_adult),
        Msg::NotOnCommittee => td_string!(l, errors.not_on_committee),
        Msg::AdultAccount => td_string!(l, errors.adult_account),
        Msg::DeadlineUnchangeable => td_string!(l, errors.deadline_unchangeable),
        Msg::MunicipalityName => td_string!(l, errors.municipality_name),
        Msg::AccessibilityContact => td_string!(l, errors.accessibility_contact),
        Msg::AnswerWeeksNumber => td_string!(l, errors.answer_weeks_number),
        Msg::AnswerWeeksRange => td_string!(l, errors.answer_weeks_range),
        Msg::ConsentAge => td_string!(l, errors.consent_age),
        Msg::PoolMinAgeNumber => td_string!(l, errors.pool_min_age_number),
        Msg::PoolMinAgeRange => td_string!(l, errors.pool_min_age_range),
        Msg::ChooseCommitteeDefault => td_string!(l, errors.choose_committee_default),
        Msg::CouncilName => td_string!(l, errors.council_name),
        Msg::ChooseCouncilKind => td_string!(l, errors.choose_council_kind),
        Msg::CouncilAge => td_string!(l, errors.council_age),
        Msg::AgeRangeOrder => td_string!(l, errors.age_range_order),
        Msg::CouncilAgesBetween { .. } => td_string!(l, errors.council_ages_between),
        Msg::CouncilAgesAtLeast { .. } => td_string!(l, errors.council_ages_at_least),
        Msg::CouncilAgesAtMost { .. } => td_string!(l, errors.council_ages_at_most),
        Msg::WriteDate => td_string!(l, errors.write_date),
        Msg::TermOrder => td_string!(l, errors.term_order),
        Msg::TermTooLong => td_string!(l, errors.term_too_long),
        Msg::DeadlineAfterToday => td_string!(l, errors.deadline_after_today),
        Msg::DeadlineWithinYear => td_string!(l, errors.deadline_within_year),
        Msg::CouncilNameTaken => td_string!(l, errors.council_name_taken),
        Msg::RoleInCouncilTaken => td_string!(l, errors.role_in_council_taken),
        Msg::CommitteeNameTaken => td_string!(l, errors.committee_name_taken),
        Msg::SchoolNameTaken => td_string!(l, errors.school_name_taken),
        Msg::StudentCouncilNameTaken => td_string!(l, errors.student_council_name_taken),
        Msg::ReturnTooLarge => td_string!(l, errors.return_too_large),
        Msg::ChooseMailMode => td_string!(l, errors.choose_mail_mode),
        Msg::ChooseMailLang => td_string!(l, errors.choose_mail_lang),
        Msg::UnsubscribeLinkInvalid => td_string!(l, errors.unsubscribe_link_invalid),
        Msg::ChooseMailStatus => td_string!(l, errors.choose_mail_status),
        Msg::HearingTitle { .. } => td_string!(l, errors.hearing_title),
        Msg::HearingQuestion { .. } => td_string!(l, errors.hearing_question),
        Msg::ChooseCouncils => td_string!(l, errors.choose_councils),
        Msg::HearingRespondFuture => td_string!(l, errors.hearing_respond_future),
        Msg::HearingRespondBeforeDecision => td_string!(l, errors.hearing_respond_before_decision),
        Msg::HearingDeadlinePassed => td_string!(l, errors.hearing_deadline_passed),
        Msg::HearingDecided => td_string!(l, errors.hearing_decided),
        Msg::HearingNoInput => td_string!(l, errors.hearing_no_input),
        Msg::HearingInputGiven => td_string!(l, errors.hearing_input_given),
        Msg::HearingFeedbackNotYet => td_string!(l, errors.hearing_feedback_not_yet),
        Msg::HearingFeedbackGiven => td_string!(l, errors.hearing_feedback_given),
        Msg::ChooseUse => td_string!(l, errors.choose_use),
        Msg::HearingDecisionText { .. } => td_string!(l, errors.hearing_decision_text),
        Msg::HearingResponse { .. } => td_string!(l, errors.hearing_response),
        Msg::HearingOnAgenda => td_string!(l, errors.hearing_on_agenda),
        Msg::ChooseHearing => td_string!(l, errors.choose_hearing),
        Msg::ItemNotHearing => td_string!(l, errors.item_not_hearing),
        Msg::LiveCodeUnknown => td_string!(l, errors.live_code_unknown),
        Msg::LiveSessionClosed => td_string!(l, errors.live_session_closed),
        Msg::LiveNotJoined => td_string!(l, errors.live_not_joined),
        Msg::LiveTitle => td_string!(l, errors.live_title),
        Msg::LiveClassName => td_string!(l, errors.live_class_name),
        Msg::LiveChooseKind => td_string!(l, errors.live_choose_kind),
        Msg::LiveQuestion => td_string!(l, errors.live_question),
        Msg::LiveOptions => td_string!(l, errors.live_options),
        Msg::LiveTimer => td_string!(l, errors.live_timer),
        Msg::LiveChooseOption => td_string!(l, errors.live_choose_option),
        Msg::LiveVoteOpen => td_string!(l, errors.live_vote_open),
        Msg::LiveItemTitle => td_string!(l, errors.live_item_title),
        Msg::LiveSpeakersClosed => td_string!(l, errors.live_speakers_closed),
        Msg::LiveIdea => td_string!(l, errors.live_idea),
        Msg::LiveIdeasClosed => td_string!(l, errors.live_ideas_closed),
        Msg::LiveDotsClosed => td_string!(l, errors.live_dots_closed),
        Msg::LiveDotsUsed => td_string!(l, errors.live_dots_used),
        Msg::LiveNotClass => td_string!(l, errors.live_not_class),
        Msg::LiveNoElevraad => td_string!(l, errors.live_no_elevraad),
        Msg::LiveIdeaNotApproved => td_string!(l, errors.live_idea_not_approved),
        Msg::LiveUnknownProposal => td_string!(l, errors.live_unknown_proposal),
    }
}

/// A kind of written text, as the subject of a sentence ("Forklaringen").
fn subject(l: Locale, w: Writing) -> &'static str {
    match w {
        Writing::CouncilDecline => td_string!(l, errors.subject_council_decline),
        Writing::PoolDecision => td_string!(l, errors.subject_pool_decision),
        Writing::ModerationReason => td_string!(l, errors.subject_moderation_reason),
        Writing::AnswerExplanation => td_string!(l, errors.subject_answer_explanation),
        Writing::Clarification => td_string!(l, errors.subject_clarification),
        Writing::FollowUpNote => td_string!(l, errors.subject_follow_up_note),
        Writing::SuggestionDecline => td_string!(l, errors.subject_suggestion_decline),
        Writing::DeadlineReason => td_string!(l, errors.subject_deadline_reason),
    }
}

/// A kind of written text, as what to write ("en forklaring").
fn ask(l: Locale, w: Writing) -> &'static str {
    match w {
        Writing::CouncilDecline => td_string!(l, errors.ask_council_decline),
        Writing::PoolDecision => td_string!(l, errors.ask_pool_decision),
        Writing::ModerationReason => td_string!(l, errors.ask_moderation_reason),
        Writing::AnswerExplanation => td_string!(l, errors.ask_answer_explanation),
        Writing::Clarification => td_string!(l, errors.ask_clarification),
        Writing::FollowUpNote => td_string!(l, errors.ask_follow_up_note),
        Writing::SuggestionDecline => td_string!(l, errors.ask_suggestion_decline),
        Writing::DeadlineReason => td_string!(l, errors.ask_deadline_reason),
    }
}

/// The error in Danish: what the log and Danish API clients see.
impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&error_text(Locale::da, self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_filled_in_both_languages() {
        let e = AppError::invalid("title", Msg::TitleTooShort { min: 5, n: 3 });
        assert_eq!(
            error_text(Locale::da, &e),
            "Titlen skal være mindst 5 tegn (nu 3)."
        );
        assert_eq!(
            error_text(Locale::en, &e),
            "The title must be at least 5 characters (now 3)."
        );
        let long = Msg::TextTooLong { max: 10_000 };
        assert_eq!(
            msg_text(Locale::da, &long),
            "Teksten må højst være 10.000 tegn."
        );
        assert_eq!(
            msg_text(Locale::en, &long),
            "The text can be at most 10,000 characters."
        );
        // `<` and `>` and `«»` come through the translation files as they are.
        assert_eq!(
            msg_text(Locale::da, &Msg::SchoolName),
            "Skolens navn skal være 2 til 100 tegn, uden < og >."
        );
        assert_eq!(
            msg_text(
                Locale::en,
                &Msg::MissingField {
                    field: "title".into()
                }
            ),
            "The field «title» is missing. Fill it in and try again."
        );
        let money = Msg::OverMaxGrant { max: 2_500_000 };
        assert_eq!(
            msg_text(Locale::da, &money),
            "I kan højst søge 25.000,00 kr. pr. ansøgning."
        );
        assert_eq!(
            msg_text(Locale::en, &money),
            "You can apply for at most DKK 25,000 per application."
        );
    }

    #[test]
    fn every_placeholder_has_its_parameter() {
        // A few messages of each kind of parameter, filled in: no `{` is left over.
        let inner = Msg::WritingTooShort {
            what: Writing::CouncilDecline,
            min: 20,
            n: 3,
        };
        for msg in [
            Msg::MissingField {
                field: "body".into(),
            },
            Msg::StageStep {
                from: crate::domain::proposal::Stage::Draft,
                to: crate::domain::proposal::Stage::Submitted,
            },
            Msg::WritingTooLong {
                what: Writing::Clarification,
                max: 2_000,
            },
            Msg::ShownToEveryone {
                first: Box::new(inner),
            },
            Msg::CouncilAgesBetween {
                council: "Ungerådet".into(),
                min: 13,
                max: 25,
                age: 30,
            },
        ] {
            for l in [Locale::da, Locale::en] {
                let text = msg_text(l, &msg);
                assert!(!text.contains('{') && !text.contains('}'), "{text}");
            }
        }
    }
}
