//! One-time form tokens and rate limits that count only what was stored: the form page
//! carries a token; the same form sent again (a double click, a retry, a stale tab)
//! creates nothing more and gets the first result back; a form without a token, with a
//! forged one or with someone else's is refused with a message and stores nothing; and
//! forty comments at once let exactly the limit's thirty through.
use crate::common::{app, email, path, TestApp, PASSWORD};
use app::api::proposals::{AddComment, SaveProposal};
use app::domain::account::RoleKind;
use futures::future::join_all;

struct Young {
    cookie: String,
    council: String,
}

async fn young(app: &TestApp) -> Young {
    let mail = email("ung");
    app.user("Sofie", &mail, &[]).await;
    let council = app.council(RoleKind::Ungeraadsmedlem).await;
    Young {
        cookie: app.login(&mail, PASSWORD).await,
        council: council.0.to_string(),
    }
}

fn proposal_form<'a>(council: &'a str, title: &'a str, token: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("title", title),
        (
            "body",
            "Stierne gennem parken er mørke om vinteren, og mange går hjem fra træning der.",
        ),
        ("theme", "fritid_kultur"),
        ("council_id", council),
        ("show_name", "1"),
        ("intent", "submit"),
        ("form_token", token),
    ]
}

/// The token as the page renders it into the form.
fn token_in(html: &str) -> Option<String> {
    let at = html.find("name=\"form_token\"")?;
    let tag_start = html[..at].rfind('<')?;
    let tag_end = at + html[at..].find('>')?;
    let tag = &html[tag_start..tag_end];
    let v = tag.find("value=\"")? + 7;
    Some(tag[v..v + tag[v..].find('"')?].to_owned())
}

#[tokio::test]
async fn the_form_page_carries_a_token_and_a_second_post_of_it_makes_nothing_more() {
    let app = app().await;
    let y = young(&app).await;
    let (status, html) = app.get_with("/forslag/nyt", &[("cookie", &y.cookie)]).await;
    assert_eq!(status, 200);
    let token = token_in(&html).expect("the proposal form carries a one-time token");
    let title = format!("Lys i parken {}", &email("t")[..8]);
    let form = proposal_form(&y.council, &title, &token);
    let first = app
        .post_raw(path::<SaveProposal>(), Some(&y.cookie), &form)
        .await;
    assert_eq!(first.status, 200, "{}", first.body);
    // The same form again, later (a stale tab) and twenty times at once (a double click
    // on a slow phone): the same proposal back, nothing new.
    let again = app
        .post_raw(path::<SaveProposal>(), Some(&y.cookie), &form)
        .await;
    assert_eq!((again.status, again.body.trim()), (200, first.body.trim()));
    let burst =
        join_all((0..20).map(|_| app.post_raw(path::<SaveProposal>(), Some(&y.cookie), &form)))
            .await;
    assert!(burst
        .iter()
        .all(|r| r.status == 200 && r.body.trim() == first.body.trim()));
    let stored = app
        .count(&format!(
            "SELECT COUNT(*) FROM proposals WHERE title = '{title}'"
        ))
        .await;
    assert_eq!(stored, 1, "one proposal for one form");
    // A browser's replay is sent to the same page as the first post was.
    let browser = |_: ()| {
        let body = crate::common::form_body(&form);
        axum::http::Request::post(path::<SaveProposal>())
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "text/html")
            .header("host", "localhost")
            .header("origin", "http://localhost")
            .header("cookie", &y.cookie)
            .body(axum::body::Body::from(body))
            .expect("request")
    };
    let res = app.send(browser(())).await;
    let location = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert_eq!(location, format!("/forslag/{}", first.body.trim()));
}

