//! Accounts: who may sign up, what a valid name, e-mail and password are, and roles.
use super::error::AppError;
use super::ids::{CouncilId, RoleGrantId, SchoolId, UserId};
use crate::domain::message::Msg;
use crate::i18n::td_string;
use serde::{Deserialize, Serialize};

/// Self sign-up is open from this age…
pub const MIN_SIGNUP_AGE: i32 = 13;
/// …to this age.
pub const MAX_SIGNUP_AGE: i32 = 25;
pub const MIN_PASSWORD_CHARS: usize = 10;
pub const MAX_PASSWORD_CHARS: usize = 128;
pub const MAX_NAME_CHARS: usize = 50;
pub const MAX_EMAIL_CHARS: usize = 254;

/// Failed logins allowed for one e-mail address within [`LOGIN_WINDOW_SECS`].
pub const MAX_FAILED_LOGINS: i64 = 5;
pub const LOGIN_WINDOW_SECS: i64 = 60;
/// …and within an hour.
pub const MAX_FAILED_LOGINS_HOURLY: i64 = 20;
/// Failed logins from one IP address (any e-mail) in 10 minutes before it must wait. A
/// school network is one address for hundreds of pupils, so this is generous.
pub const MAX_FAILED_LOGINS_PER_IP: i64 = 100;
/// New accounts from one IP address per hour (a class signing up together fits easily).
pub const MAX_SIGNUPS_PER_IP_HOURLY: i64 = 100;

/// Where an account stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AccountStatus {
    /// May read and post.
    Active,
    /// Under 15: may read, may not post until a coordinator confirms.
    AwaitingConfirmation,
}

impl AccountStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::AwaitingConfirmation => "awaiting_confirmation",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "active" => Some(Self::Active),
            "awaiting_confirmation" => Some(Self::AwaitingConfirmation),
            _ => None,
        }
    }

    pub fn label_da(self) -> &'static str {
        match self {
            Self::Active => "Aktiv",
            Self::AwaitingConfirmation => "Venter på bekræftelse",
        }
    }
}

/// The kinds of role from DOMAIN.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RoleKind {
    Ung,
    Elev,
    Ungeraadsmedlem,
    Elevraadsmedlem,
    Elevraadsformand,
    Politiker,
    Sekretariat,
    Moderator,
    /// A teacher at one school (the `teachers` table, granted by the coordinator): opens
    /// class sessions and confirms the school's pupils. Not a `user_roles` row.
    Laerer,
}

impl RoleKind {
    pub const ALL: [RoleKind; 9] = [
        Self::Ung,
        Self::Elev,
        Self::Ungeraadsmedlem,
        Self::Elevraadsmedlem,
        Self::Elevraadsformand,
        Self::Politiker,
        Self::Sekretariat,
        Self::Moderator,
        Self::Laerer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ung => "ung",
            Self::Elev => "elev",
            Self::Ungeraadsmedlem => "ungeraadsmedlem",
            Self::Elevraadsmedlem => "elevraadsmedlem",
            Self::Elevraadsformand => "elevraadsformand",
            Self::Politiker => "politiker",
            Self::Sekretariat => "sekretariat",
            Self::Moderator => "moderator",
            Self::Laerer => "laerer",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label_da(self) -> &'static str {
        match self {
            Self::Ung => "Ung",
            Self::Elev => "Elev",
            Self::Ungeraadsmedlem => "Ungerådsmedlem",
            Self::Elevraadsmedlem => "Elevrådsmedlem",
            Self::Elevraadsformand => "Elevrådsformand",
            Self::Politiker => "Politiker",
            Self::Sekretariat => "Sekretariat",
            Self::Moderator => "Moderator",
            Self::Laerer => "Lærer",
        }
    }

    /// Roles held in one council, for a term.
    pub fn needs_council(self) -> bool {
        matches!(
            self,
            Self::Ungeraadsmedlem | Self::Elevraadsmedlem | Self::Elevraadsformand
        )
    }
}

