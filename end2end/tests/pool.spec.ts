import { expect, test, type Browser, type Page } from "@playwright/test";
import { expectNoA11yViolations, waitForHydration } from "./fixtures/a11y";

async function logIn(page: Page, email: string) {
  await page.goto("/log-ind");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Adgangskode", { exact: true }).fill("stemme-demo-2026");
  await page.getByRole("button", { name: "Log ind" }).click();
  await expect(page).toHaveURL(/\/konto$/);
}

/** The Ungeråd's next meeting (the demo's, ten days ahead), for someone logged in. */
async function nextMeeting(page: Page) {
  await page.goto("/raad");
  await page.getByRole("link", { name: "Ungerådet" }).click();
  await page.getByRole("link", { name: /kl\./ }).first().click();
  await expect(page).toHaveURL(/\/moeder\/\d+$/);
}

/** The agenda item about the application `title` on the meeting page. */
function appItem(page: Page, title: string) {
  return page.locator("li.agenda__item", { hasText: `Ansøgning til puljen: ${title}` });
}

/**
 * On the meeting page (`chair` is there): the chair opens the vote on the application's
 * item, the chair and Oskar vote For (two of three members), the chair closes it — a
 * passed vote, which the decision then rests on.
 */
async function councilVotesFor(browser: Browser, chair: Page, title: string) {
  const item = appItem(chair, title);
  await item.getByRole("button", { name: /^Åbn afstemning/ }).click();
  await expect(item.getByText("Afstemningen er åben")).toBeVisible();
  await item.getByRole("button", { name: "For", exact: true }).click();
  await expect(item.getByText("Du har stemt: For")).toBeVisible();
  const meetingUrl = chair.url();
  const context = await browser.newContext();
  const member = await context.newPage();
  await logIn(member, "ungeraad2@demo.stemme.dk");
  await member.goto(meetingUrl);
  const theirs = appItem(member, title);
  await theirs.getByRole("button", { name: "For", exact: true }).click();
  await expect(theirs.getByText("Du har stemt: For")).toBeVisible();
  await context.close();
  await chair.goto(meetingUrl);
  await appItem(chair, title).getByRole("button", { name: "Luk afstemningen" }).click();
  await expect(appItem(chair, title).getByTestId("vote-result")).toHaveText("Resultat: 2 for, 0 imod, 0 undlod — vedtaget");
}

function inDays(days: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  return d.toISOString().slice(0, 10);
}

