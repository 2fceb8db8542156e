//! Accounts made from the command line: the first coordinator, and the demo data set.
use crate::domain::account::{self as rules, AccountStatus, CouncilKind, RoleKind};
use crate::domain::error::AppError;
use crate::domain::ids::{CouncilId, SchoolId, UserId};
use crate::ssr::db::{schools, users, Db, DbError};
use crate::ssr::password;

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
            users::create(
                pool,
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
            .await?
        }
    };
    match users::grant(pool, id, RoleKind::Sekretariat, None, None, id).await {
        Ok(_) | Err(DbError::Conflict(_)) => Ok(id),
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
            schools::create_council(pool, kind, name, None).await?;
        }
    }
    let councils = schools::councils(pool).await?;
    let council_id = |name: &str| -> Option<CouncilId> {
        councils.iter().find(|c| c.name == name).map(|c| c.id)
    };
    let year = crate::api::accounts::current_year();
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
        for (role, council) in d.roles {
            let council = council.and_then(council_id);
            let term = council.map(|_| (year, year + 1));
            users::grant(pool, id, *role, council, term, id).await?;
        }
        created += 1;
    }
    Ok(created)
}
