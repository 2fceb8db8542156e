//! The schema twin: a freshly migrated SQLite database and a freshly migrated PostgreSQL
//! database have the same tables, columns (name, nullability, type family), primary keys,
//! unique constraints, indexes, foreign keys, CHECK constraints and triggers, by name.
//!
//! Each database is read into a set of one-line facts (`column settings.value: text not
//! null`, `check settings_key_check on settings`, …) and the two sets are compared; what
//! differs on purpose is listed in [`DELIBERATE`] with its reason, and a listed difference
//! that is no longer there fails too (so the list stays true).
//!
//! Without PostgreSQL (`DATABASE_URL` unset or SQLite) the comparison is skipped, saying so;
//! `./scripts/test` runs the suite on PostgreSQL as well, so CI always compares. The tests
//! below the comparison show that it fails on a column added to one database only.
//!
//! How the two are made comparable:
//! - Type families: `integer` (any INT type), `text`, `real`, `blob` (BLOB, BYTEA, or no
//!   type), `bool`; anything else keeps its own name (PostgreSQL's `tsvector`).
//! - A primary-key column counts as NOT NULL on SQLite too: PostgreSQL implies it, SQLite
//!   does for `INTEGER PRIMARY KEY` and keeps a historical quirk for other types (the app
//!   never writes a NULL key).
//! - An unnamed CHECK gets PostgreSQL's generated name on SQLite too (SQLite keeps no
//!   name): `{table}_{column}_check` when its expression names exactly one column of the
//!   table, else `{table}_check`; repeats get 1, 2, … appended.
//! - A UNIQUE or PRIMARY KEY constraint is compared by its columns (SQLite names its index
//!   `sqlite_autoindex_…`); an index made by `CREATE INDEX` by its name, columns, uniqueness
//!   and whether it is partial.
//! - Triggers are compared per event: `trigger NAME on TABLE: before update`. A SQLite
//!   trigger fires on one event only, so a PostgreSQL trigger on `UPDATE OR DELETE` is two
//!   SQLite triggers there; [`SQLITE_TRIGGER_PARTS`] names the PostgreSQL trigger each such
//!   part belongs to. PostgreSQL's trigger functions are not compared (SQLite has none).
//! - `SCHEMA_TWIN_DUMP=dir` writes both fact lists to `dir` (to read or diff them).
//! - Not compared: `_sqlx_migrations` (sqlx's own), SQLite's internal `sqlite_*` tables
//!   (`sqlite_sequence`), column defaults and the text of expressions.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use crate::common;
use app::ssr::db::Db;
use sqlx::AnyPool;
use std::collections::{BTreeMap, BTreeSet};

/// One database's schema, as one-line facts.
type Facts = BTreeSet<String>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Sqlite,
    Postgres,
}

impl Side {
    fn name(self) -> &'static str {
        match self {
            Self::Sqlite => "SQLite",
            Self::Postgres => "PostgreSQL",
        }
    }
}

/// A difference between the two schemas that is there on purpose.
struct Deliberate {
    /// The database that has the fact.
    only_in: Side,
    /// The fact, exactly, or its beginning followed by `*`.
    fact: &'static str,
    why: &'static str,
}

impl Deliberate {
    fn matches(&self, fact: &str) -> bool {
        match self.fact.strip_suffix('*') {
            Some(prefix) => fact.starts_with(prefix),
            None => fact == self.fact,
        }
    }
}

const FTS: &str = "Full-text search: SQLite keeps an FTS5 index (the proposals_fts tables, kept \
                   by triggers); PostgreSQL a generated tsvector column with a GIN index.";

