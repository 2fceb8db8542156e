// The SMTP server the browser tests send Stemme's mail to, and a small HTTP API for the
// tests to read what arrived. Started by Playwright (playwright.config.ts, `webServer`).
//
//   SMTP on 127.0.0.1:$STEMME_E2E_SMTP_PORT (no TLS, no AUTH; accepts every message)
//   HTTP on 127.0.0.1:$STEMME_E2E_MAIL_API_PORT
//     GET    /health             200
//     GET    /messages[?to=ADDR] JSON array in arrival order, filtered by envelope or header
//                                 recipient (case-insensitive) when `to` is given
//     DELETE /messages           forgets everything
import http from "node:http";
import { SMTPServer } from "smtp-server";
import { simpleParser } from "mailparser";

const smtpPort = Number(process.env.STEMME_E2E_SMTP_PORT || 3125);
const apiPort = Number(process.env.STEMME_E2E_MAIL_API_PORT || 3126);
const host = "127.0.0.1";

/** Everything received, in arrival order. */
let messages = [];

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS", "AUTH"],
  size: 16 * 1024 * 1024,
  logger: false,
  banner: "Stemme browser-test receiver",
  onData(stream, session, callback) {
    const envelopeTo = session.envelope.rcptTo.map((r) => r.address);
    const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : "";
    simpleParser(stream, { skipImageLinks: true })
      .then((parsed) => {
        // From the raw lines (mailparser folds some headers, e.g. List-*, into objects):
        // the first occurrence of each, unfolded, RFC 2047 encoded-words decoded.
        const headers = {};
        for (const { key, line } of parsed.headerLines) {
          const name = key.toLowerCase();
          if (name in headers) continue;
          const raw = line.slice(line.indexOf(":") + 1);
          headers[name] = decodeWords(raw.replace(/\r?\n(?=[ \t])/g, "").trim());
        }
        messages.push({
          to: envelopeTo,
          from: envelopeFrom,
          subject: parsed.subject ?? "",
          text: parsed.text ?? "",
          html: typeof parsed.html === "string" ? parsed.html : null,
          headers,
          messageId: parsed.messageId ?? null,
          headerTo: parsed.to ? addressTexts(parsed.to) : [],
        });
        callback();
      })
      .catch((err) => callback(err));
  },
});
smtp.on("error", (err) => console.error("mail-server smtp:", err.message));

/** Decodes RFC 2047 encoded-words (`=?charset?B|Q?...?=`); the white space between two
 * adjacent encoded-words goes (RFC 2047 section 6.2). */
function decodeWords(value) {
  const word = /=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=/g;
  return value
    .replace(/(=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=)\s+(?==\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=)/g, "$1")
    .replace(word, (whole, charset, encoding, text) => {
      let bytes;
      if (encoding.toUpperCase() === "B") {
        bytes = Buffer.from(text, "base64");
      } else {
        const t = text.replace(/_/g, " ");
        const out = [];
        for (let i = 0; i < t.length; i++) {
          const hex = t.slice(i + 1, i + 3);
          if (t[i] === "=" && /^[0-9A-Fa-f]{2}$/.test(hex)) {
            out.push(parseInt(hex, 16));
            i += 2;
          } else {
            out.push(t.charCodeAt(i) & 0xff);
          }
        }
        bytes = Buffer.from(out);
      }
      try {
        return new TextDecoder(charset.split("*")[0]).decode(bytes);
      } catch {
        return whole;
      }
    });
}

function addressTexts(field) {
  const list = Array.isArray(field) ? field : [field];
  return list.flatMap((a) => a.value.map((v) => (v.address || "").toLowerCase()));
}

const api = http.createServer((req, res) => {
  const url = new URL(req.url, `http://${host}`);
  const send = (status, body) => {
    res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
    res.end(JSON.stringify(body));
  };
  if (url.pathname === "/health" && req.method === "GET") return send(200, { ok: true });
  if (url.pathname === "/messages" && req.method === "GET") {
    const to = url.searchParams.get("to");
    const wanted = to ? to.toLowerCase() : null;
    const list = messages
      .filter(
        (m) =>
          wanted === null ||
          m.to.some((a) => a.toLowerCase() === wanted) ||
          m.headerTo.includes(wanted),
      )
      .map(({ headerTo, ...rest }) => rest);
    return send(200, list);
  }
  if (url.pathname === "/messages" && req.method === "DELETE") {
    messages = [];
    return send(200, { ok: true });
  }
  send(404, { error: "not found" });
});

smtp.listen(smtpPort, host, () => {
  api.listen(apiPort, host, () => {
    console.log(`mail-server: SMTP on ${host}:${smtpPort}, API on http://${host}:${apiPort}`);
  });
});

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    api.close();
    smtp.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 1000).unref();
  });
}
