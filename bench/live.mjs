// The live-session scenario of issue #23 (bench/run, case "live"): P participants join one
// Bytinget session by code and all read its live stream (GET /live/{code}/stream, SSE) while
// P ballots arrive spread over W seconds, every R-th of them posted twice at once (a replay:
// it must be refused, not counted). Measures what a projector on that stream sees:
//
//   lag = the time a reader receives a `state` event − the event's `changed_ms` (the server's
//         time of the oldest change this update is the first to include; same machine, same
//         clock: how long the longest-waiting change in it took), over every
//         (reader, event) from the opening of the vote until the reader has the final tally;
//   final = the time from the last acknowledged ballot until each reader has seen the final
//         tally (ballots = P), which does not depend on the server's changed_ms;
//
// and checks that every ballot was counted exactly once: the server's answers (true = counted,
// false = already voted), the final tally every reader saw, the tally a fresh reader sees
// after the vote is closed, and the per-option counts against what was sent. After closing,
// one more ballot must be refused (409).
//
// Node ≥ 18, no packages (node:http only). Configuration from the environment:
//   BASE (http://127.0.0.1:port), HOST_EMAIL, HOST_PASSWORD (an account allowed to host),
//   LIVE_PARTICIPANTS (500), LIVE_WINDOW_S (10), LIVE_REPLAY_EVERY (10; 0 = no replays),
//   LIVE_TIMEOUT_S (30: how long to wait for the final tally after the last ballot),
//   SERVER_PID (optional: the server's RSS is sampled from /proc every 100 ms).
// Prints progress to stderr and one machine-readable line to stdout:
//   RESULT ok=1 participants=… readers=… p50_ms=… p99_ms=… …
// Exits 1 when a ballot was lost or counted twice, a reader missed the final tally, or a step
// of the protocol failed (the RESULT line is printed all the same, with ok=0).
import http from "node:http";
import fs from "node:fs";
import zlib from "node:zlib";
import { monitorEventLoopDelay } from "node:perf_hooks";

const env = (k, d) => process.env[k] ?? d;
const BASE = new URL(env("BASE", "http://127.0.0.1:3000"));
const ORIGIN = BASE.origin;
const HOST_EMAIL = env("HOST_EMAIL", "sekretariat@demo.stemme.dk");
const HOST_PASSWORD = env("HOST_PASSWORD", "stemme-demo-2026");
const P = Number(env("LIVE_PARTICIPANTS", "500"));
const WINDOW_MS = Number(env("LIVE_WINDOW_S", "10")) * 1000;
const REPLAY_EVERY = Number(env("LIVE_REPLAY_EVERY", "10"));
const TIMEOUT_MS = Number(env("LIVE_TIMEOUT_S", "30")) * 1000;
const SERVER_PID = env("SERVER_PID", "");

const log = (...a) => console.error(`[live ${new Date().toISOString().slice(11, 23)}]`, ...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const result = { ok: 0 };
const problems = [];

// Requests share a keep-alive pool; every stream has a connection of its own.
const pool = new http.Agent({ keepAlive: true, maxSockets: 64 });
const streams = new http.Agent({ keepAlive: false, maxSockets: Infinity });

class HttpError extends Error {
  constructor(status, body, what) {
    super(`${what}: HTTP ${status} ${body.slice(0, 300)}`);
    this.status = status;
  }
}

/** POST a server function (form-urlencoded, JSON answer). Returns { status, json, cookies }.
 * A request sent on a kept-alive connection the server had just closed never reached it
 * (ECONNRESET on a reused socket): it is sent again, once, on a new connection. */
async function post(path, fields, cookie, what = path) {
  try {
    return await postOnce(path, fields, cookie, what);
  } catch (e) {
    if (!e.reused) throw e;
    retries++;
    return postOnce(path, fields, cookie, what);
  }
}

let retries = 0;

function postOnce(path, fields, cookie, what) {
  const body = new URLSearchParams(fields).toString();
  return new Promise((resolve, reject) => {
    const req = http.request(
      new URL(path, BASE),
      {
        method: "POST",
        agent: pool,
        headers: {
          Accept: "application/json",
          Origin: ORIGIN,
          "Content-Type": "application/x-www-form-urlencoded",
          "Content-Length": Buffer.byteLength(body),
          ...(cookie ? { Cookie: cookie } : {}),
        },
      },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let json;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          const cookies = (res.headers["set-cookie"] ?? []).map((c) => c.split(";")[0]);
          resolve({ status: res.statusCode, json, text, cookies });
        });
        res.on("error", reject);
      },
    );
    req.on("error", (e) => {
      const err = new Error(`${what}: ${e.message}`);
      err.reused = req.reusedSocket && (e.code === "ECONNRESET" || e.code === "EPIPE");
      reject(err);
    });
    req.setTimeout(30000, () => req.destroy(new Error(`${what}: no answer in 30 s`)));
    req.end(body);
  });
}