/// The deliberate differences, each with its reason.
const DELIBERATE: &[Deliberate] = &[
    Deliberate {
        only_in: Side::Sqlite,
        fact: "table proposals_fts*",
        why: FTS,
    },
    Deliberate {
        only_in: Side::Sqlite,
        fact: "column proposals_fts*",
        why: FTS,
    },
    Deliberate {
        only_in: Side::Sqlite,
        fact: "primary key proposals_fts*",
        why: FTS,
    },
    Deliberate {
        only_in: Side::Sqlite,
        fact: "trigger proposals_fts_*",
        why: FTS,
    },
    Deliberate {
        only_in: Side::Postgres,
        fact: "column proposals.search: tsvector null",
        why: FTS,
    },
    Deliberate {
        only_in: Side::Postgres,
        fact: "index proposals_search_idx on proposals (search)",
        why: FTS,
    },
    Deliberate {
        only_in: Side::Postgres,
        fact: "trigger audit_log_no_truncate on audit_log: before truncate",
        why: "SQLite has no TRUNCATE (a DELETE without WHERE fires the delete trigger).",
    },
    Deliberate {
        only_in: Side::Postgres,
        fact: "check user_roles_term_dates on user_roles",
        why: "SQLite cannot add a CHECK to an existing table: there, triggers of the same \
              name refuse the same rows.",
    },
    Deliberate {
        only_in: Side::Sqlite,
        fact: "trigger user_roles_term_dates on user_roles: before insert",
        why: "SQLite cannot add a CHECK to an existing table: this trigger and the next stand \
              in for PostgreSQL's CHECK user_roles_term_dates (on insert and on update).",
    },
    Deliberate {
        only_in: Side::Sqlite,
        fact: "trigger user_roles_term_dates on user_roles: before update",
        why: "See above (migration 0016 added it: the CHECK holds on update too).",
    },
    Deliberate {
        only_in: Side::Postgres,
        fact: "check councils_age_order on councils",
        why: "SQLite adds this CHECK when it rebuilds the councils table \
              (db::widen_council_kinds), without a name: there it is councils_check1.",
    },
    Deliberate {
        only_in: Side::Sqlite,
        fact: "check councils_check1 on councils",
        why: "The unnamed twin of PostgreSQL's councils_age_order (see above).",
    },
];

/// SQLite triggers that are one event's part of a PostgreSQL trigger on several events (or
/// of a PostgreSQL trigger function that checks several columns): SQLite name → PostgreSQL
/// name.
const SQLITE_TRIGGER_PARTS: &[(&str, &str)] = &[
    ("proposal_events_no_update", "proposal_events_append_only"),
    ("proposal_events_no_delete", "proposal_events_append_only"),
    ("proposal_supports_count_up", "proposal_supports_count"),
    ("proposal_supports_count_down", "proposal_supports_count"),
    ("comments_count_up", "comments_count"),
    ("ballots_change_only_while_open", "ballots_only_while_open"),
    ("ballots_no_delete", "ballots_only_while_open"),
    ("minutes_no_update", "minutes_append_only"),
    ("minutes_no_delete", "minutes_append_only"),
    (
        "answer_clarifications_no_update",
        "answer_clarifications_append_only",
    ),
    (
        "answer_clarifications_no_delete",
        "answer_clarifications_append_only",
    ),
    ("pool_ledger_no_update", "pool_ledger_append_only"),
    ("pool_ledger_no_delete", "pool_ledger_append_only"),
    ("audit_log_no_update", "audit_log_append_only"),
    ("audit_log_no_delete", "audit_log_append_only"),
    (
        "proposal_deadline_changes_no_update",
        "proposal_deadline_changes_append_only",
    ),
    (
        "proposal_deadline_changes_no_delete",
        "proposal_deadline_changes_append_only",
    ),
    ("pool_decision_vote_fixed", "pool_decision_needs_vote"),
    (
        "proposals_answer_floor_insert",
        "proposals_explanation_floor",
    ),
    (
        "proposals_answer_floor_update",
        "proposals_explanation_floor",
    ),
    (
        "proposals_decline_floor_insert",
        "proposals_explanation_floor",
    ),
    (
        "proposals_decline_floor_update",
        "proposals_explanation_floor",
    ),
    ("pool_explanation_floor_insert", "pool_explanation_floor"),
    ("pool_explanation_floor_update", "pool_explanation_floor"),
    (
        "suggestion_decline_floor_insert",
        "suggestion_decline_floor",
    ),
    (
        "suggestion_decline_floor_update",
        "suggestion_decline_floor",
    ),
    ("user_roles_term_dates_update", "user_roles_term_dates"),
];

/// What differs between the two fact sets and is not deliberate, one line each; also each
/// deliberate difference that was not found (when `stale_too`).
fn differences(
    sqlite: &Facts,
    postgres: &Facts,
    deliberate: &[Deliberate],
    stale_too: bool,
) -> Vec<String> {
    let mut out = Vec::new();
    let mut used = vec![false; deliberate.len()];
    for (side, mine, other) in [
        (Side::Sqlite, sqlite, postgres),
        (Side::Postgres, postgres, sqlite),
    ] {
        for fact in mine.difference(other) {
            match deliberate
                .iter()
                .position(|d| d.only_in == side && d.matches(fact))
            {
                Some(i) => used[i] = true,
                None => out.push(format!("only in {}: {fact}", side.name())),
            }
        }
    }
    if stale_too {
        for (d, used) in deliberate.iter().zip(used) {
            if !used {
                out.push(format!(
                    "listed as deliberate but not found (only in {}: {}); remove it from DELIBERATE",
                    d.only_in.name(),
                    d.fact
                ));
            }
        }
    }
    out
}