/// The three kinds of council.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CouncilKind {
    Ungeraad,
    Elevraad,
    FaellesElevraad,
    /// Another youth body with its own name (e.g. Aalborg's Ungebyråd): young people send
    /// proposals to it as to an Ungeråd.
    Anden,
}

impl CouncilKind {
    pub const ALL: [CouncilKind; 4] = [
        Self::Ungeraad,
        Self::FaellesElevraad,
        Self::Elevraad,
        Self::Anden,
    ];

    /// Councils that take proposals from any young person (not only a school's pupils).
    pub fn open_to_all_youth(self) -> bool {
        matches!(self, Self::Ungeraad | Self::Anden)
    }

    pub fn label(self, en: bool) -> &'static str {
        let l = crate::domain::lang::locale(en);
        match self {
            Self::Ungeraad => td_string!(l, labels.council_kind.ungeraad),
            Self::Elevraad => td_string!(l, labels.council_kind.elevraad),
            Self::FaellesElevraad => td_string!(l, labels.council_kind.faelles_elevraad),
            Self::Anden => td_string!(l, labels.council_kind.anden),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ungeraad => "ungeraad",
            Self::Elevraad => "elevraad",
            Self::FaellesElevraad => "faelles_elevraad",
            Self::Anden => "anden",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "ungeraad" => Some(Self::Ungeraad),
            "elevraad" => Some(Self::Elevraad),
            "faelles_elevraad" => Some(Self::FaellesElevraad),
            "anden" => Some(Self::Anden),
            _ => None,
        }
    }
}

/// Which council kinds a council role may be held in.
pub fn role_fits_council(role: RoleKind, council: CouncilKind) -> bool {
    match role {
        RoleKind::Ungeraadsmedlem => council.open_to_all_youth(),
        RoleKind::Elevraadsmedlem | RoleKind::Elevraadsformand => {
            matches!(
                council,
                CouncilKind::Elevraad | CouncilKind::FaellesElevraad
            )
        }
        _ => false,
    }
}

/// One role held by one person, with its council and term where it has them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleGrant {
    pub id: RoleGrantId,
    pub role: RoleKind,
    pub council: Option<CouncilRef>,
    /// Years of the term, inclusive (e.g. 2026–2027).
    pub term: Option<(i32, i32)>,
}

/// A council, as shown next to a role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CouncilRef {
    pub id: CouncilId,
    pub name: String,
}

/// The person calling, as the browser sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionUser {
    pub id: UserId,
    pub first_name: String,
    pub status: AccountStatus,
    pub roles: Vec<RoleKind>,
    /// The pupil's school, if any (for proposals to its elevråd).
    pub school_id: Option<SchoolId>,
    /// Unread notifications (the bell).
    pub unread: i64,
}

impl SessionUser {
    /// An active person with `roles` and no school, for the domain's unit tests.
    #[cfg(test)]
    pub(crate) fn for_test(id: i64, roles: &[RoleKind]) -> Self {
        Self {
            id: UserId(id),
            first_name: "A".into(),
            status: AccountStatus::Active,
            roles: roles.to_vec(),
            school_id: None,
            unread: 0,
        }
    }

    pub fn has(&self, role: RoleKind) -> bool {
        self.roles.contains(&role)
    }

    /// May hide content and approve proposals.
    pub fn can_moderate(&self) -> bool {
        self.has(RoleKind::Moderator) || self.has(RoleKind::Sekretariat)
    }

    /// May submit proposals: a young person (Ung/Elev) whose account is active.
    pub fn can_propose(&self) -> bool {
        self.status == AccountStatus::Active
            && (self.has(RoleKind::Ung) || self.has(RoleKind::Elev))
    }
}

/// A school.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct School {
    pub id: SchoolId,
    pub name: String,
}

/// Age in the current year from a birth year (only the year is stored).
pub fn age_in(year_now: i32, birth_year: i32) -> i32 {
    year_now - birth_year
}