async function postOk(path, fields, cookie, what) {
  const r = await post(path, fields, cookie, what);
  if (r.status !== 200) throw new HttpError(r.status, r.text, what);
  return r;
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

/** Runs fn over items with at most n at once. */
async function parallel(items, n, fn) {
  let next = 0;
  const workers = Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  });
  await Promise.all(workers);
}

// ---- one reader of the live stream -------------------------------------------------------

class Reader {
  constructor(index, code, cookie) {
    this.index = index;
    this.code = code;
    this.cookie = cookie;
    this.events = 0;
    this.state = null; // the newest state
    this.lags = []; // ms, events of the measured vote
    this.measuring = null; // vote id whose events are measured
    this.countedEvents = 0; // events of the measured vote
    this.finalAt = null; // Date.now() when ballots reached the target
    this.target = null;
    this.closed = false;
    this.error = null;
    this.waiters = [];
  }

  connect() {
    return new Promise((resolve, reject) => {
      const req = http.get(
        new URL(`/live/${this.code}/stream`, BASE),
        {
          agent: streams,
          headers: {
            Accept: "text/event-stream",
            // As a browser asks; the server must not buffer the stream in a compressor.
            "Accept-Encoding": "gzip, deflate, br",
            "Cache-Control": "no-cache",
            ...(this.cookie ? { Cookie: this.cookie } : {}),
          },
        },
        (res) => {
          if (res.statusCode !== 200) {
            res.resume();
            reject(new Error(`stream ${this.index}: HTTP ${res.statusCode}`));
            return;
          }
          const enc = res.headers["content-encoding"];
          let body = res;
          if (enc === "br") body = res.pipe(zlib.createBrotliDecompress());
          else if (enc === "gzip") body = res.pipe(zlib.createGunzip());
          else if (enc === "deflate") body = res.pipe(zlib.createInflate());
          this.encoding = enc ?? "identity";
          body.setEncoding("utf8");
          let buf = "";
          body.on("data", (chunk) => {
            const now = Date.now();
            buf += chunk;
            let cut;
            // Events end with a blank line (\n\n, or \r\n\r\n).
            while ((cut = buf.search(/\r?\n\r?\n/)) >= 0) {
              const block = buf.slice(0, cut);
              buf = buf.slice(cut + buf.slice(cut).match(/^\r?\n\r?\n/)[0].length);
              this.onBlock(block, now);
            }
          });
          body.on("end", () => {
            this.closed = true;
            this.wake();
          });
          body.on("error", (e) => {
            this.error = e.message;
            this.closed = true;
            this.wake();
          });
          resolve();
        },
      );
      req.on("error", (e) => {
        this.error = e.message;
        this.closed = true;
        this.wake();
        reject(new Error(`stream ${this.index}: ${e.message}`));
      });
      this.req = req;
    });
  }

  onBlock(block, now) {
    let event = "message";
    const data = [];
    for (const line of block.split(/\r?\n/)) {
      if (line === "" || line.startsWith(":")) continue; // keep-alive comment
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? "" : line.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      if (field === "event") event = value;
      else if (field === "data") data.push(value);
    }
    if (event !== "state" || data.length === 0) return;
    let s;
    try {
      s = JSON.parse(data.join("\n"));
    } catch {
      this.error = `unparsable state: ${data.join("\n").slice(0, 200)}`;
      return;
    }
    this.events++;
    this.state = s;
    if (this.measuring !== null && s.vote && s.vote.id === this.measuring && this.finalAt === null) {
      this.countedEvents++;
      if (typeof s.changed_ms === "number") this.lags.push(now - s.changed_ms);
      if (this.target !== null && s.vote.ballots >= this.target) this.finalAt = now;
    }
    this.wake();
  }

