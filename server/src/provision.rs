//! Accounts made from the command line: the first coordinator, and the demo data set.
use app::domain::account::{self as rules, AccountStatus, CouncilKind, RoleKind};
use app::domain::error::AppError;
use app::domain::ids::{CouncilId, SchoolId, UserId};
use app::domain::proposal::{
    Answer, AnswerKind, AnswerReason, Explanation, FollowUpState, Intent, ProposalContent, Theme,
    Visibility,
};
use app::ssr::db::{councils, moderation, proposals, schools, supports, users, Db, DbError};
use app::ssr::password;

/// The password of every demo account (documented in the README).
pub const DEMO_PASSWORD: &str = "stemme-demo-2026";

#[derive(Debug, thiserror::Error)]
pub enum ProvisionError {
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<AppError> for ProvisionError {
    fn from(e: AppError) -> Self {
        ProvisionError::Invalid(e.to_string())
    }
}

async fn hash(password: &str) -> Result<String, ProvisionError> {
    password::hash(password.to_owned())
        .await
        .map_err(ProvisionError::Invalid)
}

/// Creates a coordinator (Sekretariat) account, or gives an existing account the role.
pub async fn create_coordinator(
    db: &Db,
    first_name: &str,
    email: &str,
    password: &str,
) -> Result<UserId, ProvisionError> {
    let first_name = rules::validate_first_name(first_name)?;
    let email = rules::validate_email(email)?;
    rules::validate_new_password("password", password)?;
    let pool = db.pool();
    let id = match users::find_login(pool, &email).await? {
        Some(row) => row.id,
        None => {
            let hash = hash(password).await?;
            // The account and its verification mail in one transaction: the coordinator
            // confirms the address like everyone else before mail goes to it.
            let mut tx = app::ssr::db::write_tx(pool).await?;
            let id = users::create_tx(
                &mut tx,
                users::NewUser {
                    first_name: &first_name,
                    email: &email,
                    birth_year: 1980,
                    password_hash: &hash,
                    status: AccountStatus::Active,
                    school_id: None,
                    youth: false,
                },
            )
            .await?;
            app::ssr::db::mail::queue_verification_tx(&mut tx, id, chrono::Utc::now()).await?;
            tx.commit().await.map_err(DbError::from)?;
            id
        }
    };
    match users::grant(pool, id, RoleKind::Sekretariat, None, None, id).await {
        Ok(grant) => {
            app::ssr::db::audit::record(
                pool,
                id,
                app::domain::audit::AuditAction::RoleGranted,
                "user",
                Some(id.0),
                &format!(
                    "sekretariat (tildeling {}, via server create-coordinator)",
                    grant.0
                ),
            )
            .await?;
            Ok(id)
        }
        Err(DbError::Conflict(_)) => Ok(id),
        Err(e) => Err(e.into()),
    }
}

/// One demo person.
struct Demo {
    first_name: &'static str,
    email: &'static str,
    birth_year: i32,
    status: AccountStatus,
    school: Option<usize>,
    roles: &'static [(RoleKind, Option<&'static str>)],
}

const UNGERAAD: &str = "Ungerådet";
const FAELLES: &str = "Det Fælles Elevråd";
const SCHOOLS: [&str; 2] = ["Søndervangskolen", "Bakkehusets Skole"];
const ELEVRAAD_1: &str = "Elevrådet på Søndervangskolen";
const ELEVRAAD_2: &str = "Elevrådet på Bakkehusets Skole";

const DEMO_USERS: &[Demo] = &[
    Demo {
        first_name: "Sofie",
        email: "ung@demo.stemme.dk",
        birth_year: 2009,
        status: AccountStatus::Active,
        school: None,
        roles: &[],
    },
    Demo {
        first_name: "Ali",
        email: "elev@demo.stemme.dk",
        birth_year: 2011,
        status: AccountStatus::Active,
        school: Some(0),
        roles: &[],
    },
    Demo {
        first_name: "Ida",
        email: "ida14@demo.stemme.dk",
        birth_year: 2012,
        status: AccountStatus::AwaitingConfirmation,
        school: None,
        roles: &[],
    },
    Demo {
        first_name: "Freja",
        email: "ungeraad@demo.stemme.dk",
        birth_year: 2008,
        status: AccountStatus::Active,
        school: None,
        roles: &[(RoleKind::Ungeraadsmedlem, Some(UNGERAAD))],
    },
    Demo {
        first_name: "Oskar",
        email: "ungeraad2@demo.stemme.dk",
        birth_year: 2007,
        status: AccountStatus::Active,
        school: None,
        roles: &[(RoleKind::Ungeraadsmedlem, Some(UNGERAAD))],
    },
    Demo {
        first_name: "Malthe",
        email: "ungeraad3@demo.stemme.dk",
        birth_year: 2009,
        status: AccountStatus::Active,
        school: None,
        roles: &[(RoleKind::Ungeraadsmedlem, Some(UNGERAAD))],
    },
    Demo {
        first_name: "Noah",
        email: "elevraad@demo.stemme.dk",
        birth_year: 2011,
        status: AccountStatus::Active,
        school: Some(0),
        roles: &[(RoleKind::Elevraadsmedlem, Some(ELEVRAAD_1))],
    },
    Demo {
        first_name: "Emma",
        email: "formand@demo.stemme.dk",
        birth_year: 2010,
        status: AccountStatus::Active,
        school: Some(1),
        roles: &[
            (RoleKind::Elevraadsformand, Some(ELEVRAAD_2)),
            (RoleKind::Elevraadsmedlem, Some(FAELLES)),
        ],
    },
    Demo {
        first_name: "Mette",
        email: "politiker@demo.stemme.dk",
        birth_year: 1975,
        status: AccountStatus::Active,
        school: None,
        roles: &[(RoleKind::Politiker, None)],
    },
    Demo {
        first_name: "Lars",
        email: "sekretariat@demo.stemme.dk",
        birth_year: 1982,
        status: AccountStatus::Active,
        school: None,
        roles: &[(RoleKind::Sekretariat, None)],
    },
    Demo {
        first_name: "Hanne",
        email: "moderator@demo.stemme.dk",
        birth_year: 1988,
        status: AccountStatus::Active,
        school: None,
        roles: &[(RoleKind::Moderator, None)],
    },
];

