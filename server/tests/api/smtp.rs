//! A real SMTP server for the tests, in-process on tokio: the mail sender talks SMTP to it
//! over TCP exactly as it would to a relay, and the tests read what arrived.
//!
//! The protocol side is a small RFC 5321 subset written here (greeting, EHLO/HELO, MAIL,
//! RCPT, DATA with dot-unstuffing, RSET, NOOP, VRFY, QUIT; no TLS, no AUTH): the embeddable
//! crates run a blocking thread pool with no way to shut down, and the tests need to stop a
//! receiver (closing its connections) and start it again on the same port. Decoding what
//! arrived (MIME, RFC 2047, quoted-printable, base64, charsets) is left to `mail-parser`.
#![allow(clippy::expect_used, clippy::unwrap_used, dead_code)]

use std::collections::HashSet;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use mail_parser::{HeaderName, MessageParser, PartType};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};

/// A line longer than this (commands or message lines) ends the connection: RFC 5321 allows
/// 1000 octets per line; the margin is for senders that do not wrap.
const MAX_LINE: usize = 64 * 1024;
/// A message bigger than this is refused with 552.
const MAX_MESSAGE: usize = 16 * 1024 * 1024;

/// One accepted message: the envelope and the data exactly as received (CRLF line ends,
/// dot-unstuffed, without the terminating `.` line).
#[derive(Clone, Debug)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    pub data: String,
}

impl Received {
    /// The first header of that name (case-insensitive), unfolded, RFC 2047 encoded-words
    /// decoded. Address headers come back as text too (`Anne Æble <anne@x.dk>`).
    pub fn header(&self, name: &str) -> Option<String> {
        let wanted = HeaderName::parse(name.to_owned())?;
        // Every header as unstructured text (the map must be non-empty for the default to
        // apply to the IANA names too).
        let parser = MessageParser::new()
            .header_text(HeaderName::Subject)
            .default_header_text();
        let message = parser.parse_headers(self.data.as_bytes())?;
        let header = message
            .root_part()
            .headers
            .iter()
            .find(|h| h.name == wanted)?;
        Some(
            header
                .value
                .as_text()
                .map(str::to_owned)
                .unwrap_or_default(),
        )
    }

    /// The text/plain part (of a multipart/alternative message, or the whole body of a
    /// single-part one), transfer-decoded and as UTF-8. Panics when there is none.
    pub fn text_body(&self) -> String {
        let message = self.parsed();
        message
            .text_body
            .iter()
            .filter_map(|&id| message.parts.get(id as usize))
            .find_map(|part| match &part.body {
                PartType::Text(text) => Some(text.to_string()),
                _ => None,
            })
            .unwrap_or_else(|| panic!("no text/plain part in the mail:\n{}", self.data))
    }

    /// The text/html part, decoded likewise; `None` for a text-only mail.
    pub fn html_body(&self) -> Option<String> {
        let message = self.parsed();
        message
            .html_body
            .iter()
            .filter_map(|&id| message.parts.get(id as usize))
            .find_map(|part| match &part.body {
                PartType::Html(html) => Some(html.to_string()),
                _ => None,
            })
    }

    fn parsed(&self) -> mail_parser::Message<'_> {
        MessageParser::default()
            .parse(self.data.as_bytes())
            .unwrap_or_else(|| panic!("not a parsable mail:\n{}", self.data))
    }
}

struct Shared {
    port: u16,
    messages: Mutex<Vec<Received>>,
    /// The count of `messages`, for `wait_for` to wait on without polling.
    count: watch::Sender<usize>,
    /// Lower-cased addresses that RCPT TO refuses with 550.
    rejected: Mutex<HashSet<String>>,
}