#[tokio::test]
async fn sqlite_and_postgres_schemas_are_twins() {
    match std::env::var("DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => {}
        _ => {
            println!(
                "schema twin: compared nothing (DATABASE_URL is not PostgreSQL; \
                 ./scripts/test runs this on PostgreSQL too)"
            );
            return;
        }
    }
    let (sqlite, _dir) = fresh_sqlite().await;
    let sqlite = sqlite_facts(sqlite.pool()).await;
    let postgres = common::app_isolated().await;
    let postgres = postgres_facts(postgres.db.pool()).await;
    for facts in [&sqlite, &postgres] {
        assert!(
            facts.contains("table proposals")
                && facts.contains("check settings_key_check on settings")
                && facts.len() > 300,
            "the schema reader found too little: {facts:#?}"
        );
    }
    // SCHEMA_TWIN_DUMP=dir writes both fact lists there (sqlite.txt, postgres.txt), to diff.
    if let Ok(dir) = std::env::var("SCHEMA_TWIN_DUMP") {
        for (name, facts) in [("sqlite.txt", &sqlite), ("postgres.txt", &postgres)] {
            let lines: Vec<&str> = facts.iter().map(String::as_str).collect();
            std::fs::write(format!("{dir}/{name}"), lines.join("\n") + "\n").expect("dump");
        }
    }
    let problems = differences(&sqlite, &postgres, DELIBERATE, true);
    println!(
        "schema twin: compared {} SQLite facts with {} PostgreSQL facts; {} deliberate differences, {} problems",
        sqlite.len(),
        postgres.len(),
        DELIBERATE.len(),
        problems.len()
    );
    for d in DELIBERATE {
        println!(
            "  deliberate, only in {}: {} ({})",
            d.only_in.name(),
            d.fact,
            d.why
        );
    }
    assert!(
        problems.is_empty(),
        "SQLite and PostgreSQL schemas differ (fix with a new migration pair, or list a \
         deliberate difference in DELIBERATE with its reason):\n{}",
        problems.join("\n")
    );
}

/// The comparison reports a column that only one side has.
#[test]
fn a_column_on_one_side_only_is_reported() {
    let both: Facts = [
        "table settings",
        "column settings.key: text not null",
        "column settings.value: text not null",
    ]
    .map(String::from)
    .into();
    let mut more = both.clone();
    more.insert("column settings.extra: text null".into());
    assert!(differences(&both, &both, DELIBERATE, false).is_empty());
    assert_eq!(
        differences(&both, &more, DELIBERATE, false),
        vec!["only in PostgreSQL: column settings.extra: text null".to_owned()]
    );
    assert_eq!(
        differences(&more, &both, DELIBERATE, false),
        vec!["only in SQLite: column settings.extra: text null".to_owned()]
    );
}

/// End to end on SQLite (runs without PostgreSQL too): a migration that adds a column, a
/// CHECK, an index and a trigger to one database only is caught by reader and comparison.
#[tokio::test]
async fn a_migration_on_one_side_only_is_caught() {
    let (a, _dir_a) = fresh_sqlite().await;
    let (b, _dir_b) = fresh_sqlite().await;
    for sql in [
        "ALTER TABLE settings ADD COLUMN extra TEXT CHECK (length(extra) < 10)",
        "CREATE INDEX settings_extra_idx ON settings (extra)",
        "CREATE TRIGGER settings_frozen BEFORE DELETE ON settings BEGIN SELECT RAISE(ABORT, 'no'); END",
    ] {
        sqlx::query(sql).execute(b.pool()).await.expect(sql);
    }
    let a = sqlite_facts(a.pool()).await;
    let b = sqlite_facts(b.pool()).await;
    assert_eq!(differences(&a, &a, DELIBERATE, false), Vec::<String>::new());
    assert_eq!(
        differences(&a, &b, DELIBERATE, false),
        [
            "column settings.extra: text null",
            "check settings_extra_check on settings",
            "index settings_extra_idx on settings (extra)",
            "trigger settings_frozen on settings: before delete",
        ]
        .map(|f| format!("only in PostgreSQL: {f}"))
        .into_iter()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect::<Vec<_>>()
    );
}