/// Loads the demo data: two schools with their elevråd, the Ungeråd, Det Fælles Elevråd,
/// and one account per role. Safe to run again: what exists is left alone.
pub async fn load_demo(db: &Db) -> Result<usize, ProvisionError> {
    let pool = db.pool();
    let mut school_ids: Vec<SchoolId> = Vec::new();
    for name in SCHOOLS {
        let existing = schools::list(pool)
            .await?
            .into_iter()
            .find(|s| s.name == name);
        let id = match existing {
            Some(s) => s.id,
            None => schools::create(pool, name).await?,
        };
        school_ids.push(id);
    }
    let councils = schools::councils(pool).await?;
    for (kind, name) in [
        (CouncilKind::Ungeraad, UNGERAAD),
        (CouncilKind::FaellesElevraad, FAELLES),
    ] {
        if !councils.iter().any(|c| c.name == name) {
            // As the coordinator does at /admin/raad: Ungerådet is for 14–20-year-olds.
            let ages = if kind == CouncilKind::Ungeraad {
                (Some(14), Some(20))
            } else {
                (None, None)
            };
            app::ssr::db::setup::create_council(pool, kind, name, None, ages).await?;
        }
    }
    let councils = schools::councils(pool).await?;
    let council_id = |name: &str| -> Option<CouncilId> {
        councils.iter().find(|c| c.name == name).map(|c| c.id)
    };
    let year = app::api::accounts::current_year();
    let hash = hash(DEMO_PASSWORD).await?;
    let mut created = 0;
    for d in DEMO_USERS {
        if users::find_login(pool, d.email).await?.is_some() {
            continue;
        }
        // Keep the demo ages stable over the years: shift birth years with the calendar.
        let birth_year = d.birth_year + (year - 2026);
        let id = users::create(
            pool,
            users::NewUser {
                first_name: d.first_name,
                email: d.email,
                birth_year,
                password_hash: &hash,
                status: d.status,
                school_id: d.school.and_then(|i| school_ids.get(i).copied()),
                youth: !d.roles.iter().any(|(r, _)| {
                    matches!(
                        r,
                        RoleKind::Politiker | RoleKind::Sekretariat | RoleKind::Moderator
                    )
                }),
            },
        )
        .await?;
        // Demo addresses are taken as verified, so the demo's mail shows at /admin/post.
        let mut tx = app::ssr::db::write_tx(pool).await?;
        app::ssr::db::mail::mark_verified_tx(&mut tx, id, chrono::Utc::now()).await?;
        tx.commit().await.map_err(app::ssr::db::DbError::from)?;
        for (role, council) in d.roles {
            match council.and_then(council_id) {
                // A dated term, as appointed at /admin/raad: this January to next December.
                Some(council) => {
                    let term = (
                        chrono::NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default(),
                        chrono::NaiveDate::from_ymd_opt(year + 1, 12, 31).unwrap_or_default(),
                    );
                    app::ssr::db::setup::appoint(pool, id, *role, council, term, id).await?;
                }
                None => {
                    users::grant(pool, id, *role, None, None, id).await?;
                }
            }
        }
        created += 1;
    }
    // Mette sits in Børne- og Ungeudvalget, which answers the forwarded proposals.
    // Seated from 1 January, as at /admin/udvalg; the committee is the profile's default.
    if let Some(mette) = users::find_login(pool, "politiker@demo.stemme.dk").await? {
        let committee = app::ssr::db::answers::ensure_committee(pool, COMMITTEE).await?;
        let from = chrono::NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default();
        app::ssr::db::setup::seat_politician(pool, committee, mette.id, from, mette.id).await?;
        let mut profile = app::ssr::db::settings::profile(pool).await?;
        if profile.name.is_empty() {
            profile.name = "Demokommune".into();
            profile.accessibility_contact = "tilgaengelighed@demo.stemme.dk".into();
        }
        profile.default_committee.get_or_insert(committee.0);
        app::ssr::db::settings::save_profile(pool, &profile).await?;
    }
    load_demo_proposals(db).await?;
    Ok(created)
}