/// An SMTP server on 127.0.0.1 that accepts every mail (except for rejected recipients) and
/// keeps it in memory. Dropping it without `stop` aborts it too, without waiting.
pub struct SmtpReceiver {
    shared: Arc<Shared>,
    shutdown: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl SmtpReceiver {
    /// On a free port.
    pub async fn start() -> SmtpReceiver {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .await
            .expect("bind the SMTP receiver to a free port");
        Self::serve(listener)
    }

    /// On the given port, e.g. to bring the "relay" back up where it was before `stop`.
    /// Retries for a while if the port is still held.
    pub async fn start_on(port: u16) -> SmtpReceiver {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
        loop {
            match TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await {
                Ok(listener) => return Self::serve(listener),
                Err(e) if tokio::time::Instant::now() < deadline => {
                    tracing::debug!("SMTP receiver: port {port} not yet free: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                Err(e) => panic!("SMTP receiver: cannot bind 127.0.0.1:{port}: {e}"),
            }
        }
    }

    fn serve(listener: TcpListener) -> SmtpReceiver {
        let port = listener.local_addr().expect("local address").port();
        let shared = Arc::new(Shared {
            port,
            messages: Mutex::new(Vec::new()),
            count: watch::Sender::new(0),
            rejected: Mutex::new(HashSet::new()),
        });
        let (shutdown, mut stopping) = watch::channel(false);
        let accept_shared = shared.clone();
        let task = tokio::spawn(async move {
            // Owning the connections here: dropping or aborting this task closes them all.
            let mut connections = JoinSet::new();
            loop {
                tokio::select! {
                    _ = stopping.changed() => break,
                    accepted = listener.accept() => match accepted {
                        Ok((stream, _)) => {
                            connections.spawn(session(stream, accept_shared.clone()));
                        }
                        Err(e) => {
                            tracing::debug!("SMTP receiver: accept failed: {e}");
                            tokio::time::sleep(Duration::from_millis(10)).await;
                        }
                    },
                    // Reap finished sessions so the set does not grow.
                    Some(_) = connections.join_next(), if !connections.is_empty() => {}
                }
            }
            drop(listener);
            connections.shutdown().await;
        });
        SmtpReceiver {
            shared,
            shutdown,
            task: Some(task),
        }
    }

    pub fn port(&self) -> u16 {
        self.shared.port
    }

    /// For lettre's `AsyncSmtpTransport::from_url` (plain SMTP, no TLS).
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port())
    }

    /// Every message accepted so far, in order of arrival.
    pub fn messages(&self) -> Vec<Received> {
        self.shared.messages.lock().unwrap().clone()
    }

    /// Waits until at least `n` messages have arrived and returns them all; panics after
    /// `timeout`, listing what did arrive.
    pub async fn wait_for(&self, n: usize, timeout: Duration) -> Vec<Received> {
        let mut count = self.shared.count.subscribe();
        let arrived = tokio::time::timeout(timeout, count.wait_for(|&c| c >= n)).await;
        if arrived.is_err() {
            let got = self.messages();
            let summary: Vec<String> = got
                .iter()
                .map(|m| format!("to {:?}: {}", m.to, m.header("Subject").unwrap_or_default()))
                .collect();
            panic!(
                "SMTP receiver on port {}: expected at least {n} mail(s) within {timeout:?}, got {}: {summary:#?}",
                self.port(),
                got.len()
            );
        }
        self.messages()
    }

    /// From now on, `RCPT TO` this address (case-insensitive) gets
    /// `550 5.1.1 no such user`, a permanent failure.
    pub fn reject_recipient(&self, addr: &str) {
        self.shared
            .rejected
            .lock()
            .unwrap()
            .insert(addr.to_ascii_lowercase());
    }

    /// Closes the listener and every open connection; afterwards the port is free.
    pub async fn stop(mut self) {
        let _ = self.shutdown.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for SmtpReceiver {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// A currently free TCP port on 127.0.0.1 (free when asked; nothing holds it afterwards).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// One SMTP connection. Errors (a peer gone, a line too long) just end it.
async fn session(stream: TcpStream, shared: Arc<Shared>) {
    let _ = converse(stream, &shared).await;
}

async fn converse(stream: TcpStream, shared: &Shared) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut reader = BufReader::new(read);
    write
        .write_all(b"220 localhost ESMTP Stemme test receiver\r\n")
        .await?;

    let mut greeted = false;
    let mut from: Option<String> = None;
    let mut to: Vec<String> = Vec::new();
    let mut line = Vec::new();
    loop {
        if !read_line(&mut reader, &mut line).await? {
            return Ok(());
        }
        let text = String::from_utf8_lossy(&line);
        let command = text.trim_end_matches(['\r', '\n']);
        let (verb, rest) = command.split_once(' ').unwrap_or((command, ""));
        let reply: &str = match verb.to_ascii_uppercase().as_str() {
            "EHLO" => {
                greeted = true;
                from = None;
                to.clear();
                "250-localhost\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250-PIPELINING\r\n250 ENHANCEDSTATUSCODES\r\n"
            }
            "HELO" => {
                greeted = true;
                from = None;
                to.clear();
                "250 localhost\r\n"
            }
            "MAIL" => match path_argument(rest, "FROM:") {
                _ if !greeted => "503 5.5.1 EHLO or HELO first\r\n",
                _ if from.is_some() => "503 5.5.1 nested MAIL command\r\n",
                Some(addr) => {
                    from = Some(addr);
                    "250 2.1.0 OK\r\n"
                }
                None => "501 5.5.4 syntax: MAIL FROM:<address>\r\n",
            },
            "RCPT" => match path_argument(rest, "TO:") {
                _ if from.is_none() => "503 5.5.1 MAIL first\r\n",
                Some(addr) if addr.is_empty() => "501 5.1.3 empty recipient\r\n",
                Some(addr)
                    if shared
                        .rejected
                        .lock()
                        .unwrap()
                        .contains(&addr.to_ascii_lowercase()) =>
                {
                    "550 5.1.1 no such user\r\n"
                }
                Some(addr) => {
                    to.push(addr);
                    "250 2.1.5 OK\r\n"
                }
                None => "501 5.5.4 syntax: RCPT TO:<address>\r\n",
            },
            "DATA" if !rest.is_empty() => "501 5.5.4 DATA takes no argument\r\n",
            "DATA" if from.is_none() => "503 5.5.1 MAIL first\r\n",
            "DATA" if to.is_empty() => "554 5.5.1 no valid recipients\r\n",
            "DATA" => {
                write
                    .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                    .await?;
                let Some(data) = read_data(&mut reader, &mut line).await? else {
                    from = None;
                    to.clear();
                    write.write_all(b"552 5.3.4 message too big\r\n").await?;
                    continue;
                };
                let received = Received {
                    from: from.take().unwrap_or_default(),
                    to: std::mem::take(&mut to),
                    data: String::from_utf8_lossy(&data).into_owned(),
                };
                {
                    let mut messages = shared.messages.lock().unwrap();
                    messages.push(received);
                    shared.count.send_replace(messages.len());
                }
                "250 2.0.0 OK queued\r\n"
            }
            "RSET" => {
                from = None;
                to.clear();
                "250 2.0.0 OK\r\n"
            }
            "NOOP" => "250 2.0.0 OK\r\n",
            "VRFY" => "252 2.1.5 cannot verify, will accept\r\n",
            "QUIT" => {
                write.write_all(b"221 2.0.0 bye\r\n").await?;
                return Ok(());
            }
            "STARTTLS" | "AUTH" | "BDAT" | "EXPN" | "HELP" | "TURN" | "ETRN" => {
                "502 5.5.1 command not implemented\r\n"
            }
            _ => "500 5.5.2 command not recognized\r\n",
        };
        write.write_all(reply.as_bytes()).await?;
    }
}

/// Reads one line including its line end into `line`; `false` at the end of the stream.
/// A line over `MAX_LINE` is an error (ends the connection).
async fn read_line(
    reader: &mut BufReader<tokio::net::tcp::OwnedReadHalf>,
    line: &mut Vec<u8>,
) -> std::io::Result<bool> {
    line.clear();
    let mut limited = (&mut *reader).take(MAX_LINE as u64);
    let n = limited.read_until(b'\n', line).await?;
    if n == 0 {
        return Ok(false);
    }
    if !line.ends_with(b"\n") {
        if n >= MAX_LINE {
            return Err(std::io::Error::other("line too long"));
        }
        // The peer closed in the middle of a line.
        return Ok(false);
    }
    Ok(true)
}

/// The message after `354`, up to the line `.`: dot-unstuffed, line ends as received.
/// `None` when it exceeded `MAX_MESSAGE` (the rest is read and dropped).
async fn read_data(
    reader: &mut BufReader<tokio::net::tcp::OwnedReadHalf>,
    line: &mut Vec<u8>,
) -> std::io::Result<Option<Vec<u8>>> {
    let mut data = Vec::new();
    let mut too_big = false;
    loop {
        if !read_line(reader, line).await? {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        if line == b".\r\n" || line == b".\n" {
            return Ok((!too_big).then_some(data));
        }
        let unstuffed = line.strip_prefix(b".").unwrap_or(line);
        if data.len() + unstuffed.len() > MAX_MESSAGE {
            too_big = true;
        }
        if !too_big {
            data.extend_from_slice(unstuffed);
        }
    }
}

/// The address of `FROM:<addr> [params]` / `TO:<addr> [params]` (keyword case-insensitive,
/// angle brackets optional, ESMTP parameters ignored); `<>` gives "".
fn path_argument(rest: &str, keyword: &str) -> Option<String> {
    let head = rest.get(..keyword.len())?;
    if !head.eq_ignore_ascii_case(keyword) {
        return None;
    }
    let path = rest[keyword.len()..].trim_start();
    if let Some(inner) = path.strip_prefix('<') {
        let end = inner.find('>')?;
        Some(inner[..end].to_owned())
    } else {
        let addr = path.split_whitespace().next()?;
        Some(addr.to_owned())
    }
}

// ---------------------------------------------------------------------------------------
// The receiver's own tests, with lettre (the crate the server sends with) as the client.

#[cfg(test)]
mod tests {
    use super::*;
    use lettre::message::{Mailbox, MultiPart, SinglePart};
    use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

    fn transport(receiver: &SmtpReceiver) -> AsyncSmtpTransport<Tokio1Executor> {
        AsyncSmtpTransport::<Tokio1Executor>::from_url(&receiver.url())
            .expect("smtp url")
            .timeout(Some(Duration::from_secs(2)))
            .build()
    }

    fn mailbox(s: &str) -> Mailbox {
        s.parse().expect("mailbox")
    }

    #[tokio::test]
    async fn a_multipart_mail_with_danish_letters_arrives_decoded() {
        let receiver = SmtpReceiver::start().await;
        // A line long enough to need wrapping by the transfer encoding.
        let text = format!(
            "Hej Åse,\n\npolitikerne har svaret på dit forslag om æbletræer.\n.punktum først\n{}\n",
            "ø".repeat(120)
        );
        let html = "<p>Hej Åse,</p><p>politikerne har svaret på dit forslag om æbletræer.</p>";
        let message = Message::builder()
            .from(mailbox("Stemme <stemme@kommune.test>"))
            .to(mailbox("Åse Ærø <aase@example.test>"))
            .subject("Svar på dit forslag: Æbletræer i gården — ø og å")
            .message_id(Some("<svar-1@kommune.test>".to_owned()))
            .multipart(MultiPart::alternative_plain_html(
                text.clone(),
                html.to_owned(),
            ))
            .expect("message");
        transport(&receiver).send(message).await.expect("send");

        let got = receiver.wait_for(1, Duration::from_secs(2)).await;
        assert_eq!(got.len(), 1);
        let mail = &got[0];
        assert_eq!(mail.from, "stemme@kommune.test");
        assert_eq!(mail.to, vec!["aase@example.test".to_owned()]);
        assert!(mail.data.contains("\r\n"), "CRLF line ends kept");
        assert_eq!(
            mail.header("subject").as_deref(),
            Some("Svar på dit forslag: Æbletræer i gården — ø og å")
        );
        assert_eq!(
            mail.header("TO").as_deref(),
            Some("Åse Ærø <aase@example.test>")
        );
        // What went over the wire was encoded: RFC 2047 in the headers, a transfer encoding
        // (quoted-printable or base64) in the parts.
        assert!(!mail.data.contains("æ"), "{}", mail.data);
        assert!(
            mail.data.to_ascii_lowercase().contains("=?utf-8?"),
            "{}",
            mail.data
        );
        assert_eq!(
            mail.header("message-id").as_deref(),
            Some("<svar-1@kommune.test>")
        );
        assert_eq!(mail.header("X-Not-There"), None);
        // lettre sends LF line ends as CRLF; the decoded text has whatever the part had.
        assert_eq!(mail.text_body().replace("\r\n", "\n"), text);
        assert_eq!(mail.html_body().as_deref(), Some(html));
        receiver.stop().await;
    }

    #[tokio::test]
    async fn a_single_part_mail_has_a_text_body_and_no_html() {
        let receiver = SmtpReceiver::start().await;
        let message = Message::builder()
            .from(mailbox("stemme@kommune.test"))
            .to(mailbox("a@example.test"))
            .to(mailbox("b@example.test"))
            .subject("Kun tekst")
            .singlepart(SinglePart::plain("Hej\n.dot first\n..two\n".to_owned()))
            .expect("message");
        transport(&receiver).send(message).await.expect("send");
        let mail = &receiver.wait_for(1, Duration::from_secs(2)).await[0];
        assert_eq!(mail.to, vec!["a@example.test", "b@example.test"]);
        // 7bit on the wire, so the dot lines were stuffed by lettre and unstuffed here.
        assert!(
            mail.data.contains("\r\n.dot first\r\n..two\r\n"),
            "{}",
            mail.data
        );
        assert_eq!(mail.text_body().trim_end(), "Hej\r\n.dot first\r\n..two");
        assert_eq!(mail.html_body(), None);
        receiver.stop().await;
    }

    #[tokio::test]
    async fn a_rejected_recipient_is_a_permanent_error() {
        let receiver = SmtpReceiver::start().await;
        receiver.reject_recipient("Gone@Example.test");
        let message = Message::builder()
            .from(mailbox("stemme@kommune.test"))
            .to(mailbox("gone@example.test"))
            .subject("x")
            .body("x".to_owned())
            .expect("message");
        let err = transport(&receiver)
            .send(message)
            .await
            .expect_err("refused");
        assert!(err.is_permanent(), "{err:?}");
        assert_eq!(err.status().map(|c| c.to_string()).as_deref(), Some("550"));
        assert!(receiver.messages().is_empty());
        receiver.stop().await;
    }

    #[tokio::test]
    async fn stopped_it_refuses_connections_and_starts_again_on_the_same_port() {
        let receiver = SmtpReceiver::start().await;
        let port = receiver.port();
        let mail = || {
            Message::builder()
                .from(mailbox("stemme@kommune.test"))
                .to(mailbox("a@example.test"))
                .subject("igen")
                .body("x".to_owned())
                .expect("message")
        };
        let sender = transport(&receiver);
        sender.send(mail()).await.expect("first send");
        receiver.stop().await;

        let err = sender.send(mail()).await.expect_err("down");
        assert!(!err.is_permanent(), "a transient failure: {err:?}");

        let receiver = SmtpReceiver::start_on(port).await;
        assert_eq!(receiver.port(), port);
        // An open connection is closed by stop.
        let mut open = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
        let mut greeting = [0u8; 4];
        open.read_exact(&mut greeting).await.unwrap();
        assert_eq!(&greeting, b"220 ");
        receiver.stop().await;
        let mut rest = Vec::new();
        let closed =
            tokio::time::timeout(Duration::from_secs(1), open.read_to_end(&mut rest)).await;
        assert!(
            matches!(closed, Ok(Ok(_)) | Ok(Err(_))),
            "stop closes open connections"
        );

        let receiver = SmtpReceiver::start_on(port).await;
        sender.send(mail()).await.expect("send after restart");
        assert_eq!(receiver.wait_for(1, Duration::from_secs(2)).await.len(), 1);
        receiver.stop().await;
    }

    #[tokio::test]
    async fn the_protocol_by_hand_rset_noop_dot_unstuffing_and_order_errors() {
        let receiver = SmtpReceiver::start().await;
        let mut stream = TcpStream::connect(("127.0.0.1", receiver.port()))
            .await
            .unwrap();
        let script = concat!(
            "MAIL FROM:<a@x.test>\r\n", // 503: no HELO
            "HELO me\r\n",
            "RCPT TO:<b@x.test>\r\n", // 503: no MAIL
            "MAIL FROM:<a@x.test> BODY=8BITMIME\r\n",
            "RCPT TO:<b@x.test>\r\n",
            "RSET\r\n",
            "DATA\r\n", // 503: reset
            "NOOP\r\n",
            "mail from:<>\r\n",
            "rcpt to:<c@x.test>\r\n",
            "DATA\r\n",
            "Subject: =?utf-8?q?bl=C3=A5b=C3=A6r_gr=C3=B8d?=\r\n",
            "Content-Type: text/plain; charset=utf-8\r\n",
            "Content-Transfer-Encoding: quoted-printable\r\n\r\n",
            "..one dot =C3=A6\r\n.\r\n",
            "QUIT\r\n",
        );
        stream.write_all(script.as_bytes()).await.unwrap();
        let mut replies = String::new();
        stream.read_to_string(&mut replies).await.unwrap();
        let codes: Vec<&str> = replies.lines().map(|l| &l[..3]).collect();
        assert_eq!(
            codes,
            [
                "220", "503", "250", "503", "250", "250", "250", "503", "250", "250", "250", "354",
                "250", "221"
            ],
            "{replies}"
        );
        let got = receiver.messages();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].from, "");
        assert_eq!(got[0].to, ["c@x.test"]);
        assert!(
            got[0].data.ends_with("\r\n\r\n.one dot =C3=A6\r\n"),
            "{}",
            got[0].data
        );
        assert_eq!(got[0].header("Subject").as_deref(), Some("blåbær grød"));
        assert_eq!(got[0].text_body().trim_end(), ".one dot æ");
        receiver.stop().await;
    }

    #[tokio::test]
    async fn wait_for_panics_with_what_arrived() {
        let receiver = SmtpReceiver::start().await;
        let waited = tokio::spawn(async move {
            receiver.wait_for(1, Duration::from_millis(50)).await;
        })
        .await;
        let panic = waited.expect_err("timed out").into_panic();
        let message = panic.downcast_ref::<String>().cloned().unwrap_or_default();
        assert!(message.contains("expected at least 1 mail(s)"), "{message}");
    }

    #[test]
    fn free_port_is_bindable() {
        let port = free_port();
        std::net::TcpListener::bind(("127.0.0.1", port)).expect("free");
    }
}
