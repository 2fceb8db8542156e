import { expect, test, type Browser, type Page } from "@playwright/test";
import { expectNoA11yViolations } from "./fixtures/a11y";

const year = new Date().getFullYear();
const unique = (tag: string) => `${tag}.${Date.now()}.${Math.floor(Math.random() * 1e6)}@e2e.stemme.dk`;

async function logIn(page: Page, email: string) {
  await page.goto("/log-ind");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Adgangskode", { exact: true }).fill("stemme-demo-2026");
  await page.getByRole("button", { name: "Log ind" }).click();
  await expect(page).toHaveURL(/\/konto$/);
}

async function memberVotes(browser: Browser, email: string, meetingUrl: string, choice: "For" | "Imod") {
  const context = await browser.newContext();
  const page = await context.newPage();
  await logIn(page, email);
  await page.goto(meetingUrl);
  await page.getByRole("button", { name: choice, exact: true }).click();
  await expect(page.getByText(`Du har stemt: ${choice}`)).toBeVisible();
  await expectNoA11yViolations(page);
  await context.close();
}

test("the chair runs a vote on a proposal; the result shows on the meeting and the proposal", async ({ page, browser }) => {
  test.setTimeout(120_000);
  // A young person sends a proposal to Ungerådet.
  const title = `Gratis frugt ${Date.now()}`;
  await page.goto("/tilmeld");
  await page.getByLabel("Fornavn").fill("Yasmin");
  await page.getByLabel("Fødselsår").fill(String(year - 16));
  await page.getByLabel("E-mail").fill(unique("yasmin"));
  await page.getByLabel("Adgangskode", { exact: true }).fill("en lang kode til test");
  await page.getByRole("button", { name: "Opret konto" }).click();
  await expect(page).toHaveURL(/\/konto$/);
  await page.goto("/forslag/nyt");
  await page.getByLabel("Overskrift").fill(title);
  await page.getByLabel("Beskriv dit forslag").fill("Mange elever spiser ikke morgenmad. Gratis frugt i frikvarteret ville hjælpe.");
  await page.getByLabel("Hvem er forslaget til?").selectOption({ label: "Ungerådet" });
  await page.getByRole("button", { name: "Send forslaget" }).click();
  await expect(page).toHaveURL(/\/forslag\/\d+$/);
  const proposalUrl = page.url();

  // The chair plans a meeting and puts the proposal on the agenda.
  const chairContext = await browser.newContext();
  const chair = await chairContext.newPage();
  await logIn(chair, "ungeraad@demo.stemme.dk");
  await chair.goto("/raad");
  await expectNoA11yViolations(chair);
  await chair.getByRole("link", { name: "Ungerådet" }).click();
  await expect(chair.getByRole("heading", { level: 1 })).toHaveText("Ungerådet");
  await expectNoA11yViolations(chair);
  await chair.getByLabel("Dato og klokkeslæt").fill(`${year + 1}-03-05T17:00`);
  await chair.getByLabel("Sted").fill("Rådhuset, lokale 2");
  await chair.getByRole("button", { name: "Planlæg et møde" }).click();
  await expect(chair).toHaveURL(/\/moeder\/\d+$/);
  const meetingUrl = chair.url();
  await chair.getByLabel("Forslag til rådet").selectOption({ label: title });
  await chair.getByRole("button", { name: "Tilføj punkt" }).click();
  await expect(chair.getByRole("link", { name: title })).toBeVisible();
  await chair.getByRole("button", { name: /Næste trin.*Dagsorden offentliggjort/ }).click();
  await expect(chair.getByTestId("meeting-status")).toHaveText("Dagsorden offentliggjort");
  await chair.getByRole("button", { name: new RegExp(`^Åbn afstemning\\s*:\\s*${title}$`) }).click();
  await expect(chair.getByText("Afstemningen er åben")).toBeVisible();
  await expectNoA11yViolations(chair);

  // Three members vote, each in their own browser.
  await memberVotes(browser, "ungeraad2@demo.stemme.dk", meetingUrl, "For");
  await memberVotes(browser, "ungeraad3@demo.stemme.dk", meetingUrl, "Imod");
  await chair.reload();
  await chair.getByRole("button", { name: "For", exact: true }).click();
  await expect(chair.getByText("Du har stemt: For")).toBeVisible();
  await expect(chair.getByTestId("voted-count")).toHaveText("3");

  await chair.getByRole("button", { name: "Luk afstemningen" }).click();
  await expect(chair.getByTestId("vote-result")).toHaveText("Resultat: 2 for, 1 imod, 0 undlod — vedtaget");
  await expectNoA11yViolations(chair);

  // The council forwards it to the politicians.
  await chair.getByLabel("Send til politikerne").check();
  await chair.getByRole("button", { name: "Gem beslutningen" }).click();
  await chairContext.close();

  await page.goto(proposalUrl);
  await expect(page.getByTestId("timeline-vote")).toHaveText("2 for, 1 imod, 0 undlod — vedtaget");
  await expect(page.getByTestId("status-line")).toContainText("Venter på svar fra politikerne — svarfrist");
  await expectNoA11yViolations(page);
  await page.goto(meetingUrl);
  await expect(page.getByTestId("vote-result")).toHaveText("Resultat: 2 for, 1 imod, 0 undlod — vedtaget");
  await expectNoA11yViolations(page);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("declining before the council has voted is stopped with a Danish reason", async ({ page }) => {
    await logIn(page, "ungeraad@demo.stemme.dk");
    await page.goto("/raad");
    await page.getByRole("link", { name: "Ungerådet" }).click();
    await page.getByRole("link", { name: /kl\./ }).first().click();
    const item = page.locator("li.agenda__item", { hasText: "Gratis bus for unge om aftenen" });
    await item.getByText("Rådets beslutning").first().click();
    await item.getByLabel("Afvis (skriv hvorfor)").check();
    await item.getByLabel("Begrundelse eller hvad rådet gør").fill("Rådet mener ikke, at det kan lade sig gøre lige nu, fordi pengene er brugt.");
    await item.getByRole("button", { name: "Gem beslutningen" }).click();
    await expect(page.locator("li.agenda__item", { hasText: "Gratis bus for unge om aftenen" }).locator(".field-error", { hasText: "Rådet har ikke stemt om punktet endnu." })).toBeVisible();
    await expect(page.locator("li.agenda__item", { hasText: "Gratis bus for unge om aftenen" })).toContainText("På dagsorden");
  });
});

