//! What an error says, as a code with parameters: the wire carries these, and the
//! interface turns them into Danish or English with the same translation files as the
//! rest of the pages (`locales/*.json`, under `errors`; see `ui::error_text`).
//!
//! On the wire a message is `{"code": "title_too_short", "params": {"min": 5, "n": 3}}`
//! (no `params` when it has none). Codes are stable: API clients may match on them.
use super::meeting_status::MeetingStatus;
use super::proposal::Stage;
use serde::{Deserialize, Serialize};

/// The kinds of explanation and reason the rule checks (their names in the messages are
/// in `locales/*.json`, `errors.subject_*` and `errors.ask_*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Writing {
    CouncilDecline,
    PoolDecision,
    ModerationReason,
    AnswerExplanation,
    Clarification,
    FollowUpNote,
    SuggestionDecline,
    DeadlineReason,
}

/// A parameter of a message, as the text shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arg<'a> {
    /// A number shown as it is (a year, an age, a count of characters).
    Int(i64),
    /// A number with thousands separators ("10.000" / "10,000").
    Count(i64),
    /// An amount in øre, shown in kroner.
    Kroner(i64),
    /// Text shown as it is (a field's name, a council's name).
    Text(&'a str),
    /// A proposal's stage, by its label.
    Stage(Stage),
    /// A meeting's status, by its label.
    Meeting(MeetingStatus),
    /// A kind of written text as a subject ("Forklaringen …").
    Subject(Writing),
    /// A kind of written text as what to write ("Skriv en forklaring …").
    Ask(Writing),
    /// Another message, written out in full.
    Msg(&'a Msg),
}

/// Every message an error can carry. The Danish text is in the doc comment; both texts
/// live in `locales/da.json` and `locales/en.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", content = "params", rename_all = "snake_case")]
pub enum Msg {
    /// Du skal logge ind for at gøre det.
    Unauthenticated,
    /// Du har ikke adgang til at gøre det.
    Forbidden,
    /// Vi kunne ikke finde det, du ledte efter.
    NotFound,
    /// Du har prøvet for mange gange. Vent lidt, og prøv igen.
    RateLimited,
    /// Noget gik galt hos os. Prøv igen om lidt.
    Internal,
    /// Det, du sendte, kom ikke helt frem. Prøv igen.
    Unreadable,
    /// Serveren kan ikke læse den slags indhold; den forventer en almindelig formular (application/x-www-form-urlencoded). Send formularen igen fra siden.
    UnsupportedMediaType,
    /// Det, du sendte, er for stort. Gør teksten kortere, og prøv igen.
    TooLarge,
    /// Feltet «{field}» mangler. Udfyld det, og prøv igen.
    MissingField { field: String },
    /// Feltet «{field}» indeholder tegn, der ikke kan læses. Skriv teksten igen (eller kopiér den fra et andet sted), og prøv igen.
    UnreadableField { field: String },
    /// Feltet «{field}» er sendt mere end én gang.
    DuplicateField { field: String },
    /// Feltet «{field}» skal være et helt tal.
    NotANumber { field: String },
    /// Forespørgslen kunne ikke læses: et felt mangler eller har en værdi, der ikke passer (fx et tal, der ikke er et tal).
    UnreadableFields,
    /// Formularen er for gammel eller blev ikke hentet fra siden. Genindlæs siden, og send den igen — det, du skrev, er bevaret.
    FormExpired,
    /// Titlen skal være mindst {min} tegn (nu {n}).
    TitleTooShort { min: usize, n: usize },
    /// Titlen må højst være {max} tegn (nu {n}).
    TitleTooLong { max: usize, n: usize },
    /// Beskrivelsen skal være mindst {min} tegn (nu {n}).
    BodyTooShort { min: usize, n: usize },
    /// Beskrivelsen må højst være {max} tegn (nu {n}).
    BodyTooLong { max: usize, n: usize },
    /// Kommentaren skal være mindst {min} tegn (nu {n}).
    CommentTooShort { min: usize, n: usize },
    /// Kommentaren må højst være {max} tegn (nu {n}).
    CommentTooLong { max: usize, n: usize },
    /// Vælg et tema.
    ChooseTheme,
    /// Vælg hvem forslaget er til.
    ChooseRecipient,
    /// Du kan sende forslag til Ungerådet eller din egen skoles elevråd.
    WrongRecipient,
    /// Ukendt forslag.
    UnknownProposal,
    /// Søgningen må højst være {max} tegn.
    SearchTooLong { max: usize },
    /// Ugyldig side.
    InvalidPage,
    /// Du kan ikke støtte dit eget forslag — men du kan dele det.
    OwnProposal,
    /// Forslaget er lige blevet ændret. Prøv igen.
    ProposalChangedJustNow,
    /// Forslaget findes ikke.
    ProposalMissing,
    /// Forslaget kan ikke gå fra »{from}« til »{to}«.
    StageStep { from: Stage, to: Stage },
    /// Det er allerede skjult.
    HiddenAlready,
    /// Vælg Ja, Delvist eller Nej.
    ChooseAnswer,
    /// Teksten må højst være {max} tegn.
    TextTooLong { max: usize },
    /// Vælg hvorfor forslaget ikke kan gennemføres (helt).
    ChooseReason,
    /// Forslaget er allerede besvaret.
    AlreadyAnswered,
    /// Forslaget er ikke besvaret endnu.
    NotAnsweredYet,
    /// Vælg Ja eller Nej.
    ChooseYesNo,
    /// Ugyldigt valg.
    InvalidChoice,
    /// Vælg hvor langt I er.
    ChooseProgress,
    /// Opfølgning skrives efter et Ja eller Delvist.
    FollowUpAfterYes,
    /// {what} må højst være {max} tegn.
    WritingTooLong { what: Writing, max: usize },
    /// {what} skal være skrevet med almindelige bogstaver og tal. Usynlige tegn, prikker, symboler og HTML-kode tæller ikke med. Skriv mindst {min} tegn (du har skrevet {n}).
    WritingUnreadable { what: Writing, min: usize, n: usize },
    /// Skriv {what} på mindst {min} tegn (du har skrevet {n}). Kun bogstaver og tal tæller med, ikke mellemrum og tegnsætning.
    WritingTooShort { what: Writing, min: usize, n: usize },
    /// Brug flere forskellige ord: skriv med hele sætninger, hvad der er sket og hvorfor (mindst {min} forskellige ord, du har brugt {n}).
    WritingFewWords { min: usize, n: usize },
    /// {first} Begrundelsen vises for forslagsstilleren og for alle andre på forslagets side.
    ShownToEveryone { first: Box<Msg> },
    /// Du skal være mindst 13 år for at oprette dig selv. Er du yngre, kan din skoles kontaktlærer eller kommunens sekretariat oprette en konto til dig.
    TooYoungToSignUp,
    /// Stemme er for unge fra 13 til 25 år.
    AgeOutsideRange,
    /// Skriv dit fornavn.
    WriteFirstName,
    /// Dit fornavn må højst være 50 tegn.
    FirstNameTooLong,
    /// Dit fornavn må ikke indeholde < eller >.
    FirstNameBrackets,
    /// Skriv dit fødselsår med fire cifre, fx 2010.
    BirthYear,
    /// Skriv en gyldig e-mailadresse, fx navn@skole.dk.
    InvalidEmail,
    /// Adgangskoden skal være mindst 10 tegn. Et par ord i træk er nemt at huske.
    PasswordTooShort,
    /// Adgangskoden må højst være 128 tegn.
    PasswordTooLong,
    /// Forkert e-mail eller adgangskode.
    WrongLogin,
    /// Din nuværende adgangskode er forkert.
    WrongCurrentPassword,
    /// Adgangskoden er forkert.
    WrongPassword,
    /// Der findes allerede en konto med den e-mailadresse. Prøv at logge ind.
    EmailTaken,
    /// Linket til at bekræfte din e-mailadresse virker ikke: det er udløbet eller allerede brugt. Log ind, og bed om et nyt på Min konto.
    VerifyLinkInvalid,
    /// Linket til at vælge en ny adgangskode virker ikke: det er udløbet (efter en time) eller allerede brugt. Bed om et nyt under «Glemt din adgangskode?».
    ResetLinkInvalid,
    /// Rådet har ikke stemt om punktet endnu.
    NotVotedYet,
    /// Luk afstemningen, før rådets beslutning skrives.
    CloseVoteFirst,
    /// Afstemningen blev ikke vedtaget (stemmelighed eller flere imod).
    VoteFailed,
    /// For få medlemmer stemte – rådet var ikke beslutningsdygtigt.
    NoQuorum,
    /// Dagsordenen skal offentliggøres, før der kan stemmes.
    PublishAgendaFirst,
    /// Mødets referat er godkendt; der kan ikke stemmes mere.
    MinutesApprovedNoVoting,
    /// Referatet skrives, når mødet er holdt.
    MinutesAfterMeeting,
    /// Referatet er godkendt og kan ikke ændres.
    MinutesApprovedLocked,
    /// Skriv en overskrift på 5–120 tegn.
    SuggestionTitle,
    /// Skriv et kort referat af drøftelsen.
    WriteSummary,
    /// Beslutningen må højst være 2.000 tegn.
    DecisionTooLong,
    /// Skriv dato og klokkeslæt for mødet.
    MeetingTime,
    /// Vælg en dato mellem år 2000 og 2100.
    MeetingYear,
    /// Skriv hvor mødet holdes (2–200 tegn).
    MeetingPlace,
    /// Punktet skal have en overskrift (2–200 tegn).
    ItemTitle,
    /// Rådet er arkiveret og holder ikke flere møder.
    CouncilArchivedNoMeetings,
    /// Formularen siger ikke, hvilket trin mødet er på. Genindlæs siden, og prøv igen.
    MissingStep,
    /// Siden var ikke opdateret: mødet er allerede »{status}«. Genindlæs siden.
    MeetingMovedOn { status: MeetingStatus },
    /// Mødet er allerede afsluttet.
    MeetingFinished,
    /// Luk mødets afstemninger, før referatet godkendes.
    CloseVotesBeforeMinutes,
    /// Siden var ikke opdateret: mødet er lige blevet flyttet et trin. Genindlæs siden.
    MeetingJustMoved,
    /// Referatet er godkendt; dagsordenen kan ikke ændres.
    AgendaLocked,
    /// Vælg et forslag.
    ChooseProposal,
    /// Forslaget kan ikke sættes på dette råds dagsorden nu.
    ProposalNotForAgenda,
    /// Vælg For, Imod eller Undlader.
    ChooseVote,
    /// Afstemningen er lukket.
    VoteClosed,
    /// Du har allerede stemt.
    AlreadyVoted,
    /// Afstemningen er allerede lukket.
    VoteAlreadyClosed,
    /// Der er allerede en afstemning om punktet.
    VoteExists,
    /// Punktet handler ikke om et forslag.
    ItemNotProposal,
    /// Vælg rådets beslutning.
    ChooseDecision,
    /// Ungerådet sender forslag til politikerne, ikke videre til et andet råd.
    YouthCouncilSendsToPoliticians,
    /// Der er intet råd at sende forslaget videre til.
    NoCouncilToSendTo,
    /// Forslaget er ikke på rådets dagsorden.
    NotOnAgenda,
    /// Vælg hvilket udvalg forslaget sendes til.
    ChooseCommittee,
    /// Skriv hvad rådet selv gør ved det.
    WriteWhatCouncilDoes,
    /// Vælg en ansøgning.
    ChooseApplication,
    /// Ansøgningen findes ikke.
    ApplicationMissing,
    /// Ansøgningen afgøres af et andet råd.
    OtherCouncilsApplication,
    /// Ansøgningen er allerede afgjort.
    ApplicationDecided,
    /// Ansøgningen er allerede på en dagsorden.
    ApplicationOnAgenda,
    /// Vælg et møde.
    ChooseMeeting,
    /// Vælg et af rådets kommende møder.
    ChooseUpcomingMeeting,
    /// Forslaget er allerede behandlet.
    ProposalHandled,
    /// Vælg formand eller sekretær.
    ChooseOfficer,
    /// Vælg et af rådets medlemmer.
    ChooseMember,
    /// Rådets beslutning kræver en vedtaget afstemning om punktet.
    DecisionNeedsVote,
    /// Referatet blev lige gemt af en anden. Prøv igen.
    MinutesSavedByOther,
    /// Vælg dagsordenspunktet.
    ChooseItem,
    /// Punktet handler ikke om denne ansøgning.
    ItemNotAboutApplication,
    /// Skriv et beløb i hele kroner, fx 2.500.
    AmountWhole,
    /// Beløbet skal være større end 0 kr.
    AmountPositive,
    /// Skriv beløbet i hele kroner, uden øre.
    AmountNoOre,
    /// Skriv beløbet som et tal i hele kroner, fx 2.500.
    AmountNumber,
    /// Beløbet er for stort.
    AmountTooLarge,
    /// Skriv året med fire cifre, fx 2027.
    PoolYear,
    /// Grænsen pr. ansøgning kan ikke være større end hele puljen.
    MaxGrantOverPool,
    /// Skriv en alder mellem 13 og 25.
    PoolMinAge,
    /// Reglerne må højst være 10.000 tegn.
    RulesTooLong,
    /// Giv aktiviteten en titel ({min}–{max} tegn).
    ActivityTitle { min: usize, max: usize },
    /// Skriv hvem aktiviteten er for ({min}–{max} tegn).
    ActivityAudience { min: usize, max: usize },
    /// Skriv hvor aktiviteten foregår ({min}–{max} tegn).
    ActivityPlace { min: usize, max: usize },
    /// Fortæl hvad aktiviteten går ud på (20–5.000 tegn).
    ActivityText,
    /// Skriv hvor mange I regner med, som et tal.
    ParticipantsExpected,
    /// Vælg datoen for aktiviteten.
    ActivityDate,
    /// Puljen støtter kun aktiviteter, der ikke er holdt endnu.
    ActivityPast,
    /// Aktiviteten skal ligge inden for de næste to år.
    ActivityTooFar,
    /// Højst {max} tegn.
    AtMostChars { max: usize },
    /// Den ansvarlige ansøger skal være mindst {min_age} år. Bed en i gruppen, der er {min_age}, om at søge.
    ApplicantTooYoung { min_age: i32 },
    /// Puljen dækker ikke udgifter, der allerede er betalt. Søg kun til det, I ikke har betalt endnu.
    AlreadyPaid,
    /// Svar på, om I allerede har betalt noget.
    AnswerAlreadyPaid,
    /// Skriv hvad linje {n} i budgettet dækker (højst 200 tegn).
    BudgetLineText { n: usize },
    /// Skriv mindst én linje i budgettet.
    BudgetEmpty,
    /// Budgettets linjer giver {sum} — det skal være det samme som beløbet, I søger ({asked}).
    BudgetSum { sum: i64, asked: i64 },
    /// I kan højst søge {max} pr. ansøgning.
    OverMaxGrant { max: i64 },
    /// Ved Delvist bevilget skal beløbet være mindre end det ansøgte ({asked}).
    PartialMustBeLess { asked: i64 },
    /// Vælg Bevilget, Delvist bevilget eller Afslået.
    ChoosePoolDecision,
    /// Fortæl hvad der skete (20–5.000 tegn).
    ReportText,
    /// Skriv hvor mange der deltog.
    ParticipantsCame,
    /// Opret Ungerådet, før puljen åbnes.
    OpenYouthCouncilFirst,
    /// Puljen er ikke åbnet endnu.
    PoolNotOpen,
    /// Der er ikke noget at afrapportere.
    NothingToReport,
    /// Afrapporteringen skrives, når aktiviteten er holdt.
    ReportAfterActivity,
    /// Puljen for {year} er allerede åbnet.
    PoolAlreadyOpen { year: i32 },
    /// Der er ikke penge nok tilbage i puljen til denne bevilling.
    PoolTooLittleLeft,
    /// Ungerådets beslutning kræver en vedtaget afstemning om ansøgningen.
    PoolDecisionNeedsVote,
    /// Afrapporteringen er allerede sendt.
    ReportSent,
    /// Rettelsen ville gøre puljens saldo negativ.
    BalanceNegative,
    /// Vælg en rolle.
    ChooseRole,
    /// Vælg rådet for rollen.
    ChooseRoleCouncil,
    /// Rådet findes ikke.
    CouncilMissing,
    /// Rollen passer ikke til den slags råd.
    RoleDoesNotFitCouncil,
    /// Skriv et årstal, fx 2026.
    WriteYear,
    /// Perioden skal slutte samme år eller op til fire år efter, den begynder.
    TermYears,
    /// Skolens navn skal være 2 til 100 tegn, uden < og >.
    SchoolName,
    /// Elever kan oprettes fra 5. klasse (10 år) til 25 år.
    PupilAge,
    /// Vælg en skole.
    ChooseSchool,
    /// Skolen findes ikke.
    SchoolMissing,
    /// Skriv et antal uger mellem 1 og 52.
    WeeksRange,
    /// Personen har allerede den rolle.
    RoleTaken,
    /// Filnavnet er ugyldigt.
    BadFileName,
    /// Udvalget findes ikke (eller er arkiveret).
    CommitteeMissing,
    /// Vælg elevrådets skole.
    ChooseCouncilSchool,
    /// Rådet er arkiveret og kan ikke ændres.
    CouncilArchivedLocked,
    /// Rådet er lige blevet ændret.
    CouncilChangedJustNow,
    /// Rådet er allerede arkiveret.
    CouncilArchived,
    /// Vælg medlem, formand eller sekretær.
    ChoosePost,
    /// Skriv personens e-mailadresse.
    WritePersonEmail,
    /// Rådet er arkiveret; der kan ikke udnævnes nye medlemmer.
    CouncilArchivedNoAppointments,
    /// Der er ingen konto med den e-mailadresse. Personen skal først oprette sig.
    NoAccountForPerson,
    /// Et elevråds medlemmer er elever på skolen. Personen er ikke tilknyttet den.
    NotPupilAtSchool,
    /// Personen har ingen aktiv periode i rådet.
    NoActiveTerm,
    /// Skriv politikerens e-mailadresse.
    WritePoliticianEmail,
    /// Der er ingen konto med den e-mailadresse. Politikeren skal først have en konto.
    NoAccountForPolitician,
    /// En politiker i et udvalg er voksen (mindst 18 år).
    PoliticianAdult,
    /// Politikeren sidder ikke i udvalget.
    NotOnCommittee,
    /// Kontoen er til voksne (mindst 18 år). Unge opretter sig selv, og elever oprettes under Skoler.
    AdultAccount,
    /// Fristen kan ikke ændres: forslaget venter ikke på svar fra politikerne, eller fristen er allerede sat til den dato.
    DeadlineUnchangeable,
    /// Skriv kommunens navn (2–100 tegn, uden < og >), fx Randers Kommune.
    MunicipalityName,
    /// Skriv hvem man kontakter om tilgængelighed: en e-mailadresse eller et telefonnummer (5–200 tegn).
    AccessibilityContact,
    /// Skriv svarfristen som et antal uger.
    AnswerWeeksNumber,
    /// Svarfristen skal være mellem 1 og 52 uger.
    AnswerWeeksRange,
    /// Vælg 13 eller 15 år.
    ConsentAge,
    /// Skriv puljens mindstealder som et helt tal.
    PoolMinAgeNumber,
    /// Puljens mindstealder skal være mellem 13 og 25 år.
    PoolMinAgeRange,
    /// Vælg et udvalg.
    ChooseCommitteeDefault,
    /// Navnet skal være 2 til 120 tegn, uden < og >.
    CouncilName,
    /// Vælg hvilken slags råd.
    ChooseCouncilKind,
    /// Skriv en alder mellem 6 og 30 år, eller lad feltet stå tomt.
    CouncilAge,
    /// Den højeste alder må ikke være lavere end den laveste.
    AgeRangeOrder,
    /// {council} er for unge på {min}–{max} år. Personen fylder {age} i år og kan ikke udnævnes.
    CouncilAgesBetween {
        council: String,
        min: i32,
        max: i32,
        age: i32,
    },
    /// {council} er for unge på mindst {min} år. Personen fylder {age} i år og kan ikke udnævnes.
    CouncilAgesAtLeast { council: String, min: i32, age: i32 },
    /// {council} er for unge på højst {max} år. Personen fylder {age} i år og kan ikke udnævnes.
    CouncilAgesAtMost { council: String, max: i32, age: i32 },
    /// Skriv en dato, fx 2026-08-01.
    WriteDate,
    /// Perioden skal slutte samme dag eller efter, den begynder.
    TermOrder,
    /// En periode kan højst vare fire år.
    TermTooLong,
    /// Den nye svarfrist skal ligge efter i dag.
    DeadlineAfterToday,
    /// Svarfristen kan højst ligge et år frem.
    DeadlineWithinYear,
    /// Der findes allerede et råd med det navn.
    CouncilNameTaken,
    /// Personen har allerede den rolle i rådet.
    RoleInCouncilTaken,
    /// Der findes allerede et udvalg med det navn.
    CommitteeNameTaken,
    /// Der findes allerede en skole med det navn.
    SchoolNameTaken,
    /// Der findes allerede et elevråd med det navn.
    StudentCouncilNameTaken,
    /// Der kan ikke betales mere tilbage, end der er bevilget.
    ReturnTooLarge,
    /// Vælg hvor tit du vil have mail.
    ChooseMailMode,
    /// Vælg dansk eller engelsk.
    ChooseMailLang,
    /// Linket virker ikke. Du kan ændre dine mails under Min konto, når du er logget ind.
    UnsubscribeLinkInvalid,
    /// Vælg en af statusserne på listen.
    ChooseMailStatus,
    /// Vi kunne ikke få forbindelse til login-tjenesten. Prøv igen om lidt.
    LoginProviderDown,
    /// Du afbrød login. Du er ikke logget ind.
    LoginCancelled,
    /// Login lykkedes ikke: svaret fra login-tjenesten kunne ikke godkendes, eller det var for gammelt. Prøv at logge ind igen.
    LoginFailed,
    /// Du skal være mindst 13 år for at bruge Stemme.
    LoginTooYoung,
    /// Stemme er for unge fra 13 til 25 år. Er du politiker eller ansat, så bed koordinatoren om en konto, og tilknyt dit login på Min konto.
    LoginTooOld,
    /// Din skole er ikke en af kommunens skoler i Stemme. Spørg din lærer eller kommunens koordinator.
    LoginSchoolNotHere,
    /// Stemme opretter kun konti for elever via UNI-Login. Er du ansat, så bed koordinatoren om en konto, og tilknyt dit login på Min konto.
    LoginStaffAsk,
    /// Login-tjenesten fortalte hverken din alder eller din skole, så vi kan ikke oprette en konto.
    LoginNoAge,
    /// Det login er allerede knyttet til en anden konto i Stemme.
    LoginLinkedElsewhere,
    /// Din konto har allerede et login fra den tjeneste. Fjern det først, hvis du vil skifte.
    LoginAlreadyLinked,
    /// Det er din eneste måde at logge ind på, så det kan ikke fjernes.
    LastWayIn,
    /// Her logger man ind med UNI-Login eller MitID, ikke med adgangskode.
    PasswordLoginOff,
    /// Den login-tjeneste kender Stemme ikke.
    UnknownLoginProvider,
    /// Institutionsnummeret må kun have tal og bogstaver (højst 40 tegn).
    InstitutionNumber,
    /// En anden skole har allerede det institutionsnummer.
    InstitutionTaken,
    /// Sæt hak for at bekræfte, at kontoen skal slettes.
    ConfirmDeletion,
    /// Du kan kun stille forslagsstilleren et spørgsmål, mens forslaget venter på udvalgets svar.
    QuestionNotNow,
    /// Titlen skal være {min}–{max} tegn.
    HearingTitle { min: usize, max: usize },
    /// Spørgsmålet skal være {min}–{max} tegn. Skriv det kort og i et sprog, unge forstår.
    HearingQuestion { min: usize, max: usize },
    /// Vælg mindst ét råd, der skal høres.
    ChooseCouncils,
    /// Svarfristen skal ligge efter i dag.
    HearingRespondFuture,
    /// Svarfristen skal ligge senest den dag, udvalget beslutter.
    HearingRespondBeforeDecision,
    /// Svarfristen for høringen er overskredet, så rådet kan ikke længere svare.
    HearingDeadlinePassed,
    /// Rådet har allerede besluttet sit svar på høringen.
    HearingDecided,
    /// Høringen tager ikke imod input fra unge nu.
    HearingNoInput,
    /// Du har allerede givet dit input til høringen.
    HearingInputGiven,
    /// Tilbagemeldingen kan først gives, når alle råd har besluttet, eller svarfristen er overskredet.
    HearingFeedbackNotYet,
    /// Tilbagemeldingen er allerede offentliggjort.
    HearingFeedbackGiven,
    /// Vælg om svaret blev brugt, delvist brugt eller ikke brugt.
    ChooseUse,
    /// Skriv hvad udvalget besluttede ({min}–{max} tegn).
    HearingDecisionText { min: usize, max: usize },
    /// Høringssvaret skal være {min}–{max} tegn.
    HearingResponse { min: usize, max: usize },
    /// Høringen er allerede på en dagsorden, der ikke er afsluttet.
    HearingOnAgenda,
    /// Vælg en høring, rådet er hørt i.
    ChooseHearing,
    /// Punktet handler ikke om en høring.
    ItemNotHearing,
    /// Vi kender ikke den kode. Tjek de seks tegn på skærmen.
    LiveCodeUnknown,
    /// Sessionen er slut, så du kan ikke længere deltage.
    LiveSessionClosed,
    /// Du er ikke med i denne session. Skriv koden for at deltage.
    LiveNotJoined,
    /// Skriv en titel på 3–120 tegn.
    LiveTitle,
    /// Skriv klassens navn (1–40 tegn), fx 6.B.
    LiveClassName,
    /// Vælg Bytinget eller klassesession.
    LiveChooseKind,
    /// Skriv spørgsmålet med 2–300 tegn.
    LiveQuestion,
    /// Skriv 2–10 forskellige svarmuligheder, én pr. linje (højst 80 tegn hver) — eller ingen for For/Imod/Undlader.
    LiveOptions,
    /// Tiden skal være 0 (ingen tid) eller 10–3600 sekunder.
    LiveTimer,
    /// Vælg en af svarmulighederne.
    LiveChooseOption,
    /// Luk den afstemning, der er i gang, før du starter en ny.
    LiveVoteOpen,
    /// Skriv punktets titel med 2–200 tegn.
    LiveItemTitle,
    /// Talerlisten er lukket.
    LiveSpeakersClosed,
    /// Skriv din idé med 3–280 tegn.
    LiveIdea,
    /// Klassen tager ikke imod flere idéer nu.
    LiveIdeasClosed,
    /// Prikafstemningen er ikke åben.
    LiveDotsClosed,
    /// Du har brugt dine tre prikker.
    LiveDotsUsed,
    /// Det kan kun gøres i en klassesession.
    LiveNotClass,
    /// Skolen har ikke noget elevråd i Stemme endnu. Bed koordinatoren oprette det.
    LiveNoElevraad,
    /// Idéen er ikke godkendt.
    LiveIdeaNotApproved,
    /// Vi kan ikke finde et offentligt forslag med det nummer.
    LiveUnknownProposal,
}

impl Msg {
    /// The stable code of the message (`"code"` on the wire, the key in `locales/*.json`
    /// under `errors`).
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unauthenticated => "unauthenticated",
            Self::Forbidden => "forbidden",
            Self::NotFound => "not_found",
            Self::RateLimited => "rate_limited",
            Self::Internal => "internal",
            Self::Unreadable => "unreadable",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::TooLarge => "too_large",
            Self::MissingField { .. } => "missing_field",
            Self::UnreadableField { .. } => "unreadable_field",
            Self::DuplicateField { .. } => "duplicate_field",
            Self::NotANumber { .. } => "not_a_number",
            Self::UnreadableFields => "unreadable_fields",
            Self::FormExpired => "form_expired",
            Self::TitleTooShort { .. } => "title_too_short",
            Self::TitleTooLong { .. } => "title_too_long",
            Self::BodyTooShort { .. } => "body_too_short",
            Self::BodyTooLong { .. } => "body_too_long",
            Self::CommentTooShort { .. } => "comment_too_short",
            Self::CommentTooLong { .. } => "comment_too_long",
            Self::ChooseTheme => "choose_theme",
            Self::ChooseRecipient => "choose_recipient",
            Self::WrongRecipient => "wrong_recipient",
            Self::UnknownProposal => "unknown_proposal",
            Self::SearchTooLong { .. } => "search_too_long",
            Self::InvalidPage => "invalid_page",
            Self::OwnProposal => "own_proposal",
            Self::ProposalChangedJustNow => "proposal_changed_just_now",
            Self::ProposalMissing => "proposal_missing",
            Self::StageStep { .. } => "stage_step",
            Self::HiddenAlready => "hidden_already",
            Self::ChooseAnswer => "choose_answer",
            Self::TextTooLong { .. } => "text_too_long",
            Self::ChooseReason => "choose_reason",
            Self::AlreadyAnswered => "already_answered",
            Self::NotAnsweredYet => "not_answered_yet",
            Self::ChooseYesNo => "choose_yes_no",
            Self::InvalidChoice => "invalid_choice",
            Self::ChooseProgress => "choose_progress",
            Self::FollowUpAfterYes => "follow_up_after_yes",
            Self::WritingTooLong { .. } => "writing_too_long",
            Self::WritingUnreadable { .. } => "writing_unreadable",
            Self::WritingTooShort { .. } => "writing_too_short",
            Self::WritingFewWords { .. } => "writing_few_words",
            Self::ShownToEveryone { .. } => "shown_to_everyone",
            Self::TooYoungToSignUp => "too_young_to_sign_up",
            Self::AgeOutsideRange => "age_outside_range",
            Self::WriteFirstName => "write_first_name",
            Self::FirstNameTooLong => "first_name_too_long",
            Self::FirstNameBrackets => "first_name_brackets",
            Self::BirthYear => "birth_year",
            Self::InvalidEmail => "invalid_email",
            Self::PasswordTooShort => "password_too_short",
            Self::PasswordTooLong => "password_too_long",
            Self::WrongLogin => "wrong_login",
            Self::WrongCurrentPassword => "wrong_current_password",
            Self::WrongPassword => "wrong_password",
            Self::EmailTaken => "email_taken",
            Self::LoginProviderDown => "login_provider_down",
            Self::LoginCancelled => "login_cancelled",
            Self::LoginFailed => "login_failed",
            Self::LoginTooYoung => "login_too_young",
            Self::LoginTooOld => "login_too_old",
            Self::LoginSchoolNotHere => "login_school_not_here",
            Self::LoginStaffAsk => "login_staff_ask",
            Self::LoginNoAge => "login_no_age",
            Self::LoginLinkedElsewhere => "login_linked_elsewhere",
            Self::LoginAlreadyLinked => "login_already_linked",
            Self::LastWayIn => "last_way_in",
            Self::PasswordLoginOff => "password_login_off",
            Self::UnknownLoginProvider => "unknown_login_provider",
            Self::InstitutionNumber => "institution_number",
            Self::InstitutionTaken => "institution_taken",
            Self::ConfirmDeletion => "confirm_deletion",
            Self::QuestionNotNow => "question_not_now",
            Self::VerifyLinkInvalid => "verify_link_invalid",
            Self::ResetLinkInvalid => "reset_link_invalid",
            Self::NotVotedYet => "not_voted_yet",
            Self::CloseVoteFirst => "close_vote_first",
            Self::VoteFailed => "vote_failed",
            Self::NoQuorum => "no_quorum",
            Self::PublishAgendaFirst => "publish_agenda_first",
            Self::MinutesApprovedNoVoting => "minutes_approved_no_voting",
            Self::MinutesAfterMeeting => "minutes_after_meeting",
            Self::MinutesApprovedLocked => "minutes_approved_locked",
            Self::SuggestionTitle => "suggestion_title",
            Self::WriteSummary => "write_summary",
            Self::DecisionTooLong => "decision_too_long",
            Self::MeetingTime => "meeting_time",
            Self::MeetingYear => "meeting_year",
            Self::MeetingPlace => "meeting_place",
            Self::ItemTitle => "item_title",
            Self::CouncilArchivedNoMeetings => "council_archived_no_meetings",
            Self::MissingStep => "missing_step",
            Self::MeetingMovedOn { .. } => "meeting_moved_on",
            Self::MeetingFinished => "meeting_finished",
            Self::CloseVotesBeforeMinutes => "close_votes_before_minutes",
            Self::MeetingJustMoved => "meeting_just_moved",
            Self::AgendaLocked => "agenda_locked",
            Self::ChooseProposal => "choose_proposal",
            Self::ProposalNotForAgenda => "proposal_not_for_agenda",
            Self::ChooseVote => "choose_vote",
            Self::VoteClosed => "vote_closed",
            Self::AlreadyVoted => "already_voted",
            Self::VoteAlreadyClosed => "vote_already_closed",
            Self::VoteExists => "vote_exists",
            Self::ItemNotProposal => "item_not_proposal",
            Self::ChooseDecision => "choose_decision",
            Self::YouthCouncilSendsToPoliticians => "youth_council_sends_to_politicians",
            Self::NoCouncilToSendTo => "no_council_to_send_to",
            Self::NotOnAgenda => "not_on_agenda",
            Self::ChooseCommittee => "choose_committee",
            Self::WriteWhatCouncilDoes => "write_what_council_does",
            Self::ChooseApplication => "choose_application",
            Self::ApplicationMissing => "application_missing",
            Self::OtherCouncilsApplication => "other_councils_application",
            Self::ApplicationDecided => "application_decided",
            Self::ApplicationOnAgenda => "application_on_agenda",
            Self::ChooseMeeting => "choose_meeting",
            Self::ChooseUpcomingMeeting => "choose_upcoming_meeting",
            Self::ProposalHandled => "proposal_handled",
            Self::ChooseOfficer => "choose_officer",
            Self::ChooseMember => "choose_member",
            Self::DecisionNeedsVote => "decision_needs_vote",
            Self::MinutesSavedByOther => "minutes_saved_by_other",
            Self::ChooseItem => "choose_item",
            Self::ItemNotAboutApplication => "item_not_about_application",
            Self::AmountWhole => "amount_whole",
            Self::AmountPositive => "amount_positive",
            Self::AmountNoOre => "amount_no_ore",
            Self::AmountNumber => "amount_number",
            Self::AmountTooLarge => "amount_too_large",
            Self::PoolYear => "pool_year",
            Self::MaxGrantOverPool => "max_grant_over_pool",
            Self::PoolMinAge => "pool_min_age",
            Self::RulesTooLong => "rules_too_long",
            Self::ActivityTitle { .. } => "activity_title",
            Self::ActivityAudience { .. } => "activity_audience",
            Self::ActivityPlace { .. } => "activity_place",
            Self::ActivityText => "activity_text",
            Self::ParticipantsExpected => "participants_expected",
            Self::ActivityDate => "activity_date",
            Self::ActivityPast => "activity_past",
            Self::ActivityTooFar => "activity_too_far",
            Self::AtMostChars { .. } => "at_most_chars",
            Self::ApplicantTooYoung { .. } => "applicant_too_young",
            Self::AlreadyPaid => "already_paid",
            Self::AnswerAlreadyPaid => "answer_already_paid",
            Self::BudgetLineText { .. } => "budget_line_text",
            Self::BudgetEmpty => "budget_empty",
            Self::BudgetSum { .. } => "budget_sum",
            Self::OverMaxGrant { .. } => "over_max_grant",
            Self::PartialMustBeLess { .. } => "partial_must_be_less",
            Self::ChoosePoolDecision => "choose_pool_decision",
            Self::ReportText => "report_text",
            Self::ParticipantsCame => "participants_came",
            Self::OpenYouthCouncilFirst => "open_youth_council_first",
            Self::PoolNotOpen => "pool_not_open",
            Self::NothingToReport => "nothing_to_report",
            Self::ReportAfterActivity => "report_after_activity",
            Self::PoolAlreadyOpen { .. } => "pool_already_open",
            Self::PoolTooLittleLeft => "pool_too_little_left",
            Self::PoolDecisionNeedsVote => "pool_decision_needs_vote",
            Self::ReportSent => "report_sent",
            Self::BalanceNegative => "balance_negative",
            Self::ChooseRole => "choose_role",
            Self::ChooseRoleCouncil => "choose_role_council",
            Self::CouncilMissing => "council_missing",
            Self::RoleDoesNotFitCouncil => "role_does_not_fit_council",
            Self::WriteYear => "write_year",
            Self::TermYears => "term_years",
            Self::SchoolName => "school_name",
            Self::PupilAge => "pupil_age",
            Self::ChooseSchool => "choose_school",
            Self::SchoolMissing => "school_missing",
            Self::WeeksRange => "weeks_range",
            Self::RoleTaken => "role_taken",
            Self::BadFileName => "bad_file_name",
            Self::CommitteeMissing => "committee_missing",
            Self::ChooseCouncilSchool => "choose_council_school",
            Self::CouncilArchivedLocked => "council_archived_locked",
            Self::CouncilChangedJustNow => "council_changed_just_now",
            Self::CouncilArchived => "council_archived",
            Self::ChoosePost => "choose_post",
            Self::WritePersonEmail => "write_person_email",
            Self::CouncilArchivedNoAppointments => "council_archived_no_appointments",
            Self::NoAccountForPerson => "no_account_for_person",
            Self::NotPupilAtSchool => "not_pupil_at_school",
            Self::NoActiveTerm => "no_active_term",
            Self::WritePoliticianEmail => "write_politician_email",
            Self::NoAccountForPolitician => "no_account_for_politician",
            Self::PoliticianAdult => "politician_adult",
            Self::NotOnCommittee => "not_on_committee",
            Self::AdultAccount => "adult_account",
            Self::DeadlineUnchangeable => "deadline_unchangeable",
            Self::MunicipalityName => "municipality_name",
            Self::AccessibilityContact => "accessibility_contact",
            Self::AnswerWeeksNumber => "answer_weeks_number",
            Self::AnswerWeeksRange => "answer_weeks_range",
            Self::ConsentAge => "consent_age",
            Self::PoolMinAgeNumber => "pool_min_age_number",
            Self::PoolMinAgeRange => "pool_min_age_range",
            Self::ChooseCommitteeDefault => "choose_committee_default",
            Self::CouncilName => "council_name",
            Self::ChooseCouncilKind => "choose_council_kind",
            Self::CouncilAge => "council_age",
            Self::AgeRangeOrder => "age_range_order",
            Self::CouncilAgesBetween { .. } => "council_ages_between",
            Self::CouncilAgesAtLeast { .. } => "council_ages_at_least",
            Self::CouncilAgesAtMost { .. } => "council_ages_at_most",
            Self::WriteDate => "write_date",
            Self::TermOrder => "term_order",
            Self::TermTooLong => "term_too_long",
            Self::DeadlineAfterToday => "deadline_after_today",
            Self::DeadlineWithinYear => "deadline_within_year",
            Self::CouncilNameTaken => "council_name_taken",
            Self::RoleInCouncilTaken => "role_in_council_taken",
            Self::CommitteeNameTaken => "committee_name_taken",
            Self::SchoolNameTaken => "school_name_taken",
            Self::StudentCouncilNameTaken => "student_council_name_taken",
            Self::ReturnTooLarge => "return_too_large",
            Self::ChooseMailMode => "choose_mail_mode",
            Self::ChooseMailLang => "choose_mail_lang",
            Self::UnsubscribeLinkInvalid => "unsubscribe_link_invalid",
            Self::ChooseMailStatus => "choose_mail_status",
            Self::HearingTitle { .. } => "hearing_title",
            Self::HearingQuestion { .. } => "hearing_question",
            Self::ChooseCouncils => "choose_councils",
            Self::HearingRespondFuture => "hearing_respond_future",
            Self::HearingRespondBeforeDecision => "hearing_respond_before_decision",
            Self::HearingDeadlinePassed => "hearing_deadline_passed",
            Self::HearingDecided => "hearing_decided",
            Self::HearingNoInput => "hearing_no_input",
            Self::HearingInputGiven => "hearing_input_given",
            Self::HearingFeedbackNotYet => "hearing_feedback_not_yet",
            Self::HearingFeedbackGiven => "hearing_feedback_given",
            Self::ChooseUse => "choose_use",
            Self::HearingDecisionText { .. } => "hearing_decision_text",
            Self::HearingResponse { .. } => "hearing_response",
            Self::HearingOnAgenda => "hearing_on_agenda",
            Self::ChooseHearing => "choose_hearing",
            Self::LiveCodeUnknown => "live_code_unknown",
            Self::LiveSessionClosed => "live_session_closed",
            Self::LiveNotJoined => "live_not_joined",
            Self::LiveTitle => "live_title",
            Self::LiveClassName => "live_class_name",
            Self::LiveChooseKind => "live_choose_kind",
            Self::LiveQuestion => "live_question",
            Self::LiveOptions => "live_options",
            Self::LiveTimer => "live_timer",
            Self::LiveChooseOption => "live_choose_option",
            Self::LiveVoteOpen => "live_vote_open",
            Self::LiveItemTitle => "live_item_title",
            Self::LiveSpeakersClosed => "live_speakers_closed",
            Self::LiveIdea => "live_idea",
            Self::LiveIdeasClosed => "live_ideas_closed",
            Self::LiveDotsClosed => "live_dots_closed",
            Self::LiveDotsUsed => "live_dots_used",
            Self::LiveNotClass => "live_not_class",
            Self::LiveNoElevraad => "live_no_elevraad",
            Self::LiveIdeaNotApproved => "live_idea_not_approved",
            Self::LiveUnknownProposal => "live_unknown_proposal",
            Self::ItemNotHearing => "item_not_hearing",
        }
    }

    /// The message's parameters, by the name its texts use (`{name}`).
    pub fn args(&self) -> Vec<(&'static str, Arg<'_>)> {
        match self {
            Self::MissingField { field } => vec![("field", Arg::Text(field))],
            Self::UnreadableField { field } => vec![("field", Arg::Text(field))],
            Self::DuplicateField { field } => vec![("field", Arg::Text(field))],
            Self::NotANumber { field } => vec![("field", Arg::Text(field))],
            Self::TitleTooShort { min, n } => {
                vec![("min", Arg::Int(*min as i64)), ("n", Arg::Int(*n as i64))]
            }
            Self::TitleTooLong { max, n } => {
                vec![("max", Arg::Int(*max as i64)), ("n", Arg::Int(*n as i64))]
            }
            Self::BodyTooShort { min, n } => {
                vec![("min", Arg::Int(*min as i64)), ("n", Arg::Int(*n as i64))]
            }
            Self::BodyTooLong { max, n } => {
                vec![("max", Arg::Int(*max as i64)), ("n", Arg::Int(*n as i64))]
            }
            Self::CommentTooShort { min, n } => {
                vec![("min", Arg::Int(*min as i64)), ("n", Arg::Int(*n as i64))]
            }
            Self::CommentTooLong { max, n } => {
                vec![("max", Arg::Int(*max as i64)), ("n", Arg::Int(*n as i64))]
            }
            Self::SearchTooLong { max } => vec![("max", Arg::Int(*max as i64))],
            Self::StageStep { from, to } => {
                vec![("from", Arg::Stage(*from)), ("to", Arg::Stage(*to))]
            }
            Self::TextTooLong { max } => vec![("max", Arg::Count(*max as i64))],
            Self::WritingTooLong { what, max } => vec![
                ("what", Arg::Subject(*what)),
                ("max", Arg::Count(*max as i64)),
            ],
            Self::WritingUnreadable { what, min, n } => vec![
                ("what", Arg::Subject(*what)),
                ("min", Arg::Int(*min as i64)),
                ("n", Arg::Int(*n as i64)),
            ],
            Self::WritingTooShort { what, min, n } => vec![
                ("what", Arg::Ask(*what)),
                ("min", Arg::Int(*min as i64)),
                ("n", Arg::Int(*n as i64)),
            ],
            Self::WritingFewWords { min, n } => {
                vec![("min", Arg::Int(*min as i64)), ("n", Arg::Int(*n as i64))]
            }
            Self::ShownToEveryone { first } => vec![("first", Arg::Msg(first))],
            Self::MeetingMovedOn { status } => vec![("status", Arg::Meeting(*status))],
            Self::ActivityTitle { min, max } => vec![
                ("min", Arg::Int(*min as i64)),
                ("max", Arg::Int(*max as i64)),
            ],
            Self::ActivityAudience { min, max } => vec![
                ("min", Arg::Int(*min as i64)),
                ("max", Arg::Int(*max as i64)),
            ],
            Self::ActivityPlace { min, max } => vec![
                ("min", Arg::Int(*min as i64)),
                ("max", Arg::Int(*max as i64)),
            ],
            Self::AtMostChars { max } => vec![("max", Arg::Count(*max as i64))],
            Self::ApplicantTooYoung { min_age } => vec![("min_age", Arg::Int(i64::from(*min_age)))],
            Self::BudgetLineText { n } => vec![("n", Arg::Int(*n as i64))],
            Self::BudgetSum { sum, asked } => {
                vec![("sum", Arg::Kroner(*sum)), ("asked", Arg::Kroner(*asked))]
            }
            Self::OverMaxGrant { max } => vec![("max", Arg::Kroner(*max))],
            Self::PartialMustBeLess { asked } => vec![("asked", Arg::Kroner(*asked))],
            Self::PoolAlreadyOpen { year } => vec![("year", Arg::Int(i64::from(*year)))],
            Self::CouncilAgesBetween {
                council,
                min,
                max,
                age,
            } => vec![
                ("council", Arg::Text(council)),
                ("min", Arg::Int(i64::from(*min))),
                ("max", Arg::Int(i64::from(*max))),
                ("age", Arg::Int(i64::from(*age))),
            ],
            Self::CouncilAgesAtLeast { council, min, age } => vec![
                ("council", Arg::Text(council)),
                ("min", Arg::Int(i64::from(*min))),
                ("age", Arg::Int(i64::from(*age))),
            ],
            Self::CouncilAgesAtMost { council, max, age } => vec![
                ("council", Arg::Text(council)),
                ("max", Arg::Int(i64::from(*max))),
                ("age", Arg::Int(i64::from(*age))),
            ],
            Self::HearingTitle { min, max } => vec![
                ("min", Arg::Int(*min as i64)),
                ("max", Arg::Count(*max as i64)),
            ],
            Self::HearingQuestion { min, max } => vec![
                ("min", Arg::Int(*min as i64)),
                ("max", Arg::Count(*max as i64)),
            ],
            Self::HearingDecisionText { min, max } => vec![
                ("min", Arg::Int(*min as i64)),
                ("max", Arg::Count(*max as i64)),
            ],
            Self::HearingResponse { min, max } => vec![
                ("min", Arg::Int(*min as i64)),
                ("max", Arg::Count(*max as i64)),
            ],
            _ => Vec::new(),
        }
    }
}
