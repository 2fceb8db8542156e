// A real OpenID Connect provider for Stemme's tests (issue #20): npm's `oidc-provider`, which
// is OpenID-certified, configured with two confidential clients that mimic UNI-Login and a
// MitID broker. Started by Playwright (playwright.config.ts, `webServer`) and by the Rust
// tests (one process per test, on a free port).
//
//   node oidc-provider.mjs
//     OIDC_PORT          port on 127.0.0.1 (default 3140); issuer http://127.0.0.1:<port>
//     STEMME_BASE_URLS   comma-separated Stemme base URLs the redirect URIs are built from
//                        (default http://127.0.0.1:3100)
//   Prints `oidc-provider ready on http://127.0.0.1:<port>` on stdout when it listens.
//
// Clients (client_secret_basic; client_secret_post is accepted too; authorization code with
// PKCE S256 only; ID tokens RS256):
//   stemme-unilogin / unilogin-secret   <base>/auth/oidc/unilogin/callback
//   stemme-mitid    / mitid-secret      <base>/auth/oidc/mitid/callback
//   post-logout redirect URIs: <base>/ and <base>/log-ind
//
// The login form (GET /interaction/<uid>, POST /interaction/<uid>/login with the fields
// `login` and `password`; any password) takes a login that encodes the person:
//   elev:<institution>:<role>:<given_name>   UNI-Login person: institution_ids [institution],
//                                            roles [role]
//   mitid:<age>:<given_name>                 birthdate = today - <age> years - 40 days
//   mitid-date:<YYYY-MM-DD>:<given_name>     that birthdate
// sub is a hash of the login string, so the same login is the same person in every process.
// Anything else is refused on the form. `[ Cancel ]` (GET /interaction/<uid>/abort) returns
// access_denied to the client. There is no consent screen: the clients are first-party.
//
// Claims go into the ID token (conformIdTokenClaims: false):
//   profile  → name, given_name, birthdate      unilogin → institution_ids, roles
//
// Test hooks (the test plays an attacker or the provider's operator):
//   GET  /__test/health   200 "ok"
//   POST /__test/tamper   JSON {aud?, iss?, exp_offset?, nonce?, unknown_key?}: changes the
//                         ID token in the NEXT token response, re-signed (with a never
//                         published key if unknown_key). 204.
//   POST /__test/rotate   a new signing key: published in /jwks next to the old ones, and
//                         every later ID token is signed with it. 204.
// oidc-provider has no public API to change its keys at runtime, so rotation and tampering
// are done here: the token response's ID token is re-signed, the /jwks response gets the
// extra public keys, and an id_token_hint signed with a rotated key is re-signed with the
// provider's own key before the logout endpoint checks it.
import crypto from "node:crypto";
// Packages resolve from this file's directory (end2end/node_modules), whatever the working
// directory. oidc-provider warns on Node 20 (it wants 22); it works on 20.19+.
import * as jose from "jose";
import Provider from "oidc-provider";

const host = "127.0.0.1";
const port = Number(process.env.OIDC_PORT || 3140);
const issuer = `http://${host}:${port}`;
const baseUrls = (process.env.STEMME_BASE_URLS || "http://127.0.0.1:3100")
  .split(",")
  .map((s) => s.trim().replace(/\/+$/, ""))
  .filter(Boolean);

// ---- keys (in memory only) ----------------------------------------------------------------

async function newSigningKey() {
  const { privateKey, publicKey } = await jose.generateKeyPair("RS256", { extractable: true });
  const kid = crypto.randomBytes(12).toString("base64url");
  const publicJwk = { ...(await jose.exportJWK(publicKey)), kid, alg: "RS256", use: "sig" };
  return { kid, privateKey, publicJwk };
}

const original = await newSigningKey();
const originalPrivateJwk = {
  ...(await jose.exportJWK(original.privateKey)),
  kid: original.kid,
  alg: "RS256",
  use: "sig",
};
/** Keys added by /__test/rotate, oldest first; the last one signs new ID tokens. */
const rotated = [];
const currentKey = () => (rotated.length ? rotated[rotated.length - 1] : original);
/** The one-shot change for the next ID token from the token endpoint, or null. */
let pendingTamper = null;