test("a young person applies for 8.000 kr.; the council votes; the chair grants 6.000 kr. in part; the public page shows it", async ({ page, browser }) => {
  test.setTimeout(120_000);
  const title = `Koncert i ungdomshuset ${Date.now()}`;
  await logIn(page, "ung@demo.stemme.dk");
  await page.goto("/puljen");
  await expect(page.getByTestId("pool-remaining").locator("dd")).toHaveText("100.000,00 kr.");
  await expectNoA11yViolations(page);
  await page.getByRole("link", { name: "Søg puljen" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Søg Ungerådets pulje");
  // With JavaScript the form keeps what was typed when the server refuses it.
  await waitForHydration(page);
  await page.getByLabel("Aktivitetens titel").fill(title);
  await page.getByLabel("Hvad går aktiviteten ud på?").fill("Tre lokale bands spiller gratis for alle unge i kommunen.");
  await page.getByLabel("Hvem er aktiviteten for?").fill("Unge 13–18 år");
  await page.getByLabel("Hvor mange regner I med kommer?").fill("120");
  await page.getByLabel("Dato for aktiviteten").fill(inDays(30));
  await page.getByLabel("Hvor foregår den?").fill("Ungdomshuset");
  await page.getByLabel("Udgift 1", { exact: true }).fill("Lydanlæg");
  await page.getByLabel("Beløb for udgift 1").fill("4.000");
  await page.getByLabel("Udgift 2", { exact: true }).fill("Honorar til bands");
  await page.getByLabel("Beløb for udgift 2").fill("3.000");
  await page.getByLabel("Udgift 3", { exact: true }).fill("Plakater");
  await page.getByLabel("Beløb for udgift 3").fill("1.000");
  // A sum that does not match the lines is stopped, with a Danish message at the field.
  await page.getByLabel("Beløb I søger i alt (kr.)").fill("9.000");
  await page.getByLabel("Nej, intet er betalt endnu").check();
  await page.getByRole("button", { name: "Send ansøgningen" }).click();
  await expect(page.locator("#f-amount-error")).toContainText("Budgettets linjer giver 8.000,00 kr.");
  await expectNoA11yViolations(page);
  await page.getByLabel("Beløb I søger i alt (kr.)").fill("8.000");
  await page.getByRole("button", { name: "Send ansøgningen" }).click();
  await expect(page.getByText("Ansøgningen er sendt.")).toBeVisible();
  await expect(page.getByTestId("pool-status")).toHaveText("Venter på Ungerådets beslutning");
  await expect(page.getByTestId("budget")).toContainText("8.000,00 kr.");
  await expectNoA11yViolations(page);

  // The chair, in another browser: before a vote there is no decision form, only the way
  // to the agenda.
  const context = await browser.newContext();
  const chair = await context.newPage();
  await logIn(chair, "ungeraad@demo.stemme.dk");
  await chair.goto("/puljen");
  await chair.getByRole("link", { name: title }).click();
  await expect(chair.getByTestId("pool-waits")).toBeVisible();
  await expect(chair.getByRole("button", { name: "Gem beslutningen" })).toHaveCount(0);
  // The application goes on the agenda of the Ungeråd's next meeting, and the council votes.
  await nextMeeting(chair);
  await chair.getByLabel("Ansøgning til Ungerådets pulje").selectOption({ label: title });
  await chair.getByRole("button", { name: "Sæt ansøgningen på dagsordenen" }).click();
  await expect(appItem(chair, title)).toBeVisible();
  await councilVotesFor(browser, chair, title);
  await expectNoA11yViolations(chair);
  // The decision rests on the vote: its tally is shown, not typed in.
  await appItem(chair, title).getByRole("link", { name: "Skriv Ungerådets beslutning om ansøgningen" }).click();
  await expect(chair.getByTestId("decision-vote")).toContainText("Rådets afstemning: 2 for, 0 imod, 0 undlod");
  await chair.getByLabel("Delvist bevilget").check();
  await chair.getByLabel("Bevilget beløb ved Delvist (kr.)").fill("6.000");
  await chair.getByLabel("Forklaring").fill("Vi giver ikke penge til plakater — dem kan I printe gratis på skolen.");
  await expectNoA11yViolations(chair);
  await chair.getByRole("button", { name: "Gem beslutningen" }).click();
  await expect(chair.getByTestId("pool-status")).toHaveText("Delvist bevilget: 6.000,00 kr. af 8.000,00 kr.");
  await expect(chair.getByText("Afstemning: 2 for, 0 imod, 0 undlod")).toBeVisible();
  await context.close();

  // Anyone can see it on the public page.
  const anonymous = await browser.newContext();
  const pub = await anonymous.newPage();
  await pub.goto("/puljen");
  await expect(pub.getByTestId("pool-granted").locator("dd")).toHaveText("6.000,00 kr.");
  await expect(pub.getByTestId("pool-remaining").locator("dd")).toHaveText("94.000,00 kr.");
  await expect(pub.getByTestId("grants")).toContainText(title);
  await expectNoA11yViolations(pub);
  await anonymous.close();
});

test("rejecting without an explanation is stopped", async ({ page, browser }) => {
  test.setTimeout(90_000);
  // The demo has this application on the next meeting's agenda; the council votes for it.
  await logIn(page, "ungeraad@demo.stemme.dk");
  await nextMeeting(page);
  await councilVotesFor(browser, page, "Brætspilsaften i biblioteket");
  await page.goto("/puljen");
  await page.getByRole("link", { name: "Brætspilsaften i biblioteket" }).click();
  await page.getByLabel("Afslået").check();
  await page.getByRole("button", { name: "Gem beslutningen" }).click();
  await expect(page.locator("#f-explanation-error")).toContainText("Skriv en forklaring til ansøgerne på mindst 20 tegn");
  await expect(page.getByTestId("pool-status")).toHaveText("Venter på Ungerådets beslutning");
  await expectNoA11yViolations(page);
});

test("last year's pool: what the money became, the chart and the CSV", async ({ page, request }) => {
  const year = new Date().getFullYear() - 1;
  await page.goto(`/puljen?aar=${year}`);
  await expect(page.getByRole("heading", { name: "Det blev pengene til" })).toBeVisible();
  await expect(page.getByText("Over 300 kom til koncerten")).toBeVisible();
  await expect(page.getByRole("img", { name: "Puljens saldo hen over året" })).toBeVisible();
  await expectNoA11yViolations(page);
  const csv = await request.get(`/puljen/${year}/regnskab.csv`);
  expect(csv.status()).toBe(200);
  expect(await csv.text()).toContain("Sommerkoncert i Byparken");
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("rejecting without an explanation is stopped with a Danish message", async ({ page, browser }) => {
    test.setTimeout(90_000);
    await logIn(page, "ungeraad@demo.stemme.dk");
    // Onto the next meeting's agenda, and a passed vote — all plain form posts.
    await nextMeeting(page);
    await page.getByLabel("Ansøgning til Ungerådets pulje").selectOption({ label: "Graffitivæg ved stationen" });
    await page.getByRole("button", { name: "Sæt ansøgningen på dagsordenen" }).click();
    await expect(appItem(page, "Graffitivæg ved stationen")).toBeVisible();
    await councilVotesFor(browser, page, "Graffitivæg ved stationen");
    await page.goto("/puljen");
    await page.getByRole("link", { name: "Graffitivæg ved stationen" }).click();
    await page.getByLabel("Afslået").check();
    await page.getByRole("button", { name: "Gem beslutningen" }).click();
    await expect(page.locator("#f-explanation-error")).toContainText("Skriv en forklaring til ansøgerne på mindst 20 tegn");
    await expect(page.getByTestId("pool-status")).toHaveText("Venter på Ungerådets beslutning");
  });
});
