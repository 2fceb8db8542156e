//! The authorization matrix: every server function (enumerated from the routes the app
//! registered, so a new endpoint without a row fails here) is called as anonymous and as
//! each role of the demo world. Allowed roles must get past authorization (no 401/403,
//! never a 5xx) and at least one of them must succeed; refused roles must get 401, 403 or
//! 404, and the database must be exactly as before the refused call.
use crate::common::{app_isolated as app, path};
use crate::security::{changed, fingerprint, registered_endpoints, World, ROLES};
use app::api::{
    account_mail::{
        MailStatus, RequestPasswordReset, ResendVerification, ResetPassword, VerifyEmail,
    },
    accounts::{ChangePassword, CurrentUser, DeleteAccount, GetMyData, Login, Logout, Signup},
    admin::{
        ConfirmUser, CreatePupil, CreateSchool, GetAuditLog, GrantRole, ListCouncils, ListSchools,
        ListUsers, RevokeRole, RevokeTeacher,
    },
    answers::{
        AddFollowUp, AnswerProposal, AnswerUnderstood, ClarifyAnswer, GetHeardOverview, GetInbox,
    },
    class_session::{
        DotClassIdea, ReviewClassIdea, SendClassIdea, SubmitClassIdea, SwitchClass, UndotClassIdea,
    },
    councils::{
        AcceptSuggestion, AddAgendaItem, AddApplicationItem, AdvanceMeeting, AppointOfficer,
        CastVote, CloseVote, CreateMeeting, DecideProposal, DeclineSuggestion, GetCouncil,
        GetMeeting, MoveAgendaItem, OpenVote, SetBallotRules, SuggestItem, WriteMinutes,
    },
    forms::FormToken,
    hearings::{
        AddHearingInput, AdoptResponse, CommentOnDraft, CouncilHearings, CreateHearing,
        DeclineHearing, GetHearing, HearingForm, HearingsForMeeting, ListHearings,
        ModerateHearingInput, PublishFeedback, PutHearingOnAgenda, SaveHearingDraft,
    },
    identities::{LinkLogin, LoginOptions, MyLogins, UnlinkLogin},
    live::{
        AddLiveItem, CastLiveBallot, CloseLive, CloseLiveVote, GetLive, JoinLive, LiveFloor,
        LiveHostKinds, LiveSpeakers, MyLiveSessions, OpenLive, OpenLiveVote,
    },
    mail::{MailPrefs, OutboxMail, OutboxPage, SaveMailPrefs, Unsubscribe},
    moderation::{
        ApproveProposal, DismissReport, HideContent, ModerationQueue, ReportContent,
        SetAnswerWeeks, SetPreModeration,
    },
    notifications::{ListNotifications, MarkRead},
    pool::{
        ApplyToPool, DecideApplication, GetApplication, GetPool, MyPoolDraft, OpenPoolYear,
        ReportBack,
    },
    proposals::{
        AddComment, DeleteDraft, FollowProposal, GetDraft, GetProposal, ListProposals, MyProposals,
        ProposalTargets, SaveProposal, SupportProposal, UnsupportProposal,
    },
    setup::{
        AdminCommittees, AdminCouncils, AdminSchools, AppointMember, ArchiveCommittee,
        ArchiveCouncil, ArchiveSchool, ChangeDeadline, CreateAdult, CreateCommittee, CreateCouncil,
        EndMembership, GetSetup, RenameCommittee, RenameSchool, SaveProfile, SeatPolitician,
        SetCouncilNamesPublic, SetSchoolInstitution, UnseatPolitician, UpdateCouncil,
    },
    teachers::SchoolPupils,
};

