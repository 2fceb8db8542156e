// Putting Stemme into service from an EMPTY database: this file starts its own server on a
// fresh SQLite file with `server migrate` and `server create-coordinator` — no demo loader —
// and a coordinator follows the setup checklist until a young person's proposal has gone
// through Ungerådet's vote to a politician's answer, and a pool application through a vote.
import { expect, test, type Browser, type Page } from "@playwright/test";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expectNoA11yViolations } from "./fixtures/a11y";

const SERVER = "../target/release/server";
const COORDINATOR = { email: "koordinator@testrup.dk", password: "en sikker koordinatorkode" };
const PASSWORD = "en lang kode til test";
const year = new Date().getFullYear();
const iso = (d: Date) => d.toISOString().slice(0, 10);
const inDays = (n: number) => iso(new Date(Date.now() + n * 86_400_000));

let server: ChildProcess | undefined;
let dir = "";
let base = "";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const address = s.address();
      const port = typeof address === "object" && address ? address.port : 0;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "stemme-empty-"));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    DATABASE_URL: `sqlite://${dir}/stemme.db`,
    STEMME_ADDR: `127.0.0.1:${port}`,
    LEPTOS_SITE_ROOT: "../target/site",
    STEMME_LOG: "warn",
  };
  delete (env as Record<string, string | undefined>).STEMME_DEMO;
  const migrate = spawnSync(SERVER, ["migrate"], { env, encoding: "utf8" });
  expect(migrate.status, migrate.stderr).toBe(0);
  const coordinator = spawnSync(
    SERVER,
    ["create-coordinator", "--email", COORDINATOR.email, "--name", "Lars"],
    { env, input: `${COORDINATOR.password}\n`, encoding: "utf8" },
  );
  expect(coordinator.status, coordinator.stderr).toBe(0);
  expect(coordinator.stdout).toContain("/admin/opsaetning");
  server = spawn(SERVER, ["serve"], { env, stdio: ["ignore", "ignore", "pipe"] });
  for (let i = 0; i < 200; i++) {
    const ok = await fetch(`${base}/health`).then((r) => r.ok).catch(() => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the empty-database server did not start");
});

test.afterAll(async () => {
  server?.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function logIn(page: Page, email: string, password = PASSWORD) {
  await page.goto(`${base}/log-ind`);
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Adgangskode", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Log ind" }).click();
  await expect(page).toHaveURL(/\/konto$/);
}

async function signUp(page: Page, name: string, born: number, email: string) {
  await page.goto(`${base}/tilmeld`);
  await page.getByLabel("Fornavn").fill(name);
  await page.getByLabel("Fødselsår").fill(String(born));
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Adgangskode", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Opret konto" }).click();
  await expect(page).toHaveURL(/\/konto$/);
}

/** A member opens the meeting in their own browser and votes. */
async function memberVotes(browser: Browser, email: string, meetingUrl: string, choice: "For" | "Imod") {
  const context = await browser.newContext();
  const page = await context.newPage();
  await logIn(page, email);
  await page.goto(meetingUrl);
  await page.getByRole("button", { name: choice, exact: true }).click();
  await expect(page.getByText(`Du har stemt: ${choice}`)).toBeVisible();
  await context.close();
}

