//! Open-data exports (#22): CSV (UTF-8 with a BOM, formulas defused) and JSON with the
//! same rows, of the public proposals, the "Bliver vi hørt?" figures of a year and the
//! hearings; nothing that is not public.
use crate::answers::{forwarded, COMMITTEE, LONG};
use crate::common::{app_isolated, email, path, TestApp};
use app::api::answers::GetHeardOverview;
use app::domain::account::RoleKind;
use app::domain::answer::FollowUpState;
use app::domain::proposal::{Answer, AnswerReason, Intent, ProposalContent, Theme, Visibility};
use app::ssr::db::{moderation, proposals};
use chrono::{Duration, SubsecRound, TimeZone, Utc};

const BOM: &str = "\u{feff}";

/// GET `uri`: (status, content type, body).
async fn download(app: &TestApp, uri: &str) -> (u16, String, String) {
    let res = app
        .send(
            axum::http::Request::get(uri)
                .body(axum::body::Body::empty())
                .expect("request"),
        )
        .await;
    let status = res.status().as_u16();
    let content_type = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    assert!(
        res.headers().get("set-cookie").is_none(),
        "{uri} sets no cookie"
    );
    (status, content_type, crate::common::body_text(res).await)
}

/// The CSV at `uri`: it starts with the BOM; its header and rows.
async fn csv(app: &TestApp, uri: &str) -> (String, Vec<csv::StringRecord>) {
    let (status, content_type, text) = download(app, uri).await;
    assert_eq!(status, 200, "{uri}: {text}");
    assert_eq!(content_type, "text/csv; charset=utf-8");
    let body = text
        .strip_prefix(BOM)
        .unwrap_or_else(|| panic!("{uri}: no BOM: {text:.80}"));
    let header = body.split("\r\n").next().unwrap_or("").to_owned();
    let rows = csv::Reader::from_reader(body.as_bytes())
        .records()
        .collect::<Result<Vec<_>, _>>()
        .expect("CSV reads back");
    (header, rows)
}

async fn json(app: &TestApp, uri: &str) -> serde_json::Value {
    let (status, content_type, text) = download(app, uri).await;
    assert_eq!(status, 200, "{uri}: {text}");
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    serde_json::from_str(&text).expect("JSON")
}