test("a double click on Næste trin moves the meeting one step; an out-of-date tab is told so", async ({ page, browser }) => {
  await logIn(page, "ungeraad@demo.stemme.dk");
  await page.goto("/raad");
  await page.getByRole("link", { name: "Ungerådet" }).click();
  await page.getByLabel("Dato og klokkeslæt").fill(`${year + 2}-04-07T17:00`);
  await page.getByLabel("Sted").fill("Ungdomshuset");
  await page.getByRole("button", { name: "Planlæg et møde" }).click();
  await expect(page).toHaveURL(/\/moeder\/\d+$/);
  const meetingUrl = page.url();
  // A second tab with the same page, which will be out of date.
  const stale = await page.context().newPage();
  await stale.goto(meetingUrl);
  await expect(stale.getByTestId("meeting-status")).toHaveText("Planlagt");

  await page.getByRole("button", { name: /Næste trin.*Dagsorden offentliggjort/ }).dblclick();
  await expect(page.getByTestId("meeting-status")).toHaveText("Dagsorden offentliggjort");
  await page.reload();
  await expect(page.getByTestId("meeting-status")).toHaveText("Dagsorden offentliggjort");

  await stale.getByRole("button", { name: /Næste trin.*Dagsorden offentliggjort/ }).click();
  await expect(stale.getByText(/Siden var ikke opdateret/).first()).toBeVisible();
  await page.reload();
  await expect(page.getByTestId("meeting-status")).toHaveText("Dagsorden offentliggjort");
  await expectNoA11yViolations(stale);
  await stale.close();
});