/** Readable at 360 px: nothing scrolls sideways (the viewport is 360 px wide). */
async function noSidewaysScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${page.url()} overflows by ${overflow}px`).toBeLessThanOrEqual(0);
}

async function appoint(page: Page, email: string, post: "" | "chair") {
  const council = page.getByTestId("admin-council").filter({ hasText: "Ungerådet" });
  await council.getByText("Udnævn et medlem").click();
  await council.getByLabel(/Personens e-mailadresse/).fill(email);
  await council.getByLabel("Første dag").fill(inDays(-1));
  await council.getByLabel("Sidste dag").fill(inDays(364));
  if (post === "chair") await council.getByLabel("Post").selectOption({ label: "Formand" });
  await council.getByRole("button", { name: "Udnævn", exact: true }).click();
}

test("a municipality goes from an empty database to a council decision and a politician's answer", async ({ page, browser }) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 360, height: 800 });

  // Members-to-be and the politician need accounts first; the young ones sign up themselves.
  const members = [
    { name: "Freja", email: "freja@testrup.dk", born: year - 16 },
    { name: "Oskar", email: "oskar@testrup.dk", born: year - 17 },
    { name: "Malthe", email: "malthe@testrup.dk", born: year - 15 },
  ];
  for (const m of [...members, { name: "Mads", email: "mads@testrup.dk", born: year - 22 }]) {
    const context = await browser.newContext();
    await signUp(await context.newPage(), m.name, m.born, m.email);
    await context.close();
  }

  // The coordinator logs in and follows the checklist.
  await logIn(page, COORDINATOR.email, COORDINATOR.password);
  await page.goto(`${base}/admin/opsaetning`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Opsætning af Stemme");
  await expect(page.getByTestId("check-council")).toHaveAttribute("data-done", "0");
  await expect(page.getByTestId("check-council")).toContainText("Opret Ungerådet");
  await expect(page.getByTestId("setup-summary")).toContainText("Der mangler stadig 9 trin");
  await expectNoA11yViolations(page);
  await noSidewaysScroll(page);

  // 1. The profile.
  await page.getByLabel("Kommunens navn").fill("Testrup Kommune");
  await page.getByLabel(/Kontakt om tilgængelighed/).fill("tilgaengelighed@testrup.dk");
  await page.getByRole("button", { name: "Gem profilen" }).click();
  await expect(page.getByText("Profilen er gemt.")).toBeVisible();
  await expect(page.getByTestId("check-profile")).toHaveAttribute("data-done", "1");

  // 2. Ungerådet, 14–20 years.
  await page.getByTestId("check-council").getByRole("link", { name: "Ret det her" }).click();
  await expect(page).toHaveURL(/\/admin\/raad/);
  await expectNoA11yViolations(page);
  await page.getByLabel("Slags råd").selectOption({ label: "Ungeråd" });
  await page.getByLabel("Navn (fx Ungerådet)").fill("Ungerådet");
  await page.getByLabel("Medlemmers laveste alder (valgfri)").fill("14");
  await page.getByLabel("Medlemmers højeste alder (valgfri)").fill("20");
  await page.getByRole("button", { name: "Opret rådet" }).click();
  await expect(page.getByTestId("admin-council").filter({ hasText: "Ungerådet" })).toContainText("14–20 år");

  // 3. Three members (Freja as chair); Mads (22) is refused for the age range.
  await appoint(page, members[0].email, "chair");
  await expect(page.getByTestId("admin-council-members")).toContainText("Freja (formand)");
  await appoint(page, members[1].email, "");
  await appoint(page, members[2].email, "");
  await appoint(page, "mads@testrup.dk", "");
  await expect(page.getByText(/er for unge på 14–20 år/).first()).toBeVisible();
  await page.goto(`${base}/admin/raad`);
  const memberList = page.getByTestId("admin-council-members");
  for (const m of members) await expect(memberList).toContainText(m.name);
  await expect(memberList).not.toContainText("Mads");
  await expectNoA11yViolations(page);
  await noSidewaysScroll(page);

  // 4. Børne- og Ungeudvalget with one politician.
  await page.goto(`${base}/admin/udvalg`);
  await page.getByLabel(/Udvalgets navn/).fill("Børne- og Ungeudvalget");
  await page.getByRole("button", { name: "Opret udvalget" }).click();
  await expect(page.getByTestId("admin-committee")).toContainText("Svarer som udgangspunkt på forslag.");
  await page.getByLabel("Fornavn").fill("Mette");
  await page.getByLabel("Fødselsår").fill(String(year - 52));
  await page.getByLabel("E-mail", { exact: true }).fill("mette@testrup.dk");
  await page.getByLabel(/Første adgangskode/).fill(PASSWORD);
  await page.getByRole("button", { name: "Opret kontoen" }).click();
  await expect(page.getByText("Kontoen er oprettet.")).toBeVisible();
  await page.goto(`${base}/admin/udvalg`);
  const committee = page.getByTestId("admin-committee").filter({ hasText: "Børne- og Ungeudvalget" });
  await committee.getByText("Indsæt en politiker").click();
  await committee.getByLabel(/Politikerens e-mailadresse/).fill("mette@testrup.dk");
  await committee.getByLabel("Første dag i udvalget").fill(inDays(0));
  await committee.getByRole("button", { name: "Indsæt", exact: true }).click();
  await expect(page.getByTestId("admin-committee-members")).toContainText("Mette");
  await expectNoA11yViolations(page);
  await noSidewaysScroll(page);

  // 5. This year's pool.
  await page.goto(`${base}/puljen`);
  await page.getByText("Åbn et nyt puljeår (koordinator)").click();
  await page.getByLabel("År", { exact: true }).fill(String(year));
  await page.getByRole("button", { name: "Åbn puljeåret" }).click();
  await expect(page.getByTestId("pool-remaining").locator("dd")).toHaveText("100.000,00 kr.");

  await page.goto(`${base}/admin/opsaetning`);
  await expect(page.getByTestId("setup-summary")).toContainText("Alt er på plads");
  await expectNoA11yViolations(page);

  // A young person signs up and sends a proposal to Ungerådet.
  const youthContext = await browser.newContext({ viewport: { width: 360, height: 800 } });
  const youth = await youthContext.newPage();
  await signUp(youth, "Sofie", year - 15, "sofie@testrup.dk");
  const title = `Lys i skaterparken ${Date.now()}`;
  await youth.goto(`${base}/forslag/nyt`);
  await youth.getByLabel("Overskrift").fill(title);
  await youth.getByLabel("Beskriv dit forslag").fill("Skaterparken er helt mørk om vinteren, så vi kan ikke bruge den efter skole.");
  await youth.getByLabel("Hvem er forslaget til?").selectOption({ label: "Ungerådet" });
  await youth.getByRole("button", { name: "Send forslaget" }).click();
  await expect(youth).toHaveURL(/\/forslag\/\d+$/);
  const proposalUrl = youth.url();
  await expectNoA11yViolations(youth);
  await noSidewaysScroll(youth);

  // The chair plans a meeting, puts the proposal on the agenda, publishes it and opens a vote.
  const chairContext = await browser.newContext();
  const chair = await chairContext.newPage();
  await logIn(chair, members[0].email);
  await chair.goto(`${base}/raad`);
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

  // Three members vote; the chair closes the vote and forwards the proposal.
  await memberVotes(browser, members[1].email, meetingUrl, "For");
  await memberVotes(browser, members[2].email, meetingUrl, "Imod");
  await chair.reload();
  await chair.getByRole("button", { name: "For", exact: true }).click();
  await expect(chair.getByTestId("voted-count")).toHaveText("3");
  await chair.getByRole("button", { name: "Luk afstemningen" }).click();
  await expect(chair.getByTestId("vote-result")).toHaveText("Resultat: 2 for, 1 imod, 0 undlod — vedtaget");
  await chair.getByLabel("Send til politikerne").check();
  await chair.getByRole("button", { name: "Gem beslutningen" }).click();
  await expectNoA11yViolations(chair);

  await youth.goto(proposalUrl);
  await expect(youth.getByTestId("status-line")).toContainText("Venter på svar fra politikerne");
  await expect(youth.getByTestId("status-line")).toContainText("dage tilbage");

  // The politician answers Nej, with an explanation.
  const politicianContext = await browser.newContext();
  const politician = await politicianContext.newPage();
  await logIn(politician, "mette@testrup.dk");
  await politician.goto(`${base}/indbakke`);
  await politician.getByRole("link", { name: title }).click();
  await politician.getByLabel("Nej", { exact: true }).check();
  await politician.getByLabel("Begrundelse").selectOption({ label: "Økonomi" });
  await politician
    .getByLabel("Forklaring")
    .fill(
      "Vi har ikke penge til nye lamper i år, fordi hele budgettet til parker er brugt på den nye legeplads. " +
        "Vi tager jeres forslag med, når vi lægger budgettet for næste år, og I bliver inviteret til at være med. " +
        "Indtil da spørger vi Teknik og Miljø, om der kan sættes et par solcellelamper op ved indgangen til vinter.",
    );
  await politician.getByRole("button", { name: "Send svaret" }).click();
  await expect(politician.getByTestId("status-line")).toHaveText("Besvaret: Nej — læs politikernes forklaring nedenfor");
  await expectNoA11yViolations(politician);
  await politicianContext.close();

  await youth.goto(proposalUrl);
  await expect(youth.getByText(/budgettet til parker er brugt/).first()).toBeVisible();
  await expectNoA11yViolations(youth);

  // A pool application is decided through a vote on an agenda item, never by the chair alone.
  const activity = `Filmaften i ungdomshuset ${Date.now()}`;
  await youth.goto(`${base}/puljen`);
  await youth.getByRole("link", { name: "Søg puljen" }).click();
  await youth.getByLabel("Aktivitetens titel").fill(activity);
  await youth.getByLabel("Hvad går aktiviteten ud på?").fill("Vi viser tre film for unge og laver popcorn sammen bagefter.");
  await youth.getByLabel("Hvem er aktiviteten for?").fill("Unge 13–18 år");
  await youth.getByLabel("Hvor mange regner I med kommer?").fill("40");
  await youth.getByLabel("Dato for aktiviteten").fill(inDays(30));
  await youth.getByLabel("Hvor foregår den?").fill("Ungdomshuset");
  await youth.getByLabel("Udgift 1", { exact: true }).fill("Filmleje");
  await youth.getByLabel("Beløb for udgift 1").fill("2.000");
  await youth.getByLabel("Beløb I søger i alt (kr.)").fill("2.000");
  await youth.getByLabel("Nej, intet er betalt endnu").check();
  await youth.getByRole("button", { name: "Send ansøgningen" }).click();
  await expect(youth.getByText("Ansøgningen er sendt.")).toBeVisible();
  await expect(youth.getByTestId("pool-status")).toHaveText("Venter på Ungerådets beslutning");

  await chair.goto(meetingUrl);
  await chair.getByLabel("Ansøgning til Ungerådets pulje").selectOption({ label: activity });
  await chair.getByRole("button", { name: "Sæt ansøgningen på dagsordenen" }).click();
  const appItem = chair.locator("li.agenda__item", { hasText: `Ansøgning til puljen: ${activity}` });
  await expect(appItem).toBeVisible();
  await appItem.getByRole("button", { name: /^Åbn afstemning/ }).click();
  await expect(appItem.getByText("Afstemningen er åben")).toBeVisible();
  await appItem.getByRole("button", { name: "For", exact: true }).click();
  await expect(appItem.getByText("Du har stemt: For")).toBeVisible();
  {
    const context = await browser.newContext();
    const member = await context.newPage();
    await logIn(member, members[1].email);
    await member.goto(meetingUrl);
    const theirs = member.locator("li.agenda__item", { hasText: `Ansøgning til puljen: ${activity}` });
    await theirs.getByRole("button", { name: "For", exact: true }).click();
    await expect(theirs.getByText("Du har stemt: For")).toBeVisible();
    await context.close();
  }
  await chair.goto(meetingUrl);
  const item = chair.locator("li.agenda__item", { hasText: `Ansøgning til puljen: ${activity}` });
  await item.getByRole("button", { name: "Luk afstemningen" }).click();
  await expect(item.getByTestId("vote-result")).toHaveText("Resultat: 2 for, 0 imod, 0 undlod — vedtaget");
  await item.getByRole("link", { name: "Skriv Ungerådets beslutning om ansøgningen" }).click();
  await expect(chair.getByTestId("decision-vote")).toContainText("Rådets afstemning: 2 for, 0 imod, 0 undlod");
  await chair.getByLabel("Delvist bevilget").check();
  await chair.getByLabel("Bevilget beløb ved Delvist (kr.)").fill("1.500");
  await chair.getByLabel("Forklaring").fill("Vi betaler filmlejen for to film; den tredje kan I vise gratis fra biblioteket.");
  await chair.getByRole("button", { name: "Gem beslutningen" }).click();
  await expect(chair.getByTestId("pool-status")).toHaveText("Delvist bevilget: 1.500,00 kr. af 2.000,00 kr.");
  await expect(chair.getByText("Afstemning: 2 for, 0 imod, 0 undlod")).toBeVisible();
  await expectNoA11yViolations(chair);

  await youth.goto(`${base}/puljen`);
  await expect(youth.getByTestId("pool-remaining").locator("dd")).toHaveText("98.500,00 kr.");
  await expectNoA11yViolations(youth);
  await noSidewaysScroll(youth);

  await youthContext.close();
  await chairContext.close();
});
