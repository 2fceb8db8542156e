import { expect, test, type Page } from "@playwright/test";
import { expectNoA11yViolations, waitForHydration } from "./fixtures/a11y";
import { linkIn, waitForMail } from "./fixtures/mail";

// Mail goes to a real SMTP server (mail-server.mjs, started by playwright.config.ts);
// the tests read it through that server's API, as a person reads their inbox.

const year = new Date().getFullYear();
const unique = (tag: string) => `${tag}.${Date.now()}.${Math.floor(Math.random() * 1e6)}@e2e.stemme.dk`;
const BODY = "Skaterbanen er mørk om aftenen. Lys til kl. 22 og et par bænke ville gøre den tryg og rar at være på.";

async function signUp(page: Page, name: string, email: string, password: string) {
  await page.goto("/tilmeld");
  await page.getByLabel("Fornavn").fill(name);
  await page.getByLabel("Fødselsår").fill(String(year - 16));
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Adgangskode", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Opret konto" }).click();
  await expect(page).toHaveURL(/\/konto$/);
}

async function logIn(page: Page, email: string, password: string) {
  await page.goto("/log-ind");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Adgangskode", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Log ind" }).click();
  await expect(page).toHaveURL(/\/konto$/);
}

test("sign-up mails a link that verifies; an 'at once' mail about one's proposal unsubscribes with one click, without logging in", async ({
  page,
  browser,
}) => {
  const email = unique("mille");
  await signUp(page, "Mille", email, "en lang kode til mails");
  await expect(page.getByTestId("mail-unverified")).toBeVisible();
  await expectNoA11yViolations(page);

  // The verification mail, in Danish, with text and HTML; its link verifies.
  const verify = await waitForMail(email, (m) => m.subject.includes("Bekræft"));
  expect(verify.text).toContain("Hej Mille,");
  expect(verify.html).toContain("Bekræft adressen");
  expect(verify.headers["list-unsubscribe"]).toBeUndefined();
  await page.goto(linkIn(verify, "/bekraeft-email"));
  await waitForHydration(page);
  await expectNoA11yViolations(page);
  await page.getByRole("button", { name: "Bekræft min e-mailadresse" }).click();
  await expect(page.getByTestId("verify-done")).toBeVisible();

  // Verified: the account page says so; news about my proposals comes at once.
  await page.goto("/konto");
  await expect(page.getByTestId("mail-verified")).toBeVisible();
  const updates = page.getByRole("group", { name: "Nyt om mine forslag og dem jeg følger" });
  await expect(updates.getByLabel("Dagligt overblik")).toBeChecked();
  await updates.getByLabel("Med det samme").check();
  await page.getByRole("button", { name: "Gem mine valg" }).click();
  await expect(page.getByText("Dine valg er gemt.")).toBeVisible();
  await expect(
    page.getByRole("group", { name: "Nyt om mine forslag og dem jeg følger" }).getByLabel("Med det samme"),
  ).toBeChecked();
  await expectNoA11yViolations(page);

  // A proposal, reported and hidden by a moderator: the author hears at once, by mail.
  const title = `Mail mig ${Date.now()}`;
  await page.goto("/forslag");
  await page.getByRole("link", { name: "Skriv et forslag" }).first().click();
  await page.getByLabel("Overskrift").fill(title);
  await page.getByLabel("Beskriv dit forslag").fill(BODY);
  await page.getByLabel("Tema").selectOption({ label: "Fritid og kultur" });
  await page.getByLabel("Hvem er forslaget til?").selectOption({ label: "Ungerådet" });
  await page.getByRole("button", { name: "Send forslaget" }).click();
  await expect(page).toHaveURL(/\/forslag\/\d+$/);
  await page.getByText("Anmeld forslaget").click();
  await page.getByLabel("Hvorfor skal en moderator se på det?").fill("En test af mails");
  await page.getByRole("button", { name: "Send anmeldelse" }).click();
  await expect(page.getByText("Tak. Din anmeldelse er sendt til en moderator.")).toBeVisible();

  const modContext = await browser.newContext();
  const mod = await modContext.newPage();
  await logIn(mod, "moderator@demo.stemme.dk", "stemme-demo-2026");
  await mod.goto("/moderation");
  const card = mod.locator("li.card", { hasText: title });
  await card.getByLabel("Begrundelse (vises i stedet for indholdet)").fill("Skjult i en test af mails");
  await card.getByRole("button", { name: "Skjul" }).click();
  await expect(mod.locator("li.card", { hasText: title }).getByRole("button", { name: "Skjul" })).toHaveCount(0);
  await modContext.close();

  const hidden = await waitForMail(email, (m) => m.subject.includes("skjult"));
  expect(hidden.headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
  expect(hidden.headers["list-unsubscribe"]).toMatch(/^<http:\/\/127\.0\.0\.1:\d+\/afmeld\?token=[0-9a-f]{64}>$/);
  expect(hidden.text).not.toContain(title);
  expect(hidden.messageId).toMatch(/@kommune\.test>$/);

  // The unsubscribe link, opened where nobody is logged in: a button, then done.
  const anonymous = await browser.newContext();
  const anon = await anonymous.newPage();
  await anon.goto(linkIn(hidden, "/afmeld"));
  await expectNoA11yViolations(anon);
  await anon.getByRole("button", { name: "Afmeld" }).click();
  await expect(anon.getByTestId("unsubscribed")).toContainText("Du får ikke længere mails om dine forslag");
  await expectNoA11yViolations(anon);
  await anonymous.close();

  await page.goto("/konto");
  await expect(
    page.getByRole("group", { name: "Nyt om mine forslag og dem jeg følger" }).getByLabel("Ingen"),
  ).toBeChecked();
});

test("a forgotten password: the same answer for any address, a mail, a new password, old sessions gone", async ({
  page,
  browser,
}) => {
  const email = unique("oscar");
  await signUp(page, "Oscar", email, "den gamle lange kode");

  const otherContext = await browser.newContext();
  const other = await otherContext.newPage();
  await other.goto("/log-ind");
  await other.getByRole("link", { name: "Glemt din adgangskode?" }).click();
  await expect(other).toHaveURL(/\/glemt-kodeord$/);
  await waitForHydration(other);
  await expectNoA11yViolations(other);

  // An address with no account gets exactly the same answer.
  await other.getByLabel("E-mail").fill(unique("findes.ikke"));
  await other.getByRole("button", { name: "Send mig et link" }).click();
  const answer = other.getByTestId("reset-requested");
  await expect(answer).toBeVisible();
  const unknownText = await answer.textContent();

  await other.goto("/glemt-kodeord");
  await other.getByLabel("E-mail").fill(email);
  await other.getByRole("button", { name: "Send mig et link" }).click();
  await expect(other.getByTestId("reset-requested")).toHaveText(unknownText ?? "");

  const mail = await waitForMail(email, (m) => m.subject.includes("adgangskode"));
  expect(mail.text).toContain("virker i en time");
  await other.goto(linkIn(mail, "/nyt-kodeord"));
  await waitForHydration(other);
  await expectNoA11yViolations(other);
  await other.getByLabel("Ny adgangskode", { exact: true }).fill("den nye lange kode");
  await other.getByRole("button", { name: "Gem ny adgangskode" }).click();
  await expect(other).toHaveURL(/\/log-ind/);
  await expect(other.getByText("Din adgangskode er skiftet.")).toBeVisible();
  await logIn(other, email, "den nye lange kode");
  await otherContext.close();

  // The session from before the reset is gone.
  await page.goto("/konto");
  await expect(page.getByRole("banner").getByRole("link", { name: "Log ind" })).toBeVisible();

  // The link works once.
  const again = await browser.newContext();
  const p = await again.newPage();
  await p.goto(linkIn(mail, "/nyt-kodeord"));
  await p.getByLabel("Ny adgangskode", { exact: true }).fill("en tredje lang kode");
  await p.getByRole("button", { name: "Gem ny adgangskode" }).click();
  await expect(p.getByText(/Linket til at vælge en ny adgangskode virker ikke/)).toBeVisible();
  await again.close();
});

test("the coordinator reads the outbox at /admin/post", async ({ page }) => {
  // A mail to be sure there is one: a reset for a demo account.
  await page.goto("/glemt-kodeord");
  await page.getByLabel("E-mail").fill("politiker@demo.stemme.dk");
  await page.getByRole("button", { name: "Send mig et link" }).click();
  await expect(page.getByTestId("reset-requested")).toBeVisible();

  await logIn(page, "sekretariat@demo.stemme.dk", "stemme-demo-2026");
  await page.goto("/admin/post");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Udgående post");
  await expect(page.getByText(/Mails sendes over SMTP/)).toBeVisible();
  await expectNoA11yViolations(page);
  const row = page
    .locator("tr", { hasText: "politiker@demo.stemme.dk" })
    .filter({ hasText: "Vælg en ny adgangskode" })
    .first();
  await expect(row).toBeVisible();
  await row.getByRole("link").first().click();
  await expect(page).toHaveURL(/\/admin\/post\/\d+$/);
  await expect(page.locator("pre")).toContainText("Hej");
  // Mail leaves the building here: the reset link's token is not shown.
  await expect(page.locator("pre")).toContainText("/nyt-kodeord");
  await expect(page.locator("pre")).not.toContainText("/nyt-kodeord?token=");
  await expectNoA11yViolations(page);
});