// ---- persons ------------------------------------------------------------------------------

const isoDate = (d) => d.toISOString().slice(0, 10);

/** The person a login string stands for, or null. */
function personFromLogin(login) {
  const parts = String(login || "").trim().split(":");
  const ok = (s) => typeof s === "string" && s.length > 0;
  if (parts[0] === "elev" && parts.length === 4 && parts.slice(1).every(ok)) {
    const [, institution, role, given] = parts;
    return { given_name: given, name: `${given} Test`, institution_ids: [institution], roles: [role] };
  }
  if (parts[0] === "mitid" && parts.length === 3 && /^\d{1,3}$/.test(parts[1]) && ok(parts[2])) {
    const d = new Date();
    d.setUTCFullYear(d.getUTCFullYear() - Number(parts[1]));
    d.setUTCDate(d.getUTCDate() - 40);
    return { given_name: parts[2], name: `${parts[2]} Test`, birthdate: isoDate(d) };
  }
  if (
    parts[0] === "mitid-date" &&
    parts.length === 3 &&
    /^\d{4}-\d{2}-\d{2}$/.test(parts[1]) &&
    ok(parts[2])
  ) {
    return { given_name: parts[2], name: `${parts[2]} Test`, birthdate: parts[1] };
  }
  return null;
}

/** accountId (= sub) → { login, person }. Filled when someone logs in. */
const accounts = new Map();

function accountIdFor(login) {
  return crypto.createHash("sha256").update(login).digest("hex").slice(0, 32);
}

// ---- the provider -------------------------------------------------------------------------

const client = (id, secret, name) => ({
  client_id: `stemme-${id}`,
  client_secret: secret,
  client_name: name,
  application_type: "web",
  token_endpoint_auth_method: "client_secret_basic",
  response_types: ["code"],
  grant_types: ["authorization_code"],
  id_token_signed_response_alg: "RS256",
  redirect_uris: baseUrls.map((b) => `${b}/auth/oidc/${id}/callback`),
  post_logout_redirect_uris: baseUrls.flatMap((b) => [`${b}/`, `${b}/log-ind`]),
});

const provider = new Provider(issuer, {
  clients: [
    client("unilogin", "unilogin-secret", "Stemme (UNI-Login test)"),
    client("mitid", "mitid-secret", "Stemme (MitID test)"),
  ],
  jwks: { keys: [originalPrivateJwk] },
  cookies: {
    keys: [crypto.randomBytes(32).toString("base64url")],
    // In the browser tests Stemme and the provider share the host 127.0.0.1 (cookies ignore
    // the port): names that cannot be mistaken for Stemme's.
    names: { session: "op_session", interaction: "op_interaction", resume: "op_resume" },
  },
  claims: {
    openid: ["sub"],
    profile: ["name", "given_name", "birthdate"],
    unilogin: ["institution_ids", "roles"],
  },
  scopes: ["openid", "profile", "unilogin"],
  conformIdTokenClaims: false,
  responseTypes: ["code"],
  clientAuthMethods: ["client_secret_basic", "client_secret_post"],
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      logoutSource,
      postLogoutSuccessSource,
    },
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, id) {
    const known = accounts.get(id);
    if (!known) return undefined;
    return {
      accountId: id,
      async claims() {
        return { sub: id, ...known.person };
      },
    };
  },
  // First-party clients: grant whatever they ask for, so there is never a consent screen.
  async loadExistingGrant(ctx) {
    const { oidc } = ctx;
    const grantId = oidc.result?.consent?.grantId || oidc.session.grantIdFor(oidc.client.clientId);
    let grant = grantId ? await oidc.provider.Grant.find(grantId) : undefined;
    if (!grant) {
      grant = new oidc.provider.Grant({
        clientId: oidc.client.clientId,
        accountId: oidc.session.accountId,
      });
    }
    grant.addOIDCScope([...oidc.requestParamScopes].join(" "));
    const claims = oidc.requestParamClaims;
    if (claims && claims.size) grant.addOIDCClaims([...claims]);
    await grant.save();
    return grant;
  },
  renderError(ctx, out) {
    ctx.type = "html";
    ctx.body = page(
      "Fejl / Error",
      `<h1>Fejl / Error</h1><pre id="error">${esc(JSON.stringify(out, null, 2))}</pre>`,
    );
  },
});
// Plain http on 127.0.0.1 (no proxy in front).
provider.proxy = false;