#[tokio::test]
async fn a_form_without_its_token_or_with_a_forged_or_borrowed_one_stores_nothing() {
    let app = app().await;
    let y = young(&app).await;
    let other = young(&app).await;
    let theirs = app.form_token(Some(&other.cookie)).await;
    let mine = app.form_token(Some(&y.cookie)).await;
    let mut forged = mine.clone();
    forged.replace_range(forged.len() - 4.., "0000");
    let expired = {
        let parts: Vec<&str> = mine.split('.').collect();
        format!("{}.{}.{}", 1_000_000_000, parts[1], parts[2])
    };
    let title = format!("Bænke i parken {}", &email("t")[..8]);
    for (what, token) in [
        ("no token", ""),
        ("garbage", "hej"),
        ("forged signature", forged.as_str()),
        ("another person's", theirs.as_str()),
        ("too old", expired.as_str()),
    ] {
        let r = app
            .post_raw(
                path::<SaveProposal>(),
                Some(&y.cookie),
                &proposal_form(&y.council, &title, token),
            )
            .await;
        assert_eq!(r.status, 422, "{what}: {}", r.body);
        let e: app::domain::error::AppError = serde_json::from_str(&r.body).expect("app error");
        assert_eq!(e.field(), Some("form_token"), "{what}");
        assert!(e.to_string().contains("Genindlæs siden"), "{what}: {e}");
    }
    let stored = app
        .count(&format!(
            "SELECT COUNT(*) FROM proposals WHERE title = '{title}'"
        ))
        .await;
    assert_eq!(stored, 0);
    // A token used for one form is not good for another kind of form.
    let used = app.form_token(Some(&y.cookie)).await;
    let r = app
        .post_raw(
            path::<SaveProposal>(),
            Some(&y.cookie),
            &proposal_form(&y.council, &title, &used),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let pid = r.body.trim().to_owned();
    let c = app
        .post_raw(
            path::<AddComment>(),
            Some(&y.cookie),
            &[
                ("proposal_id", &pid),
                ("body", "Det her er en god idé."),
                ("form_token", &used),
            ],
        )
        .await;
    assert_eq!(c.status, 422, "{}", c.body);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM comments WHERE proposal_id = {pid}"
        ))
        .await,
        0
    );
}

#[tokio::test]
async fn forty_comments_at_once_let_exactly_thirty_through_and_refusals_do_not_count() {
    let app = app().await;
    let y = young(&app).await;
    let title = format!("Vandautomat {}", &email("t")[..8]);
    let token = app.form_token(Some(&y.cookie)).await;
    let r = app
        .post_raw(
            path::<SaveProposal>(),
            Some(&y.cookie),
            &proposal_form(&y.council, &title, &token),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let pid = r.body.trim().to_owned();
    let (commenter_id, commenter) = app.login_as("Kommentator", &[]).await;
    // Refused attempts first: empty comments (no text) and replays of one comment.
    for _ in 0..5 {
        let r = app
            .post(
                path::<AddComment>(),
                Some(&commenter),
                &[("proposal_id", &pid), ("body", "")],
            )
            .await;
        assert_eq!(r.status, 422, "{}", r.body);
    }
    let once = app.form_token(Some(&commenter)).await;
    let first: [(&str, &str); 3] = [
        ("proposal_id", &pid),
        ("body", "Første kommentar, sendt ti gange."),
        ("form_token", &once),
    ];
    let replays =
        join_all((0..10).map(|_| app.post_raw(path::<AddComment>(), Some(&commenter), &first)))
            .await;
    assert!(
        replays.iter().all(|r| r.status == 200),
        "replays get the first result: {:?}",
        replays
            .iter()
            .map(|r| (r.status, r.body.chars().take(160).collect::<String>()))
            .collect::<Vec<_>>()
    );
    // Thirty-nine more distinct comments at once: the limit (30 in ten minutes) lets
    // exactly twenty-nine of them through — the refused and replayed ones did not count.
    let mut tokens = Vec::new();
    for _ in 0..39 {
        tokens.push(app.form_token(Some(&commenter)).await);
    }
    let bodies: Vec<String> = (0..39)
        .map(|i| format!("Kommentar nummer {i} om forslaget."))
        .collect();
    let forms: Vec<[(&str, &str); 3]> = tokens
        .iter()
        .zip(&bodies)
        .map(|(t, b)| {
            [
                ("proposal_id", pid.as_str()),
                ("body", b.as_str()),
                ("form_token", t.as_str()),
            ]
        })
        .collect();
    let posts = forms
        .iter()
        .map(|f| app.post_raw(path::<AddComment>(), Some(&commenter), f));
    let replies = join_all(posts).await;
    let ok = replies.iter().filter(|r| r.status == 200).count();
    let limited = replies.iter().filter(|r| r.status == 429).count();
    assert_eq!(
        (ok, limited),
        (29, 10),
        "{:?}",
        replies.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    let stored = app
        .count(&format!(
            "SELECT COUNT(*) FROM comments WHERE proposal_id = {pid}"
        ))
        .await;
    assert_eq!(stored, 30, "thirty comments in all, the limit");
    let events = app
        .count(&format!(
            "SELECT COUNT(*) FROM rate_events WHERE bucket = 'comment:user:{}'",
            commenter_id.0
        ))
        .await;
    assert_eq!(events, 30, "only what was stored counts");
    println!("comment limit: 5 refused + 10 replays + 39 at once → {stored} stored, {limited} refused with 429");
}