#[tokio::test]
async fn proposals_with_their_answer_in_csv_and_json() {
    let app = app_isolated().await;
    let pool = app.db.pool();
    let council = app.council(RoleKind::Ungeraadsmedlem).await;
    let author = app.user("Sofie", &email("eksport"), &[]).await;
    let t0 = Utc.with_ymd_and_hms(2026, 1, 10, 9, 0, 0).unwrap();
    let submit = |title: &'static str, intent: Intent, visibility: Visibility, hours: i64| async move {
        let content = ProposalContent {
            title: title.into(),
            body: "Vi vil gerne have flere steder at mødes efter skole.".into(),
            theme: Theme::FritidKultur,
            council,
            show_name: true,
        };
        proposals::create_at(
            pool,
            author,
            &content,
            intent,
            visibility,
            (t0 + Duration::hours(hours)).timestamp_micros(),
            None,
        )
        .await
    };
    let hostile = [
        ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
        ("+1 til flere bænke", "'+1 til flere bænke"),
        ("-1 til lektier", "'-1 til lektier"),
        ("@x i skolegården", "'@x i skolegården"),
    ];
    for (i, (title, _)) in hostile.iter().enumerate() {
        submit(title, Intent::Submit, Visibility::Published, i as i64)
            .await
            .expect("proposal");
    }
    submit("Hemmelig kladde", Intent::Draft, Visibility::Published, 10)
        .await
        .expect("draft");
    submit(
        "Venter på moderator",
        Intent::Submit,
        Visibility::Pending,
        11,
    )
    .await
    .expect("pending");
    let hidden = submit("Skjult forslag", Intent::Submit, Visibility::Published, 12)
        .await
        .expect("hidden");
    let moderator = app
        .user("Moderator", &email("mod"), &[RoleKind::Moderator])
        .await;
    moderation::hide(
        pool,
        hidden,
        None,
        "Forslaget nævner en elev ved fulde navn og er skjult.",
        moderator,
    )
    .await
    .expect("hide");
    // One forwarded and answered Delvist, with a follow-up note.
    let answered = forwarded(&app).await.proposal;
    let answered_at = Utc::now().trunc_subsecs(0);
    proposals::step(
        pool,
        answered,
        proposals::Step::Answer {
            committee: COMMITTEE.into(),
            answer: Answer::Delvist(
                app::domain::answer::Explanation::new(LONG).expect("explanation"),
            ),
            reason: Some(AnswerReason::Oekonomi),
            by: "Mette".into(),
        },
        None,
        answered_at,
    )
    .await
    .expect("answer");
    proposals::follow_up(
        pool,
        answered,
        FollowUpState::IGang,
        "Arbejdet med den mindre løsning er gået i gang.",
        None,
        answered_at + Duration::days(1),
        None,
    )
    .await
    .expect("follow-up");

    let (header, rows) = csv(&app, "/forslag/eksport.csv").await;
    assert_eq!(
        header,
        "id,titel,tekst,tema,raad,status,indsendt,stoetter,raadets_begrundelse,udvalg,svarfrist,\
         svar,svar_aarsag,svar_tekst,besvaret,opfoelgning,opfoelgning_note,opfoelgning_tidspunkt,link"
    );
    assert_eq!(rows.len(), 5, "four submitted and one answered: {rows:?}");
    let col = |name: &str| header.split(',').position(|c| c == name).expect("column");
    let titles: Vec<&str> = rows
        .iter()
        .map(|r| r.get(col("titel")).unwrap_or(""))
        .collect();
    // Newest first; every formula defused.
    assert_eq!(
        titles[1..],
        hostile
            .iter()
            .rev()
            .map(|(_, defused)| *defused)
            .collect::<Vec<_>>()[..]
    );
    let first = &rows[4];
    assert_eq!(
        first.get(col("indsendt")),
        Some("2026-01-10T10:00:00+01:00"),
        "Danish time"
    );
    assert_eq!(
        first.get(col("status")),
        Some(app::domain::proposal::Stage::Submitted.label(false))
    );
    let a = &rows[0];
    assert_eq!(a.get(col("id")), Some(answered.0.to_string().as_str()));
    assert_eq!(a.get(col("titel")), Some("Et nyt ungdomshus"));
    assert_eq!(a.get(col("svar")), Some("Delvist"));
    assert_eq!(a.get(col("svar_tekst")), Some(LONG));
    assert_eq!(a.get(col("udvalg")), Some(COMMITTEE));
    assert_eq!(
        a.get(col("opfoelgning")),
        Some(FollowUpState::IGang.label(false))
    );
    assert_eq!(
        a.get(col("opfoelgning_note")),
        Some("Arbejdet med den mindre løsning er gået i gang.")
    );
    assert_eq!(
        a.get(col("svar_aarsag")),
        Some(AnswerReason::Oekonomi.label(false))
    );
    assert_eq!(
        a.get(col("link")),
        Some(format!("http://stemme.test/forslag/{}", answered.0).as_str())
    );
    let besvaret = a.get(col("besvaret")).unwrap_or("");
    assert!(
        besvaret.ends_with("+01:00") || besvaret.ends_with("+02:00"),
        "{besvaret}"
    );
    let all = rows
        .iter()
        .map(|r| r.iter().collect::<Vec<_>>().join("|"))
        .collect::<String>();
    for secret in [
        "Hemmelig kladde",
        "Venter på moderator",
        "Skjult forslag",
        "Sofie",
        "Mette",
    ] {
        assert!(!all.contains(secret), "{secret} must not be exported");
    }

    // The JSON has the same rows, the text as typed.
    let doc = json(&app, "/forslag/eksport.json").await;
    let items = doc["forslag"].as_array().expect("forslag");
    assert_eq!(items.len(), rows.len());
    assert_eq!(doc["kilde"], "http://stemme.test/forslag");
    for (item, row) in items.iter().zip(&rows) {
        for (i, column) in header.split(',').enumerate() {
            let cell = row.get(i).unwrap_or("");
            let value = &item[column];
            let text = match value {
                serde_json::Value::Null => String::new(),
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let defused = app::ssr::table::defuse(&text);
            assert_eq!(cell, defused, "{column}");
        }
    }
    assert_eq!(items[4]["titel"], "=HYPERLINK(\"x\")");
    assert_eq!(items[0]["id"], answered.0);
    assert_eq!(items[0]["svar"], "Delvist");
    assert!(items[1]["svar"].is_null());
    app.close().await;
}

