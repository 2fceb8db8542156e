//! Open data downloads, CSV and JSON with the same rows (`ssr::table`):
//! `GET /forslag/eksport.{csv,json}` (every public proposal with its status, dates, answer,
//! explanation and follow-up), `GET /bliver-vi-hoert/{year}.{csv,json}` (the "Bliver vi
//! hørt?" figures of a year) and `GET /hoeringer/eksport.{csv,json}` (every hearing, one row
//! per council asked). Times are Danish time with their offset; labels are the Danish ones
//! the pages show.
use crate::domain::heard::{HeardStats, HearingStats, PoolFigures};
use crate::domain::participation::{Breakdown, Participation};
use crate::domain::proposal::AnswerKind;
use crate::ssr::db::exports;
use crate::ssr::state::AppState;
use crate::ssr::table::{csv_response, json_response, Cell, Table};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Utc;

/// CSV or JSON, from the address's ending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
}

impl Format {
    /// `"2026.csv"` → `("2026", Csv)`.
    pub fn split(file: &str) -> Option<(&str, Format)> {
        if let Some(stem) = file.strip_suffix(".csv") {
            Some((stem, Format::Csv))
        } else {
            file.strip_suffix(".json").map(|stem| (stem, Format::Json))
        }
    }
}

fn internal(error: impl std::fmt::Display, what: &'static str) -> Response {
    tracing::error!(%error, what, "open data export failed");
    StatusCode::INTERNAL_SERVER_ERROR.into_response()
}

const PROPOSAL_COLUMNS: &[&str] = &[
    "id",
    "titel",
    "tekst",
    "tema",
    "raad",
    "status",
    "indsendt",
    "stoetter",
    "raadets_begrundelse",
    "udvalg",
    "svarfrist",
    "svar",
    "svar_aarsag",
    "svar_tekst",
    "besvaret",
    "opfoelgning",
    "opfoelgning_note",
    "opfoelgning_tidspunkt",
    "link",
];

/// The proposals as a table (`base` is the site's address, for the links).
pub fn proposals_table(rows: &[exports::ProposalRow], base: &str) -> Table {
    let label = |s: &'static str| Cell::text(s);
    Table {
        columns: PROPOSAL_COLUMNS,
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    Cell::Int(Some(r.id.0)),
                    Cell::text(r.title.clone()),
                    Cell::text(r.body.clone()),
                    label(r.theme.label(false)),
                    Cell::text(r.council.clone()),
                    label(r.stage.label(false)),
                    Cell::Time(r.submitted_at),
                    Cell::Int(Some(r.supporters)),
                    Cell::Text(r.decision_text.clone()),
                    Cell::Text(r.committee.clone()),
                    Cell::Time(r.deadline),
                    Cell::Text(r.answer.map(|a| a.label(false).to_owned())),
                    Cell::Text(r.answer_reason.map(|a| a.label(false).to_owned())),
                    Cell::Text(r.answer_text.clone()),
                    Cell::Time(r.answered_at),
                    Cell::Text(r.follow_up.map(|f| f.label(false).to_owned())),
                    Cell::Text(r.follow_up_note.clone()),
                    Cell::Time(r.follow_up_at),
                    Cell::text(format!("{base}/forslag/{}", r.id.0)),
                ]
            })
            .collect(),
    }
}

const HEARING_COLUMNS: &[&str] = &[
    "hoering_id",
    "titel",
    "spoergsmaal",
    "udvalg",
    "sendt",
    "svarfrist",
    "beslutning",
    "tilbagemelding_frist",
    "tilbagemelding_givet",
    "tilbagemelding",
    "raad",
    "raadets_status",
    "raadet_besluttede",
    "svar",
    "afslag_begrundelse",
    "brug",
    "brug_begrundelse",
    "link",
];

/// The hearings as a table, one row per council asked.
pub fn hearings_table(rows: &[exports::HearingRow], base: &str) -> Table {
    Table {
        columns: HEARING_COLUMNS,
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    Cell::Int(Some(r.id.0)),
                    Cell::text(r.title.clone()),
                    Cell::text(r.question.clone()),
                    Cell::text(r.committee.clone()),
                    Cell::Time(Some(r.sent_at)),
                    Cell::Time(Some(r.respond_by)),
                    Cell::Time(Some(r.decision_at)),
                    Cell::Time(Some(r.feedback_by)),
                    Cell::Time(r.feedback_at),
                    Cell::Text(r.decision_text.clone()),
                    Cell::text(r.council.clone()),
                    Cell::text(r.council_status.label(false)),
                    Cell::Time(r.decided_at),
                    Cell::Text(r.response.clone()),
                    Cell::Text(r.decline_reason.clone()),
                    Cell::Text(r.use_kind.map(|u| u.label(false).to_owned())),
                    Cell::Text(r.use_text.clone()),
                    Cell::text(format!("{base}/hoeringer/{}", r.id.0)),
                ]
            })
            .collect(),
    }
}