/// The age rule for self sign-up: 13–25, and under 15 waits for confirmation.
/// `consent_age` is the municipality's setting (13 or 15; see `domain::setup::Profile`).
pub fn signup_status(
    year_now: i32,
    birth_year: i32,
    consent_age: i32,
) -> Result<AccountStatus, AppError> {
    let age = age_in(year_now, birth_year);
    if age < MIN_SIGNUP_AGE {
        return Err(AppError::invalid("birth_year", Msg::TooYoungToSignUp));
    }
    if age > MAX_SIGNUP_AGE {
        return Err(AppError::invalid("birth_year", Msg::AgeOutsideRange));
    }
    Ok(if age < consent_age {
        AccountStatus::AwaitingConfirmation
    } else {
        AccountStatus::Active
    })
}

/// Trims and checks a first name.
pub fn validate_first_name(raw: &str) -> Result<String, AppError> {
    let name = clean_text(raw);
    let n = name.chars().count();
    if n == 0 {
        return Err(AppError::invalid("first_name", Msg::WriteFirstName));
    }
    if n > MAX_NAME_CHARS {
        return Err(AppError::invalid("first_name", Msg::FirstNameTooLong));
    }
    if name.chars().any(|c| c == '<' || c == '>') {
        return Err(AppError::invalid("first_name", Msg::FirstNameBrackets));
    }
    Ok(name)
}

/// Parses a birth year typed into a form.
pub fn parse_birth_year(raw: &str) -> Result<i32, AppError> {
    raw.trim()
        .parse::<i32>()
        .ok()
        .filter(|y| (1900..=2100).contains(y))
        .ok_or_else(|| AppError::invalid("birth_year", Msg::BirthYear))
}

/// Normalises and checks an e-mail address (lower case, one @, a dot in the domain).
pub fn validate_email(raw: &str) -> Result<String, AppError> {
    let email = raw.trim().to_lowercase();
    let bad = || AppError::invalid("email", Msg::InvalidEmail);
    if email.is_empty() || email.chars().count() > MAX_EMAIL_CHARS {
        return Err(bad());
    }
    let (local, domain) = email.split_once('@').ok_or_else(bad)?;
    let ok = !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && email.chars().all(|c| {
            !c.is_whitespace()
                    && !c.is_control()
                    // Bidi overrides, zero-width and other invisible format characters
                    // would let one address pose as another.
                    && !is_invisible_format(c)
                    && !"<>()[];:,\"\\".contains(c)
        });
    if ok {
        Ok(email)
    } else {
        Err(bad())
    }
}

/// Checks a new password's length (in characters, not bytes).
pub fn validate_new_password(field: &str, raw: &str) -> Result<(), AppError> {
    let n = raw.chars().count();
    if n < MIN_PASSWORD_CHARS {
        return Err(AppError::invalid(field, Msg::PasswordTooShort));
    }
    if n > MAX_PASSWORD_CHARS {
        return Err(AppError::invalid(field, Msg::PasswordTooLong));
    }
    Ok(())
}

/// Removes control and invisible formatting characters (bidi overrides, zero-width)
/// and trims; keeps ordinary letters of any script.
pub fn clean_text(raw: &str) -> String {
    raw.chars()
        .filter(|c| !c.is_control() && !is_invisible_format(*c))
        .collect::<String>()
        .trim()
        .to_owned()
}

