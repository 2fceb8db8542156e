//! Logging in through an identity provider (OpenID Connect: UNI-Login, a MitID broker):
//! what a verified login may make of a person, and when a way in may be removed. The
//! provider proves age and school; nothing here is typed in by the person.
use super::account::{AccountStatus, MAX_SIGNUP_AGE, MIN_SIGNUP_AGE};
use super::ids::IdentityId;
use super::message::Msg;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// How long a login may take at the provider before its state is forgotten.
pub const FLOW_TTL_SECS: i64 = 600;
/// A provider's id in the configuration: lower-case letters, digits and '-'.
pub const MAX_PROVIDER_ID_CHARS: usize = 40;
/// A provider's subject (its stable id for the person) longer than this is refused.
pub const MAX_SUBJECT_CHARS: usize = 255;
/// Login starts per IP address in ten minutes (a class logging in together fits easily).
pub const MAX_STARTS_PER_IP: i64 = 300;

/// Whether `id` is a usable provider id (it becomes part of URLs and configuration names).
pub fn valid_provider_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_PROVIDER_ID_CHARS
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Why a login through a provider did not let the person in, shown on the login page
/// (its code travels in the address: `/log-ind?login-fejl=too_young`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LoginRefusal {
    /// The provider could not be reached or answered with an error.
    ProviderDown,
    /// The person cancelled at the provider.
    Cancelled,
    /// The answer did not prove who the person is (state, code, token checks).
    Failed,
    /// Too young for Stemme (under 13).
    TooYoung,
    /// Too old for a youth account (over 25): staff and politicians get an account from
    /// the coordinator and link their login to it.
    TooOld,
    /// A pupil whose school is not one of this municipality's schools.
    SchoolNotHere,
    /// A UNI-Login for staff: accounts for adults are made by the coordinator.
    StaffAsk,
    /// The login told neither age nor school.
    NoAge,
    /// This login is already linked to another account.
    LinkedElsewhere,
    /// The account already has a login at this provider.
    AlreadyLinked,
}

impl LoginRefusal {
    pub const ALL: [LoginRefusal; 10] = [
        Self::ProviderDown,
        Self::Cancelled,
        Self::Failed,
        Self::TooYoung,
        Self::TooOld,
        Self::SchoolNotHere,
        Self::StaffAsk,
        Self::NoAge,
        Self::LinkedElsewhere,
        Self::AlreadyLinked,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::ProviderDown => "provider_down",
            Self::Cancelled => "cancelled",
            Self::Failed => "failed",
            Self::TooYoung => "too_young",
            Self::TooOld => "too_old",
            Self::SchoolNotHere => "school_not_here",
            Self::StaffAsk => "staff",
            Self::NoAge => "no_age",
            Self::LinkedElsewhere => "linked_elsewhere",
            Self::AlreadyLinked => "already_linked",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// The message the person reads.
    pub fn msg(self) -> Msg {
        match self {
            Self::ProviderDown => Msg::LoginProviderDown,
            Self::Cancelled => Msg::LoginCancelled,
            Self::Failed => Msg::LoginFailed,
            Self::TooYoung => Msg::LoginTooYoung,
            Self::TooOld => Msg::LoginTooOld,
            Self::SchoolNotHere => Msg::LoginSchoolNotHere,
            Self::StaffAsk => Msg::LoginStaffAsk,
            Self::NoAge => Msg::LoginNoAge,
            Self::LinkedElsewhere => Msg::LoginLinkedElsewhere,
            Self::AlreadyLinked => Msg::LoginAlreadyLinked,
        }
    }
}

/// What a provider proved about a person (its ID token, signature and all checked), in
/// Stemme's terms after the deployment's claims mapping.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct VerifiedPerson {
    pub subject: String,
    pub first_name: Option<String>,
    pub birthdate: Option<NaiveDate>,
    /// Institution numbers (UNI-Login), in the provider's order.
    pub institutions: Vec<String>,
    /// Roles at the institution (UNI-Login: "elev", "laerer", …).
    pub roles: Vec<String>,
    /// An e-mail address the provider says it verified.
    pub email: Option<String>,
}

/// The account a first login makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountPlan {
    /// A pupil: Elev (and Ung) at the school with one of these institution numbers,
    /// active at once (the school vouches for the pupil; no coordinator step).
    Pupil {
        institutions: Vec<String>,
        birth_year: Option<i32>,
    },
    /// A young person proven 13–25 by birth date: Ung, waiting for confirmation under the
    /// municipality's consent age like a sign-up.
    Youth {
        birth_year: i32,
        status: AccountStatus,
    },
}

/// Whole years of age on `today`.
pub fn age_on(birthdate: NaiveDate, today: NaiveDate) -> i32 {
    let mut age = today.year() - birthdate.year();
    if (today.month(), today.day()) < (birthdate.month(), birthdate.day()) {
        age -= 1;
    }
    age
}

/// The age rule for an account made from a birth date the provider proved: 13–25 (by the
/// exact date, not only the year), under the consent age waits for confirmation.
pub fn youth_status(age: i32, consent_age: i32) -> Result<AccountStatus, LoginRefusal> {
    if age < MIN_SIGNUP_AGE {
        return Err(LoginRefusal::TooYoung);
    }
    if age > MAX_SIGNUP_AGE {
        return Err(LoginRefusal::TooOld);
    }
    Ok(if age < consent_age {
        AccountStatus::AwaitingConfirmation
    } else {
        AccountStatus::Active
    })
}

