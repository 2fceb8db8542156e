//! Mail choices on /konto, unsubscribing by a mail's link (the page's button and the
//! RFC 8058 one-click POST), and the coordinator's outbox at /admin/post.
use crate::common::{app, app_isolated, body_text, email, path, TestApp, PASSWORD};
use app::api::mail::{MailPrefs, OutboxMail, OutboxPage, SaveMailPrefs, Unsubscribe};
use app::domain::account::RoleKind;
use app::domain::ids::UserId;
use app::domain::mail::{
    MailChoices, MailMode, OutboxMailView, OutboxPageView, TokenPurpose, OUTBOX_PER_PAGE,
};
use app::ssr::db;
use axum::body::Body;
use axum::http::Request;

async fn column(app: &TestApp, user: UserId, col: &str) -> String {
    sqlx::query_scalar(&format!("SELECT {col} FROM users WHERE id = $1"))
        .bind(user.0)
        .fetch_one(app.db.pool())
        .await
        .expect(col)
}

/// (after_id, due_at) of a person's digest of `category`, if one is running.
async fn digest(app: &TestApp, user: UserId, category: &str) -> Option<(i64, i64)> {
    #[derive(sqlx::FromRow)]
    struct Row {
        after_id: i64,
        due_at: i64,
    }
    sqlx::query_as::<_, Row>(
        "SELECT after_id, due_at FROM mail_digests WHERE user_id = $1 AND category = $2",
    )
    .bind(user.0)
    .bind(category)
    .fetch_optional(app.db.pool())
    .await
    .expect("digest")
    .map(|r| (r.after_id, r.due_at))
}

async fn token(app: &TestApp, user: UserId, purpose: TokenPurpose) -> String {
    let mut tx = db::write_tx(app.db.pool()).await.expect("tx");
    let t = db::mail::new_token_tx(&mut tx, user, purpose, chrono::Utc::now())
        .await
        .expect("token");
    tx.commit().await.expect("commit");
    t
}

