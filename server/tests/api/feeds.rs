//! Atom feeds (#22): read back with feed-rs (not the crate that writes them), they carry the
//! seeded events newest first, with stable ids, their times and links to the pages; what is
//! not public (a draft, a hidden proposal, one waiting for a moderator) never appears.
use crate::answers::{forwarded, COMMITTEE};
use crate::common::{app, app_isolated, email, TestApp};
use app::domain::account::RoleKind;
use app::domain::council::MeetingStatus;
use app::domain::ids::{CouncilId, ProposalId, UserId};
use app::domain::proposal::{Answer, Intent, ProposalContent, Theme, Visibility};
use app::ssr::db::{councils, moderation, proposals};
use chrono::{DateTime, Duration, SubsecRound, Utc};

const BASE: &str = "http://stemme.test";

/// The feed at `uri` (200, Atom's media type), parsed by feed-rs, with RFC 4287's required
/// elements checked in the XML itself (feed-rs makes up ids and times that are missing).
async fn feed(app: &TestApp, uri: &str) -> (feed_rs::model::Feed, String) {
    let res = app
        .send(
            axum::http::Request::get(uri)
                .body(axum::body::Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(res.status(), 200, "{uri}");
    let content_type = res.headers()["content-type"]
        .to_str()
        .unwrap_or("")
        .to_owned();
    assert!(
        content_type.starts_with("application/atom+xml"),
        "{content_type}"
    );
    assert!(
        res.headers().get("set-cookie").is_none(),
        "a feed sets no cookie"
    );
    let xml = crate::common::body_text(res).await;
    let parsed = feed_rs::parser::parse(xml.as_bytes()).expect("valid Atom");
    assert_eq!(parsed.feed_type, feed_rs::model::FeedType::Atom);
    let entries = parsed.entries.len();
    for (element, each) in [("<id>", 1), ("<title", 1), ("<updated>", 1)] {
        assert_eq!(
            xml.matches(element).count(),
            entries + each,
            "{uri}: one {element} per entry and one for the feed: {xml}"
        );
    }
    assert!(
        xml.contains("<author><name>Stemme</name></author>"),
        "{xml}"
    );
    assert_eq!(
        parsed
            .links
            .iter()
            .find(|l| l.rel.as_deref() == Some("self"))
            .map(|l| l.href.clone()),
        Some(format!("{BASE}{uri}"))
    );
    assert_eq!(parsed.id, format!("{BASE}{uri}"));
    let ids: std::collections::HashSet<&str> =
        parsed.entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids.len(), entries, "entry ids are unique");
    let times: Vec<DateTime<Utc>> = parsed
        .entries
        .iter()
        .map(|e| e.updated.expect("updated"))
        .collect();
    assert!(
        times.windows(2).all(|w| w[0] >= w[1]),
        "{uri}: newest first: {times:?}"
    );
    if let Some(newest) = times.first() {
        assert_eq!(
            parsed.updated,
            Some(*newest),
            "the feed is as new as its newest entry"
        );
    }
    (parsed, xml)
}

fn titles(feed: &feed_rs::model::Feed) -> Vec<String> {
    feed.entries
        .iter()
        .map(|e| {
            e.title
                .as_ref()
                .map(|t| t.content.clone())
                .unwrap_or_default()
        })
        .collect()
}

fn link(entry: &feed_rs::model::Entry) -> String {
    entry
        .links
        .first()
        .map(|l| l.href.clone())
        .unwrap_or_default()
}

async fn author(app: &TestApp) -> UserId {
    app.user("Sofie", &email("feed"), &[]).await
}

/// A proposal submitted at `at` (`intent` Draft: never submitted).
async fn proposal_at(
    app: &TestApp,
    author: UserId,
    council: CouncilId,
    title: &str,
    intent: Intent,
    visibility: Visibility,
    at: DateTime<Utc>,
) -> ProposalId {
    proposals::create_at(
        app.db.pool(),
        author,
        &ProposalContent {
            title: title.into(),
            body: "Vi vil gerne have flere steder at mødes efter skole om eftermiddagen.".into(),
            theme: Theme::FritidKultur,
            council,
            show_name: true,
        },
        intent,
        visibility,
        at.timestamp_micros(),
        None,
    )
    .await
    .expect("proposal")
}

async fn hide(app: &TestApp, p: ProposalId) {
    let moderator = app
        .user("Moderator", &email("moderator"), &[RoleKind::Moderator])
        .await;
    assert!(moderation::hide(
        app.db.pool(),
        p,
        None,
        "Forslaget nævner en elev ved fulde navn og er derfor skjult.",
        moderator
    )
    .await
    .expect("hide"));
}

#[tokio::test]
async fn new_proposals_newest_first_and_nothing_that_is_not_public() {
    let app = app_isolated().await;
    let council = app.council(RoleKind::Ungeraadsmedlem).await;
    let author = author(&app).await;
    let t0 = (Utc::now() - Duration::days(3)).trunc_subsecs(0);
    let first = proposal_at(
        &app,
        author,
        council,
        "Første forslag om bænke",
        Intent::Submit,
        Visibility::Published,
        t0,
    )
    .await;
    let second = proposal_at(
        &app,
        author,
        council,
        "Andet forslag om lys",
        Intent::Submit,
        Visibility::Published,
        t0 + Duration::hours(2),
    )
    .await;
    let third = proposal_at(
        &app,
        author,
        council,
        "Tredje forslag om cykler",
        Intent::Submit,
        Visibility::Published,
        t0 + Duration::hours(1),
    )
    .await;
    let draft = proposal_at(
        &app,
        author,
        council,
        "Hemmelig kladde om kantinen",
        Intent::Draft,
        Visibility::Published,
        t0 + Duration::hours(3),
    )
    .await;
    let pending = proposal_at(
        &app,
        author,
        council,
        "Venter på moderator",
        Intent::Submit,
        Visibility::Pending,
        t0 + Duration::hours(4),
    )
    .await;
    let hidden = proposal_at(
        &app,
        author,
        council,
        "Skjult forslag om navne",
        Intent::Submit,
        Visibility::Published,
        t0 + Duration::hours(5),
    )
    .await;
    hide(&app, hidden).await;

    let (parsed, xml) = feed(&app, "/forslag/feed.atom").await;
    assert_eq!(
        titles(&parsed),
        [
            "Andet forslag om lys",
            "Tredje forslag om cykler",
            "Første forslag om bænke"
        ]
    );
    let ids: Vec<ProposalId> = vec![second, third, first];
    for (entry, id) in parsed.entries.iter().zip(&ids) {
        assert_eq!(entry.id, format!("{BASE}/forslag/{}", id.0));
        assert_eq!(link(entry), format!("{BASE}/forslag/{}", id.0));
    }
    assert_eq!(parsed.entries[0].updated, Some(t0 + Duration::hours(2)));
    assert_eq!(parsed.entries[2].updated, Some(t0));
    let summary = parsed.entries[0]
        .summary
        .as_ref()
        .map(|s| s.content.clone())
        .unwrap_or_default();
    assert!(summary.contains("flere steder at mødes"), "{summary}");
    for secret in [
        "Hemmelig kladde",
        "Venter på moderator",
        "Skjult forslag",
        "Sofie",
    ] {
        assert!(!xml.contains(secret), "{secret} must not be in the feed");
    }

    // A proposal's own feed: 404 unless it is public.
    let (own, _) = feed(&app, &format!("/forslag/{}/feed.atom", first.0)).await;
    assert_eq!(titles(&own), ["Sendt til rådet"]);
    assert_eq!(own.entries[0].updated, Some(t0));
    assert_eq!(link(&own.entries[0]), format!("{BASE}/forslag/{}", first.0));
    for p in [draft, pending, hidden, ProposalId(999_999_999)] {
        let (status, body) = app.get(&format!("/forslag/{}/feed.atom", p.0)).await;
        assert_eq!(status, 404, "proposal {}", p.0);
        assert!(!body.contains("Hemmelig") && !body.contains("Skjult"));
    }
    assert_eq!(app.get("/forslag/abc/feed.atom").await.0, 404);
    app.close().await;
}

#[tokio::test]
async fn answers_and_a_proposals_timeline() {
    let app = app_isolated().await;
    let pool = app.db.pool();
    let nej = forwarded(&app).await;
    let ja = forwarded(&app).await;
    let hidden = forwarded(&app).await;
    let at = Utc::now().trunc_subsecs(0) + Duration::minutes(5);
    let answer = |p: ProposalId, answer: Answer, at: DateTime<Utc>| {
        proposals::step(
            pool,
            p,
            proposals::Step::Answer {
                committee: COMMITTEE.into(),
                reason: (!matches!(answer, Answer::Ja { .. }))
                    .then_some(app::domain::proposal::AnswerReason::Oekonomi),
                answer,
                by: "Mette".into(),
            },
            None,
            at,
        )
    };
    let explanation =
        app::domain::answer::Explanation::new(crate::answers::LONG).expect("explanation");
    answer(nej.proposal, Answer::Nej(explanation.clone()), at)
        .await
        .expect("nej");
    answer(
        ja.proposal,
        Answer::Ja {
            note: Some("Vi går i gang til sommer.".into()),
        },
        at + Duration::hours(1),
    )
    .await
    .expect("ja");
    answer(
        hidden.proposal,
        Answer::Delvist(explanation),
        at + Duration::hours(2),
    )
    .await
    .expect("delvist");
    sqlx::query("UPDATE proposals SET title = 'Skjult svar om noget' WHERE id = $1")
        .bind(hidden.proposal.0)
        .execute(pool)
        .await
        .expect("retitle");
    hide(&app, hidden.proposal).await;

    let (parsed, xml) = feed(&app, "/forslag/svar.atom").await;
    assert_eq!(
        titles(&parsed),
        ["Ja: Et nyt ungdomshus", "Nej: Et nyt ungdomshus"]
    );
    assert_eq!(
        parsed.entries[0].id,
        format!("{BASE}/forslag/{}#svar", ja.proposal.0)
    );
    assert_eq!(
        link(&parsed.entries[1]),
        format!("{BASE}/forslag/{}#svaret", nej.proposal.0)
    );
    assert_eq!(parsed.entries[1].updated, Some(at));
    let summary = parsed.entries[1]
        .summary
        .as_ref()
        .map(|s| s.content.clone())
        .unwrap_or_default();
    assert!(
        summary.starts_with(&format!("Svar fra {COMMITTEE}: Vi har regnet")),
        "{summary}"
    );
    assert!(!xml.contains("Skjult svar"), "{xml}");

    // The Nej proposal's timeline, newest first: answer, forwarding, vote, submission.
    let (own, _) = feed(&app, &format!("/forslag/{}/feed.atom", nej.proposal.0)).await;
    let t = titles(&own);
    assert_eq!(
        t.first().map(String::as_str),
        Some(format!("Svar fra {COMMITTEE}: Nej").as_str()),
        "{t:?}"
    );
    assert!(
        t.iter()
            .any(|x| x.ends_with(&format!("sendt til {COMMITTEE}"))),
        "{t:?}"
    );
    assert!(t.iter().any(|x| x.starts_with("Afstemning i ")), "{t:?}");
    assert_eq!(
        t.last().map(String::as_str),
        Some("Sendt til rådet"),
        "{t:?}"
    );
    assert_eq!(own.entries[0].updated, Some(at));
    let page = format!("{BASE}/forslag/{}", nej.proposal.0);
    assert!(own
        .entries
        .iter()
        .all(|e| link(e) == page && e.id.starts_with(&format!("{page}#"))));
    // Stable: the same feed again has the same ids.
    let (again, _) = feed(&app, &format!("/forslag/{}/feed.atom", nej.proposal.0)).await;
    assert_eq!(
        own.entries.iter().map(|e| &e.id).collect::<Vec<_>>(),
        again.entries.iter().map(|e| &e.id).collect::<Vec<_>>()
    );
    assert_eq!(
        app.get(&format!("/forslag/{}/feed.atom", hidden.proposal.0))
            .await
            .0,
        404
    );
    app.close().await;
}

#[tokio::test]
async fn a_councils_meetings_votes_and_minutes() {
    let app = app().await;
    let pool = app.db.pool();
    let council = app.council(RoleKind::Ungeraadsmedlem).await;
    let author = author(&app).await;
    let voter = app.user("Stemmer", &email("stemmer"), &[]).await;
    let start = (Utc::now() - Duration::days(3)).trunc_subsecs(0);
    let public = proposal_at(
        &app,
        author,
        council,
        "Bænke i skolegården",
        Intent::Submit,
        Visibility::Published,
        start - Duration::days(5),
    )
    .await;
    let secret = proposal_at(
        &app,
        author,
        council,
        "Skjult punkt om navne",
        Intent::Submit,
        Visibility::Published,
        start - Duration::days(5),
    )
    .await;
    let meeting = councils::create_meeting(pool, council, start, "Rådhuset, lokale 2", voter, None)
        .await
        .expect("meeting");
    let label = "Ungerådets møde".to_owned();
    let item = councils::add_item_at(
        pool,
        meeting,
        council,
        label.clone(),
        "Bænke i skolegården",
        None,
        Some(public),
        voter,
        start,
        None,
    )
    .await
    .expect("item");
    let hidden_item = councils::add_item_at(
        pool,
        meeting,
        council,
        label,
        "Skjult punkt om navne",
        None,
        Some(secret),
        voter,
        start,
        None,
    )
    .await
    .expect("item");
    app.pass_item_vote(meeting, item, council, voter, start + Duration::hours(1))
        .await;
    app.pass_item_vote(
        meeting,
        hidden_item,
        council,
        voter,
        start + Duration::hours(2),
    )
    .await;
    assert!(councils::advance_meeting(
        pool,
        meeting,
        MeetingStatus::Published,
        MeetingStatus::Held
    )
    .await
    .expect("held"));
    for i in [item, hidden_item] {
        councils::write_minutes(
            pool,
            i,
            "Rådet drøftede punktet og stemte.",
            Some("Vedtaget"),
            voter,
        )
        .await
        .expect("minutes");
    }
    hide(&app, secret).await;
    // A meeting of another council is not in this council's feed.
    let other = app.council(RoleKind::Ungeraadsmedlem).await;
    councils::create_meeting(pool, other, start, "Et andet sted", voter, None)
        .await
        .expect("other meeting");

    let uri = format!("/raad/{}/feed.atom", council.0);
    let (parsed, xml) = feed(&app, &uri).await;
    let when = "(Rådhuset, lokale 2)";
    let t = titles(&parsed);
    assert_eq!(t.len(), 4, "{t:?}");
    assert_eq!(t[0], "Referat: Bænke i skolegården");
    assert!(
        t[1].starts_with("Møde planlagt: ") && t[1].ends_with(when),
        "{t:?}"
    );
    assert_eq!(t[2], "Afstemning: Bænke i skolegården — vedtaget");
    assert!(
        t[3].starts_with("Møde afholdt: ") && t[3].ends_with(when),
        "{t:?}"
    );
    let meeting_url = format!("{BASE}/moeder/{}", meeting.0);
    assert_eq!(link(&parsed.entries[1]), meeting_url);
    assert_eq!(
        link(&parsed.entries[2]),
        format!("{meeting_url}#punkt-{}", item.0)
    );
    assert_eq!(parsed.entries[2].updated, Some(start + Duration::hours(1)));
    assert_eq!(parsed.entries[3].updated, Some(start));
    let tally = parsed.entries[2]
        .summary
        .as_ref()
        .map(|s| s.content.clone())
        .unwrap_or_default();
    assert!(tally.starts_with("1 for, 0 imod, 0 undlod."), "{tally}");
    for secret in ["Skjult punkt", "Et andet sted", "Stemmer", "Sofie"] {
        assert!(
            !xml.contains(secret),
            "{secret} must not be in the feed: {xml}"
        );
    }
    assert_eq!(app.get("/raad/999999999/feed.atom").await.0, 404);
    assert_eq!(app.get("/raad/x/feed.atom").await.0, 404);
}

#[tokio::test]
async fn the_pages_name_their_feeds() {
    let app = app().await;
    let council = app.council(RoleKind::Ungeraadsmedlem).await;
    let author = author(&app).await;
    let p = app
        .submitted_proposal(author, council, "Et forslag med feed")
        .await;
    for (page, feed) in [
        ("/forslag".to_owned(), "/forslag/feed.atom".to_owned()),
        ("/forslag".to_owned(), "/forslag/svar.atom".to_owned()),
        (
            format!("/forslag/{}", p.0),
            format!("/forslag/{}/feed.atom", p.0),
        ),
        (
            format!("/raad/{}", council.0),
            format!("/raad/{}/feed.atom", council.0),
        ),
        (
            "/bliver-vi-hoert".to_owned(),
            "/forslag/svar.atom".to_owned(),
        ),
    ] {
        let (status, html) = app.get(&page).await;
        assert_eq!(status, 200, "{page}");
        let head = html.split("</head>").next().unwrap_or("");
        let named = head.split("<link").skip(1).any(|tag| {
            let tag = tag.split('>').next().unwrap_or("");
            tag.contains(r#"rel="alternate""#)
                && tag.contains(r#"type="application/atom+xml""#)
                && tag.contains(&format!(r#"href="{feed}""#))
        });
        assert!(
            named,
            "{page}: no <link rel=alternate> to {feed} in the head"
        );
        let visible = html.split("<a ").skip(1).any(|tag| {
            let tag = tag.split('>').next().unwrap_or("");
            tag.contains(r#"class="feed-link""#) && tag.contains(&format!(r#"href="{feed}""#))
        });
        assert!(visible, "{page}: no visible link to {feed}");
    }
}