/// A table as the download asked for: CSV, or JSON `{ "kilde", "genereret", key: rows }`.
fn table_response(table: &Table, format: Format, key: &str, source: &str, name: &str) -> Response {
    match format {
        Format::Csv => csv_response(table.csv(), &format!("{name}.csv")),
        Format::Json => {
            let mut doc = serde_json::Map::new();
            doc.insert("kilde".into(), source.into());
            doc.insert(
                "genereret".into(),
                crate::ssr::table::local_time(Utc::now()).into(),
            );
            doc.insert(key.into(), table.json_rows());
            json_response(&serde_json::Value::Object(doc), &format!("{name}.json"))
        }
    }
}

/// `GET /forslag/eksport.csv` and `/forslag/eksport.json`.
pub async fn proposals_export(state: AppState, format: Format) -> Response {
    match exports::proposals(state.db.pool()).await {
        Ok(rows) => table_response(
            &proposals_table(&rows, &state.public_url),
            format,
            "forslag",
            &format!("{}/forslag", state.public_url),
            "forslag",
        ),
        Err(error) => internal(error, "proposals"),
    }
}

pub async fn proposals_csv(State(state): State<AppState>) -> Response {
    proposals_export(state, Format::Csv).await
}

pub async fn proposals_json(State(state): State<AppState>) -> Response {
    proposals_export(state, Format::Json).await
}

/// `GET /hoeringer/eksport.csv` and `/hoeringer/eksport.json`.
pub async fn hearings_export(state: AppState, format: Format) -> Response {
    match exports::hearings(state.db.pool()).await {
        Ok(rows) => table_response(
            &hearings_table(&rows, &state.public_url),
            format,
            "hoeringer",
            &format!("{}/hoeringer", state.public_url),
            "hoeringer",
        ),
        Err(error) => internal(error, "hearings"),
    }
}

pub async fn hearings_csv(State(state): State<AppState>) -> Response {
    hearings_export(state, Format::Csv).await
}

pub async fn hearings_json(State(state): State<AppState>) -> Response {
    hearings_export(state, Format::Json).await
}

/// The figures of a year as JSON: the proposals' and the hearings' counts as the overview
/// computes them, with the shares it shows (whole percent; absent when nothing to share).
pub fn heard_json(year: i32, stats: &HeardStats, hearings: &HearingStats) -> serde_json::Value {
    let object = |value: serde_json::Value, extra: Vec<(&str, Option<i64>)>| {
        let mut map = match value {
            serde_json::Value::Object(map) => map,
            _ => serde_json::Map::new(),
        };
        map.remove("year");
        for (key, v) in extra {
            map.insert(
                key.into(),
                v.map(Into::into).unwrap_or(serde_json::Value::Null),
            );
        }
        serde_json::Value::Object(map)
    };
    let proposals = object(
        serde_json::to_value(stats).unwrap_or_default(),
        vec![
            ("answered_in_time_percent", stats.in_time_percent()),
            ("ja_percent", stats.share(AnswerKind::Ja)),
            ("delvist_percent", stats.share(AnswerKind::Delvist)),
            ("nej_percent", stats.share(AnswerKind::Nej)),
            ("understood_percent", stats.understood_percent()),
        ],
    );
    let hearings = object(
        serde_json::to_value(hearings).unwrap_or_default(),
        vec![
            (
                "feedback_in_time_percent",
                hearings.feedback_in_time_percent(),
            ),
            ("responded_percent", hearings.responded_percent()),
            ("used_percent", hearings.used_percent()),
        ],
    );
    serde_json::json!({ "aar": year, "forslag": proposals, "hoeringer": hearings })
}

/// The pool of the year and who took part, added to [`heard_json`]: suppressed groups are
/// `null`, as on the page.
pub fn with_influence(
    mut json: serde_json::Value,
    participation: &Participation,
    pool: Option<&PoolFigures>,
) -> serde_json::Value {
    let breakdown = |b: &Breakdown| {
        serde_json::json!({
            "i_alt": b.total,
            "alder": b.by_age.iter().map(|g| serde_json::json!({
                "gruppe": g.label.label(false), "antal": g.count,
            })).collect::<Vec<_>>(),
            "skole": b.by_school.iter().map(|g| serde_json::json!({
                "gruppe": g.label.as_deref().unwrap_or("Ingen skole angivet"), "antal": g.count,
            })).collect::<Vec<_>>(),
        })
    };
    json["deltagelse"] = serde_json::json!({
        "forslagsstillere": breakdown(&participation.proposers),
        "stoettere": breakdown(&participation.supporters),
    });
    json["pulje"] = match pool {
        Some(p) => serde_json::json!({
            "beloeb_oere": p.amount_ore, "brugt_oere": p.spent_ore, "bevillinger": p.grants,
        }),
        None => serde_json::Value::Null,
    };
    json
}

