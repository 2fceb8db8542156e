//! Mail rendering: a stored [`MailPayload`] into subject, plain text and HTML, in the
//! recipient's language (Danish by default), signed with the municipality's name. Links
//! are absolute, on the site's public address.
use crate::domain::format::{date_time, escape_html};
use crate::domain::mail::{MailCategory, MailMode, MailPayload};

/// A mail ready to send or show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
    /// The one-click unsubscribe address (RFC 8058), for mails that can be unsubscribed.
    pub unsubscribe_url: Option<String>,
}

/// One paragraph or link of a mail, rendered both ways.
enum Part {
    Para(String),
    Link { label: String, url: String },
    Items(Vec<(String, String, String)>),
}

fn pick<'a>(en: bool, da: &'a str, english: &'a str) -> &'a str {
    if en {
        english
    } else {
        da
    }
}

/// Renders `payload` for a reader of `lang` ("da" or "en"). `base_url` is the site's
/// public address without a trailing slash; `municipality` signs the mail.
pub fn render(payload: &MailPayload, lang: &str, base_url: &str, municipality: &str) -> Rendered {
    let en = lang == "en";
    let base = base_url.trim_end_matches('/');
    let sender = if municipality.trim().is_empty() {
        "Stemme".to_owned()
    } else {
        format!("Stemme · {}", municipality.trim())
    };
    let (subject, name, parts, unsubscribe_url) = match payload {
        MailPayload::Verify { name, token } => (
            pick(en, "Bekræft din e-mailadresse", "Confirm your e-mail address").to_owned(),
            name,
            vec![
                Part::Para(
                    pick(
                        en,
                        "Du har oprettet en konto på Stemme. Bekræft at det er din e-mailadresse, så kan vi sende dig besked, når der sker noget med dine forslag.",
                        "You created an account on Stemme. Confirm that this is your e-mail address, so we can tell you when something happens to your proposals.",
                    )
                    .to_owned(),
                ),
                Part::Link {
                    label: pick(en, "Bekræft adressen", "Confirm the address").to_owned(),
                    url: token_url(base, "/bekraeft-email", token),
                },
                Part::Para(
                    pick(
                        en,
                        "Linket virker i 7 dage. Har du ikke oprettet en konto, kan du se bort fra denne mail.",
                        "The link works for 7 days. If you did not create an account, you can ignore this mail.",
                    )
                    .to_owned(),
                ),
            ],
            None,
        ),
        MailPayload::Reset { name, token } => (
            pick(en, "Vælg en ny adgangskode", "Choose a new password").to_owned(),
            name,
            vec![
                Part::Para(
                    pick(
                        en,
                        "Nogen (forhåbentlig dig) har bedt om at nulstille adgangskoden til din konto på Stemme.",
                        "Someone (hopefully you) asked to reset the password of your account on Stemme.",
                    )
                    .to_owned(),
                ),
                Part::Link {
                    label: pick(en, "Vælg en ny adgangskode", "Choose a new password").to_owned(),
                    url: token_url(base, "/nyt-kodeord", token),
                },
                Part::Para(
                    pick(
                        en,
                        "Linket virker i en time og kun én gang. Når du har valgt en ny adgangskode, bliver du logget ud alle andre steder. Har du ikke bedt om det, kan du se bort fra denne mail: din adgangskode er ikke ændret.",
                        "The link works for one hour and only once. When you have chosen a new password, you are logged out everywhere else. If you did not ask for this, ignore this mail: your password has not changed.",
                    )
                    .to_owned(),
                ),
            ],
            None,
        ),
        MailPayload::Events {
            name,
            category,
            digest,
            unsubscribe,
            events,
        } => {
            let subject = match (digest, events.as_slice()) {
                (None, [one]) => {
                    let what = one.kind.text(en);
                    if one.title.is_empty() {
                        what.to_owned()
                    } else {
                        format!("{what}: {}", one.title)
                    }
                }
                (Some(MailMode::Weekly), _) => format!(
                    "{} ({})",
                    pick(en, "Ugens nyt fra Stemme", "This week on Stemme"),
                    events.len()
                ),
                _ => format!(
                    "{} ({})",
                    pick(en, "Dagens nyt fra Stemme", "Today on Stemme"),
                    events.len()
                ),
            };
            let items = events
                .iter()
                .map(|e| {
                    let title = if e.title.is_empty() {
                        pick(en, "(skjult forslag)", "(hidden proposal)").to_owned()
                    } else {
                        e.title.clone()
                    };
                    (
                        format!("{} — {}", date_time(e.at, en), e.kind.text(en)),
                        title,
                        e.url(base),
                    )
                })
                .collect();
            let why = match category {
                MailCategory::Updates => pick(
                    en,
                    "Du får denne mail, fordi du har skrevet eller følger forslagene.",
                    "You get this mail because you wrote or follow these proposals.",
                ),
                MailCategory::Deadlines => pick(
                    en,
                    "Du får denne mail om svarfrister, fordi du har en rolle, der skal svare eller følge op.",
                    "You get this mail about answer deadlines because your role answers or follows up.",
                ),
            };
            let url = token_url(base, "/afmeld", unsubscribe);
            (
                subject,
                name,
                vec![
                    Part::Items(items),
                    Part::Para(why.to_owned()),
                    Part::Link {
                        label: pick(en, "Skift hvor tit du får mail", "Change how often you get mail")
                            .to_owned(),
                        url: format!("{base}/konto#mail"),
                    },
                    Part::Link {
                        label: pick(en, "Afmeld disse mails", "Unsubscribe from these mails")
                            .to_owned(),
                        url: url.clone(),
                    },
                ],
                Some(url),
            )
        }
    };
    let greeting = format!("{} {},", pick(en, "Hej", "Hi"), name);
    let mut text = format!("{greeting}\n\n");
    let mut html = format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title></head>\
         <body style=\"font-family:sans-serif;line-height:1.5;max-width:36em\"><p>{}</p>",
        if en { "en" } else { "da" },
        escape_html(&subject),
        escape_html(&greeting)
    );
    for part in &parts {
        match part {
            Part::Para(p) => {
                text.push_str(p);
                text.push_str("\n\n");
                html.push_str(&format!("<p>{}</p>", escape_html(p)));
            }
            Part::Link { label, url } => {
                text.push_str(&format!("{label}:\n{url}\n\n"));
                html.push_str(&format!(
                    "<p><a href=\"{}\">{}</a></p>",
                    escape_html(url),
                    escape_html(label)
                ));
            }
            Part::Items(items) => {
                html.push_str("<ul>");
                for (when, title, url) in items {
                    text.push_str(&format!("* {when}\n  {title}\n  {url}\n\n"));
                    html.push_str(&format!(
                        "<li>{}<br><a href=\"{}\">{}</a></li>",
                        escape_html(when),
                        escape_html(url),
                        escape_html(title)
                    ));
                }
                html.push_str("</ul>");
            }
        }
    }
    text.push_str(&format!("-- \n{sender}\n"));
    html.push_str(&format!("<p>— {}</p></body></html>", escape_html(&sender)));
    Rendered {
        subject,
        text,
        html,
        unsubscribe_url,
    }
}

