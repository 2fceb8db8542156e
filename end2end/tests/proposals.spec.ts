import { expect, test, type Browser, type Page } from "@playwright/test";
import { expectNoA11yViolations, waitForHydration } from "./fixtures/a11y";

const year = new Date().getFullYear();
const unique = (tag: string) => `${tag}.${Date.now()}.${Math.floor(Math.random() * 1e6)}@e2e.stemme.dk`;
const BODY = "Skaterbanen er mørk om aftenen. Lys til kl. 22 og et par bænke ville gøre den tryg og rar at være på.";

async function signUp(page: Page, name: string) {
  await page.goto("/tilmeld");
  await page.getByLabel("Fornavn").fill(name);
  await page.getByLabel("Fødselsår").fill(String(year - 16));
  await page.getByLabel("E-mail").fill(unique(name.toLowerCase()));
  await page.getByLabel("Adgangskode", { exact: true }).fill("en lang kode til test");
  await page.getByRole("button", { name: "Opret konto" }).click();
  await expect(page).toHaveURL(/\/konto$/);
}

async function logIn(page: Page, email: string) {
  await page.goto("/log-ind");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Adgangskode", { exact: true }).fill("stemme-demo-2026");
  await page.getByRole("button", { name: "Log ind" }).click();
  await expect(page).toHaveURL(/\/konto$/);
}

