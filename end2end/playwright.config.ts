import { defineConfig, devices } from "@playwright/test";

// The release server is started by Playwright itself, on its own port and with its own
// throwaway SQLite database; scripts/test sets these variables.
const port = Number(process.env.STEMME_E2E_PORT || 3100);
const dbUrl = process.env.STEMME_E2E_DATABASE_URL || "sqlite://../target/e2e/stemme-e2e.db";
const baseURL = `http://127.0.0.1:${port}`;
// The SMTP server Stemme sends its mail to, and the HTTP API the tests read it from
// (mail-server.mjs; tests/fixtures/mail.ts).
const smtpPort = Number(process.env.STEMME_E2E_SMTP_PORT || 3125);
const mailApiPort = Number(process.env.STEMME_E2E_MAIL_API_PORT || 3126);
// The OpenID Connect provider Stemme logs people in through (oidc-provider.mjs): issuer
// http://127.0.0.1:<oidcPort>, clients stemme-unilogin and stemme-mitid.
const oidcPort = Number(process.env.STEMME_E2E_OIDC_PORT || 3140);

export default defineConfig({
  testDir: "./tests",
  // Generous: on a loaded 2-core CI machine the server, two browsers and axe share the CPU.
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 2,
  reporter: "list",
  use: {
    baseURL,
    trace: "retain-on-failure",
    locale: "da-DK",
    timezoneId: "Europe/Copenhagen",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
          args: [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
          ],
        },
      },
    },
  ],
  webServer: [
    {
      command: "node mail-server.mjs",
      url: `http://127.0.0.1:${mailApiPort}/health`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: "ignore",
      stderr: "pipe",
      env: {
        STEMME_E2E_SMTP_PORT: String(smtpPort),
        STEMME_E2E_MAIL_API_PORT: String(mailApiPort),
      },
    },
    {
      command: "node oidc-provider.mjs",
      url: `http://127.0.0.1:${oidcPort}/__test/health`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: "ignore",
      stderr: "pipe",
      env: {
        OIDC_PORT: String(oidcPort),
        STEMME_BASE_URLS: baseURL,
      },
    },
    {
      command: "../target/release/server serve --demo",
      url: `${baseURL}/health`,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: "ignore",
      stderr: "pipe",
      env: {
        STEMME_ADDR: `127.0.0.1:${port}`,
        DATABASE_URL: dbUrl,
        LEPTOS_SITE_ROOT: "../target/site",
        STEMME_LOG: "warn",
        STEMME_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
        STEMME_MAIL_FROM: "Stemme <stemme@kommune.test>",
        STEMME_PUBLIC_URL: baseURL,
        STEMME_MAIL_POLL_MS: "200",
        STEMME_OIDC_PROVIDERS: "unilogin,mitid",
        STEMME_OIDC_UNILOGIN_ISSUER: `http://127.0.0.1:${oidcPort}`,
        STEMME_OIDC_UNILOGIN_CLIENT_ID: "stemme-unilogin",
        STEMME_OIDC_UNILOGIN_CLIENT_SECRET: "unilogin-secret",
        STEMME_OIDC_UNILOGIN_LABEL: "UNI-Login",
        STEMME_OIDC_UNILOGIN_SCOPES: "profile unilogin",
        STEMME_OIDC_UNILOGIN_CLAIM_INSTITUTION: "institution_ids",
        STEMME_OIDC_UNILOGIN_CLAIM_ROLE: "roles",
        STEMME_OIDC_UNILOGIN_PUPIL_ROLES: "elev",
        STEMME_OIDC_MITID_ISSUER: `http://127.0.0.1:${oidcPort}`,
        STEMME_OIDC_MITID_CLIENT_ID: "stemme-mitid",
        STEMME_OIDC_MITID_CLIENT_SECRET: "mitid-secret",
        STEMME_OIDC_MITID_LABEL: "MitID",
        STEMME_OIDC_MITID_CLAIM_BIRTHDATE: "birthdate",
      },
    },
  ],
});