/// SQLite's CHECK names come out as PostgreSQL generates them.
#[test]
fn sqlite_checks_get_postgres_names() {
    let columns = ["key", "value", "lo", "hi"].map(String::from);
    let sql = "CREATE TABLE \"t\" (\n  key TEXT PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 64), -- a (comment, CHECK)\n  \
               value TEXT NOT NULL CHECK (value <> 'CHECK (x)') CHECK (length(value) < 9),\n  \
               lo BIGINT CONSTRAINT lo_positive CHECK (lo > 0), hi BIGINT,\n  \
               CHECK (lo <= hi), UNIQUE (lo, hi))";
    let mut names = sqlite_checks("t", sql, &columns);
    names.sort();
    assert_eq!(
        names,
        [
            "lo_positive",
            "t_check",
            "t_key_check",
            "t_value_check",
            "t_value_check1"
        ]
    );
}

async fn fresh_sqlite() -> (Db, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = Db::connect(&format!("sqlite://{}/twin.db", dir.path().display()), 2)
        .await
        .expect("sqlite");
    db.migrate().await.expect("migrate sqlite");
    (db, dir)
}

/// SQLite's declared type (by SQLite's own affinity rules) or PostgreSQL's `data_type`, as
/// a family.
fn family(declared: &str) -> String {
    let t = declared.to_ascii_lowercase();
    let family = if t.contains("bool") {
        "bool"
    } else if t.contains("int") {
        "integer"
    } else if t.contains("char") || t.contains("clob") || t.contains("text") {
        "text"
    } else if t.is_empty() || t.contains("blob") || t == "bytea" {
        "blob"
    } else if t.contains("real") || t.contains("floa") || t.contains("doub") {
        "real"
    } else {
        return t;
    };
    family.to_owned()
}

fn nullability(not_null: bool) -> &'static str {
    if not_null {
        "not null"
    } else {
        "null"
    }
}