async fn prefs(app: &TestApp, cookie: &str) -> MailChoices {
    let r = app.post(path::<MailPrefs>(), Some(cookie), &[]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    serde_json::from_str(&r.body).expect("mail choices")
}

async fn save(app: &TestApp, cookie: &str, updates: &str, deadlines: &str, lang: &str) -> u16 {
    let r = app
        .post(
            path::<SaveMailPrefs>(),
            Some(cookie),
            &[
                ("updates", updates),
                ("deadlines", deadlines),
                ("lang", lang),
            ],
        )
        .await;
    assert!(r.status < 500, "{}", r.body);
    r.status
}

#[tokio::test]
async fn mail_choices_are_validated_stored_and_keep_a_running_digest() {
    let app = app().await;
    let addr = email("postvalg");
    let me = app.user("Sofie", &addr, &[]).await;
    let cookie = app.login(&addr, PASSWORD).await;

    let first = prefs(&app, &cookie).await;
    assert_eq!(
        (first.updates, first.deadlines, first.lang.as_str()),
        (MailMode::Daily, MailMode::Instant, "da")
    );
    assert!(!first.verified && !first.deadline_reminders);

    // Invalid values: a field error each, nothing stored.
    let r = app
        .post(
            path::<SaveMailPrefs>(),
            Some(&cookie),
            &[("updates", "hourly"), ("deadlines", ""), ("lang", "en")],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.json()["field"], "updates", "{}", r.body);
    let r = app
        .post(
            path::<SaveMailPrefs>(),
            Some(&cookie),
            &[
                ("updates", "weekly"),
                ("deadlines", "sometimes"),
                ("lang", "en"),
            ],
        )
        .await;
    assert_eq!(r.json()["field"], "deadlines", "{}", r.body);
    let r = app
        .post(
            path::<SaveMailPrefs>(),
            Some(&cookie),
            &[("updates", "weekly"), ("deadlines", ""), ("lang", "fr")],
        )
        .await;
    assert_eq!(r.json()["field"], "lang", "{}", r.body);
    assert_eq!(
        prefs(&app, &cookie).await,
        first,
        "a refused save stored something"
    );
    // Not logged in: 401.
    let r = app
        .post(
            path::<SaveMailPrefs>(),
            None,
            &[("updates", "none"), ("lang", "da")],
        )
        .await;
    assert_eq!(r.status, 401, "{}", r.body);

    // Verified: the daily digest runs. Mark its cursor, to see whether it is kept.
    let mut tx = db::write_tx(app.db.pool()).await.expect("tx");
    db::mail::mark_verified_tx(&mut tx, me, chrono::Utc::now())
        .await
        .expect("verify");
    tx.commit().await.expect("commit");
    const MARK: i64 = 987_654_321_000;
    sqlx::query(
        "UPDATE mail_digests SET after_id = $1 WHERE user_id = $2 AND category = 'updates'",
    )
    .bind(MARK)
    .bind(me.0)
    .execute(app.db.pool())
    .await
    .expect("mark cursor");

    // Weekly, then daily: the events not yet sent stay pending.
    assert_eq!(save(&app, &cookie, "weekly", "", "en").await, 200);
    let weekly = digest(&app, me, "updates").await.expect("weekly digest");
    assert_eq!(weekly.0, MARK, "daily → weekly restarted the digest");
    assert_eq!(column(&app, me, "mail_updates").await, "weekly");
    assert_eq!(column(&app, me, "lang").await, "en");
    // The same choices again: OK, nothing changes.
    assert_eq!(save(&app, &cookie, "weekly", "", "en").await, 200);
    assert_eq!(digest(&app, me, "updates").await, Some(weekly));
    assert_eq!(save(&app, &cookie, "daily", "", "en").await, 200);
    let daily = digest(&app, me, "updates").await.expect("daily digest");
    assert_eq!(daily.0, MARK, "weekly → daily restarted the digest");
    assert!(
        daily.1 <= weekly.1,
        "the daily digest is due no later than the weekly"
    );

    // None stops the digest; daily again starts it from now.
    assert_eq!(save(&app, &cookie, "none", "", "en").await, 200);
    assert_eq!(digest(&app, me, "updates").await, None);
    assert_eq!(save(&app, &cookie, "daily", "", "da").await, 200);
    let restarted = digest(&app, me, "updates").await.expect("restarted digest");
    assert_ne!(restarted.0, MARK, "none → daily kept an old cursor");

    // The deadlines choice is stored when sent (the page shows it to politicians and the
    // coordinator only); left out, it stays.
    assert_eq!(save(&app, &cookie, "instant", "weekly", "da").await, 200);
    let now = prefs(&app, &cookie).await;
    assert_eq!(
        (now.updates, now.deadlines, now.lang.as_str(), now.verified),
        (MailMode::Instant, MailMode::Weekly, "da", true)
    );
    let r = app
        .post(
            path::<SaveMailPrefs>(),
            Some(&cookie),
            &[("updates", "instant"), ("lang", "da")],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(prefs(&app, &cookie).await.deadlines, MailMode::Weekly);

    // Politicians and the coordinator are offered the deadlines choice.
    let pol = email("postpolitiker");
    app.user("Mette", &pol, &[RoleKind::Politiker]).await;
    let pol_cookie = app.login(&pol, PASSWORD).await;
    assert!(prefs(&app, &pol_cookie).await.deadline_reminders);

    // /konto shows the section, its groups and the explanation.
    let (status, page) = app.get_with("/konto", &[("cookie", &cookie)]).await;
    assert_eq!(status, 200);
    assert!(page.contains("id=\"mail\""), "no #mail section on /konto");
    assert!(page.contains("Nyt om mine forslag og dem jeg følger"));
    assert!(
        !page.contains("Påmindelser om svarfrister"),
        "a youth saw the deadlines choice"
    );
    assert!(page.contains("mandag kl. 7"));
    let (_, page) = app.get_with("/konto", &[("cookie", &pol_cookie)]).await;
    assert!(page.contains("Påmindelser om svarfrister"));
}

/// One-click POST as a mail provider sends it: no cookie, from another site.
async fn one_click(app: &TestApp, token: &str, body: &str) -> (u16, String) {
    let req = Request::post(format!("/afmeld?token={token}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("host", "localhost")
        .header("origin", "https://mail.example.net")
        .body(Body::from(body.to_owned()))
        .expect("request");
    let res = app.send(req).await;
    let status = res.status().as_u16();
    (status, body_text(res).await)
}

#[tokio::test]
async fn unsubscribe_links_work_without_a_session_and_only_for_their_person_and_kind() {
    let app = app().await;
    let a = app.user("Asta", &email("afmeld-a"), &[]).await;
    let b = app.user("Bo", &email("afmeld-b"), &[]).await;
    let a_updates = token(&app, a, TokenPurpose::UnsubscribeUpdates).await;
    let a_deadlines = token(&app, a, TokenPurpose::UnsubscribeDeadlines).await;
    let b_reset = token(&app, b, TokenPurpose::Reset).await;
    let app = &app;
    let state = |u| async move {
        (
            column(app, u, "mail_updates").await,
            column(app, u, "mail_deadlines").await,
        )
    };
    let fresh = ("daily".to_owned(), "instant".to_owned());

    // Opening the link changes nothing (mail scanners open links).
    let (status, page) = app.get(&format!("/afmeld?token={a_updates}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("unsubscribe-form"), "no button on /afmeld");
    assert_eq!(state(a).await, fresh, "GET /afmeld unsubscribed");

    // The page's button: no session; A's updates only. Repeating it is fine.
    for _ in 0..2 {
        let r = app
            .post(path::<Unsubscribe>(), None, &[("token", &a_updates)])
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.body.trim(), "\"Updates\"");
    }
    assert_eq!(state(a).await, ("none".to_owned(), "instant".to_owned()));
    assert_eq!(state(b).await, fresh, "B was touched");

    // Without JavaScript: back to the page, which says what was turned off.
    let req = Request::post(path::<Unsubscribe>())
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "text/html")
        .header("host", "localhost")
        .header("origin", "http://localhost")
        .header(
            "referer",
            format!("http://localhost/afmeld?token={a_updates}"),
        )
        .body(Body::from(format!("token={a_updates}")))
        .expect("request");
    let res = app.send(req).await;
    assert!(res.status().is_redirection(), "{}", res.status());
    let location = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert_eq!(location, "/afmeld?afmeldt=updates");
    let (_, page) = app.get(&location).await;
    assert!(
        page.contains("Du får ikke længere mails om dine forslag"),
        "{page}"
    );
    assert!(page.contains("/konto#mail"));

    // One click (RFC 8058): no session, from the mail provider's site.
    sqlx::query("UPDATE users SET mail_updates = 'daily' WHERE id = $1")
        .bind(a.0)
        .execute(app.db.pool())
        .await
        .expect("reset");
    let (status, body) = one_click(app, &a_updates, "List-Unsubscribe=One-Click").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(state(a).await, ("none".to_owned(), "instant".to_owned()));
    let (status, _) = one_click(app, &a_updates, "List-Unsubscribe=One-Click").await;
    assert_eq!(status, 200, "a repeated one-click is not OK");
    // A deadlines link turns off deadlines only.
    let (status, _) = one_click(app, &a_deadlines, "List-Unsubscribe=One-Click").await;
    assert_eq!(status, 200);
    assert_eq!(state(a).await, ("none".to_owned(), "none".to_owned()));
    assert_eq!(state(b).await, fresh, "B was touched");

    // Invalid tokens change nothing: unknown, malformed, or a token of another purpose.
    let unknown = "0".repeat(64);
    for bad in [unknown.as_str(), "nope", b_reset.as_str()] {
        let r = app
            .post(path::<Unsubscribe>(), None, &[("token", bad)])
            .await;
        assert_eq!(r.status, 422, "{bad}: {}", r.body);
        assert_eq!(r.json()["field"], "token");
        let (status, _) = one_click(app, bad, "List-Unsubscribe=One-Click").await;
        assert_eq!(status, 404, "{bad}");
    }
    // A POST that is not a one-click unsubscribe is refused.
    let (status, _) = one_click(app, &a_updates, "something=else").await;
    assert_eq!(status, 400);
    assert_eq!(state(b).await, fresh, "B was touched");
    // The reset token is still good (it was not spent by the unsubscribe attempts).
    assert!(db::mail::token_is_valid(
        app.db.pool(),
        &b_reset,
        TokenPurpose::Reset,
        chrono::Utc::now()
    )
    .await
    .expect("valid"));
}

async fn outbox(app: &TestApp, cookie: &str, status: &str, before: Option<i64>) -> OutboxPageView {
    let before = before.map(|b| b.to_string()).unwrap_or_default();
    let mut fields = vec![("status", status)];
    if !before.is_empty() {
        fields.push(("before", before.as_str()));
    }
    let r = app.post(path::<OutboxPage>(), Some(cookie), &fields).await;
    assert_eq!(r.status, 200, "{}", r.body);
    serde_json::from_str(&r.body).expect("outbox page")
}

#[tokio::test]
async fn the_outbox_is_the_coordinators_and_hides_tokens_when_mail_leaves() {
    let app = app_isolated().await;
    let coord = email("postkoord");
    app.user("Lars", &coord, &[RoleKind::Sekretariat]).await;
    let youth = email("postung");
    app.user("Sofie", &youth, &[]).await;
    let pol = email("postpol");
    app.user("Mette", &pol, &[RoleKind::Politiker]).await;
    let c = app.login(&coord, PASSWORD).await;
    let y = app.login(&youth, PASSWORD).await;
    let p = app.login(&pol, PASSWORD).await;

    let mut tx = db::write_tx(app.db.pool()).await.expect("tx");
    assert!(
        db::mail::queue_reset_tx(&mut tx, &youth, chrono::Utc::now())
            .await
            .expect("reset mail")
    );
    tx.commit().await.expect("commit");
    let (id, payload): (i64, String) =
        sqlx::query_as("SELECT id, payload FROM outbox WHERE to_addr = $1")
            .bind(&youth)
            .fetch_one(app.db.pool())
            .await
            .expect("mail");
    let reset_token = serde_json::from_str::<serde_json::Value>(&payload).expect("payload")
        ["token"]
        .as_str()
        .expect("token")
        .to_owned();
    assert_eq!(reset_token.len(), 64);
    let id_s = id.to_string();

    // A youth and a politician are refused, as elsewhere in /admin.
    for cookie in [&y, &p] {
        let r = app
            .post(path::<OutboxPage>(), Some(cookie), &[("status", "")])
            .await;
        assert_eq!(r.status, 403, "{}", r.body);
        let r = app
            .post(path::<OutboxMail>(), Some(cookie), &[("id", &id_s)])
            .await;
        assert_eq!(r.status, 403, "{}", r.body);
        let (_, page) = app.get_with("/admin/post", &[("cookie", cookie)]).await;
        assert!(page.contains("kun for kommunens sekretariat"));
        assert!(!page.contains(&youth), "the outbox page leaked an address");
        let (_, page) = app
            .get_with(&format!("/admin/post/{id}"), &[("cookie", cookie)])
            .await;
        assert!(!page.contains(&reset_token), "the mail page leaked a token");
    }
    let r = app
        .post(path::<OutboxPage>(), None, &[("status", "")])
        .await;
    assert_eq!(r.status, 401);

    // Without SMTP the coordinator reads the mail, link and all.
    let page = outbox(&app, &c, "", None).await;
    assert!(!page.smtp);
    assert_eq!(page.mails.len(), 1);
    assert_eq!(page.mails[0].to_addr, youth);
    assert_eq!(page.mails[0].subject, "Vælg en ny adgangskode");
    assert_eq!(page.mails[0].status, "pending");
    assert!(page.counts.contains(&("pending".to_owned(), 1)));
    let r = app
        .post(path::<OutboxMail>(), Some(&c), &[("id", &id_s)])
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let mail: OutboxMailView = serde_json::from_str(&r.body).expect("mail");
    assert!(mail
        .text
        .contains(&format!("/nyt-kodeord?token={reset_token}")));
    let (status, html) = app.get_with("/admin/post", &[("cookie", &c)]).await;
    assert_eq!(status, 200);
    assert!(html.contains(&youth) && html.contains("Vælg en ny adgangskode"));
    assert!(html.contains("ingen SMTP-server"));
    let (status, html) = app
        .get_with(&format!("/admin/post/{id}"), &[("cookie", &c)])
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("<pre"), "no text body");
    assert!(html.contains(&reset_token));
    let r = app
        .post(path::<OutboxPage>(), Some(&c), &[("status", "bogus")])
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.json()["field"], "status");

    // A failed mail is marked in words.
    sqlx::query("UPDATE outbox SET status = 'failed', attempts = 3, last_error = '550 no such user' WHERE id = $1")
        .bind(id)
        .execute(app.db.pool())
        .await
        .expect("fail");
    let (_, html) = app.get_with("/admin/post", &[("cookie", &c)]).await;
    assert!(html.contains("FEJLET") && html.contains("550 no such user"));
    let failed = outbox(&app, &c, "failed", None).await;
    assert_eq!(failed.mails.len(), 1);
    assert!(outbox(&app, &c, "pending", None).await.mails.is_empty());

    // 60 more mails: two pages, newest first, no mail twice.
    let mut tx = db::write_tx(app.db.pool()).await.expect("tx");
    for _ in 0..60 {
        db::mail::queue_reset_tx(&mut tx, &coord, chrono::Utc::now())
            .await
            .expect("mail");
    }
    tx.commit().await.expect("commit");
    let first = outbox(&app, &c, "", None).await;
    assert_eq!(first.mails.len() as i64, OUTBOX_PER_PAGE);
    let next = first.next.expect("a next page");
    let second = outbox(&app, &c, "", Some(next)).await;
    assert_eq!(second.mails.len(), 11);
    assert_eq!(second.next, None);
    let ids: Vec<i64> = first
        .mails
        .iter()
        .chain(&second.mails)
        .map(|m| m.id)
        .collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    sorted.dedup();
    assert_eq!(ids, sorted, "pages overlap or are out of order");
    assert_eq!(ids.len(), 61);
    let pending = outbox(&app, &c, "pending", None).await;
    assert!(pending.counts.contains(&("pending".to_owned(), 60)));
    let (_, html) = app.get_with("/admin/post", &[("cookie", &c)]).await;
    assert!(
        html.contains(&format!("/admin/post?foer={next}")),
        "no next-page link"
    );

    // With SMTP the reset link's token is blanked, in the data and on the page.
    let app = app.with_smtp_configured(true);
    let r = app
        .post(path::<OutboxMail>(), Some(&c), &[("id", &id_s)])
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        !r.body.contains(&reset_token),
        "the token left with SMTP on"
    );
    let mail: OutboxMailView = serde_json::from_str(&r.body).expect("mail");
    assert!(mail.smtp && mail.text.contains("/nyt-kodeord"));
    let (_, html) = app
        .get_with(&format!("/admin/post/{id}"), &[("cookie", &c)])
        .await;
    assert!(
        !html.contains(&reset_token),
        "the page shows the token with SMTP on"
    );
    assert!(html.contains("sendes over SMTP"));
    let r = app
        .post(path::<OutboxPage>(), Some(&c), &[("status", "")])
        .await;
    assert!(!r.body.contains(&reset_token));
}