  wake() {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Resolves when pred(state) holds (true) or after ms (false) or when the stream ends. */
  until(pred, ms) {
    return new Promise((resolve) => {
      const deadline = Date.now() + ms;
      const check = () => {
        if (this.state && pred(this.state)) return resolve(true);
        if (this.closed || Date.now() >= deadline) return resolve(false);
        this.waiters.push(check);
      };
      setTimeout(() => this.wake(), ms + 1);
      check();
    });
  }

  close() {
    this.req?.destroy();
  }
}

// ---- the server's RSS ----------------------------------------------------------------------

function rssKb(field) {
  if (!SERVER_PID) return NaN;
  try {
    const m = fs.readFileSync(`/proc/${SERVER_PID}/status`, "utf8").match(new RegExp(`${field}:\\s+(\\d+)`));
    return m ? Number(m[1]) : NaN;
  } catch {
    return NaN;
  }
}

// ---- the scenario --------------------------------------------------------------------------

const loopDelay = monitorEventLoopDelay({ resolution: 10 });
let readers = [];
let rssPeak = NaN;
let rssTimer = null;

async function main() {
  result.participants_target = P;
  rssPeak = rssKb("VmRSS");
  result.rss_start_kb = rssPeak;
  rssTimer = setInterval(() => {
    const v = rssKb("VmRSS");
    if (!(v <= rssPeak)) rssPeak = v;
  }, 100);

  log(`host ${HOST_EMAIL} logs in at ${ORIGIN}`);
  const login = await postOk("/api/login", { email: HOST_EMAIL, password: HOST_PASSWORD }, null, "login");
  const hostCookie = login.cookies.join("; ");
  if (!hostCookie) throw new Error("login set no cookie");
  const token = (await postOk("/api/form/token", {}, hostCookie, "form token")).json;
  const code = (
    await postOk(
      "/api/live/open",
      { kind: "bytinget", title: "Bytinget (benchmark)", form_token: token },
      hostCookie,
      "open the session",
    )
  ).json;
  if (typeof code !== "string" || code.length !== 6) throw new Error(`open gave no code: ${JSON.stringify(code)}`);
  log(`session ${code}; ${P} participants join`);

  // Joins: each participant its own cookie (no account), 16 at a time.
  const participants = new Array(P);
  const joinStarted = Date.now();
  const joinLatency = [];
  await parallel([...Array(P).keys()], 16, async (i) => {
    const t = performance.now();
    const r = await postOk("/api/live/join", { code }, null, `join ${i}`);
    joinLatency.push(performance.now() - t);
    const cookie = r.cookies.find((c) => c.startsWith("stemme_live="));
    if (!cookie) throw new Error(`join ${i} set no stemme_live cookie`);
    participants[i] = { cookie, number: r.json?.number };
  });
  result.join_s = (Date.now() - joinStarted) / 1000;
  joinLatency.sort((a, b) => a - b);
  result.join_p99_ms = percentile(joinLatency, 99);
  const numbers = new Set(participants.map((p) => p.number));
  result.joins = P;
  result.join_numbers_distinct = numbers.size;
  if (numbers.size !== P) problems.push(`joins got ${numbers.size} distinct participant numbers for ${P} joins`);
  log(`${P} joined in ${result.join_s.toFixed(1)} s (p99 ${result.join_p99_ms.toFixed(0)} ms); ${P} readers connect`);

  // Readers: one stream per participant, 50 connecting at a time.
  readers = participants.map((p, i) => new Reader(i, code, p.cookie));
  const connectStarted = Date.now();
  await parallel(readers, 50, (r) => r.connect());
  const allJoined = await Promise.all(readers.map((r) => r.until((s) => s.participants >= P, 20000)));
  result.readers = readers.filter((r) => !r.closed).length;
  result.readers_saw_all_joined = allJoined.filter(Boolean).length;
  result.connect_s = (Date.now() - connectStarted) / 1000;
  result.stream_encoding_identity = readers.every((r) => r.encoding === "identity") ? 1 : 0;
  if (result.readers_saw_all_joined !== P)
    problems.push(`${P - result.readers_saw_all_joined} readers never saw participants = ${P}`);
  log(`${result.readers} streams open; ${result.readers_saw_all_joined} show ${P} participants (${result.connect_s.toFixed(1)} s)`);
  result.rss_connected_kb = rssKb("VmRSS");

  // The vote: For / Imod / Undlader, no timer.
  const voteId = (
    await postOk(
      "/api/live/vote/open",
      { code, question: "Skal byen have flere skaterbaner?", options: "", seconds: "0" },
      hostCookie,
      "open the vote",
    )
  ).json;
  if (!Number.isInteger(voteId)) throw new Error(`vote/open gave no id: ${JSON.stringify(voteId)}`);
  result.vote_id = voteId;
  for (const r of readers) {
    r.measuring = voteId;
    r.target = P;
  }
  const sawVote = await Promise.all(readers.map((r) => r.until((s) => s.vote?.id === voteId, 10000)));
  result.readers_saw_vote = sawVote.filter(Boolean).length;
  log(`vote ${voteId} open, seen by ${result.readers_saw_vote} readers; ${P} ballots over ${WINDOW_MS / 1000} s, every ${REPLAY_EVERY || "–"}th twice`);

  // Ballots: participant i at t0 + i·W/P, option i mod 3; every REPLAY_EVERY-th posted
  // twice at the same moment. Open loop: a slow answer does not delay the next ballot.
  const sentPerOption = [0, 0, 0];
  const answers = { true: 0, false: 0, other: 0 };
  const ballotLatency = [];
  const otherStatus = {};
  let lastAck = 0;
  let posts = 0;
  loopDelay.enable();
  const t0 = Date.now() + 50;
  const ballots = participants.map(async (p, i) => {
    const at = t0 + (i * WINDOW_MS) / P;
    await sleep(Math.max(0, at - Date.now()));
    const option = i % 3;
    sentPerOption[option]++;
    const copies = REPLAY_EVERY > 0 && i % REPLAY_EVERY === 0 ? 2 : 1;
    await Promise.all(
      Array.from({ length: copies }, async () => {
        posts++;
        const t = performance.now();
        let r;
        try {
          r = await post("/api/live/ballot", { vote_id: String(voteId), option: String(option) }, p.cookie, `ballot ${i}`);
        } catch (e) {
          answers.other++;
          const k = e.message.replace(/^ballot \d+: /, "");
          otherStatus[k] = (otherStatus[k] ?? 0) + 1;
          return;
        }
        ballotLatency.push(performance.now() - t);
        lastAck = Math.max(lastAck, Date.now());
        if (r.status === 200 && r.json === true) answers.true++;
        else if (r.status === 200 && r.json === false) answers.false++;
        else {
          answers.other++;
          const k = `HTTP ${r.status} ${r.text.slice(0, 120)}`;
          otherStatus[k] = (otherStatus[k] ?? 0) + 1;
        }
      }),
    );
  });
  await Promise.all(ballots);
  const sentAll = Date.now();
  loopDelay.disable();
  const replays = REPLAY_EVERY > 0 ? Math.ceil(P / REPLAY_EVERY) : 0;
  Object.assign(result, {
    ballots_sent: P,
    posts,
    replays,
    answered_true: answers.true,
    answered_false: answers.false,
    answered_other: answers.other,
    window_s: (sentAll - t0) / 1000,
  });
  ballotLatency.sort((a, b) => a - b);
  result.ballot_p50_ms = percentile(ballotLatency, 50);
  result.ballot_p99_ms = percentile(ballotLatency, 99);
  result.ballot_max_ms = ballotLatency[ballotLatency.length - 1] ?? NaN;
  for (const [k, n] of Object.entries(otherStatus)) problems.push(`${n} ballot posts answered ${k}`);
  if (answers.true !== P) problems.push(`${answers.true} ballots answered "counted" (true), expected ${P}`);
  if (answers.false !== replays) problems.push(`${answers.false} replays answered "already voted" (false), expected ${replays}`);
  log(`ballots answered: ${answers.true} counted, ${answers.false} already voted, ${answers.other} other; ` +
    `p50 ${result.ballot_p50_ms.toFixed(1)} ms, p99 ${result.ballot_p99_ms.toFixed(1)} ms`);

  // Every reader must see the final tally.
  const final = await Promise.all(
    readers.map((r) => r.until((s) => s.vote?.id === voteId && s.vote.ballots >= P, TIMEOUT_MS)),
  );
  result.readers_final = final.filter(Boolean).length;
  if (result.readers_final !== P) problems.push(`${P - result.readers_final} of ${P} readers never saw ballots = ${P}`);
  const tallies = new Map();
  for (const r of readers) {
    const v = r.state?.vote;
    const key = v && v.id === voteId ? `${v.ballots}:${v.options.map((o) => o.votes).join("/")}` : "none";
    tallies.set(key, (tallies.get(key) ?? 0) + 1);
  }
  result.reader_tallies_distinct = tallies.size;
  if (tallies.size !== 1) problems.push(`readers ended on different tallies: ${JSON.stringify(Object.fromEntries(tallies))}`);

  // Lag figures.
  const lags = readers.flatMap((r) => r.lags).sort((a, b) => a - b);
  const finals = readers.filter((r) => r.finalAt !== null).map((r) => r.finalAt - lastAck).sort((a, b) => a - b);
  const perReader = readers.map((r) => r.countedEvents).sort((a, b) => a - b);
  Object.assign(result, {
    lag_events: lags.length,
    lag_p50_ms: percentile(lags, 50),
    lag_p95_ms: percentile(lags, 95),
    lag_p99_ms: percentile(lags, 99),
    lag_max_ms: lags[lags.length - 1] ?? NaN,
    lag_min_ms: lags[0] ?? NaN,
    final_p50_ms: percentile(finals, 50),
    final_p99_ms: percentile(finals, 99),
    final_max_ms: finals[finals.length - 1] ?? NaN,
    events_per_reader_min: perReader[0] ?? 0,
    events_per_reader_p50: percentile(perReader, 50),
    events_per_reader_max: perReader[perReader.length - 1] ?? 0,
    client_loop_delay_p99_ms: loopDelay.percentile(99) / 1e6,
    client_loop_delay_max_ms: loopDelay.max / 1e6,
  });
  if (!(result.lag_min_ms >= -5)) problems.push(`an event arrived ${-result.lag_min_ms} ms before its changed_ms (clock?)`);
  log(`stream lag over ${lags.length} events: p50 ${result.lag_p50_ms} ms, p95 ${result.lag_p95_ms}, ` +
    `p99 ${result.lag_p99_ms}, max ${result.lag_max_ms}; final tally ${result.final_p99_ms} ms (p99) after the last answer`);

  // Close the vote; the tally as a fresh reader gets it; a late ballot is refused.
  await postOk("/api/live/vote/close", { vote_id: String(voteId) }, hostCookie, "close the vote");
  const fresh = new Reader(-1, code, null);
  await fresh.connect();
  await fresh.until((s) => s.vote?.id === voteId && s.vote.open === false, 5000);
  const fv = fresh.state?.vote;
  fresh.close();
  const perOption = fv?.id === voteId ? fv.options.map((o) => o.votes) : [];
  result.counted = fv?.id === voteId ? fv.ballots : NaN;
  result.counted_options_sum = perOption.reduce((a, b) => a + b, 0);
  result.closed_seen = fv?.id === voteId && fv.open === false ? 1 : 0;
  if (result.counted !== P) problems.push(`the closed vote shows ${result.counted} ballots, expected ${P}`);
  if (result.counted_options_sum !== P) problems.push(`the options sum to ${result.counted_options_sum}, expected ${P}`);
  if (perOption.join("/") !== sentPerOption.join("/"))
    problems.push(`per option ${perOption.join("/")}, sent ${sentPerOption.join("/")}`);
  if (!result.closed_seen) problems.push("a fresh reader did not see the vote closed");
  const late = await post("/api/live/ballot", { vote_id: String(voteId), option: "0" }, participants[P - 1].cookie, "late ballot");
  result.late_ballot_status = late.status;
  if (late.status !== 409) problems.push(`a ballot after closing answered HTTP ${late.status}, expected 409`);
  log(`closed: ${result.counted} ballots (${perOption.join("/")}; sent ${sentPerOption.join("/")}); late ballot → ${late.status}`);

  result.ok = problems.length === 0 ? 1 : 0;
}

let status = 0;
try {
  await main();
} catch (e) {
  problems.push(e.message);
  log(e.stack ?? e.message);
}
for (const r of readers) r.close();
if (rssTimer) clearInterval(rssTimer);
result.rss_peak_kb = rssPeak;
result.rss_hwm_kb = rssKb("VmHWM");
result.problems = problems.length;
result.resent_on_closed_keepalive = retries;
if (problems.length) {
  result.ok = 0;
  status = 1;
  for (const p of problems) log(`PROBLEM: ${p}`);
}
const fmt = (v) => (typeof v === "number" ? (Number.isInteger(v) ? String(v) : v.toFixed(2)) : String(v));
process.stdout.write(
  "RESULT " + Object.entries(result).map(([k, v]) => `${k}=${fmt(v)}`).join(" ") + "\n",
);
if (process.env.LIVE_PROBLEMS_FILE) fs.writeFileSync(process.env.LIVE_PROBLEMS_FILE, problems.join("\n") + (problems.length ? "\n" : ""));
pool.destroy();
streams.destroy();
process.exit(status);
