//! The real server binary, as an operator runs it: commands (`backup`, `restore`) and
//! `serve` on a port of its own, spoken to over TCP like a browser would.
use std::net::SocketAddr;
use std::process::{Output, Stdio};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const BINARY: &str = env!("CARGO_BIN_EXE_server");

/// The command line with its environment pinned to `url` (nothing inherited decides).
fn command(url: &str, site_root: &std::path::Path) -> tokio::process::Command {
    let mut cmd = tokio::process::Command::new(BINARY);
    cmd.env("DATABASE_URL", url)
        .env("LEPTOS_SITE_ROOT", site_root)
        .env("STEMME_LOG", "warn")
        .env("STEMME_REMINDER_INTERVAL", "0")
        .env_remove("STEMME_DEMO")
        .env_remove("STEMME_SMTP_URL")
        .stdin(Stdio::null())
        .kill_on_drop(true);
    cmd
}

/// Runs `server <args>` to its end.
pub async fn run(url: &str, args: &[&str]) -> Output {
    let site = tempfile::tempdir().expect("site dir");
    command(url, site.path())
        .args(args)
        .output()
        .await
        .expect("running the server binary")
}

/// A running `server serve`.
pub struct Server {
    child: tokio::process::Child,
    pub addr: SocketAddr,
    _site: tempfile::TempDir,
}

impl Server {
    /// Starts the server on a free loopback port and waits until `/health` answers.
    pub async fn start(url: &str) -> Server {
        Self::start_with(url, &[]).await
    }

    /// [`Server::start`] with more environment (e.g. the mail settings).
    pub async fn start_with(url: &str, env: &[(&str, String)]) -> Server {
        let addr = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").expect("free port");
            l.local_addr().expect("port")
        };
        let site = tempfile::tempdir().expect("site dir");
        let child = command(url, site.path())
            .arg("serve")
            .env("STEMME_ADDR", addr.to_string())
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .stdout(Stdio::null())
            .spawn()
            .expect("starting the server");
        let server = Server {
            child,
            addr,
            _site: site,
        };
        for _ in 0..600 {
            if let Ok(r) = get(addr, "/health").await {
                if r.0 == 200 {
                    return server;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the server did not answer /health within 60 s");
    }

    /// SIGKILL: no shutdown, no flushing, no goodbye.
    pub async fn kill(mut self) {
        self.child.start_kill().expect("SIGKILL");
        let status = self.child.wait().await.expect("wait");
        assert!(!status.success(), "the server was killed, not stopped");
    }
}

/// A GET over a fresh connection: (status, body).
pub async fn get(addr: SocketAddr, path: &str) -> std::io::Result<(u16, String)> {
    exchange(
        addr,
        format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"),
    )
    .await
}

/// A form POST to a server function with a session cookie, as a browser on this site
/// sends it (Origin for the CSRF check): (status, body). An `Err` is a request that got
/// no complete answer — it is not acknowledged.
pub async fn post(
    addr: SocketAddr,
    path: &str,
    cookie: &str,
    fields: &[(&str, &str)],
) -> std::io::Result<(u16, String)> {
    let body = fields
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                crate::common::urlencode(k),
                crate::common::urlencode(v)
            )
        })
        .collect::<Vec<_>>()
        .join("&");
    exchange(
        addr,
        format!(
            "POST {path} HTTP/1.1\r\nHost: localhost\r\nOrigin: http://localhost\r\n\
             Cookie: {cookie}\r\nAccept: application/json\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\
             Connection: close\r\n\r\n{body}",
            body.len()
        ),
    )
    .await
}

async fn exchange(addr: SocketAddr, request: String) -> std::io::Result<(u16, String)> {
    let mut stream = TcpStream::connect(addr).await?;
    stream.write_all(request.as_bytes()).await?;
    let mut raw = Vec::new();
    tokio::time::timeout(Duration::from_secs(30), stream.read_to_end(&mut raw))
        .await
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::TimedOut, "no answer"))??;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").ok_or_else(incomplete)?;
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(incomplete)?;
    // A chunked body ends with a zero-length chunk; without it the answer was cut off.
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
        && !body.ends_with("0\r\n\r\n")
    {
        return Err(incomplete());
    }
    Ok((status, body.to_owned()))
}

fn incomplete() -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "incomplete answer")
}
