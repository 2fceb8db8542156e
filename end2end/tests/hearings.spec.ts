import { expect, test, type Browser, type Page } from "@playwright/test";
import { expectNoA11yViolations } from "./fixtures/a11y";

// Issue #21: a politician asks Ungerådet and Det Fælles Elevråd first (with a PDF), one
// council adopts a response by vote, the other declines with a reason, the politician's
// feedback is stopped without an explanation (with and without JavaScript), then published,
// and a member of Ungerådet is told and reads what was used and why.

const PASSWORD = "stemme-demo-2026";

/** YYYY-MM-DD, `days` from today in Copenhagen. */
function inDays(days: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  return d.toLocaleDateString("sv-SE", { timeZone: "Europe/Copenhagen" });
}

async function logIn(page: Page, email: string) {
  await page.goto("/log-ind");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Adgangskode", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Log ind" }).click();
  await expect(page).toHaveURL(/\/konto$/);
}

async function asUser(browser: Browser, email: string, options: { javaScriptEnabled?: boolean; width?: number } = {}) {
  const context = await browser.newContext({
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    viewport: options.width ? { width: options.width, height: 800 } : undefined,
  });
  const page = await context.newPage();
  await logIn(page, email);
  return { context, page };
}

/** Readable at 360 px: nothing scrolls sideways. */
async function noSidewaysScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${page.url()} overflows by ${overflow}px`).toBeLessThanOrEqual(0);
}

function councilCard(page: Page, name: string) {
  return page.locator("li.card").filter({ has: page.getByRole("heading", { level: 3, name }) });
}

const minimalPdf = Buffer.from(
  "%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n" +
    "2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n" +
    "trailer <</Root 1 0 R>>\n%%EOF\n",
);

const WHY =
  "Udvalget har besluttet at bruge rådets forslag om længere åbningstider i weekenden, " +
  "men ikke forslaget om gratis adgang, fordi det ville koste mere end hele budgettet for " +
  "ungdomshuset. Vi ser på gratis adgang igen til budgettet næste år og spørger rådet igen.";

test("a hearing goes from the politician to two councils and back with feedback", async ({ browser }) => {
  test.setTimeout(240_000);
  const title = `Åbningstider i ungdomshuset ${Date.now()}`;

  // The politician sends the hearing to Ungerådet and Det Fælles Elevråd, with a PDF.
  const politician = await asUser(browser, "politiker@demo.stemme.dk");
  const p = politician.page;
  await p.goto("/hoeringer/ny");
  await expect(p.getByRole("heading", { level: 1 })).toHaveText("Send en høring");
  await expectNoA11yViolations(p);
  await p.getByLabel("Titel", { exact: true }).fill(title);
  await p.getByLabel("Spørgsmålet til rådene").fill("Hvornår skal ungdomshuset have åbent, så det passer jer bedst?");
  await p.getByLabel("Baggrund").fill("Udvalget skal beslutte nye åbningstider for ungdomshuset. Budgettet er det samme som i år.");
  await p.getByLabel("Ungerådet", { exact: true }).check();
  await p.getByLabel("Det Fælles Elevråd", { exact: true }).check();
  await p.getByLabel("Svarfrist for rådene").fill(inDays(14));
  await p.getByLabel("Udvalgets beslutning (mødedato)").fill(inDays(21));
  await p.getByRole("button", { name: "Send høringen" }).click();
  await expect(p).toHaveURL(/\/hoeringer\/\d+$/);
  const hearingUrl = p.url();
  await expect(p.getByRole("heading", { level: 1 })).toHaveText(title);

  // A file that is not a PDF is refused with a reason next to the field; a PDF is attached.
  await p.getByLabel("Tilføj en PDF-fil").setInputFiles({
    name: "noter.pdf",
    mimeType: "application/pdf",
    buffer: Buffer.from("ikke en pdf, bare tekst"),
  });
  await p.getByRole("button", { name: "Upload filen" }).click();
  await expect(p.locator(".hearing-file-upload .field-error")).toHaveText(
    "Filen er ikke en PDF. Gem den som PDF, og prøv igen.",
  );
  await p.getByLabel("Tilføj en PDF-fil").setInputFiles({
    name: "Sagsfremstilling åbningstider.pdf",
    mimeType: "application/pdf",
    buffer: minimalPdf,
  });
  await p.getByRole("button", { name: "Upload filen" }).click();
  const file = p.getByRole("link", { name: "Sagsfremstilling åbningstider.pdf" });
  await expect(file).toBeVisible();
  const served = await p.request.get((await file.getAttribute("href")) ?? "");
  expect(served.status()).toBe(200);
  expect(served.headers()["content-type"]).toBe("application/pdf");
  expect(served.headers()["content-disposition"]).toMatch(/^attachment;/);
  await expect(p.getByTestId("hearing-phase")).toHaveText("Åben — rådene kan svare");
  await expectNoA11yViolations(p);

  // Ungerådet's chair is told, and drafts the response on the hearing's page.
  const chair = await asUser(browser, "ungeraad@demo.stemme.dk");
  const c = chair.page;
  await c.goto("/notifikationer");
  await c.getByRole("link", { name: title }).first().click();
  await expect(c).toHaveURL(hearingUrl);
  const draft =
    "Ungerådet foreslår åbent til kl. 22 fredag og lørdag, fordi mange unge ikke har et sted at være om aftenen.";
  const chairCard = councilCard(c, "Ungerådet");
  await chairCard.getByLabel("Udkast til høringssvar").fill(draft);
  await Promise.all([
    c.waitForResponse((r) => r.url().includes("/api/hearings/draft")),
    chairCard.getByRole("button", { name: "Gem udkastet" }).click(),
  ]);
  await c.reload();
  await expect(councilCard(c, "Ungerådet").getByLabel("Udkast til høringssvar")).toHaveValue(draft);
  await expectNoA11yViolations(c);

  // A member reads the draft (open for members) and comments on it.
  const member2 = await asUser(browser, "ungeraad2@demo.stemme.dk");
  await member2.page.goto(hearingUrl);
  const memberCard = councilCard(member2.page, "Ungerådet");
  await expect(memberCard).toContainText(draft);
  await memberCard.getByLabel("Din kommentar").fill("Godt forslag — husk også søndag eftermiddag.");
  await memberCard.getByRole("button", { name: "Kommenter" }).click();
  await expect(councilCard(member2.page, "Ungerådet").getByText("Godt forslag — husk også søndag eftermiddag.")).toBeVisible();

  // The chair plans a meeting, puts the hearing on the agenda and runs the vote.
  await c.goto("/raad");
  await c.getByRole("link", { name: "Ungerådet" }).click();
  // After the demo's next meeting (in 10 days), which other tests open as the first one;
  // before the response deadline (in 14 days).
  await c.getByLabel("Dato og klokkeslæt").fill(`${inDays(12)}T17:00`);
  await c.getByLabel("Sted").fill("Ungdomshuset");
  await c.getByRole("button", { name: "Planlæg et møde" }).click();
  await expect(c).toHaveURL(/\/moeder\/\d+$/);
  const meetingUrl = c.url();
  await c.getByLabel("Sæt en høring på dagsordenen").selectOption({ label: title });
  await c.getByRole("button", { name: "Sæt en høring på dagsordenen" }).click();
  const item = c.locator("li.agenda__item", { hasText: `Høring: ${title}` });
  await expect(item).toBeVisible();
  await expect(item.getByRole("link", { name: /Se høringen/ })).toHaveAttribute("href", new URL(hearingUrl).pathname);
  await c.getByRole("button", { name: /Næste trin.*Dagsorden offentliggjort/ }).click();
  await expect(c.getByTestId("meeting-status")).toHaveText("Dagsorden offentliggjort");
  await item.getByRole("button", { name: /^Åbn afstemning/ }).click();
  await expect(c.getByText("Afstemningen er åben")).toBeVisible();

  for (const member of [member2.page]) {
    await member.goto(meetingUrl);
    await member.getByRole("button", { name: "For", exact: true }).click();
    await expect(member.getByText("Du har stemt: For")).toBeVisible();
  }
  const member3 = await asUser(browser, "ungeraad3@demo.stemme.dk", { width: 360 });
  await member3.page.goto(meetingUrl);
  await member3.page.getByRole("button", { name: "For", exact: true }).click();
  await expect(member3.page.getByText("Du har stemt: For")).toBeVisible();
  await c.reload();
  await c.getByRole("button", { name: "For", exact: true }).click();
  await expect(c.getByText("Du har stemt: For")).toBeVisible();
  await c.getByRole("button", { name: "Luk afstemningen" }).click();
  await expect(c.getByTestId("vote-result")).toHaveText("Resultat: 3 for, 0 imod, 0 undlod — vedtaget");
  await c.getByRole("button", { name: "Vedtag høringssvaret" }).click();
  await expect(c.getByRole("button", { name: "Vedtag høringssvaret" })).toHaveCount(0);
  await expectNoA11yViolations(c);

  await c.goto(hearingUrl);
  const adopted = councilCard(c, "Ungerådet");
  await expect(adopted).toContainText("Har svaret");
  await expect(adopted).toContainText(draft);
  await expect(adopted).toContainText("Vedtaget ved afstemning: For 3 · Imod 0 · Undlader 0");
  await chair.context.close();
  await member2.context.close();

  // Det Fælles Elevråd's chair declines, with a reason everyone can read.
  const faelles = await asUser(browser, "formand@demo.stemme.dk");
  const f = faelles.page;
  await f.goto(hearingUrl);
  const faellesCard = councilCard(f, "Det Fælles Elevråd");
  await faellesCard.locator("summary", { hasText: "Tak nej til at svare" }).click();
  const reason = "Elevrådene holder ikke møde før svarfristen, fordi der er terminsprøver på alle skoler.";
  await faellesCard.getByLabel("Hvorfor takker rådet nej?").fill(reason);
  await faellesCard.locator("form").getByRole("button", { name: "Tak nej til at svare" }).click();
  await expect(councilCard(f, "Det Fælles Elevråd")).toContainText("Har takket nej");
  await expect(councilCard(f, "Det Fælles Elevråd")).toContainText(reason);
  await expectNoA11yViolations(f);
  await faelles.context.close();

  // The politician, without JavaScript: feedback that does not follow the response and has
  // no explanation is refused next to the field, and nothing is published.
  const noJs = await asUser(browser, "politiker@demo.stemme.dk", { javaScriptEnabled: false });
  const n = noJs.page;
  await n.goto(hearingUrl);
  await expect(n.getByTestId("hearing-phase")).toHaveText("Venter på tilbagemelding");
  const decision = "Udvalget besluttede at udvide åbningstiden fredag og lørdag fra 1. marts.";
  await n.getByLabel("Hvad besluttede udvalget?").fill(decision);
  await n.getByLabel("Ikke brugt").check();
  await n.getByRole("button", { name: "Offentliggør tilbagemeldingen" }).click();
  await expect(n.locator(".field-error", { hasText: /Skriv en forklaring på mindst 200 tegn/ })).toBeVisible();
  await expect(n.getByTestId("hearing-phase")).toHaveText("Venter på tilbagemelding");
  await expect(n.getByLabel("Hvad besluttede udvalget?")).toHaveValue(decision);
  // (axe needs scripts; the same page is checked with JavaScript below.)
  await noJs.context.close();

  // With JavaScript: a too-short explanation is refused too; a real one is published.
  await p.goto(hearingUrl);
  await p.getByLabel("Hvad besluttede udvalget?").fill(decision);
  await p.getByLabel("Delvist brugt").check();
  await p.getByLabel("Forklaring").fill("Det var for dyrt.");
  await p.getByRole("button", { name: "Offentliggør tilbagemeldingen" }).click();
  await expect(p.locator(".field-error", { hasText: /Skriv en forklaring på mindst 200 tegn/ })).toBeVisible();
  await p.reload();
  await expect(p.getByTestId("hearing-phase")).toHaveText("Venter på tilbagemelding");
  await p.getByLabel("Hvad besluttede udvalget?").fill(decision);
  await p.getByLabel("Delvist brugt").check();
  await p.getByLabel("Forklaring").fill(WHY);
  await p.getByRole("button", { name: "Offentliggør tilbagemeldingen" }).click();
  await expect(p.getByTestId("hearing-phase")).toHaveText("Tilbagemelding givet");
  await expect(p.getByRole("button", { name: "Offentliggør tilbagemeldingen" })).toHaveCount(0);
  await expectNoA11yViolations(p);
  await politician.context.close();

  // A member of Ungerådet, on a phone, is told and reads what was used and why.
  const m = member3.page;
  await m.goto("/notifikationer");
  const told = m.locator("li", { hasText: "Politikerne har givet tilbagemelding på høringen" }).filter({ hasText: title });
  await expect(told).toBeVisible();
  await expectNoA11yViolations(m);
  await noSidewaysScroll(m);
  await told.getByRole("link", { name: title }).click();
  await expect(m).toHaveURL(hearingUrl);
  await expect(m.getByText(decision)).toBeVisible();
  const used = councilCard(m, "Ungerådet");
  await expect(used).toContainText("Tilbagemelding: Delvist brugt");
  await expect(used).toContainText(WHY);
  await expect(councilCard(m, "Det Fælles Elevråd")).toContainText(reason);
  await expectNoA11yViolations(m);
  await noSidewaysScroll(m);
  await m.goto("/hoeringer");
  await expect(m.getByRole("link", { name: title })).toBeVisible();
  await expectNoA11yViolations(m);
  await noSidewaysScroll(m);
  await member3.context.close();
});