fn token_url(base: &str, path: &str, token: &str) -> String {
    if token.is_empty() {
        // A spent token (the mail has gone out): the link is no longer shown.
        format!("{base}{path}")
    } else {
        format!("{base}{path}?token={token}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::ProposalId;
    use crate::domain::mail::MailEvent;
    use crate::domain::notification::NotificationKind;

    #[test]
    fn hostile_names_and_titles_are_escaped_in_html_only() {
        let payload = MailPayload::Events {
            name: "<b>Ali</b>".into(),
            category: MailCategory::Updates,
            digest: Some(MailMode::Daily),
            unsubscribe: "ab".repeat(32),
            events: vec![MailEvent {
                proposal_id: Some(ProposalId(7)),
                hearing_id: None,
                title: "Skaterpark & <script>".into(),
                kind: NotificationKind::Answered,
                at: chrono::DateTime::default(),
            }],
        };
        let r = render(
            &payload,
            "da",
            "https://stemme.example.dk/",
            "Vejle Kommune",
        );
        assert!(r.subject.starts_with("Dagens nyt fra Stemme (1)"));
        assert!(r.text.contains("Hej <b>Ali</b>,"));
        assert!(r.text.contains("Skaterpark & <script>"));
        assert!(r.text.contains("https://stemme.example.dk/forslag/7"));
        assert!(r.html.contains("&lt;b&gt;Ali&lt;/b&gt;"));
        assert!(r.html.contains("Skaterpark &amp; &lt;script&gt;"));
        assert!(!r.html.contains("<script>"));
        assert!(r.text.ends_with("Stemme · Vejle Kommune\n"));
        assert_eq!(
            r.unsubscribe_url.as_deref(),
            Some(format!("https://stemme.example.dk/afmeld?token={}", "ab".repeat(32)).as_str())
        );
    }

    #[test]
    fn verification_in_english_and_a_spent_token_shows_no_link() {
        let payload = MailPayload::Verify {
            name: "Sam".into(),
            token: "cd".repeat(32),
        };
        let r = render(&payload, "en", "http://127.0.0.1:3000", "");
        assert_eq!(r.subject, "Confirm your e-mail address");
        assert!(r
            .text
            .contains(&format!("/bekraeft-email?token={}", "cd".repeat(32))));
        assert!(r.unsubscribe_url.is_none());
        let spent = render(&payload.without_token(), "en", "http://x", "");
        assert!(!spent.text.contains("token="));
    }
}