/// A demo proposal and how far its life has come.
struct DemoProposal {
    author: &'static str,
    title: &'static str,
    body: &'static str,
    theme: Theme,
    /// Council name; None = the author's own elevråd.
    council: Option<&'static str>,
    show_name: bool,
    days_ago: i64,
    end: DemoEnd,
    supporters: &'static [&'static str],
}

enum DemoEnd {
    Draft,
    Pending,
    Submitted,
    OnAgenda,
    /// Overdue or not follows from `days_ago` (the deadline is 8 weeks after the decision).
    Forwarded,
    Rejected(&'static str),
    Resolved(&'static str),
    Answered(AnswerKind, &'static str),
}

const COMMITTEE: &str = "Børne- og Ungeudvalget";

const NEJ_TEXT: &str = "Tak for jeres forslag om en skøjtebane på torvet. Vi har undersøgt det grundigt sammen med Teknik og Miljø. \
En kunstfrossen bane koster omkring 1,2 mio. kr. pr. vinter i strøm og drift, og det er mere end hele budgettet til fritidsaktiviteter for unge. \
Torvet bruges også til julemarked og busser til erstatningskørsel, så det kan ikke lukkes i tre måneder. \
Vi vil i stedet gerne se på, om skøjtehallen kan holde gratis åbent for unge fredag aften. Det svarer vi på i januar.";

const DELVIST_TEXT: &str = "Vi er enige i, at gratis menstruationsprodukter gør en forskel. Derfor sætter vi det i gang på alle kommunens skoler fra 1. februar. \
Vi kan ikke samtidig gøre det i alle kommunens idrætshaller og fritidsklubber, fordi det kræver en aftale med foreningerne, som selv driver mange af stederne. \
Det tager vi op med foreningerne i foråret, og I hører fra os igen, når vi ved mere.";

const JA_TEXT: &str = "Ja. Cykelstien langs Skolevej kommer med i budgettet for næste år. Tak fordi I holdt fast i det.";

const DEMO_PROPOSALS: &[DemoProposal] = &[
    DemoProposal {
        author: "ung@demo.stemme.dk",
        title: "Musik i frikvartererne",
        body: "Det ville være hyggeligt med musik i skolegården i de store frikvarterer. Eleverne kan skiftes til at vælge.",
        theme: Theme::SkoleLaering,
        council: Some(UNGERAAD),
        show_name: true,
        days_ago: 1,
        end: DemoEnd::Draft,
        supporters: &[],
    },
    DemoProposal {
        author: "elev@demo.stemme.dk",
        title: "Flere skraldespande i Byparken",
        body: "Der flyder med skrald i Byparken efter weekenden. Flere skraldespande ved bænkene og grillpladsen ville hjælpe.",
        theme: Theme::ByNatur,
        council: Some(UNGERAAD),
        show_name: true,
        days_ago: 2,
        end: DemoEnd::Pending,
        supporters: &[],
    },
    DemoProposal {
        author: "elev@demo.stemme.dk",
        title: "Vandautomat på 2. sal",
        body: "Der er kun én vandhane på hele 2. sal, og der er altid kø i frikvarteret. En vandautomat ville gøre det nemmere at drikke vand i løbet af dagen.",
        theme: Theme::TrivselSundhed,
        council: None,
        show_name: true,
        days_ago: 6,
        end: DemoEnd::Submitted,
        supporters: &["ung@demo.stemme.dk"],
    },
    DemoProposal {
        author: "ung@demo.stemme.dk",
        title: "Gratis bus for unge om aftenen",
        body: "Mange af os kan ikke komme hjem fra sport og fritidsjob om aftenen, fordi bussen er for dyr.\n\nGratis bus for unge under 18 efter kl. 18 ville gøre det trygt og nemt.",
        theme: Theme::FritidKultur,
        council: Some(UNGERAAD),
        show_name: true,
        days_ago: 20,
        end: DemoEnd::OnAgenda,
        supporters: &["elev@demo.stemme.dk", "ungeraad@demo.stemme.dk", "ungeraad2@demo.stemme.dk"],
    },
    DemoProposal {
        author: "ungeraad@demo.stemme.dk",
        title: "Lys og bænke ved skaterbanen",
        body: "Skaterbanen er mørk fra oktober, og der er ingen steder at sidde. Lys til kl. 22 og et par bænke ville gøre den til et sted, man har lyst til at være.",
        theme: Theme::FritidKultur,
        council: Some(UNGERAAD),
        show_name: true,
        days_ago: 30,
        end: DemoEnd::Forwarded,
        supporters: &["ung@demo.stemme.dk", "elev@demo.stemme.dk"],
    },
    DemoProposal {
        author: "ungeraad2@demo.stemme.dk",
        title: "Længere åbningstid i ungdomsklubben",
        body: "Ungdomsklubben lukker kl. 21 på hverdage. Mange af os har først fri fra sport kl. 20. Åbent til kl. 23 fredag og lørdag ville betyde meget.",
        theme: Theme::Faellesskab,
        council: Some(UNGERAAD),
        show_name: false,
        days_ago: 100,
        end: DemoEnd::Forwarded,
        supporters: &["ung@demo.stemme.dk", "elev@demo.stemme.dk", "ungeraad@demo.stemme.dk"],
    },
    DemoProposal {
        author: "elev@demo.stemme.dk",
        title: "Mobilfri skole hele dagen",
        body: "Jeg synes, vi skal aflevere mobilen om morgenen og først få den igen, når skolen slutter, så vi snakker mere sammen i frikvarteret.",
        theme: Theme::SkoleLaering,
        council: None,
        show_name: true,
        days_ago: 40,
        end: DemoEnd::Rejected("Elevrådet stemte imod, fordi mange elever bruger mobilen til at tjekke skema, bus og aftaler med forældre. Vi vil i stedet foreslå mobilfri frikvarterer én dag om ugen og se, hvordan det går."),
        supporters: &[],
    },
    DemoProposal {
        author: "formand@demo.stemme.dk",
        title: "Julefest for hele skolen",
        body: "Vi vil gerne holde en julefest for alle klasser i hallen den sidste skoledag før juleferien, med musik og boder lavet af eleverne.",
        theme: Theme::Faellesskab,
        council: None,
        show_name: true,
        days_ago: 35,
        end: DemoEnd::Resolved("Elevrådet arrangerer festen selv sammen med skolens ledelse. Hver klasse laver en bod, og 9. klasse står for musikken."),
        supporters: &[],
    },
    DemoProposal {
        author: "ung@demo.stemme.dk",
        title: "Cykelsti langs Skolevej",
        body: "Skolevej er farlig at cykle på om morgenen, når forældre kører børn i skole. En rigtig cykelsti ville gøre det sikkert at cykle selv.",
        theme: Theme::ByNatur,
        council: Some(UNGERAAD),
        show_name: true,
        days_ago: 120,
        end: DemoEnd::Answered(AnswerKind::Ja, JA_TEXT),
        supporters: &["elev@demo.stemme.dk", "ungeraad@demo.stemme.dk", "ungeraad2@demo.stemme.dk", "formand@demo.stemme.dk"],
    },
    DemoProposal {
        author: "ungeraad@demo.stemme.dk",
        title: "Gratis menstruationsprodukter",
        body: "Det er dyrt og pinligt at mangle bind eller tamponer i skolen. Gratis menstruationsprodukter på toiletterne på skoler og i haller ville hjælpe mange.",
        theme: Theme::TrivselSundhed,
        council: Some(UNGERAAD),
        show_name: true,
        days_ago: 90,
        end: DemoEnd::Answered(AnswerKind::Delvist, DELVIST_TEXT),
        supporters: &["ung@demo.stemme.dk", "formand@demo.stemme.dk"],
    },
    DemoProposal {
        author: "ungeraad2@demo.stemme.dk",
        title: "Skøjtebane på torvet hele vinteren",
        body: "En skøjtebane på torvet fra december til februar ville give liv i byen og et gratis sted at mødes om vinteren.",
        theme: Theme::FritidKultur,
        council: Some(UNGERAAD),
        show_name: true,
        days_ago: 80,
        end: DemoEnd::Answered(AnswerKind::Nej, NEJ_TEXT),
        supporters: &["ung@demo.stemme.dk", "elev@demo.stemme.dk"],
    },
];

/// Demo proposals in every stage of their life (idempotent: skipped when the demo
/// authors already have proposals). Returns how many were created.
async fn load_demo_proposals(db: &Db) -> Result<usize, ProvisionError> {
    let pool = db.pool();
    let user = |email: &'static str| async move {
        users::find_login(pool, email)
            .await
            .map(|u| u.map(|u| u.id))
    };
    let Some(sofie) = user("ung@demo.stemme.dk").await? else {
        return Ok(0);
    };
    if !proposals::by_author(pool, sofie).await?.is_empty() {
        return Ok(0);
    }
    let councils = schools::councils(pool).await?;
    let council_named = |name: &str| councils.iter().find(|c| c.name == name).map(|c| c.id);
    let ungeraad = council_named(UNGERAAD)
        .ok_or_else(|| ProvisionError::Invalid("Ungerådet mangler".into()))?;
    let now = chrono::Utc::now();
    let day = chrono::Duration::days(1);
    // Freja chairs Ungerådet; its next meeting is planned, with a proposal on the agenda.
    let freja = user("ungeraad@demo.stemme.dk").await?;
    if let Some(freja) = freja {
        councils::set_officer(pool, ungeraad, freja, "chair").await?;
    }
    // Emma chairs Det Fælles Elevråd.
    if let (Some(faelles), Some(emma)) = (
        council_named(FAELLES),
        user("formand@demo.stemme.dk").await?,
    ) {
        councils::set_officer(pool, faelles, emma, "chair").await?;
    }
    let next_meeting_at = (now + day * 10)
        .date_naive()
        .and_hms_opt(16, 0, 0)
        .map(|t| t.and_utc())
        .unwrap_or(now);
    let meeting = councils::create_meeting(
        pool,
        ungeraad,
        next_meeting_at,
        "Ungdomshuset, mødelokale 1",
        freja.unwrap_or(sofie),
        None,
    )
    .await?;
    councils::advance_meeting(
        pool,
        meeting,
        app::domain::council::MeetingStatus::Planned,
        app::domain::council::MeetingStatus::Published,
    )
    .await?;
    demo_past_meeting(pool, ungeraad, now - day * 20).await?;
    let mut created = 0;
    for d in DEMO_PROPOSALS {
        let Some(author) = user(d.author).await? else {
            continue;
        };
        let me = users::session_user(pool, author).await?;
        let council = match d.council {
            Some(name) => council_named(name),
            None => {
                let school = me.as_ref().and_then(|u| u.school_id);
                proposals::targets(pool, school)
                    .await?
                    .into_iter()
                    .map(|t| t.id)
                    .find(|id| *id != ungeraad)
            }
        }
        .unwrap_or(ungeraad);
        let content = ProposalContent {
            title: d.title.into(),
            body: d.body.into(),
            theme: d.theme,
            council,
            show_name: d.show_name,
        };
        let (intent, visibility) = match d.end {
            DemoEnd::Draft => (Intent::Draft, Visibility::Published),
            DemoEnd::Pending => (Intent::Submit, Visibility::Pending),
            _ => (Intent::Submit, Visibility::Published),
        };
        let start = now - day * d.days_ago as i32;
        let id = proposals::create_at(
            pool,
            author,
            &content,
            intent,
            visibility,
            start.timestamp_micros(),
            None,
        )
        .await?;
        created += 1;
        for s in d.supporters {
            if let Some(u) = user(s).await? {
                supports::support(pool, id, u).await?;
                supports::follow(pool, id, u, true).await?;
            }
        }
        let meeting_label = Some(format!(
            "{} — møde",
            councils
                .iter()
                .find(|c| c.id == council)
                .map(|c| c.name.as_str())
                .unwrap_or("Rådet")
        ));
        let agenda = start + day * 3;
        let decided = start + day * 10;
        let on_agenda = proposals::Step::PutOnAgenda {
            council,
            meeting: meeting_label,
            meeting_id: None,
        };
        // Forwarding and rejecting rest on a real vote: a meeting of the council with the
        // proposal on its agenda, ballots by the council's demo members, closed.
        let vote = match d.end {
            DemoEnd::Forwarded | DemoEnd::Rejected(_) | DemoEnd::Answered(..) => {
                let chair = freja.unwrap_or(author);
                demo_vote(
                    pool,
                    council,
                    DemoItem::Proposal(id, d.title),
                    chair,
                    agenda,
                    decided,
                )
                .await?
            }
            _ => None,
        };
        let forward = proposals::Step::Decide {
            council,
            decision: app::domain::proposal::CouncilDecision::Forwarded {
                committee: app::ssr::db::answers::ensure_committee(pool, COMMITTEE).await?,
                deadline: decided + chrono::Duration::weeks(8),
            },
            vote,
        };
        let voted = vote.is_some();
        let steps: Vec<(proposals::Step, chrono::DateTime<chrono::Utc>)> = match d.end {
            DemoEnd::Draft | DemoEnd::Pending | DemoEnd::Submitted => vec![],
            DemoEnd::OnAgenda if council == ungeraad => {
                councils::add_item(
                    pool,
                    meeting,
                    ungeraad,
                    format!("Ungerådets møde {}", next_meeting_at.format("%d.%m.%Y")),
                    d.title,
                    None,
                    Some(id),
                    freja.unwrap_or(author),
                    None,
                )
                .await?;
                vec![]
            }
            DemoEnd::OnAgenda => vec![(on_agenda, agenda)],
            // Put on the agenda with the vote's meeting; decided only when the vote passed.
            DemoEnd::Forwarded | DemoEnd::Rejected(_) | DemoEnd::Answered(..) if !voted => {
                vec![]
            }
            DemoEnd::Forwarded => vec![(forward, decided)],
            DemoEnd::Rejected(why) => vec![(
                proposals::Step::Decide {
                    council,
                    decision: app::domain::proposal::CouncilDecision::Rejected {
                        explanation: why.into(),
                    },
                    vote,
                },
                decided,
            )],
            DemoEnd::Resolved(how) => vec![
                (on_agenda, agenda),
                (
                    proposals::Step::Decide {
                        council,
                        decision: app::domain::proposal::CouncilDecision::Resolved {
                            how: how.into(),
                        },
                        vote: None,
                    },
                    decided,
                ),
            ],
            DemoEnd::Answered(kind, text) => {
                let answer = match kind {
                    AnswerKind::Ja => Answer::Ja {
                        note: Some(text.into()),
                    },
                    AnswerKind::Delvist => Answer::Delvist(Explanation::new(text)?),
                    AnswerKind::Nej => Answer::Nej(Explanation::new(text)?),
                };
                vec![
                    (forward, decided),
                    (
                        proposals::Step::Answer {
                            committee: COMMITTEE.into(),
                            reason: (kind != AnswerKind::Ja).then_some(
                                if kind == AnswerKind::Nej {
                                    AnswerReason::Oekonomi
                                } else {
                                    AnswerReason::AlleredePlanlagt
                                },
                            ),
                            answer,
                            by: "Mette (Børne- og Ungeudvalget)".into(),
                        },
                        decided + day * 30,
                    ),
                ]
            }
        };
        for (step, at) in steps {
            proposals::step(pool, id, step, None, at).await?;
        }
        if let DemoEnd::Answered(kind, _) = d.end {
            // "Forstod du svaret?": the supporters have replied (the last one did not).
            for (i, s) in d.supporters.iter().enumerate() {
                if let Some(u) = user(s).await? {
                    let understood = i + 1 < d.supporters.len();
                    app::ssr::db::answers::give_feedback(
                        pool,
                        id,
                        u,
                        understood,
                        false,
                        start + day * 42,
                    )
                    .await?;
                }
            }
            if kind != AnswerKind::Nej {
                proposals::follow_up(
                    pool,
                    id,
                    FollowUpState::Planlagt,
                    "Sagen er givet videre til forvaltningen, som lægger en plan.",
                    None,
                    start + day * 45,
                    None,
                )
                .await?;
                proposals::follow_up(
                    pool,
                    id,
                    FollowUpState::IGang,
                    "Arbejdet er gået i gang. Vi skriver her, når det er færdigt.",
                    None,
                    start + day * 70,
                    None,
                )
                .await?;
            }
        }
        if d.title.starts_with("Gratis bus") {
            if let Some(u) = user("elev@demo.stemme.dk").await? {
                moderation::add_comment(
                    pool,
                    id,
                    u,
                    "God idé! Jeg går til håndbold til kl. 20 og skal altid have et lift hjem.",
                    None,
                )
                .await?;
            }
            if let Some(u) = user("ungeraad@demo.stemme.dk").await? {
                if let Some(c) = moderation::add_comment(
                    pool,
                    id,
                    u,
                    "Køb billige busbilletter her: www.eksempel-spam.dk",
                    None,
                )
                .await?
                {
                    let moderator = user("moderator@demo.stemme.dk").await?.unwrap_or(u);
                    moderation::hide(
                        pool,
                        id,
                        Some(c),
                        "Reklame for en anden hjemmeside.",
                        moderator,
                    )
                    .await?;
                }
            }
        }
    }
    demo_pool(pool, ungeraad, meeting, now).await?;
    Ok(created)
}

/// Ungerådets pulje: last year with grants, reports and money paid back, each decided on a
/// passed vote at a meeting; this year open with two applications waiting for the council
/// (the first on the agenda of its next meeting), nothing granted yet.
async fn demo_pool(
    pool: &sqlx::AnyPool,
    ungeraad: CouncilId,
    next_meeting: app::domain::council::MeetingId,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), ProvisionError> {
    use app::domain::pool::{self as p, Application, BudgetLine, Decision, PoolSettings, Report};
    use app::ssr::db::pool as dbp;
    let find = |email: &'static str| async move {
        users::find_login(pool, email)
            .await
            .map(|u| u.map(|u| u.id))
    };
    let (Some(coordinator), Some(freja), Some(sofie), Some(ali), Some(oskar)) = (
        find("sekretariat@demo.stemme.dk").await?,
        find("ungeraad@demo.stemme.dk").await?,
        find("ung@demo.stemme.dk").await?,
        find("elev@demo.stemme.dk").await?,
        find("ungeraad2@demo.stemme.dk").await?,
    ) else {
        return Ok(());
    };
    let this_year = app::domain::heard::local_year(now);
    let today = p::danish_today(now);
    let rules = "Puljen støtter aktiviteter, som unge selv finder på og står for. \
                 Vi støtter ikke udgifter, der allerede er betalt.";
    let settings = |year: i32| PoolSettings {
        year,
        amount: p::DEFAULT_AMOUNT_ORE,
        max_grant: p::DEFAULT_MAX_GRANT_ORE,
        min_age: p::DEFAULT_MIN_AGE,
        rules: rules.into(),
    };
    let app = |title: &str, activity: &str, date: chrono::NaiveDate, lines: &[(&str, i64)]| {
        let lines: Vec<BudgetLine> = lines
            .iter()
            .map(|(text, kr)| BudgetLine {
                text: (*text).into(),
                amount: kr * 100,
                actual: None,
            })
            .collect();
        Application {
            title: title.into(),
            activity: activity.into(),
            audience: "Unge 13–25 år i kommunen".into(),
            participants: 80,
            date,
            place: "Ungdomshuset".into(),
            members: "Ali, Sofie".into(),
            amount: lines.iter().map(|l| l.amount).sum(),
            lines,
        }
    };
    let last = dbp::open_year(pool, &settings(this_year - 1), ungeraad, coordinator).await?;
    let past =
        |m: u32, d: u32| chrono::NaiveDate::from_ymd_opt(this_year - 1, m, d).unwrap_or(today);
    let grants = [
        (
            sofie,
            "Sommerkoncert i Byparken",
            "En gratis koncert med tre lokale ungdomsbands, som unge selv arrangerer.",
            past(6, 20),
            vec![
                ("Lydanlæg og scene", 9_000),
                ("Honorar til bands", 6_000),
                ("Plakater", 1_000),
            ],
            Decision::Bevilget {
                conditions: Some("Koncerten skal være gratis og åben for alle.".into()),
            },
            Some((
                "Over 300 kom til koncerten, og tre nye bands spillede for første gang.",
                310,
                vec![9_000, 6_000, 400],
            )),
        ),
        (
            ali,
            "Lektiecafé med pizza",
            "Ældre elever hjælper yngre med lektier hver torsdag, og der er pizza bagefter.",
            past(9, 1),
            vec![("Pizza", 4_000), ("Materialer", 1_000)],
            Decision::Delvist {
                amount: 400_000,
                explanation: "Vi støtter pizzaen, men skolen har allerede materialerne.".into(),
                conditions: None,
            },
            Some((
                "Caféen var åben 12 torsdage, og i gennemsnit kom 25 elever.",
                25,
                vec![3_800, 0],
            )),
        ),
        (
            oskar,
            "Skatertur til København",
            "En dagstur for unge skatere til de store skateparker i København.",
            past(10, 15),
            vec![("Togbilletter", 3_000), ("Entré", 1_500)],
            Decision::Bevilget { conditions: None },
            None,
        ),
    ];
    let at = |m: u32, d: u32| {
        past(m, d)
            .and_hms_opt(12, 0, 0)
            .map(|t| t.and_utc())
            .unwrap_or(now)
    };
    for (i, (who, title, activity, date, lines, decision, report)) in grants.into_iter().enumerate()
    {
        let a = app(title, activity, date, &lines);
        let id = dbp::create_application(pool, last, who, &a, None).await?;
        let decided = at(3 + i as u32, 10);
        let Some(vote) = demo_vote(
            pool,
            ungeraad,
            DemoItem::Application(id, title),
            freja,
            decided - chrono::Duration::days(7),
            decided,
        )
        .await?
        else {
            continue;
        };
        dbp::decide(pool, id, &decision, vote, freja, decided).await?;
        if let Some((text, participants, actual)) = report {
            let report = Report {
                text: text.into(),
                participants,
                actual: actual.iter().map(|kr| kr * 100).collect(),
            };
            dbp::file_report(pool, id, &report, who, at(11, 1 + i as u32)).await?;
        }
    }
    let rejected = app(
        "Fest med DJ",
        "En fest for 9. klasserne med en kendt DJ fra radioen.",
        past(5, 1),
        &[("DJ", 20_000)],
    );
    let id = dbp::create_application(pool, last, ali, &rejected, None).await?;
    let decided = at(4, 2);
    if let Some(vote) = demo_vote(
        pool,
        ungeraad,
        DemoItem::Application(id, "Fest med DJ"),
        freja,
        decided - chrono::Duration::days(7),
        decided,
    )
    .await?
    {
        dbp::decide(
            pool,
            id,
            &Decision::Afslaaet {
                explanation: "Puljen er til aktiviteter for mange unge; en DJ til én fest koster for meget af puljen.".into(),
            },
            vote,
            freja,
            decided,
        )
        .await?;
    }

    let current = dbp::open_year(pool, &settings(this_year), ungeraad, coordinator).await?;
    let soon = today + chrono::Duration::days(40);
    for (who, title, activity, lines) in [
        (
            ali,
            "Brætspilsaften i biblioteket",
            "En aften hver måned med brætspil, saft og boller for unge i alle aldre.",
            vec![("Brætspil", 2_500), ("Saft og boller", 1_500)],
        ),
        (
            oskar,
            "Graffitivæg ved stationen",
            "Unge maler en lovlig graffitivæg sammen med en kunstner fra byen.",
            vec![("Maling", 6_000), ("Kunstnerhonorar", 4_000)],
        ),
    ] {
        let id = dbp::create_application(
            pool,
            current,
            who,
            &app(title, activity, soon, &lines),
            None,
        )
        .await?;
        if title.starts_with("Brætspil") {
            councils::add_application_item(
                pool,
                next_meeting,
                &format!("Ansøgning til puljen: {title}"),
                id,
                now,
            )
            .await?;
        }
    }
    Ok(())
}

/// A held Ungeråd meeting with a free-text item, a closed named vote and approved minutes.
async fn demo_past_meeting(
    pool: &sqlx::AnyPool,
    ungeraad: CouncilId,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<(), ProvisionError> {
    use app::domain::council::{Choice, MeetingStatus};
    let mut voters = Vec::new();
    for email in [
        "ungeraad@demo.stemme.dk",
        "ungeraad2@demo.stemme.dk",
        "ungeraad3@demo.stemme.dk",
    ] {
        if let Some(u) = users::find_login(pool, email).await? {
            voters.push(u.id);
        }
    }
    let Some(chair) = voters.first().copied() else {
        return Ok(());
    };
    let meeting =
        councils::create_meeting(pool, ungeraad, at, "Rådhuset, byrådssalen", chair, None).await?;
    let item = councils::add_item(
        pool,
        meeting,
        ungeraad,
        String::new(),
        "Ungerådets sommerarrangement",
        Some("Skal Ungerådet holde et gratis sommerarrangement i Byparken for alle unge?"),
        None,
        chair,
        None,
    )
    .await?;
    councils::advance_meeting(
        pool,
        meeting,
        MeetingStatus::Planned,
        MeetingStatus::Published,
    )
    .await?;
    let members = i64::try_from(voters.len()).unwrap_or(0);
    let vote = councils::open_vote(pool, item, ungeraad, members).await?;
    for (voter, choice) in voters
        .iter()
        .zip([Choice::For, Choice::For, Choice::Undlader])
    {
        councils::cast(pool, vote, *voter, choice, false, false).await?;
    }
    councils::close_vote(pool, vote).await?;
    councils::advance_meeting(pool, meeting, MeetingStatus::Published, MeetingStatus::Held).await?;
    councils::write_minutes(
        pool,
        item,
        "Rådet drøftede et gratis arrangement med musik og mad. Der var enighed om, at det skal være for alle mellem 13 og 25.",
        Some("Vedtaget: Ungerådet holder et sommerarrangement i juni. Freja og Oskar laver en plan."),
        chair,
    )
    .await?;
    councils::advance_meeting(
        pool,
        meeting,
        MeetingStatus::Held,
        MeetingStatus::MinutesApproved,
    )
    .await?;
    Ok(())
}

/// What a demo vote is about.
enum DemoItem {
    Proposal(app::domain::ids::ProposalId, &'static str),
    Application(i64, &'static str),
}

/// The demo users, by e-mail, in the order they vote.
const DEMO_VOTERS: [&str; 6] = [
    "ungeraad@demo.stemme.dk",
    "ungeraad2@demo.stemme.dk",
    "ungeraad3@demo.stemme.dk",
    "elevraad@demo.stemme.dk",
    "formand@demo.stemme.dk",
    "elev@demo.stemme.dk",
];

/// A past meeting of `council` (item added at `agenda`, held the day before `decided`) with one
/// item about the proposal or application, and a named vote on it in which the council's
/// demo members vote For (the last of three abstains). The vote is closed and the meeting's
/// minutes approved; returns the vote when it passed (so a decision can rest on it), the
/// same rule and functions the server functions use.
async fn demo_vote(
    pool: &sqlx::AnyPool,
    council: CouncilId,
    what: DemoItem,
    chair: UserId,
    agenda: chrono::DateTime<chrono::Utc>,
    decided: chrono::DateTime<chrono::Utc>,
) -> Result<Option<app::domain::council::VoteId>, ProvisionError> {
    use app::domain::council::{decision_basis, Choice, MeetingStatus};
    let mut voters = Vec::new();
    for email in DEMO_VOTERS {
        if let Some(u) = users::find_login(pool, email).await? {
            if councils::is_member(pool, council, u.id).await? {
                voters.push(u.id);
            }
        }
    }
    let members = councils::member_count(pool, council).await?;
    // The meeting is held at 17.00 (Copenhagen time) the day before the decision is
    // recorded.
    let held = (decided - chrono::Duration::days(1))
        .date_naive()
        .and_hms_opt(17, 0, 0)
        .and_then(app::domain::council::from_copenhagen)
        .unwrap_or(decided);
    let meeting = councils::create_meeting(
        pool,
        council,
        held,
        "Ungdomshuset, mødelokale 2",
        chair,
        None,
    )
    .await?;
    let item = match what {
        DemoItem::Proposal(id, title) => {
            let name = councils::meeting_council(pool, meeting)
                .await?
                .map(|m| m.3)
                .unwrap_or_default();
            councils::add_item_at(
                pool,
                meeting,
                council,
                format!("{name}s møde {}", held.format("%d.%m.%Y")),
                title,
                None,
                Some(id),
                chair,
                agenda,
                None,
            )
            .await?
        }
        DemoItem::Application(id, title) => {
            let title = format!("Ansøgning til puljen: {title}");
            match councils::add_application_item(pool, meeting, &title, id, agenda).await? {
                Some(item) => item,
                None => return Ok(None),
            }
        }
    };
    councils::advance_meeting(
        pool,
        meeting,
        MeetingStatus::Planned,
        MeetingStatus::Published,
    )
    .await?;
    let vote = councils::open_vote_at(pool, item, council, members, held).await?;
    let n = voters.len();
    for (i, voter) in voters.iter().enumerate() {
        let choice = if n >= 3 && i + 1 == n {
            Choice::Undlader
        } else {
            Choice::For
        };
        councils::cast(pool, vote, *voter, choice, false, false).await?;
    }
    councils::close_vote_at(pool, vote, held + chrono::Duration::minutes(30)).await?;
    for (from, to) in [
        (MeetingStatus::Published, MeetingStatus::Held),
        (MeetingStatus::Held, MeetingStatus::MinutesApproved),
    ] {
        councils::advance_meeting(pool, meeting, from, to).await?;
    }
    Ok(decision_basis(councils::item_vote(pool, item).await?)
        .ok()
        .map(|(v, _)| v))
}