const HEARD_COLUMNS: &[&str] = &["aar", "omraade", "noegletal", "vaerdi"];

/// [`heard_json`] as a table: one row per figure (`omraade` is `forslag`, `hoeringer`, `pulje` or
/// `deltagelse`).
pub fn heard_table(json: &serde_json::Value) -> Table {
    let year = json["aar"].as_i64();
    let mut rows = Vec::new();
    let mut row = |area: &str, key: String, value: Option<i64>| {
        rows.push(vec![
            Cell::Int(year),
            Cell::text(area),
            Cell::text(key),
            Cell::Int(value),
        ]);
    };
    for area in ["forslag", "hoeringer", "pulje"] {
        if let Some(map) = json[area].as_object() {
            for (key, value) in map {
                row(area, key.clone(), value.as_i64());
            }
        }
    }
    // Who took part: one row per group; an empty value is a group under 5, suppressed.
    for who in ["forslagsstillere", "stoettere"] {
        let b = &json["deltagelse"][who];
        row("deltagelse", format!("{who}_i_alt"), b["i_alt"].as_i64());
        for by in ["alder", "skole"] {
            for g in b[by].as_array().into_iter().flatten() {
                let group = g["gruppe"].as_str().unwrap_or_default();
                row(
                    "deltagelse",
                    format!("{who}_{by}: {group}"),
                    g["antal"].as_i64(),
                );
            }
        }
    }
    Table {
        columns: HEARD_COLUMNS,
        rows,
    }
}

/// `GET /bliver-vi-hoert/{year}.csv` and `.json`: the overview's figures of a Danish
/// calendar year (404 outside 2000 to next year).
pub async fn heard_export(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let Some((year, format)) = Format::split(&file) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let Ok(year) = year.parse::<i32>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let (stats, hearings, participation, pool) =
        match crate::ssr::heard::overview(state.db.pool(), Some(year), Utc::now()).await {
            Ok(Some(o)) => (o.stats, o.hearings, o.participation, o.pool),
            Ok(None) => return StatusCode::NOT_FOUND.into_response(),
            Err(error) => return internal(error, "overview"),
        };
    let json = with_influence(
        heard_json(year, &stats, &hearings),
        &participation,
        pool.as_ref(),
    );
    match format {
        Format::Csv => csv_response(
            heard_table(&json).csv(),
            &format!("bliver-vi-hoert-{year}.csv"),
        ),
        Format::Json => json_response(&json, &format!("bliver-vi-hoert-{year}.json")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_says_the_format() {
        assert_eq!(Format::split("2026.csv"), Some(("2026", Format::Csv)));
        assert_eq!(
            Format::split("eksport.json"),
            Some(("eksport", Format::Json))
        );
        assert_eq!(Format::split("eksport.xlsx"), None);
    }

    #[test]
    fn the_year_figures_are_one_row_each_in_csv() {
        let stats = HeardStats {
            year: 2026,
            received: 4,
            forwarded: 2,
            answered: 2,
            answered_in_time: 1,
            ja: 1,
            nej: 1,
            ..HeardStats::default()
        };
        let json = heard_json(2026, &stats, &HearingStats::default());
        assert_eq!(json["forslag"]["received"], 4);
        assert_eq!(json["forslag"]["ja_percent"], 50);
        assert!(json["forslag"]["median_tenth_days"].is_null());
        assert!(json["forslag"].get("year").is_none());
        assert!(json["hoeringer"]["used_percent"].is_null());
        let text = heard_table(&json).csv().unwrap_or_default();
        assert!(text.starts_with("\u{feff}aar,omraade,noegletal,vaerdi\r\n"));
        assert!(text.contains("\r\n2026,forslag,received,4\r\n"), "{text}");
        assert!(text.contains("\r\n2026,forslag,answered_in_time_percent,50\r\n"));
        assert!(text.contains("\r\n2026,hoeringer,sent,0\r\n"), "{text}");
        assert!(text.contains("\r\n2026,forslag,median_tenth_days,\r\n"));
    }
}