#[tokio::test]
async fn the_year_figures_match_the_overview() {
    let app = app_isolated().await;
    let pool = app.db.pool();
    for kind in ["ja", "nej", "none"] {
        let p = forwarded(&app).await.proposal;
        let answer = match kind {
            "ja" => Answer::Ja { note: None },
            "nej" => Answer::Nej(app::domain::answer::Explanation::new(LONG).expect("explanation")),
            _ => continue,
        };
        proposals::step(
            pool,
            p,
            proposals::Step::Answer {
                committee: COMMITTEE.into(),
                reason: (kind == "nej").then_some(AnswerReason::Lovgivning),
                answer,
                by: "Mette".into(),
            },
            None,
            Utc::now(),
        )
        .await
        .expect("answer");
    }
    let year = app::domain::heard::local_year(Utc::now());
    let overview = app
        .post(
            path::<GetHeardOverview>(),
            None,
            &[("year", &year.to_string())],
        )
        .await
        .json();
    let doc = json(&app, &format!("/bliver-vi-hoert/{year}.json")).await;
    assert_eq!(doc["aar"], year);
    assert_eq!(doc["forslag"]["received"], 3);
    assert_eq!(doc["forslag"]["answered"], 2);
    assert_eq!(doc["forslag"]["ja_percent"], 50);
    for (area, figures) in [
        ("forslag", &overview["stats"]),
        ("hoeringer", &overview["hearings"]),
    ] {
        let figures = figures.as_object().expect("figures");
        for (key, value) in figures.iter().filter(|(k, _)| *k != "year") {
            assert_eq!(&doc[area][key], value, "{area}.{key}");
        }
    }
    let (header, rows) = csv(&app, &format!("/bliver-vi-hoert/{year}.csv")).await;
    assert_eq!(header, "aar,omraade,noegletal,vaerdi");
    let figure = |area: &str, key: &str| {
        rows.iter()
            .find(|r| r.get(1) == Some(area) && r.get(2) == Some(key))
            .and_then(|r| r.get(3).map(str::to_owned))
    };
    assert_eq!(figure("forslag", "received").as_deref(), Some("3"));
    assert_eq!(figure("forslag", "nej").as_deref(), Some("1"));
    assert_eq!(
        figure("forslag", "answered_in_time_percent").as_deref(),
        Some("100")
    );
    assert_eq!(figure("hoeringer", "sent").as_deref(), Some("0"));
    assert_eq!(figure("hoeringer", "used_percent").as_deref(), Some(""));
    assert!(rows
        .iter()
        .all(|r| r.get(0) == Some(year.to_string().as_str())));
    for bad in [
        "1999.csv",
        "abc.csv",
        &format!("{year}.xml"),
        &format!("{}.json", year + 2),
    ] {
        assert_eq!(
            download(&app, &format!("/bliver-vi-hoert/{bad}")).await.0,
            404,
            "{bad}"
        );
    }
    app.close().await;
}