async fn rows(pool: &AnyPool, sql: &str) -> Vec<sqlx::any::AnyRow> {
    sqlx::query(sql)
        .fetch_all(pool)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

fn text(row: &sqlx::any::AnyRow, i: usize) -> String {
    use sqlx::Row;
    row.try_get::<Option<String>, _>(i)
        .unwrap_or_else(|e| panic!("column {i}: {e}"))
        .unwrap_or_default()
}

fn int(row: &sqlx::any::AnyRow, i: usize) -> i64 {
    use sqlx::Row;
    row.try_get::<i64, _>(i)
        .unwrap_or_else(|e| panic!("column {i}: {e}"))
}

/// The schema of a migrated SQLite database.
async fn sqlite_facts(pool: &AnyPool) -> Facts {
    let mut facts = Facts::new();
    let tables = rows(
        pool,
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> '_sqlx_migrations' ORDER BY name",
    )
    .await;
    // Primary keys first: a foreign key without columns refers to them.
    let mut primary_keys: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut columns_of: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for t in &tables {
        let table = text(t, 0);
        facts.insert(format!("table {table}"));
        let mut pk: Vec<(i64, String)> = Vec::new();
        let mut names = Vec::new();
        for c in rows(
            pool,
            &format!(
                "SELECT name, type, \"notnull\", pk FROM pragma_table_info('{table}') ORDER BY cid"
            ),
        )
        .await
        {
            let (name, pk_order) = (text(&c, 0), int(&c, 3));
            let not_null = int(&c, 2) != 0 || pk_order > 0;
            facts.insert(format!(
                "column {table}.{name}: {} {}",
                family(&text(&c, 1)),
                nullability(not_null)
            ));
            if pk_order > 0 {
                pk.push((pk_order, name.clone()));
            }
            names.push(name);
        }
        pk.sort();
        let pk: Vec<String> = pk.into_iter().map(|(_, n)| n).collect();
        if !pk.is_empty() {
            facts.insert(format!("primary key {table} ({})", pk.join(", ")));
        }
        primary_keys.insert(table.clone(), pk);
        columns_of.insert(table, names);
    }
    for t in &tables {
        let (table, sql) = (text(t, 0), text(t, 1));
        for name in sqlite_checks(&table, &sql, &columns_of[&table]) {
            facts.insert(format!("check {name} on {table}"));
        }
        for i in rows(
            pool,
            &format!("SELECT name, \"unique\", origin, partial FROM pragma_index_list('{table}')"),
        )
        .await
        {
            let (index, origin) = (text(&i, 0), text(&i, 2));
            let cols: Vec<String> = rows(
                pool,
                &format!("SELECT name FROM pragma_index_info('{index}') ORDER BY seqno"),
            )
            .await
            .iter()
            .map(|c| {
                let name = text(c, 0);
                if name.is_empty() {
                    "(expression)".to_owned()
                } else {
                    name
                }
            })
            .collect();
            match origin.as_str() {
                "pk" => {} // read from the columns above
                "u" => {
                    facts.insert(format!("unique {table} ({})", cols.join(", ")));
                }
                _ => {
                    facts.insert(index_fact(
                        &index,
                        &table,
                        &cols,
                        int(&i, 1) != 0,
                        int(&i, 3) != 0,
                    ));
                }
            }
        }
        let mut keys: BTreeMap<i64, (String, String, Vec<String>, Vec<String>)> = BTreeMap::new();
        for f in rows(
            pool,
            &format!(
                "SELECT id, \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list('{table}') \
                 ORDER BY id, seq"
            ),
        )
        .await
        {
            let key = keys
                .entry(int(&f, 0))
                .or_insert_with(|| (text(&f, 1), text(&f, 4), Vec::new(), Vec::new()));
            key.2.push(text(&f, 2));
            key.3.push(text(&f, 3));
        }
        for (_, (target, on_delete, from, to)) in keys {
            let to = if to.iter().all(String::is_empty) {
                primary_keys.get(&target).cloned().unwrap_or_default()
            } else {
                to
            };
            facts.insert(foreign_key_fact(
                &table,
                &from,
                &target,
                &to,
                &on_delete.to_ascii_lowercase(),
            ));
        }
    }
    let parts: BTreeMap<&str, &str> = SQLITE_TRIGGER_PARTS.iter().copied().collect();
    for t in rows(
        pool,
        "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'",
    )
    .await
    {
        let (name, table, sql) = (text(&t, 0), text(&t, 1), text(&t, 2));
        let name = parts
            .get(name.as_str())
            .map_or(name.clone(), |n| (*n).to_owned());
        facts.insert(format!(
            "trigger {name} on {table}: {}",
            sqlite_trigger_event(&sql)
        ));
    }
    facts
}

fn index_fact(index: &str, table: &str, cols: &[String], unique: bool, partial: bool) -> String {
    format!(
        "index {index} on {table} ({}){}{}",
        cols.join(", "),
        if unique { " unique" } else { "" },
        if partial { " partial" } else { "" }
    )
}

fn foreign_key_fact(
    table: &str,
    from: &[String],
    target: &str,
    to: &[String],
    on_delete: &str,
) -> String {
    format!(
        "foreign key {table} ({}) references {target} ({}) on delete {on_delete}",
        from.join(", "),
        to.join(", ")
    )
}

/// "before update" for `CREATE TRIGGER x BEFORE UPDATE OF a ON t …` (SQLite's default
/// timing is BEFORE).
fn sqlite_trigger_event(sql: &str) -> String {
    let words: Vec<String> = sql
        .split_whitespace()
        .map(|w| w.to_ascii_uppercase())
        .collect();
    let Some(at) = words
        .iter()
        .position(|w| matches!(w.as_str(), "INSERT" | "UPDATE" | "DELETE"))
    else {
        return format!("unreadable ({sql})");
    };
    let timing = match at.checked_sub(1).map(|i| words[i].as_str()) {
        Some("AFTER") => "after",
        Some("OF") => "instead of",
        _ => "before",
    };
    format!("{timing} {}", words[at].to_ascii_lowercase())
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    /// A name or keyword, unquoted.
    Word(String),
    Str,
    Open,
    Close,
    Comma,
    Other,
}

/// SQL tokens: names (quoted or not), string literals, parentheses and commas; comments
/// are dropped.
fn tokens(sql: &str) -> Vec<Tok> {
    let s: Vec<char> = sql.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '-' && s.get(i + 1) == Some(&'-') {
            while i < s.len() && s[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && s.get(i + 1) == Some(&'*') {
            i += 2;
            while i < s.len() && !(s[i] == '*' && s.get(i + 1) == Some(&'/')) {
                i += 1;
            }
            i += 2;
        } else if c == '\'' {
            i += 1;
            while i < s.len() {
                if s[i] == '\'' && s.get(i + 1) == Some(&'\'') {
                    i += 2;
                } else if s[i] == '\'' {
                    break;
                } else {
                    i += 1;
                }
            }
            i += 1;
            out.push(Tok::Str);
        } else if c == '"' || c == '`' || c == '[' {
            let close = if c == '[' { ']' } else { c };
            let start = i + 1;
            i = start;
            while i < s.len() && s[i] != close {
                i += 1;
            }
            out.push(Tok::Word(s[start..i.min(s.len())].iter().collect()));
            i += 1;
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < s.len() && (s[i].is_alphanumeric() || s[i] == '_' || s[i] == '$') {
                i += 1;
            }
            out.push(Tok::Word(s[start..i].iter().collect()));
        } else {
            out.push(match c {
                '(' => Tok::Open,
                ')' => Tok::Close,
                ',' => Tok::Comma,
                _ => Tok::Other,
            });
            i += 1;
        }
    }
    out
}

fn is_word(t: Option<&Tok>, word: &str) -> bool {
    matches!(t, Some(Tok::Word(w)) if w.eq_ignore_ascii_case(word))
}

/// The CHECK constraints in a SQLite `CREATE TABLE` statement, by the names PostgreSQL
/// gives them (see the module comment).
fn sqlite_checks(table: &str, create_sql: &str, columns: &[String]) -> Vec<String> {
    let toks = tokens(create_sql);
    if is_word(toks.get(1), "virtual") {
        return Vec::new();
    }
    let Some(open) = toks.iter().position(|t| *t == Tok::Open) else {
        return Vec::new();
    };
    let mut named = Vec::new();
    let mut generated: Vec<String> = Vec::new();
    let mut depth = 0usize;
    let mut i = open + 1;
    while i < toks.len() {
        match &toks[i] {
            Tok::Open => depth += 1,
            Tok::Close if depth == 0 => break,
            Tok::Close => depth -= 1,
            Tok::Word(w) if depth == 0 && w.eq_ignore_ascii_case("check") => {
                let name = match (i.checked_sub(2).map(|j| &toks[j]), toks.get(i - 1)) {
                    (Some(c), Some(Tok::Word(n))) if is_word(Some(c), "constraint") => {
                        Some(n.clone())
                    }
                    _ => None,
                };
                // The parenthesised expression after CHECK.
                let start = i + 1;
                let mut d = 0usize;
                let mut end = start;
                while end < toks.len() {
                    match toks[end] {
                        Tok::Open => d += 1,
                        Tok::Close if d <= 1 => break,
                        Tok::Close => d -= 1,
                        _ => {}
                    }
                    end += 1;
                }
                let expr = &toks[start..end.min(toks.len())];
                match name {
                    Some(n) => named.push(n),
                    None => {
                        let mut referenced = BTreeSet::new();
                        for (k, t) in expr.iter().enumerate() {
                            if let Tok::Word(w) = t {
                                let call = expr.get(k + 1) == Some(&Tok::Open);
                                if let Some(c) = columns.iter().find(|c| c.eq_ignore_ascii_case(w))
                                {
                                    if !call {
                                        referenced.insert(c.to_ascii_lowercase());
                                    }
                                }
                            }
                        }
                        let base = match referenced.iter().next() {
                            Some(c) if referenced.len() == 1 => format!("{table}_{c}_check"),
                            _ => format!("{table}_check"),
                        };
                        generated.push(base);
                    }
                }
                i = end;
            }
            _ => {}
        }
        i += 1;
    }
    // PostgreSQL appends 1, 2, … to a generated name already taken.
    let mut taken: BTreeSet<String> = named.iter().cloned().collect();
    for base in generated {
        let mut name = base.clone();
        let mut n = 0;
        while taken.contains(&name) {
            n += 1;
            name = format!("{base}{n}");
        }
        taken.insert(name.clone());
        named.push(name);
    }
    named
}

/// The schema of a migrated PostgreSQL database (schema `public`).
async fn postgres_facts(pool: &AnyPool) -> Facts {
    let mut facts = Facts::new();
    for t in rows(
        pool,
        "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname <> '_sqlx_migrations'",
    )
    .await
    {
        facts.insert(format!("table {}", text(&t, 0)));
    }
    for c in rows(
        pool,
        "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text \
         FROM information_schema.columns \
         WHERE table_schema = 'public' AND table_name <> '_sqlx_migrations'",
    )
    .await
    {
        facts.insert(format!(
            "column {}.{}: {} {}",
            text(&c, 0),
            text(&c, 1),
            family(&text(&c, 2)),
            nullability(text(&c, 3) == "NO")
        ));
    }
    let columns = |key: &str, table: &str| {
        format!(
            "(SELECT string_agg(a.attname::text, ',' ORDER BY k.ord) \
             FROM unnest(c.{key}) WITH ORDINALITY AS k(num, ord) \
             JOIN pg_attribute a ON a.attrelid = c.{table} AND a.attnum = k.num)"
        )
    };
    let split = |s: String| -> Vec<String> { s.split(',').map(str::to_owned).collect() };
    for c in rows(
        pool,
        &format!(
            "SELECT t.relname::text, c.conname::text, c.contype::text, {}, \
             COALESCE((SELECT relname::text FROM pg_class WHERE oid = c.confrelid), ''), \
             COALESCE({}, ''), c.confdeltype::text \
             FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid \
             JOIN pg_namespace n ON n.oid = t.relnamespace \
             WHERE n.nspname = 'public' AND t.relname <> '_sqlx_migrations' \
             AND c.contype IN ('p', 'u', 'c', 'f')",
            columns("conkey", "conrelid"),
            columns("confkey", "confrelid")
        ),
    )
    .await
    {
        let (table, name, kind, cols) = (text(&c, 0), text(&c, 1), text(&c, 2), text(&c, 3));
        let cols = split(cols);
        match kind.as_str() {
            "p" => facts.insert(format!("primary key {table} ({})", cols.join(", "))),
            "u" => facts.insert(format!("unique {table} ({})", cols.join(", "))),
            "c" => facts.insert(format!("check {name} on {table}")),
            _ => {
                let on_delete = match text(&c, 6).as_str() {
                    "r" => "restrict",
                    "c" => "cascade",
                    "n" => "set null",
                    "d" => "set default",
                    _ => "no action",
                };
                facts.insert(foreign_key_fact(
                    &table,
                    &cols,
                    &text(&c, 4),
                    &split(text(&c, 5)),
                    on_delete,
                ))
            }
        };
    }
    for i in rows(
        pool,
        "SELECT ic.relname::text, t.relname::text, \
         CASE WHEN x.indisunique THEN 1 ELSE 0 END::int8, \
         CASE WHEN x.indpred IS NULL THEN 0 ELSE 1 END::int8, \
         (SELECT string_agg(COALESCE(a.attname::text, '(expression)'), ',' ORDER BY k.ord) \
          FROM unnest(x.indkey::int2[]) WITH ORDINALITY AS k(num, ord) \
          LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.num AND k.num <> 0) \
         FROM pg_index x JOIN pg_class ic ON ic.oid = x.indexrelid \
         JOIN pg_class t ON t.oid = x.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace \
         WHERE n.nspname = 'public' AND t.relname <> '_sqlx_migrations' \
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid \
                         AND c.conrelid = x.indrelid AND c.contype IN ('p', 'u', 'x'))",
    )
    .await
    {
        facts.insert(index_fact(
            &text(&i, 0),
            &text(&i, 1),
            &split(text(&i, 4)),
            int(&i, 2) != 0,
            int(&i, 3) != 0,
        ));
    }
    // tgtype bits: 2 BEFORE, 64 INSTEAD OF (else AFTER); 4 INSERT, 8 DELETE, 16 UPDATE,
    // 32 TRUNCATE.
    for t in rows(
        pool,
        "SELECT g.tgname::text, c.relname::text, g.tgtype::int8 FROM pg_trigger g \
         JOIN pg_class c ON c.oid = g.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname = 'public' AND NOT g.tgisinternal",
    )
    .await
    {
        let (name, table, bits) = (text(&t, 0), text(&t, 1), int(&t, 2));
        let timing = if bits & 2 != 0 {
            "before"
        } else if bits & 64 != 0 {
            "instead of"
        } else {
            "after"
        };
        for (bit, event) in [
            (4, "insert"),
            (8, "delete"),
            (16, "update"),
            (32, "truncate"),
        ] {
            if bits & bit != 0 {
                facts.insert(format!("trigger {name} on {table}: {timing} {event}"));
            }
        }
    }
    facts
}