async function writeProposal(page: Page, title: string) {
  await page.goto("/forslag");
  await page.getByRole("link", { name: "Skriv et forslag" }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Skriv et forslag");
  await page.getByLabel("Overskrift").fill(title);
  await page.getByLabel("Beskriv dit forslag").fill(BODY);
  await page.getByLabel("Tema").selectOption({ label: "Fritid og kultur" });
  await page.getByLabel("Hvem er forslaget til?").selectOption({ label: "Ungerådet" });
  await page.getByRole("button", { name: "Send forslaget" }).click();
  await expect(page).toHaveURL(/\/forslag\/\d+$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
  return page.url();
}

/** Supports from a second person: count 1, again still 1, withdrawn 0. */
async function supportTwiceThenWithdraw(browser: Browser, url: string, js: boolean) {
  const context = await browser.newContext({ javaScriptEnabled: js });
  const page = await context.newPage();
  await signUp(page, "Malik");
  await page.goto(url);
  const count = page.getByTestId("support-count");
  await expect(count).toHaveText("0");
  await page.getByRole("button", { name: "Støt forslaget" }).click();
  await expect(count).toHaveText("1");
  await expect(page.getByRole("button", { name: "Træk min støtte tilbage" })).toBeVisible();
  // The same support sent again (a double tap, a replayed request) still counts once.
  const id = url.split("/").pop() ?? "";
  const origin = new URL(url).origin;
  const again = await page.request.post("/api/proposals/support", {
    form: { proposal_id: id },
    headers: { Origin: origin, Accept: "application/json" },
  });
  expect(again.status()).toBe(200);
  await page.reload();
  await expect(count).toHaveText("1");
  // axe runs inside the page, so it needs JavaScript; the same page is checked with it on.
  if (js) await expectNoA11yViolations(page);
  await page.getByRole("button", { name: "Træk min støtte tilbage" }).click();
  await expect(count).toHaveText("0");
  await expect(page.getByRole("button", { name: "Støt forslaget" })).toBeVisible();
  await context.close();
}

test("a new user submits a proposal, another supports it once and withdraws", async ({ page, browser }) => {
  test.setTimeout(60_000);
  await signUp(page, "Sofie");
  await page.goto("/forslag/nyt");
  await waitForHydration(page);
  await expectNoA11yViolations(page);
  const title = `Lys ved skaterbanen ${Date.now()}`;
  const url = await writeProposal(page, title);
  await expect(page.getByTestId("status-line")).toHaveText("Sendt — venter på at komme på rådets dagsorden");
  await expect(page.getByText("Sendt til rådet")).toBeVisible();
  await expectNoA11yViolations(page);

  await page.goto("/forslag");
  await expect(page.getByRole("link", { name: title })).toBeVisible();
  await expectNoA11yViolations(page);
  await page.getByLabel("Søg i forslag").fill(title.split(" ").pop() ?? "");
  await page.getByRole("button", { name: "Vis" }).click();
  await expect(page.getByRole("link", { name: title })).toBeVisible();

  await supportTwiceThenWithdraw(browser, url, true);
});

test("a draft is saved, finished later and sent", async ({ page }) => {
  await signUp(page, "Asta");
  await page.goto("/forslag/nyt");
  await page.getByLabel("Overskrift").fill("Min halve idé");
  await page.getByRole("button", { name: "Gem som kladde" }).click();
  await expect(page).toHaveURL(/\/rediger\?gemt=1$/);
  await expect(page.getByText("Kladden er gemt")).toBeVisible();
  await expectNoA11yViolations(page);
  await page.goto("/forslag/mine");
  await expect(page.getByRole("heading", { name: "Kladder" })).toBeVisible();
  await expectNoA11yViolations(page);
  await page.getByRole("link", { name: "Min halve idé" }).click();
  await expect(page.getByLabel("Overskrift")).toHaveValue("Min halve idé");
  await page.getByLabel("Beskriv dit forslag").fill(BODY);
  await page.getByRole("button", { name: "Send forslaget" }).click();
  await expect(page).toHaveURL(/\/forslag\/\d+$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Min halve idé");
});

test("the server's Danish message appears next to the field", async ({ page }) => {
  await signUp(page, "Lea");
  await page.goto("/forslag/nyt");
  await waitForHydration(page);
  // Skip the browser's own checks, as an old phone might.
  await page.evaluate(() => document.querySelectorAll("[minlength],[required]").forEach((e) => {
    e.removeAttribute("minlength");
    e.removeAttribute("required");
  }));
  await page.getByLabel("Overskrift").fill("Hej");
  await page.getByLabel("Beskriv dit forslag").fill(BODY);
  await page.getByRole("button", { name: "Send forslaget" }).click();
  await expect(page.locator("#f-title-error")).toContainText("Titlen skal være mindst 5 tegn");
  await expect(page.getByLabel("Overskrift")).toHaveAttribute("aria-invalid", "true");
  await expectNoA11yViolations(page);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("submitting and supporting work as plain forms", async ({ page, browser }) => {
    test.setTimeout(60_000);
    await signUp(page, "Noa");
    const url = await writeProposal(page, `Uden JavaScript ${Date.now()}`);
    await supportTwiceThenWithdraw(browser, url, false);
  });
});

test("every stage of the demo proposals reads in plain Danish, with its timeline", async ({ page }) => {
  await page.goto("/forslag?status=answered");
  await expectNoA11yViolations(page);
  await page.getByRole("link", { name: "Skøjtebane på torvet hele vinteren" }).click();
  await expect(page.getByTestId("status-line")).toHaveText("Besvaret: Nej — læs politikernes forklaring nedenfor");
  await expect(page.getByText("Svar fra Børne- og Ungeudvalget: Nej")).toBeVisible();
  await expect(page.getByTestId("answer-text").getByText(/1,2 mio\. kr\. pr\. vinter/)).toBeVisible();
  await expectNoA11yViolations(page);

  await page.goto("/forslag?status=forwarded");
  await page.getByRole("link", { name: "Længere åbningstid i ungdomsklubben" }).click();
  await expect(page.getByTestId("status-line")).toContainText(/svarfristen .* er overskredet: \d+ dage over fristen/);
  // The demo council's real vote (its ballots), shown with the decision.
  await expect(page.getByText(/Afstemning: \d+ for, \d+ imod, \d+ undlod/).first()).toBeVisible();

  await page.goto("/forslag?status=on_agenda");
  await page.getByRole("link", { name: "Gratis bus for unge om aftenen" }).click();
  await expect(page.getByText("Skjult af moderator: Reklame for en anden hjemmeside.")).toBeVisible();
  await expectNoA11yViolations(page);
});

test("a follower's bell counts news, and a moderator hides a reported proposal", async ({ page, browser }) => {
  await signUp(page, "Bent");
  const title = `Anmeld mig ${Date.now()}`;
  const url = await writeProposal(page, title);
  await page.getByText("Anmeld forslaget").click();
  await page.getByLabel("Hvorfor skal en moderator se på det?").fill("Det er en test af anmeldelser");
  await page.getByRole("button", { name: "Send anmeldelse" }).click();
  await expect(page.getByText("Tak. Din anmeldelse er sendt til en moderator.")).toBeVisible();

  const context = await browser.newContext();
  const mod = await context.newPage();
  await logIn(mod, "moderator@demo.stemme.dk");
  await mod.getByRole("banner").getByRole("link", { name: "Moderation" }).click();
  await expect(mod.getByRole("heading", { level: 1 })).toHaveText("Moderation");
  await expectNoA11yViolations(mod);
  const card = mod.locator("li.card", { hasText: title });
  await card.getByLabel("Begrundelse (vises i stedet for indholdet)").fill("Skjult i en test");
  await card.getByRole("button", { name: "Skjul" }).click();
  await expect(mod.locator("li.card", { hasText: title }).getByRole("button", { name: "Skjul" })).toHaveCount(0);
  await context.close();

  await page.goto(url);
  await expect(page.getByText("Skjult af moderator: Skjult i en test")).toBeVisible();
  await expect(page.getByRole("banner").getByTestId("bell-count")).toHaveText("1");
  await page.getByRole("banner").getByRole("link", { name: /Notifikationer/ }).click();
  await expect(page.getByText("Forslaget er skjult af en moderator")).toBeVisible();
  await expectNoA11yViolations(page);
  await page.getByRole("button", { name: "Markér alle som læst" }).click();
  await expect(page.getByRole("banner").getByTestId("bell-count")).toHaveText("0");
});