/// Who may call. Role keys as in [`ROLES`].
const ALL: &[&str] = &[
    "anon",
    "ung",
    "elev",
    "ida",
    "chair",
    "member",
    "elevraad",
    "formand",
    "politiker",
    "sekretariat",
    "moderator",
];
const USERS: &[&str] = &[
    "ung",
    "elev",
    "ida",
    "chair",
    "member",
    "elevraad",
    "formand",
    "politiker",
    "sekretariat",
    "moderator",
];
const ACTIVE: &[&str] = &[
    "ung",
    "elev",
    "chair",
    "member",
    "elevraad",
    "formand",
    "politiker",
    "sekretariat",
    "moderator",
];
/// Young people with an active account (Ung or Elev): they propose, support, suggest.
const YOUTH: &[&str] = &["ung", "elev", "chair", "member", "elevraad", "formand"];
const RUNNERS: &[&str] = &["chair", "sekretariat"];
const MODERATORS: &[&str] = &["moderator", "sekretariat"];
const COORDINATOR: &[&str] = &["sekretariat"];

pub(crate) struct Row {
    pub(crate) path: &'static str,
    pub(crate) fields: &'static [(&'static str, &'static str)],
    pub(crate) allowed: &'static [&'static str],
    /// Must at least one allowed role's call succeed (2xx/3xx)?
    must_succeed: bool,
}

const fn row(
    path: &'static str,
    fields: &'static [(&'static str, &'static str)],
    allowed: &'static [&'static str],
) -> Row {
    Row {
        path,
        fields,
        allowed,
        must_succeed: true,
    }
}

/// Allowed but expected to be refused by a rule, not by authorization (e.g. wrong password).
const fn row_rule(
    path: &'static str,
    fields: &'static [(&'static str, &'static str)],
    allowed: &'static [&'static str],
) -> Row {
    Row {
        path,
        fields,
        allowed,
        must_succeed: false,
    }
}

/// The join form's key (a page renders a fresh one; here one for the whole matrix).
const LIVE_KEY: &str = "5f3e0c1a9b7d2e4f6a8c0b1d3e5f7a9c1b3d5e7f9a0c2e4f6b8d0a1c3e5f7b9d";
const LONG: &str = "Vi har talt om forslaget på mødet, og rådet mener ikke, at det kan lade sig gøre lige nu, fordi pengene er brugt.";
const ANSWER: &str = "Ja. Vi sætter lys og bænke op ved skaterbanen i foråret. Teknik og Miljø står for arbejdet, og I bliver inviteret med, når placeringen skal vælges. Tak fordi I har holdt fast i forslaget og fået det helt frem til os i udvalget.";