/// What account a first login makes, or why it makes none. `pupil_roles` are the role
/// values that mean a pupil at this provider (UNI-Login: "elev").
pub fn plan_account(
    person: &VerifiedPerson,
    pupil_roles: &[String],
    today: NaiveDate,
    consent_age: i32,
) -> Result<AccountPlan, LoginRefusal> {
    let birth_year = person.birthdate.map(|d| d.year());
    if !person.roles.is_empty() || !person.institutions.is_empty() {
        let pupil = person
            .roles
            .iter()
            .any(|r| pupil_roles.iter().any(|p| p.eq_ignore_ascii_case(r.trim())));
        if !pupil {
            return Err(LoginRefusal::StaffAsk);
        }
        if person.institutions.is_empty() {
            return Err(LoginRefusal::SchoolNotHere);
        }
        return Ok(AccountPlan::Pupil {
            institutions: person.institutions.clone(),
            birth_year,
        });
    }
    let Some(birthdate) = person.birthdate else {
        return Err(LoginRefusal::NoAge);
    };
    let status = youth_status(age_on(birthdate, today), consent_age)?;
    Ok(AccountPlan::Youth {
        birth_year: birthdate.year(),
        status,
    })
}

/// Whether a linked login may be removed: never the last way in.
pub fn may_unlink(has_password: bool, linked_logins: usize) -> bool {
    has_password || linked_logins > 1
}

/// A provider's button on the login page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderButton {
    pub id: String,
    pub label: String,
}

/// How this site lets people in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginChoices {
    pub providers: Vec<ProviderButton>,
    /// Password login for everyone (off: only the coordinator's break-glass account).
    pub password_login: bool,
}

/// One login linked to the caller's account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkedLogin {
    pub id: IdentityId,
    pub provider: String,
    pub label: String,
    pub linked_at: DateTime<Utc>,
    pub last_login_at: DateTime<Utc>,
    /// False for the last way in.
    pub may_unlink: bool,
}

/// The ways into the caller's account, and the providers they can still link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountLogins {
    pub has_password: bool,
    pub linked: Vec<LinkedLogin>,
    pub linkable: Vec<ProviderButton>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    #[test]
    fn age_counts_whole_years_by_date() {
        assert_eq!(age_on(d(2010, 12, 1), d(2026, 11, 30)), 15);
        assert_eq!(age_on(d(2010, 11, 30), d(2026, 11, 30)), 16);
        assert_eq!(age_on(d(2008, 2, 29), d(2026, 2, 28)), 17);
        assert_eq!(age_on(d(2008, 2, 29), d(2026, 3, 1)), 18);
    }

    #[test]
    fn youth_by_birth_date() {
        let today = d(2026, 11, 30);
        let person = |b| VerifiedPerson {
            subject: "s".into(),
            birthdate: Some(b),
            ..Default::default()
        };
        // 13 on paper by year, 12 by date: refused.
        assert_eq!(
            plan_account(&person(d(2013, 12, 1)), &[], today, 15),
            Err(LoginRefusal::TooYoung)
        );
        assert_eq!(
            plan_account(&person(d(2013, 11, 30)), &[], today, 15),
            Ok(AccountPlan::Youth {
                birth_year: 2013,
                status: AccountStatus::AwaitingConfirmation
            })
        );
        assert_eq!(
            plan_account(&person(d(2010, 10, 1)), &[], today, 15),
            Ok(AccountPlan::Youth {
                birth_year: 2010,
                status: AccountStatus::Active
            })
        );
        assert_eq!(
            plan_account(&person(d(2000, 11, 30)), &[], today, 15),
            Err(LoginRefusal::TooOld)
        );
        assert_eq!(
            plan_account(&VerifiedPerson::default(), &[], today, 15),
            Err(LoginRefusal::NoAge)
        );
    }

    #[test]
    fn pupils_and_staff() {
        let today = d(2026, 11, 30);
        let pupil_roles = vec!["elev".to_owned()];
        let p = |role: &str, inst: &[&str]| VerifiedPerson {
            subject: "s".into(),
            roles: vec![role.to_owned()],
            institutions: inst.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        };
        assert_eq!(
            plan_account(&p("Elev", &["101010"]), &pupil_roles, today, 15),
            Ok(AccountPlan::Pupil {
                institutions: vec!["101010".into()],
                birth_year: None
            })
        );
        assert_eq!(
            plan_account(&p("laerer", &["101010"]), &pupil_roles, today, 15),
            Err(LoginRefusal::StaffAsk)
        );
        assert_eq!(
            plan_account(&p("elev", &[]), &pupil_roles, today, 15),
            Err(LoginRefusal::SchoolNotHere)
        );
    }

    #[test]
    fn refusal_codes_round_trip() {
        for r in LoginRefusal::ALL {
            assert_eq!(LoginRefusal::parse(r.as_str()), Some(r));
        }
        assert!(valid_provider_id("unilogin"));
        assert!(!valid_provider_id("Uni Login"));
        assert!(!valid_provider_id(""));
    }

    #[test]
    fn the_last_way_in_stays() {
        assert!(!may_unlink(false, 1));
        assert!(may_unlink(false, 2));
        assert!(may_unlink(true, 1));
    }
}
