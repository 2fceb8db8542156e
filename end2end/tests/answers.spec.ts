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
  await expect(page.getByText(/er overskredet: \d+ dage over fristen/).first()).toBeVisible();
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
  // The live plain-language hint (LIX) advises while writing; it never blocks.
  await expect(page.getByTestId("readability")).toContainText("Læsbarhed (LIX)");
  await page.getByRole("button", { name: "Send svaret" }).click();
  await expect(page.getByTestId("status-line")).toHaveText("Besvaret: Nej — læs politikernes forklaring nedenfor");

  // The author, in another browser, hears of it and reads the explanation.
  const context = await browser.newContext();
  const author = await context.newPage();
  await logIn(author, "ungeraad@demo.stemme.dk");
  await author.getByRole("banner").getByRole("link", { name: /Notifikationer/ }).click();
  await author.getByRole("listitem").filter({ hasText: "Politikerne har svaret" }).filter({ hasText: "Lys og bænke ved skaterbanen" })
    .getByRole("link").first().click();
  // The answer section shows the explanation first, above "Forstod du svaret?".
  await expect(author.getByTestId("answer-text")).toContainText("Lamperne skal graves ned");
  await expect(author.getByTestId("answer-meta")).toContainText("Svaret af Mette (Børne- og Ungeudvalget)");
  await expectNoA11yViolations(author);

  // "Forstod du svaret?" — the author asks for a clearer answer.
  await author.getByRole("button", { name: "Bed politikerne om et klarere svar" }).click();
  await expect(author.getByText("Du har bedt om et klarere svar.")).toBeVisible();
  await expect(author.getByTestId("understood-share")).toContainText("0 % af dem, der har svaret, forstod svaret (1 svar)");
  await expectNoA11yViolations(author);

  // The politician sees the request in the inbox and explains the answer further.
  await page.goto("/indbakke");
  const requests = page.getByTestId("clearer-requests");
  await expect(requests).toContainText("1 venter på en uddybning");
  await requests.getByRole("link", { name: "Lys og bænke ved skaterbanen" }).click();
  await expect(page.getByTestId("clearer-waiting")).toContainText("1 venter på et klarere svar");
  await page.getByLabel("Uddybning").fill("Lamperne koster mange penge. Dem har vi ikke i år. Men I får to bænke til foråret.");
  await page.getByRole("button", { name: "Send uddybningen" }).click();
  await expect(page.getByText("Uddybningen er offentliggjort, og de unge har fået besked.")).toBeVisible();
  await expectNoA11yViolations(page);

  await author.reload();
  await expect(author.getByRole("heading", { name: "Politikernes uddybning" })).toBeVisible();
  await expect(author.getByText("Dem har vi ikke i år.")).toBeVisible();
  await context.close();
});

test("a politician writes a follow-up; Opgivet needs a real explanation", async ({ page }) => {
  await logIn(page, "politiker@demo.stemme.dk");
  await page.goto("/forslag?status=answered");
  await page.getByRole("link", { name: "Cykelsti langs Skolevej" }).click();
  await expect(page.getByTestId("understood-share")).toContainText("75 % af dem, der har svaret, forstod svaret (4 svar)");
  await page.getByLabel("Hvor langt er I?").selectOption({ label: "Opgivet" });
  await page.getByLabel("Hvad er der sket?").fill("Det blev for dyrt.");
  await page.getByRole("button", { name: "Offentliggør opfølgningen" }).click();
  await expect(page.locator("#f-explanation-error")).toContainText("mindst 200 tegn");
  await expectNoA11yViolations(page);
  await page.getByLabel("Hvor langt er I?").selectOption({ label: "Gennemført" });
  await page.getByLabel("Hvad er der sket?").fill("Cykelstien er færdig og blev åbnet i dag. Tak for forslaget!");
  await page.getByRole("button", { name: "Offentliggør opfølgningen" }).click();
  await expect(page.getByText("Opfølgningen er offentliggjort.")).toBeVisible();
  await expect(page.getByText("Opfølgning: Gennemført")).toBeVisible();
  await expect(page.getByText("Cykelstien er færdig og blev åbnet i dag.")).toBeVisible();
});

test("'Bliver vi hørt?' shows the year's figures and what is overdue", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("banner").getByRole("link", { name: "Bliver vi hørt?" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Bliver vi hørt?");
  await expect(page.getByTestId("received").locator("dd")).toHaveText(/^\d+$/);
  await expect(page.getByTestId("answered").locator("dd")).toHaveText(/^[1-9]\d*$/);
  await expect(page.getByTestId("overdue-list")).toContainText("Længere åbningstid i ungdomsklubben");
  await expect(page.getByTestId("overdue-list")).toContainText(/\d+ dage over fristen/);
  await expectNoA11yViolations(page);
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