pub fn is_invisible_format(c: char) -> bool {
    matches!(c,
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// Message for a failed login; the same whether the e-mail exists or not.
pub const WRONG_LOGIN: Msg = Msg::WrongLogin;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn age_rules() {
        assert!(signup_status(2026, 2014, 15).is_err()); // 12
        assert_eq!(
            signup_status(2026, 2013, 15),
            Ok(AccountStatus::AwaitingConfirmation)
        ); // 13
        assert_eq!(
            signup_status(2026, 2012, 15),
            Ok(AccountStatus::AwaitingConfirmation)
        ); // 14
        assert_eq!(signup_status(2026, 2011, 15), Ok(AccountStatus::Active)); // 15
                                                                              // A municipality that relies on its public task sets the consent age to 13.
        assert_eq!(signup_status(2026, 2013, 13), Ok(AccountStatus::Active)); // 13
        assert_eq!(signup_status(2026, 2001, 15), Ok(AccountStatus::Active)); // 25
        assert!(signup_status(2026, 2000, 15).is_err()); // 26
        let e = signup_status(2026, 2020, 15).err();
        assert_eq!(e.as_ref().and_then(|e| e.field()), Some("birth_year"));
    }

    #[test]
    fn emails() {
        assert_eq!(
            validate_email("  Sofie@Skole.DK ").ok().as_deref(),
            Some("sofie@skole.dk")
        );
        for bad in [
            "",
            "a",
            "a@b",
            "@b.dk",
            "a@b.dk@c.dk",
            "a b@c.dk",
            "\u{202e}@0.0",
            "sofie\u{200b}@skole.dk",
            "<x>@c.dk",
            "a@.dk",
        ] {
            assert!(validate_email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn names_are_cleaned_of_tricks() {
        assert_eq!(
            validate_first_name("  Åse\u{202E}\u{200B} ")
                .ok()
                .as_deref(),
            Some("Åse")
        );
        assert!(validate_first_name("<script>").is_err());
        assert!(validate_first_name(" \u{200B} ").is_err());
        assert!(validate_first_name(&"a".repeat(51)).is_err());
    }

    #[test]
    fn passwords_count_characters() {
        assert!(validate_new_password("password", "kort").is_err());
        assert!(validate_new_password("password", "æøåæøåæøåæ").is_ok());
        assert!(validate_new_password("password", &"x".repeat(129)).is_err());
    }

    #[test]
    fn roles_round_trip_and_fit_councils() {
        for r in RoleKind::ALL {
            assert_eq!(RoleKind::parse(r.as_str()), Some(r));
        }
        assert!(role_fits_council(
            RoleKind::Ungeraadsmedlem,
            CouncilKind::Ungeraad
        ));
        assert!(!role_fits_council(
            RoleKind::Ungeraadsmedlem,
            CouncilKind::Elevraad
        ));
        assert!(role_fits_council(
            RoleKind::Elevraadsformand,
            CouncilKind::FaellesElevraad
        ));
        assert!(!role_fits_council(
            RoleKind::Politiker,
            CouncilKind::Ungeraad
        ));
    }

    #[test]
    fn birth_year_parsing() {
        assert_eq!(parse_birth_year(" 2010 ").ok(), Some(2010));
        assert!(parse_birth_year("abc").is_err());
        assert!(parse_birth_year("99999").is_err());
    }
}

/// Everything Stemme stores about one person, as shown on "Mine data" and downloaded as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyData {
    pub id: UserId,
    pub first_name: String,
    /// Empty when the account has none (made from a login that gave no verified address).
    pub email: String,
    /// None when the account was made from a login that gave no birth date (a pupil).
    pub birth_year: Option<i32>,
    /// Whether the account can log in with a password.
    pub has_password: bool,
    pub status: AccountStatus,
    pub school: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub confirmed_at: Option<chrono::DateTime<chrono::Utc>>,
    pub roles: Vec<RoleGrant>,
    /// The school the person teaches at (the Lærer role, not a `user_roles` grant).
    pub teacher_at: Option<School>,
}

/// A user as the coordinator sees them in the user list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSummary {
    pub id: UserId,
    pub first_name: String,
    pub email: String,
    pub birth_year: Option<i32>,
    pub status: AccountStatus,
    pub school: Option<String>,
    pub roles: Vec<RoleGrant>,
    /// The school the person teaches at (the Lærer role, not a `user_roles` grant).
    pub teacher_at: Option<School>,
}

/// One page of users, newest first; `next` is the cursor for the following page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserPage {
    pub users: Vec<UserSummary>,
    pub next: Option<UserId>,
}

/// A council with its kind, for choosing where a role belongs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Council {
    pub id: CouncilId,
    pub kind: CouncilKind,
    pub name: String,
    pub school_id: Option<SchoolId>,
}

/// Users per page in the coordinator's list.
pub const USERS_PER_PAGE: i64 = 20;
