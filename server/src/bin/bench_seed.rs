//! Seeds a database for the benchmark (`bench/run`): the demo world plus 10,000 users,
//! 5,000 published proposals, 100,000 supports, 200 meetings, a pool year with 300 grants,
//! and Ungerådet grown to `--members` members with three votes open for them. The demo
//! world's coordinator hosts the live-session scenario (its e-mail and password are printed).
//!
//! Rows are generated inside the database (recursive CTEs, one transaction per table), so
//! seeding takes seconds on either engine. Prints `KEY=value` lines for the bench script.
use anyhow::{ensure, Context};
use app::domain::council::AgendaItemId;
use app::domain::ids::CouncilId;
use app::ssr::db::{councils, Db};
use clap::Parser;

#[derive(Parser)]
struct Args {
    #[arg(long, env = "DATABASE_URL")]
    database_url: String,
    /// The password every seeded user logs in with.
    #[arg(long, default_value = "bench-password-2026")]
    password: String,
    #[arg(long, default_value_t = 10_000)]
    users: i64,
    #[arg(long, default_value_t = 5_000)]
    proposals: i64,
    /// Supports per proposal (5,000 × 20 = 100,000).
    #[arg(long, default_value_t = 20)]
    supports_each: i64,
    #[arg(long, default_value_t = 200)]
    meetings: i64,
    #[arg(long, default_value_t = 300)]
    grants: i64,
    /// Seeded users who are also members of Ungerådet (they vote in scenarios d and e).
    #[arg(long, default_value_t = 1_300)]
    members: i64,
    /// Where to write the members' e-mail addresses, one per line, in id order (member
    /// number m is user `FIRST_USER + m`).
    #[arg(long)]
    members_file: Option<std::path::PathBuf>,
    /// Instead of seeding: print the number this query returns (the bench's checks).
    #[arg(long)]
    query: Option<String>,
}

/// Numbers 1..=n as a CTE named `n(i)`.
fn numbers(n: i64) -> String {
    // BIGINT: PostgreSQL would compute `i * 6000000` in 32 bits.
    format!(
        "WITH RECURSIVE n(i) AS (SELECT CAST(1 AS BIGINT) UNION ALL SELECT i + 1 FROM n WHERE i < {n}) "
    )
}

