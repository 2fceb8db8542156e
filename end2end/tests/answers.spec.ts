import { expect, test, type Page } from "@playwright/test";
import { expectNoA11yViolations } from "./fixtures/a11y";

const EXPLANATION =
  "Tak for jeres forslag. Vi har talt med Teknik og Miljø om lys ved skaterbanen. " +
  "Lamperne skal graves ned, og det koster over en halv million kroner, som ikke er i budgettet i år. " +
  "Vi sætter i stedet to bænke op i foråret og ser på lyset igen, når budgettet for næste år bliver lagt.";

async function logIn(page: Page, email: string) {
  await page.goto("/log-ind");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Adgangskode", { exact: true }).fill("stemme-demo-2026");
  await page.getByRole("button", { name: "Log ind" }).click();
  await expect(page).toHaveURL(/\/konto$/);
}

test("a politician answers Nej with an explanation; the author reads it", async ({ page, browser }) => {
  test.setTimeout(90_000);
  await logIn(page, "politiker@demo.stemme.dk");
  await page.getByRole("banner").getByRole("link", { name: "Indbakke" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Indbakke");
  await expect(page.getByText(/er overskredet med \d+ dage/).first()).toBeVisible();
  await expectNoA11yViolations(page);
  await page.getByRole("link", { name: "Lys og bænke ved skaterbanen" }).click();
  await expect(page.getByRole("heading", { name: "Svar på forslaget" })).toBeVisible();
  await expectNoA11yViolations(page);

  await page.getByLabel("Nej", { exact: true }).check();
  await page.getByLabel("Begrundelse").selectOption({ label: "Økonomi" });
  await page.getByRole("button", { name: "Send svaret" }).click();
  await expect(page.locator("#f-explanation-error")).toContainText("Skriv en forklaring på mindst 200 tegn");
  await expectNoA11yViolations(page);

  await page.getByLabel("Nej", { exact: true }).check();
  await page.getByLabel("Begrundelse").selectOption({ label: "Økonomi" });
  await page.getByLabel("Forklaring").fill(EXPLANATION);
  await page.getByRole("button", { name: "Send svaret" }).click();
  await expect(page.getByTestId("status-line")).toHaveText("Besvaret: Nej — læs politikernes forklaring nedenfor");

  // The author, in another browser, hears of it and reads the explanation.
  const context = await browser.newContext();
  const author = await context.newPage();
  await logIn(author, "ungeraad@demo.stemme.dk");
  await author.getByRole("banner").getByRole("link", { name: /Notifikationer/ }).click();
  await author.getByRole("listitem").filter({ hasText: "Politikerne har svaret" }).filter({ hasText: "Lys og bænke ved skaterbanen" })
    .getByRole("link").first().click();
  await expect(author.getByText(/Lamperne skal graves ned/)).toBeVisible();
  await expect(author.getByTestId("answer-meta")).toContainText("Svaret af Mette (Børne- og Ungeudvalget)");
  await expectNoA11yViolations(author);
  await context.close();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a Nej with an empty explanation is stopped with a Danish message", async ({ page }) => {
    await logIn(page, "politiker@demo.stemme.dk");
    await page.goto("/indbakke");
    await page.getByRole("link", { name: "Længere åbningstid i ungdomsklubben" }).click();
    await page.getByLabel("Nej", { exact: true }).check();
    await page.getByLabel("Begrundelse").selectOption({ label: "Økonomi" });
    await page.getByRole("button", { name: "Send svaret" }).click();
    await expect(page.locator("#f-explanation-error")).toContainText("Skriv en forklaring på mindst 200 tegn");
    await expect(page.getByTestId("status-line")).toContainText("Venter på svar fra politikerne");
  });
});