/// The rows, in the order they run: reads first, then writes, with calls that change who
/// is who (role grants, confirmation, sessions) last.
pub(crate) const MATRIX: &[Row] = &[
    // Open to everyone.
    row(path::<CurrentUser>(), &[], ALL),
    row(path::<LoginOptions>(), &[], ALL),
    row(
        path::<ListProposals>(),
        &[("sort", "new"), ("stage", ""), ("theme", ""), ("council", ""), ("q", ""), ("after", "")],
        ALL,
    ),
    row(path::<GetProposal>(), &[("id", "{vandautomat}")], ALL),
    row(path::<GetCouncil>(), &[("id", "{ungeraad}")], ALL),
    row(path::<GetMeeting>(), &[("id", "{next_meeting}")], ALL),
    row(path::<ListCouncils>(), &[], ALL),
    row(path::<ListSchools>(), &[], ALL),
    row(path::<GetPool>(), &[], ALL),
    row(path::<GetApplication>(), &[("id", "{waiting_app}")], ALL),
    row(path::<GetHeardOverview>(), &[], ALL),
    // Logged in.
    row(path::<ListNotifications>(), &[], USERS),
    row(path::<MarkRead>(), &[], USERS),
    row(path::<GetMyData>(), &[], USERS),
    row(path::<MailStatus>(), &[], USERS),
    row(path::<MailPrefs>(), &[], USERS),
    row(path::<MyLogins>(), &[], USERS),
    row(path::<MyProposals>(), &[], USERS),
    // A one-time token for a form that creates something (signed; stores nothing).
    row(path::<FormToken>(), &[], USERS),
    // Where one could send a proposal: council names, public anyway.
    row(path::<ProposalTargets>(), &[], USERS),
    // The caller's own draft; anonymous callers simply have none (the form page asks).
    row(path::<MyPoolDraft>(), &[], ALL),
    row(path::<GetInbox>(), &[], &["politiker", "sekretariat"]),
    row(path::<ModerationQueue>(), &[], MODERATORS),
    row(path::<ListUsers>(), &[("query", ""), ("awaiting", "false")], COORDINATOR),
    row(path::<GetAuditLog>(), &[], COORDINATOR),
    row(path::<OutboxPage>(), &[("status", "")], COORDINATOR),
    row(path::<OutboxMail>(), &[("id", "{outbox_mail}")], COORDINATOR),
    row(path::<GetSetup>(), &[], COORDINATOR),
    row(path::<AdminCouncils>(), &[], COORDINATOR),
    row(path::<AdminCommittees>(), &[], COORDINATOR),
    row(path::<AdminSchools>(), &[], COORDINATOR),
    // A teacher's school list (#23): the demo world has no teacher, so every role here is
    // refused; tests/api/teachers.rs covers the teacher.
    row_rule(path::<SchoolPupils>(), &[], &[]),
    // Proposals.
    row(
        path::<SaveProposal>(),
        &[
            ("title", "Bedre lys på stierne"),
            ("body", "Stierne gennem parken er mørke om vinteren, og mange går hjem fra træning der."),
            ("theme", "fritid_kultur"),
            ("council_id", "{ungeraad}"),
            ("intent", "draft"),
        ],
        YOUTH,
    ),
    row(path::<GetDraft>(), &[("id", "{musik_draft}")], &["ung"]),
    row(path::<DeleteDraft>(), &[("id", "{musik_draft}")], &["ung"]),
    row(path::<SupportProposal>(), &[("proposal_id", "{vandautomat}")], YOUTH),
    row(path::<UnsupportProposal>(), &[("proposal_id", "{vandautomat}")], USERS),
    row(path::<FollowProposal>(), &[("proposal_id", "{vandautomat}"), ("follow", "1")], USERS),
    row(
        path::<AddComment>(),
        &[("proposal_id", "{vandautomat}"), ("body", "Godt forslag, det trænger vi til.")],
        &["ung", "elev", "chair", "member", "elevraad", "formand", "politiker", "sekretariat", "moderator"],
    ),
    // Moderation.
    row(
        path::<ReportContent>(),
        &[("proposal_id", "{vandautomat}"), ("reason", "Det her er skrevet for at drille.")],
        ACTIVE,
    ),
    row(path::<DismissReport>(), &[("report_id", "{open_report}")], MODERATORS),
    row(
        path::<HideContent>(),
        &[("proposal_id", "{mobilfri}"), ("reason", "Skjult i testen af adgangsregler.")],
        MODERATORS,
    ),
    row(path::<ApproveProposal>(), &[("proposal_id", "{skrald_pending}")], MODERATORS),
    row(path::<SetPreModeration>(), &[("on", "off")], COORDINATOR),
    row(path::<SetAnswerWeeks>(), &[("weeks", "8")], COORDINATOR),
    row(
        path::<ChangeDeadline>(),
        &[("proposal_id", "{lys_forwarded}"), ("deadline", "{next_month}"), ("reason", "Udvalget holder ikke møde i juli.")],
        COORDINATOR,
    ),
    // Councils.
    row(path::<SetBallotRules>(), &[("council_id", "{ungeraad}"), ("allow_change", "1")], RUNNERS),
    row(
        path::<CreateMeeting>(),
        &[("council_id", "{ungeraad}"), ("starts_at", "2099-06-01T16:00"), ("place", "Rådhuset")],
        RUNNERS,
    ),
    // Hearings (#21): sent to Ungerådet by the politician and by the coordinator (the
    // coordinator's is the newest, which the rows below use), drafted, commented, put on
    // the new meeting's agenda, young people's input moderated, declined, feedback given.
    // Live sessions (#23): Bytinget opened by who runs a council (the coordinator last, so
    // the newest session — the one the rows below use — is the coordinator's); everyone
    // joins with the code; who joined with an account votes and asks for the floor.
    row(path::<LiveHostKinds>(), &[], ALL),
    row(path::<MyLiveSessions>(), &[], USERS),
    row(
        path::<OpenLive>(),
        &[("kind", "bytinget"), ("title", "Bytinget i testen")],
        &["chair", "formand", "sekretariat"],
    ),
    row(path::<GetLive>(), &[("code", "{live_code}")], ALL),
    row(path::<JoinLive>(), &[("code", "{live_code}"), ("key", LIVE_KEY)], ALL),
    row(path::<AddLiveItem>(), &[("code", "{live_code}"), ("title", "Skaterbanen"), ("proposal", "")], COORDINATOR),
    row(
        path::<OpenLiveVote>(),
        &[("code", "{live_code}"), ("question", "Skal vi bygge den?"), ("options", ""), ("seconds", "0"), ("item_id", "")],
        COORDINATOR,
    ),
    row(path::<CastLiveBallot>(), &[("vote_id", "{live_vote}"), ("option", "0")], USERS),
    row(path::<LiveFloor>(), &[("code", "{live_code}"), ("action", "request")], USERS),
    row(
        path::<LiveSpeakers>(),
        &[("code", "{live_code}"), ("action", "next"), ("current", "{live_speaking}")],
        COORDINATOR,
    ),
    row(path::<CloseLiveVote>(), &[("vote_id", "{live_vote}")], COORDINATOR),
    row(path::<CloseLive>(), &[("code", "{live_code}")], COORDINATOR),
    row(path::<ListHearings>(), &[("before", "")], ALL),
    row(path::<HearingForm>(), &[], &["politiker", "sekretariat"]),
    row(
        path::<CreateHearing>(),
        &[
            ("title", "Skatepark i Byparken"),
            ("question", "Hvad skal der til, for at unge bruger skateparken om aftenen?"),
            ("background", ""),
            ("committee_id", "{politiker_committee}"),
            ("council_ids[0]", "{ungeraad}"),
            ("decision_date", "2098-07-01"),
            ("respond_date", "2098-06-01"),
            ("allow_input", "1"),
        ],
        &["politiker", "sekretariat"],
    ),
    row(path::<GetHearing>(), &[("id", "{hearing}")], ALL),
    row(path::<CouncilHearings>(), &[("council_id", "{ungeraad}")], ALL),
    row(path::<HearingsForMeeting>(), &[("meeting_id", "{next_meeting}")], ALL),
    row(
        path::<SaveHearingDraft>(),
        &[("hearing_id", "{hearing}"), ("council_id", "{ungeraad}"), ("draft", "Vi vil gerne have lys og tag over.")],
        RUNNERS,
    ),
    row(
        path::<CommentOnDraft>(),
        &[("hearing_id", "{hearing}"), ("council_id", "{ungeraad}"), ("body", "Husk bænkene.")],
        &["chair", "member"],
    ),
    row(
        path::<PutHearingOnAgenda>(),
        &[("meeting_id", "{next_meeting}"), ("hearing_id", "{hearing}")],
        RUNNERS,
    ),
    // No vote on the item yet: the rule refuses.
    row_rule(path::<AdoptResponse>(), &[("item_id", "{hearing_item}")], RUNNERS),
    row(
        path::<AddHearingInput>(),
        &[("hearing_id", "{hearing}"), ("body", "Lys og tag over, tak."), ("anonymous", "1")],
        &["ung", "elev", "elevraad", "formand"],
    ),
    row(
        path::<ModerateHearingInput>(),
        &[("input_id", "{hearing_input}"), ("decision", "approve")],
        MODERATORS,
    ),
    row(
        path::<DeclineHearing>(),
        &[("hearing_id", "{hearing}"), ("council_id", "{ungeraad}"), ("reason", "Vi når ikke at holde et møde om det.")],
        RUNNERS,
    ),
    row(
        path::<PublishFeedback>(),
        &[("hearing_id", "{hearing}"), ("decision_text", "Udvalget besluttede at bygge skateparken.")],
        COORDINATOR,
    ),
    // Items go on the new (planned) meeting, which is then published and held (chair,
    // then coordinator), so its minutes can be written below.
    row(
        path::<AddAgendaItem>(),
        &[("meeting_id", "{next_meeting}"), ("title", "Sommerferieaktiviteter"), ("body", "Hvad vil vi lave?")],
        RUNNERS,
    ),
    row(
        path::<AdvanceMeeting>(),
        &[("meeting_id", "{next_meeting}"), ("from", "{next_meeting_status}")],
        RUNNERS,
    ),
    row(path::<MoveAgendaItem>(), &[("item_id", "{any_item}"), ("direction", "up")], RUNNERS),
    row(path::<OpenVote>(), &[("item_id", "{bus_item}")], RUNNERS),
    row(path::<CastVote>(), &[("vote_id", "{open_vote}"), ("choice", "for")], &["chair", "member"]),
    row(path::<CloseVote>(), &[("vote_id", "{open_vote}")], RUNNERS),
    row(
        path::<DecideProposal>(),
        &[("item_id", "{bus_item}"), ("decision", "reject"), ("text", LONG)],
        RUNNERS,
    ),
    // A pool application onto the (published) next meeting's agenda; the waiting one is
    // already there: the council votes on it, for the pool decision below.
    row(
        path::<AddApplicationItem>(),
        &[("meeting_id", "{next_meeting}"), ("application_id", "{graffiti_app}")],
        RUNNERS,
    ),
    row(path::<OpenVote>(), &[("item_id", "{waiting_item}")], RUNNERS),
    row(path::<CastVote>(), &[("vote_id", "{open_vote}"), ("choice", "for")], &["chair", "member"]),
    row(path::<CloseVote>(), &[("vote_id", "{open_vote}")], RUNNERS),
    row(
        path::<SuggestItem>(),
        &[("council_id", "{ungeraad}"), ("title", "Mere om trivsel"), ("body", "Kan vi tale om trivsel på næste møde?")],
        YOUTH,
    ),
    row(
        path::<AcceptSuggestion>(),
        &[("suggestion_id", "{suggestion_new}"), ("meeting_id", "{next_meeting}")],
        RUNNERS,
    ),
    row(
        path::<DeclineSuggestion>(),
        &[("suggestion_id", "{suggestion_old}"), ("reason", "Det har vi allerede talt om på sidste møde.")],
        RUNNERS,
    ),
    row(
        path::<WriteMinutes>(),
        &[("item_id", "{held_item}"), ("summary", "Rådet drøftede punktet."), ("decision", "")],
        RUNNERS,
    ),
    // Class sessions (#23): the world's session is run by its teacher (not a role here)
    // or the coordinator; Elev has joined it with their account. Elev sends an idea, the
    // coordinator approves the waiting one and opens dot-voting, Elev gives and takes back
    // a dot, the coordinator sends the approved idea to the school's elevråd.
    row(path::<SubmitClassIdea>(), &[("code", "{class_code}"), ("body", "Et nyt fodboldmål")], &["elev"]),
    row(path::<ReviewClassIdea>(), &[("idea_id", "{class_pending}"), ("decision", "approve")], COORDINATOR),
    row(path::<SwitchClass>(), &[("code", "{class_code}"), ("what", "dots"), ("open", "true")], COORDINATOR),
    row(path::<DotClassIdea>(), &[("idea_id", "{class_approved}")], &["elev"]),
    row(path::<UndotClassIdea>(), &[("idea_id", "{class_approved}")], &["elev"]),
    row(path::<SendClassIdea>(), &[("idea_id", "{class_approved}")], COORDINATOR),
    // Answers.
    row(
        path::<AnswerProposal>(),
        &[("proposal_id", "{lys_forwarded}"), ("answer", "ja"), ("explanation", ANSWER)],
        &["politiker"],
    ),
    row(
        path::<AddFollowUp>(),
        &[("proposal_id", "{cykelsti_ja}"), ("state", "planlagt"), ("explanation", "Arbejdet starter i marts.")],
        &["politiker", "sekretariat"],
    ),
    row(
        path::<AnswerUnderstood>(),
        &[("proposal_id", "{skoejte_nej}"), ("understood", "nej"), ("clearer", "1")],
        &["member", "ung", "elev"],
    ),
    row(
        path::<ClarifyAnswer>(),
        &[("proposal_id", "{skoejte_nej}"), ("clarification", "Kort sagt: det koster for meget i strøm, og torvet skal bruges til andet om vinteren.")],
        &["politiker"],
    ),
    // Ungerådets pulje.
    row(
        path::<OpenPoolYear>(),
        &[("year", "2088"), ("amount", "100.000"), ("max_grant", "15.000"), ("min_age", "13"), ("rules", "")],
        COORDINATOR,
    ),
    row(
        path::<ApplyToPool>(),
        &[
            ("title", "Filmaften"), ("activity", "Vi viser film for unge i biografen."),
            ("audience", "Unge 13–18 år"), ("participants", "40"), ("date", "2099-05-01"),
            ("place", "Biografen"), ("amount", "1.000"), ("line1_text", "Leje"), ("line1_amount", "1.000"),
            ("intent", "draft"),
        ],
        YOUTH,
    ),
    row(
        path::<DecideApplication>(),
        &[("application_id", "{waiting_app}"), ("item_id", "{waiting_item}"), ("decision", "bevilget")],
        RUNNERS,
    ),
    // Filed after the activity by its applicant; the demo's unreported grant is Oskar's
    // (the row checks who may try; the rule on dates may still refuse).
    row_rule(
        path::<ReportBack>(),
        &[("application_id", "{unreported_grant}"), ("report", "Det gik godt, og mange kom."), ("participants", "30"), ("actual1", "1.000")],
        &["member"],
    ),
    // Setting the municipality up (coordinator).
    row(
        path::<SaveProfile>(),
        &[("name", "Matrixkommune"), ("accessibility_contact", "web@matrix.dk"), ("answer_weeks", "8"), ("consent_age", "15"), ("pool_min_age", "13")],
        COORDINATOR,
    ),
    row(
        path::<CreateCouncil>(),
        &[("kind", "anden"), ("name", "Ungebyrådet i Matrixen"), ("min_age", "14"), ("max_age", "20")],
        COORDINATOR,
    ),
    row(
        path::<UpdateCouncil>(),
        &[("council_id", "{matrix_council}"), ("name", "Ungebyrådet i Matrixen"), ("min_age", "13"), ("max_age", "25")],
        COORDINATOR,
    ),
    row(
        path::<AppointMember>(),
        &[("council_id", "{matrix_council}"), ("email", "{target_email}"), ("starts_on", "2026-01-01"), ("ends_on", "2027-12-31")],
        COORDINATOR,
    ),
    row(path::<EndMembership>(), &[("council_id", "{matrix_council}"), ("user_id", "{target_user}")], COORDINATOR),
    row(path::<SetCouncilNamesPublic>(), &[("council_id", "{matrix_council}"), ("names_public", "1")], COORDINATOR),
    row(path::<ArchiveCouncil>(), &[("council_id", "{matrix_council}")], COORDINATOR),
    row(
        path::<CreateAdult>(),
        &[("first_name", "Birgitte"), ("birth_year", "1970"), ("email", "{adult_email}"), ("password", "en lang nok adgangskode")],
        COORDINATOR,
    ),
    row(path::<CreateCommittee>(), &[("name", "Teknikudvalget i Matrixen")], COORDINATOR),
    row(path::<RenameCommittee>(), &[("committee_id", "{matrix_committee}"), ("name", "Teknik- og Miljøudvalget i Matrixen")], COORDINATOR),
    row(
        path::<SeatPolitician>(),
        &[("committee_id", "{matrix_committee}"), ("email", "politiker@demo.stemme.dk"), ("starts_on", "2026-01-01")],
        COORDINATOR,
    ),
    row(path::<UnseatPolitician>(), &[("committee_id", "{matrix_committee}"), ("user_id", "{mette}")], COORDINATOR),
    row(path::<ArchiveCommittee>(), &[("committee_id", "{matrix_committee}")], COORDINATOR),
    // Roles and accounts (coordinator), then the calls that change who is who.
    row(
        path::<AppointOfficer>(),
        &[("council_id", "{ungeraad}"), ("user_id", "{oskar}"), ("position", "secretary")],
        COORDINATOR,
    ),
    row(path::<CreateSchool>(), &[("name", "Testskolen i Matrixen")], COORDINATOR),
    row(path::<RenameSchool>(), &[("school_id", "{matrix_school}"), ("name", "Nyskolen i Matrixen")], COORDINATOR),
    row(path::<SetSchoolInstitution>(), &[("school_id", "{matrix_school}"), ("institution_number", "M280001")], COORDINATOR),
    row(
        path::<CreatePupil>(),
        &[("first_name", "Otto"), ("birth_year", "2011"), ("email", "{pupil_email}"), ("password", "en lang nok adgangskode"), ("school_id", "{school}")],
        COORDINATOR,
    ),
    row(path::<GrantRole>(), &[("user_id", "{target_user}"), ("role", "moderator")], COORDINATOR),
    row(path::<RevokeRole>(), &[("grant_id", "{target_grant}")], COORDINATOR),
    // The Lærer role (#23): granted at a school, then revoked (a `teachers` row).
    row(path::<GrantRole>(), &[("user_id", "{target_user}"), ("role", "laerer"), ("school_id", "{school}")], COORDINATOR),
    row(path::<RevokeTeacher>(), &[("user_id", "{target_user}")], COORDINATOR),
    row(path::<ConfirmUser>(), &[("user_id", "{ida}")], COORDINATOR),
    row(path::<ArchiveSchool>(), &[("school_id", "{matrix_school}")], COORDINATOR),
    row_rule(
        path::<ChangePassword>(),
        &[("current", "forkert adgangskode"), ("new_password", "en helt ny adgangskode")],
        USERS,
    ),
    row_rule(path::<DeleteAccount>(), &[("password", "forkert adgangskode")], USERS),
    // Mail choices: one's own; unsubscribing by a mail's link needs no session (the link's
    // token names the person: here the target user's updates).
    row(
        path::<SaveMailPrefs>(),
        &[("updates", "weekly"), ("deadlines", ""), ("lang", "da")],
        USERS,
    ),
    row(path::<Unsubscribe>(), &[("token", "{unsubscribe_token}")], ALL),
    // Logins at identity providers (#20): linking needs the password (and a configured
    // provider: the matrix's app has none, so the rule refuses); removing a login that is
    // not the caller's changes nothing.
    row_rule(path::<LinkLogin>(), &[("provider", "mitid"), ("password", "forkert adgangskode")], USERS),
    row(path::<UnlinkLogin>(), &[("identity_id", "999999")], USERS),
    // Public: anyone may try to log in or sign up (a logged-in caller too).
    row_rule(path::<Login>(), &[("email", "ingen@demo.stemme.dk"), ("password", "forkert adgangskode")], ALL),
    row(
        path::<Signup>(),
        &[("first_name", "Nora"), ("birth_year", "2009"), ("email", "{signup_email}"), ("password", "en lang nok adgangskode")],
        ALL,
    ),
    // E-mail verification and password reset (#19). The tokens are the proof, so anyone
    // may try one; a made-up token is refused by the rule. Demo addresses are verified:
    // a re-send succeeds and sends nothing.
    row_rule(path::<VerifyEmail>(), &[("token", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")], ALL),
    row_rule(
        path::<ResetPassword>(),
        &[("token", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"), ("password", "en helt ny adgangskode")],
        ALL,
    ),
    row(path::<ResendVerification>(), &[], USERS),
    row(path::<RequestPasswordReset>(), &[("email", "{own_email}")], ALL),
    row(path::<Logout>(), &[], ALL),
];

async fn resolve_all(
    world: &World,
    app: &crate::common::TestApp,
    fields: &[(&'static str, &'static str)],
) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    for (k, v) in fields {
        out.push((*k, world.resolve(app, v).await));
    }
    out
}

#[tokio::test]
async fn every_endpoint_refuses_every_role_it_should_and_a_refusal_changes_nothing() {
    let app = app().await;
    let world = World::new(&app).await;

    // Every registered server function has a row, and every row an endpoint.
    let registered = registered_endpoints();
    let rows: Vec<String> = MATRIX.iter().map(|r| r.path.to_owned()).collect();
    let missing: Vec<_> = registered.iter().filter(|p| !rows.contains(p)).collect();
    let stale: Vec<_> = rows.iter().filter(|p| !registered.contains(p)).collect();
    assert!(
        missing.is_empty(),
        "endpoints without a row in the authorization matrix: {missing:?}"
    );
    assert!(
        stale.is_empty(),
        "rows for endpoints that do not exist: {stale:?}"
    );

    let mut calls = 0;
    let mut refused = 0;
    let mut problems = Vec::new();
    for r in MATRIX {
        // Refused roles first, so the allowed calls' changes cannot hide a leak.
        let denied = ROLES
            .iter()
            .map(|(k, _)| *k)
            .filter(|k| !r.allowed.contains(k));
        for role in denied {
            let fields = resolve_all(&world, &app, r.fields).await;
            let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let before = fingerprint(&app).await;
            let reply = app.post(r.path, world.cookie(role), &refs).await;
            let after = fingerprint(&app).await;
            calls += 1;
            refused += 1;
            if !matches!(reply.status, 401 | 403 | 404) {
                problems.push(format!(
                    "{} as {role}: expected refusal, got {} {}",
                    r.path,
                    reply.status,
                    reply.body.chars().take(200).collect::<String>()
                ));
            }
            let diff = changed(&before, &after);
            if !diff.is_empty() {
                problems.push(format!(
                    "{} as {role}: refused call changed {diff:?}",
                    r.path
                ));
            }
        }
        let mut succeeded = 0;
        for role in r.allowed {
            // Looked up now: a state a row names (the meeting's step) may have moved.
            let fields = resolve_all(&world, &app, r.fields).await;
            let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let reply = app.post(r.path, world.cookie(role), &refs).await;
            calls += 1;
            if matches!(reply.status, 401 | 403) || reply.status >= 500 {
                problems.push(format!(
                    "{} as {role}: expected to be let through, got {} {}",
                    r.path,
                    reply.status,
                    reply.body.chars().take(200).collect::<String>()
                ));
            }
            if reply.status < 400 {
                succeeded += 1;
            }
        }
        if r.must_succeed && succeeded == 0 {
            problems.push(format!(
                "{}: no allowed role succeeded (is the row's data right?)",
                r.path
            ));
        }
    }
    println!(
        "authorization matrix: {} endpoints × {} roles = {calls} calls, {refused} refused with nothing changed",
        MATRIX.len(),
        ROLES.len()
    );
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