#[tokio::test]
async fn hearings_one_row_per_council_without_drafts() {
    let app = app_isolated().await;
    let pool = app.db.pool();
    let committee = app::ssr::db::answers::ensure_committee(pool, "Teknik- og Miljøudvalget")
        .await
        .expect("committee")
        .0;
    let sender = app
        .user("Mette", &email("mette"), &[RoleKind::Politiker])
        .await;
    let (a, b) = (
        app.council(RoleKind::Ungeraadsmedlem).await,
        app.council(RoleKind::Elevraadsmedlem).await,
    );
    let sent = Utc.with_ymd_and_hms(2026, 7, 1, 8, 0, 0).unwrap();
    let us = |t: chrono::DateTime<Utc>| t.timestamp_micros();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO hearings (committee_id, sender_id, title, question, background, \
         decision_at, respond_by, feedback_by, allow_input, status, created_at, updated_at) \
         VALUES ($1, $2, '@x om nye cykelstier', 'Hvor skal de nye cykelstier ligge?', '', \
         $3, $4, $5, 0, 'open', $6, $6) RETURNING id",
    )
    .bind(committee)
    .bind(sender.0)
    .bind(us(sent + Duration::days(30)))
    .bind(us(sent + Duration::days(20)))
    .bind(us(sent + Duration::days(58)))
    .bind(us(sent))
    .fetch_one(pool)
    .await
    .expect("hearing");
    for (c, draft) in [(a, Some("Et udkast som ikke er vedtaget endnu")), (b, None)] {
        sqlx::query(
            "INSERT INTO hearing_councils (hearing_id, council_id, status, draft) VALUES ($1, $2, 'awaiting', $3)",
        )
        .bind(id)
        .bind(c.0)
        .bind(draft)
        .execute(pool)
        .await
        .expect("asked");
    }
    sqlx::query(
        "UPDATE hearing_councils SET status = 'declined', decline_reason = $1, decided_by = $2, \
         decided_at = $3 WHERE hearing_id = $4 AND council_id = $5",
    )
    .bind("-Emnet ligger uden for det, vores elevråd arbejder med i år.")
    .bind(sender.0)
    .bind(us(sent + Duration::days(3)))
    .bind(id)
    .bind(b.0)
    .execute(pool)
    .await
    .expect("declined");

    let (header, rows) = csv(&app, "/hoeringer/eksport.csv").await;
    assert!(
        header.starts_with("hoering_id,titel,spoergsmaal,udvalg,sendt,"),
        "{header}"
    );
    let col = |name: &str| header.split(',').position(|c| c == name).expect("column");
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(rows
        .iter()
        .all(|r| r.get(col("titel")) == Some("'@x om nye cykelstier")));
    assert!(rows
        .iter()
        .all(|r| r.get(col("sendt")) == Some("2026-07-01T10:00:00+02:00")));
    assert!(rows
        .iter()
        .all(|r| r.get(col("udvalg")) == Some("Teknik- og Miljøudvalget")));
    let declined = rows
        .iter()
        .find(|r| {
            r.get(col("afslag_begrundelse"))
                .is_some_and(|x| !x.is_empty())
        })
        .expect("declined row");
    assert_eq!(
        declined.get(col("afslag_begrundelse")),
        Some("'-Emnet ligger uden for det, vores elevråd arbejder med i år.")
    );
    assert_eq!(
        declined.get(col("link")),
        Some(format!("http://stemme.test/hoeringer/{id}").as_str())
    );
    let all: String = rows
        .iter()
        .map(|r| r.iter().collect::<Vec<_>>().join("|"))
        .collect();
    assert!(
        !all.contains("Et udkast"),
        "a draft response is not exported"
    );
    assert!(!all.contains("Mette"), "nobody is named");

    let doc = json(&app, "/hoeringer/eksport.json").await;
    let items = doc["hoeringer"].as_array().expect("hoeringer");
    assert_eq!(items.len(), 2);
    assert!(items
        .iter()
        .all(|i| i["titel"] == "@x om nye cykelstier" && i["hoering_id"] == id));
    assert!(items.iter().all(|i| i["svar"].is_null()));
    app.close().await;
}

#[tokio::test]
async fn the_pool_ledger_starts_with_the_bom_too() {
    // The ledger's own test (tests/api/pool.rs) checks its rows; here only the shared form.
    let text = app::ssr::pool_csv::csv(&[]).expect("csv");
    assert_eq!(
        text,
        "\u{feff}tidspunkt_utc,type,ansoegning_id,titel,beloeb_oere,saldo_efter_oere,note\r\n"
    );
}

#[tokio::test]
async fn the_pages_link_their_downloads() {
    let app = crate::common::app().await;
    let year = app::domain::heard::local_year(Utc::now());
    for (page, stem) in [
        ("/forslag".to_owned(), "/forslag/eksport".to_owned()),
        ("/hoeringer".to_owned(), "/hoeringer/eksport".to_owned()),
        (
            format!("/bliver-vi-hoert?aar={year}"),
            format!("/bliver-vi-hoert/{year}"),
        ),
    ] {
        let (status, html) = app.get(&page).await;
        assert_eq!(status, 200, "{page}");
        for ending in ["csv", "json"] {
            let href = format!(r#"href="{stem}.{ending}""#);
            assert!(html.contains(&href), "{page}: no link {href}");
            let uri = format!("{stem}.{ending}");
            assert_eq!(download(&app, &uri).await.0, 200, "{uri}");
        }
    }
}