async fn exec(db: &Db, what: &str, sql: &str) -> anyhow::Result<u64> {
    let started = std::time::Instant::now();
    let rows = sqlx::query(sql)
        .execute(db.pool())
        .await
        .with_context(|| format!("seeding {what}"))?
        .rows_affected();
    eprintln!(
        "{what}: {rows} rows in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(rows)
}

async fn scalar(db: &Db, sql: &str) -> anyhow::Result<i64> {
    let v: Option<i64> = sqlx::query_scalar(sql)
        .fetch_one(db.pool())
        .await
        .with_context(|| sql.to_owned())?;
    v.with_context(|| format!("no value: {sql}"))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let a = Args::parse();
    ensure!(
        a.supports_each < 100 && a.users > 101 * a.supports_each,
        "too many supports"
    );
    ensure!(a.members <= a.users, "more members than users");
    let db = Db::connect(&a.database_url, 2).await?;
    if let Some(sql) = &a.query {
        println!("{}", scalar(&db, sql).await?);
        db.close().await;
        return Ok(());
    }
    db.migrate().await?;
    ensure!(
        scalar(&db, "SELECT COUNT(*) FROM users WHERE email LIKE 'bench%'").await? == 0,
        "the database is seeded already; start from an empty one"
    );
    server::provision::load_demo(&db).await?;
    let now = chrono::Utc::now().timestamp_micros();
    let year = chrono::Datelike::year(&chrono::Utc::now().date_naive());
    let council = scalar(&db, "SELECT MIN(id) FROM councils WHERE name = 'Ungerådet'").await?;
    let chair = scalar(
        &db,
        "SELECT MIN(id) FROM users WHERE email = 'ungeraad@demo.stemme.dk'",
    )
    .await?;
    let hash = app::ssr::password::hash(a.password.clone())
        .await
        .map_err(anyhow::Error::msg)?;
    let hash = hash.replace('\'', "''");

    exec(&db, "users", &format!(
        "{}INSERT INTO users (first_name, search_name, email, birth_year, password_hash, status, created_at) \
         SELECT 'Bruger', 'bruger', 'bench' || i || '@bench.stemme.dk', 2008, '{hash}', 'active', {now} - i FROM n",
        numbers(a.users)
    )).await?;
    let first_user = scalar(&db, "SELECT MIN(id) FROM users WHERE email LIKE 'bench%'").await?;
    exec(&db, "roles (ung)", &format!(
        "INSERT INTO user_roles (user_id, role, granted_at) SELECT id, 'ung', {now} FROM users WHERE id >= {first_user}"
    )).await?;
    exec(&db, "roles (Ungerådet)", &format!(
        "INSERT INTO user_roles (user_id, role, council_id, term_start, term_end, granted_by, granted_at, starts_on, ends_on) \
         SELECT id, 'ungeraadsmedlem', {council}, {year}, {}, {chair}, {now}, '{year}-01-01', '{}-12-31' FROM users \
         WHERE id >= {first_user} AND id < {}",
        year + 1,
        year + 1,
        first_user + a.members
    )).await?;

    // Proposals: newest first in time order, spread over the last year, six themes.
    let body = "Vi foreslår, at kommunen gør noget ved det her, fordi mange unge har bedt om det. \
                Det vil gøre hverdagen bedre for os, og det koster ikke meget. Vi vil gerne hjælpe til.";
    exec(&db, "proposals", &format!(
        "{}INSERT INTO proposals (author_id, council_id, title, body, theme, show_name, status, visibility, \
         created_at, updated_at, submitted_at) \
         SELECT {first_user} + (i % {users}), {council}, 'Forslag nummer ' || i, '{body}', \
         CASE i % 6 WHEN 0 THEN 'fritid_kultur' WHEN 1 THEN 'skole_laering' WHEN 2 THEN 'trivsel_sundhed' \
         WHEN 3 THEN 'faellesskab' WHEN 4 THEN 'by_natur' ELSE 'andet' END, i % 2, 'submitted', 'published', \
         {now} - ({n} - i) * 6000000, {now} - ({n} - i) * 6000000, {now} - ({n} - i) * 6000000 FROM n",
        numbers(a.proposals),
        users = a.users,
        n = a.proposals,
    )).await?;
    let first_proposal = scalar(
        &db,
        "SELECT MIN(id) FROM proposals WHERE title LIKE 'Forslag nummer %'",
    )
    .await?;
    exec(&db, "proposal events", &format!(
        "INSERT INTO proposal_events (proposal_id, kind, at, actor_id, council_id) \
         SELECT id, 'submitted', submitted_at, author_id, council_id FROM proposals WHERE id >= {first_proposal}"
    )).await?;
    // Supporters: never the author ((k·101 + 1) mod users ≠ 0 for k < 99).
    exec(&db, "supports", &format!(
        "WITH RECURSIVE k(j) AS (SELECT CAST(0 AS BIGINT) UNION ALL SELECT j + 1 FROM k WHERE j < {}) \
         INSERT INTO proposal_supports (proposal_id, user_id, created_at) \
         SELECT p.id, {first_user} + ((p.id - {first_proposal} + 1 + k.j * 101) % {users}), p.created_at + k.j \
         FROM proposals p CROSS JOIN k WHERE p.id >= {first_proposal}",
        a.supports_each - 1,
        users = a.users
    )).await?;

    exec(&db, "meetings", &format!(
        "{}INSERT INTO meetings (council_id, starts_at, place, status, created_by, created_at) \
         SELECT {council}, {now} - i * 86400000000 * 7, 'Rådhuset, mødelokale ' || (i % 5 + 1), 'held', {chair}, {now} FROM n",
        numbers(a.meetings)
    )).await?;
    // Three open votes for the member bursts, on a meeting of their own.
    exec(
        &db,
        "the meeting of the burst",
        &format!(
            "INSERT INTO meetings (council_id, starts_at, place, status, created_by, created_at) \
         VALUES ({council}, {now}, 'Ungdomshuset', 'published', {chair}, {now})"
        ),
    )
    .await?;
    let meeting = scalar(
        &db,
        &format!(
            "SELECT MAX(id) FROM meetings WHERE council_id = {council} AND place = 'Ungdomshuset'"
        ),
    )
    .await?;
    let members = councils::member_count(db.pool(), CouncilId(council)).await?;
    let mut votes = Vec::new();
    for position in 1..=3 {
        exec(
            &db,
            "agenda item",
            &format!(
                "INSERT INTO agenda_items (meeting_id, position, title, created_at) \
             VALUES ({meeting}, {position}, 'Afstemning {position}', {now})"
            ),
        )
        .await?;
        let item = scalar(
            &db,
            &format!("SELECT MAX(id) FROM agenda_items WHERE meeting_id = {meeting}"),
        )
        .await?;
        let vote =
            councils::open_vote(db.pool(), AgendaItemId(item), CouncilId(council), members).await?;
        votes.push(vote.0);
    }

    // The pool: the newest year gets `grants` granted applications, within what it has.
    let (year_id, left): (i64, i64) = sqlx::query_as(
        "SELECT id, amount_ore - granted_ore + returned_ore + corrected_ore FROM pool_years \
         ORDER BY year DESC LIMIT 1",
    )
    .fetch_one(db.pool())
    .await
    .context("the demo pool year")?;
    let each = (left / a.grants / 100 * 100).min(50_000);
    ensure!(
        each >= 100,
        "the pool year has too little left for {} grants",
        a.grants
    );
    exec(&db, "pool applications", &format!(
        "{}INSERT INTO pool_applications (pool_year_id, applicant_id, title, activity, audience, participants, \
         activity_date, place, members, asked_ore, status, granted_ore, votes_for, votes_against, votes_abstain, \
         decided_by, decided_at, submitted_at) \
         SELECT {year_id}, {first_user} + i, 'Aktivitet nummer ' || i, \
         'En aktivitet, som unge selv har fundet på og selv står for.', 'Unge i kommunen', 25, '{year}-06-01', \
         'Ungdomshuset', '', {each}, 'granted', {each}, 5, 0, 1, {chair}, {now} - i * 1000, {now} - i * 2000 FROM n",
        numbers(a.grants)
    )).await?;
    exec(&db, "pool ledger", &format!(
        "INSERT INTO pool_ledger (pool_year_id, application_id, kind, amount_ore, balance_ore, actor_id, at) \
         SELECT {year_id}, id, 'grant', {each}, {left} - (id - (SELECT MIN(id) FROM pool_applications \
         WHERE title LIKE 'Aktivitet nummer %') + 1) * {each}, {chair}, decided_at \
         FROM pool_applications WHERE title LIKE 'Aktivitet nummer %'"
    )).await?;
    exec(
        &db,
        "pool year totals",
        &format!(
            "UPDATE pool_years SET granted_ore = granted_ore + {} WHERE id = {year_id}",
            each * a.grants
        ),
    )
    .await?;
    if db.backend() == app::ssr::db::Backend::Postgres {
        exec(&db, "statistics", "ANALYZE").await?;
    } else {
        exec(&db, "statistics", "ANALYZE").await?;
        exec(&db, "checkpoint", "PRAGMA wal_checkpoint(TRUNCATE)").await?;
    }
    let supports = scalar(&db, "SELECT COUNT(*) FROM proposal_supports").await?;
    if let Some(path) = &a.members_file {
        let emails: Vec<String> = sqlx::query_scalar(&format!(
            "SELECT email FROM users WHERE id >= {first_user} AND id < {} ORDER BY id",
            first_user + a.members
        ))
        .fetch_all(db.pool())
        .await?;
        ensure!(emails.len() as i64 == a.members, "members missing");
        std::fs::write(path, emails.join("\n") + "\n")?;
    }
    println!("FIRST_USER={first_user}");
    println!("FIRST_PROPOSAL={first_proposal}");
    println!("LAST_PROPOSAL={}", first_proposal + a.proposals - 1);
    println!("MEMBERS={}", a.members);
    println!("USERS={}", a.users);
    println!("PROPOSALS={}", a.proposals);
    println!("SUPPORTS_EACH={}", a.supports_each);
    println!(
        "VOTES=\"{}\"",
        votes
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(" ")
    );
    println!("SUPPORTS={supports}");
    // The host of the live-session scenario (f): the demo world's coordinator.
    let host = "sekretariat@demo.stemme.dk";
    ensure!(
        scalar(
            &db,
            &format!(
                "SELECT COUNT(*) FROM users u JOIN user_roles r ON r.user_id = u.id \
                 WHERE u.email = '{host}' AND r.role = 'sekretariat'"
            ),
        )
        .await?
            == 1,
        "the demo coordinator {host} is missing"
    );
    println!("LIVE_HOST='{host}'");
    println!("LIVE_HOST_PASSWORD='{}'", server::provision::DEMO_PASSWORD);
    db.close().await;
    Ok(())
}