// ---- pages --------------------------------------------------------------------------------

function esc(s) {
  return String(s).replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c],
  );
}

function page(title, body) {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>body{font-family:sans-serif;max-width:24rem;margin:2rem auto}
input,button{display:block;width:100%;margin:.4rem 0;padding:.4rem;box-sizing:border-box}
.error{color:#a00}</style></head><body>${body}</body></html>`;
}

function loginPage(uid, clientName, error, login) {
  return page(
    "Sign-in",
    `<h1>Sign-in</h1>
<p>Test provider for ${esc(clientName)}</p>
${error ? `<p class="error" role="alert">${esc(error)}</p>` : ""}
<form autocomplete="off" action="/interaction/${esc(uid)}/login" method="post">
<input type="hidden" name="prompt" value="login">
<label>Login <input required type="text" name="login" value="${esc(login || "")}" autofocus></label>
<label>Password <input required type="password" name="password"></label>
<button type="submit" class="login-submit">Sign-in</button>
</form>
<p><a href="/interaction/${esc(uid)}/abort">[ Cancel ]</a></p>`,
  );
}

async function logoutSource(ctx, form) {
  ctx.type = "html";
  ctx.body = page(
    "Logout Request",
    `<h1>Do you want to sign-out from ${esc(ctx.host)}?</h1>
${form}
<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>
<button type="submit" form="op.logoutForm">No, stay signed in</button>`,
  );
}

async function postLogoutSuccessSource(ctx) {
  ctx.type = "html";
  ctx.body = page("Sign-out Success", "<h1>Sign-out Success</h1><p>You are signed out.</p>");
}

// ---- middleware: interactions, test hooks, key rotation, tampering ------------------------

async function readBody(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  return Buffer.concat(chunks).toString("utf8");
}

async function resign(idToken, changes) {
  const header = jose.decodeProtectedHeader(idToken);
  const payload = jose.decodeJwt(idToken);
  let key = currentKey();
  if (changes) {
    if (typeof changes.aud === "string") payload.aud = changes.aud;
    if (typeof changes.iss === "string") payload.iss = changes.iss;
    if (typeof changes.nonce === "string") payload.nonce = changes.nonce;
    if (typeof changes.exp_offset === "number") {
      const now = Math.floor(Date.now() / 1000);
      payload.exp = now + changes.exp_offset;
      payload.iat = now + changes.exp_offset - 300;
    }
    if (changes.unknown_key === true) key = await newSigningKey();
  }
  return new jose.SignJWT(payload)
    .setProtectedHeader({ ...header, alg: "RS256", kid: key.kid })
    .sign(key.privateKey);
}

const interactionRoute = /^\/interaction\/([^/]+)(\/login|\/abort)?$/;

provider.use(async (ctx, next) => {
  // Test hooks.
  if (ctx.path === "/__test/health" && ctx.method === "GET") {
    ctx.type = "text";
    ctx.body = "ok";
    return;
  }
  if (ctx.path === "/__test/tamper" && ctx.method === "POST") {
    let changes;
    try {
      changes = JSON.parse((await readBody(ctx.req)) || "{}");
    } catch {
      ctx.status = 400;
      ctx.body = "body must be JSON";
      return;
    }
    pendingTamper = changes && typeof changes === "object" ? changes : {};
    ctx.status = 204;
    return;
  }
  if (ctx.path === "/__test/rotate" && ctx.method === "POST") {
    rotated.push(await newSigningKey());
    ctx.status = 204;
    return;
  }

  // The login form (our own, instead of oidc-provider's devInteractions: it refuses logins
  // that encode no person, and loads nothing from the internet).
  const m = interactionRoute.exec(ctx.path);
  if (m) {
    const [, uid, action] = m;
    ctx.set("Cache-Control", "no-store");
    let details;
    try {
      details = await provider.interactionDetails(ctx.req, ctx.res);
    } catch (err) {
      ctx.status = 400;
      ctx.type = "text";
      ctx.body = `interaction not found: ${err.message}`;
      return;
    }
    if (details.uid !== uid) {
      ctx.status = 400;
      ctx.body = "interaction mismatch";
      return;
    }
    const clientName = details.params.client_id;
    if (!action && ctx.method === "GET") {
      if (details.prompt.name !== "login") {
        // Never reached with loadExistingGrant above; finish as granted just in case.
        const grant = new provider.Grant({
          accountId: details.session.accountId,
          clientId: details.params.client_id,
        });
        grant.addOIDCScope(String(details.params.scope || "openid"));
        const grantId = await grant.save();
        ctx.status = 303;
        ctx.redirect(await provider.interactionResult(ctx.req, ctx.res, { consent: { grantId } }));
        return;
      }
      ctx.type = "html";
      ctx.body = loginPage(uid, clientName, null, details.params.login_hint);
      return;
    }
    if (action === "/login" && ctx.method === "POST") {
      const form = new URLSearchParams(await readBody(ctx.req));
      const login = (form.get("login") || "").trim();
      const person = personFromLogin(login);
      if (!person || !form.get("password")) {
        ctx.status = 200;
        ctx.type = "html";
        ctx.body = loginPage(
          uid,
          clientName,
          "Ukendt login / Unknown login: use elev:<institution>:<role>:<name>, mitid:<age>:<name> or mitid-date:<YYYY-MM-DD>:<name>",
          login,
        );
        return;
      }
      const accountId = accountIdFor(login);
      accounts.set(accountId, { login, person });
      const returnTo = await provider.interactionResult(
        ctx.req,
        ctx.res,
        { login: { accountId, remember: false } },
        { mergeWithLastSubmission: false },
      );
      ctx.status = 303;
      ctx.redirect(returnTo);
      return;
    }
    if (action === "/abort" && ctx.method === "GET") {
      const returnTo = await provider.interactionResult(
        ctx.req,
        ctx.res,
        { error: "access_denied", error_description: "End-User aborted interaction" },
        { mergeWithLastSubmission: false },
      );
      ctx.status = 303;
      ctx.redirect(returnTo);
      return;
    }
    ctx.status = 405;
    return;
  }

  // An id_token_hint signed with a rotated key: the provider only knows its own key, so
  // re-sign the (verified) hint with it before the logout endpoint checks it.
  if (ctx.path === "/session/end" && ctx.method === "GET" && rotated.length) {
    const hint = ctx.query.id_token_hint;
    if (typeof hint === "string") {
      try {
        const { kid } = jose.decodeProtectedHeader(hint);
        const key = rotated.find((k) => k.kid === kid);
        if (key) {
          const { payload, protectedHeader } = await jose.jwtVerify(
            hint,
            await jose.importJWK(key.publicJwk, "RS256"),
            { clockTolerance: 1e9 },
          );
          const again = await new jose.SignJWT(payload)
            .setProtectedHeader({ ...protectedHeader, kid: original.kid })
            .sign(original.privateKey);
          ctx.query = { ...ctx.query, id_token_hint: again };
        }
      } catch {
        // Leave it as it is; the provider will refuse it.
      }
    }
  }

  await next();

  if (ctx.path === "/token" && ctx.body && typeof ctx.body.id_token === "string") {
    const changes = pendingTamper;
    pendingTamper = null;
    if (changes || rotated.length) {
      ctx.body = { ...ctx.body, id_token: await resign(ctx.body.id_token, changes) };
    }
  }
  if (ctx.path === "/jwks" && ctx.body && Array.isArray(ctx.body.keys) && rotated.length) {
    ctx.body = { keys: [...rotated.map((k) => k.publicJwk).reverse(), ...ctx.body.keys] };
  }
});

provider.listen(port, host, () => {
  console.log(`oidc-provider ready on ${issuer}`);
});
