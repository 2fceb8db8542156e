import { expect, test, type Browser, type Page } from "@playwright/test";
import { expectNoA11yViolations, waitForHydration } from "./fixtures/a11y";

async function logIn(page: Page, email: string) {
  await page.goto("/log-ind");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Adgangskode", { exact: true }).fill("stemme-demo-2026");
  await page.getByRole("button", { name: "Log ind" }).click();
  await expect(page).toHaveURL(/\/konto$/);
}

/** Readable at 360 px: nothing scrolls sideways. */
async function noSidewaysScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${page.url()} overflows by ${overflow}px`).toBeLessThanOrEqual(0);
}

/** A phone in the room: joins with the code (an account is optional). */
async function joinByCode(browser: Browser, code: string, email?: string) {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  if (email) await logIn(page, email);
  await page.goto("/live");
  await page.getByLabel("Kode").fill(code.toLowerCase());
  await page.getByRole("button", { name: "Deltag", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/live/${code}$`));
  await expect(page.getByTestId("live-me")).toContainText("Du er Deltager");
  return { context, page };
}

test("Bytinget: five phones join by code, a speakers' list, a live vote on the projector, the result on the proposal", async ({ page, browser }) => {
  test.setTimeout(180_000);
  // A public proposal to put on the agenda (any published one).
  await page.goto("/forslag");
  const hrefs = await page.locator("a[href^='/forslag/']").evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
  const proposalId = hrefs.map((h) => h.match(/^\/forslag\/(\d+)$/)?.[1]).find(Boolean);
  expect(proposalId).toBeTruthy();

  // The coordinator opens Bytinget.
  const hostContext = await browser.newContext();
  const host = await hostContext.newPage();
  await logIn(host, "sekretariat@demo.stemme.dk");
  await host.goto("/live");
  await expectNoA11yViolations(host);
  const title = `Bytinget ${Date.now()}`;
  await host.getByLabel("Titel").fill(title);
  await host.getByRole("button", { name: "Start sessionen" }).click();
  await expect(host).toHaveURL(/\/live\/[A-Z0-9]{6}$/);
  const code = (await host.getByTestId("live-code").textContent())!.trim();
  expect(code).toMatch(/^[A-Z0-9]{6}$/);
  await expect(host.locator(".live-qr svg")).toBeVisible();
  await host.getByLabel("Eller forslag nr.").fill(proposalId!);
  await host.getByRole("button", { name: "Tilføj punkt" }).click();
  await expect(host.locator("section", { hasText: "Dagsorden" }).getByRole("link", { name: `#${proposalId}` })).toBeVisible();
  await expectNoA11yViolations(host);

  // The projector view, in its own window.
  const screenContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const screen = await screenContext.newPage();
  await logIn(screen, "sekretariat@demo.stemme.dk");
  await screen.goto(`/live/${code}/skaerm`);
  await waitForHydration(screen);
  await expect(screen.getByTestId("live-screen-code")).toHaveText(code);
  await expectNoA11yViolations(screen);

  // Five participants: three with accounts, two without.
  const phones = [
    await joinByCode(browser, code, "ung@demo.stemme.dk"),
    await joinByCode(browser, code, "elev@demo.stemme.dk"),
    await joinByCode(browser, code, "ungeraad2@demo.stemme.dk"),
    await joinByCode(browser, code),
    await joinByCode(browser, code),
  ];
  await expectNoA11yViolations(phones[3].page);
  await noSidewaysScroll(phones[3].page);
  await expect(screen.getByTestId("live-participants")).toHaveText("5 deltagere");

  // The speakers' list: two ask for the floor from their phones; the host moves the second
  // up and gives the floor.
  for (const i of [3, 1]) {
    await phones[i].page.getByRole("button", { name: "Sæt mig på talerlisten" }).click();
    await expect(phones[i].page.getByTestId("live-on-list")).toBeVisible();
  }
  await expect(screen.getByTestId("live-speakers").getByRole("listitem")).toHaveCount(2);
  await host.reload();
  const second = await host.locator(".live-host-speakers li").nth(1).textContent();
  const secondName = second!.match(/Deltager \d+/)![0];
  await host.getByRole("button", { name: `Op ${secondName}` }).click();
  await host.getByTestId("live-next").click();
  await expect(screen.getByTestId("live-speakers").getByRole("listitem").first()).toHaveText(`${secondName} — taler nu`);

  // A vote on the proposal, with the projector open: it counts without a reload.
  await host.getByLabel("Spørgsmål").fill("Skal Bytinget støtte forslaget?");
  await host.getByLabel("Om punktet").selectOption({ index: 1 });
  await host.getByRole("button", { name: "Start afstemningen" }).click();
  await expect(screen.getByTestId("live-status")).toContainText("Afstemningen er åben");
  await screen.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
  const choices = ["For", "For", "For", "Imod", "Undlader"];
  for (const [i, phone] of phones.entries()) {
    // The phone's page reloads itself when the vote opens; a reload here is what a slow phone does.
    await phone.page.reload();
    await phone.page.getByRole("button", { name: choices[i], exact: true }).click();
    await expect(phone.page.getByTestId("live-voted")).toBeVisible();
  }
  await expect(screen.getByTestId("live-ballots")).toHaveText("5");
  await expect(screen.getByTestId("live-votes")).toHaveText(["3", "1", "1"]);
  expect(await screen.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
  await expectNoA11yViolations(phones[0].page);
  await noSidewaysScroll(phones[0].page);

  // Closed: the proposal's timeline carries the tally.
  await host.getByRole("button", { name: "Luk afstemningen" }).click();
  await expect(screen.getByTestId("live-status")).toContainText("Afstemningen er lukket");
  await page.goto(`/forslag/${proposalId}`);
  await expect(page.getByTestId("timeline-live-vote")).toContainText("For 3, Imod 1, Undlader 1");
  await expect(page.getByText(`Afstemning på ${title}`)).toBeVisible();
  for (const phone of phones) await phone.context.close();
  await screenContext.close();
  await hostContext.close();
});

test("a class session: four pupils send ideas, the teacher approves three, dots decide, the top idea goes to the elevråd", async ({ browser }) => {
  test.setTimeout(180_000);
  // The coordinator makes Hanne a teacher (Lærer) at Søndervangskolen.
  const coordContext = await browser.newContext();
  const coord = await coordContext.newPage();
  await logIn(coord, "sekretariat@demo.stemme.dk");
  await coord.goto("/admin/brugere?q=moderator%40demo.stemme.dk");
  await coord.getByText("Giv rolle", { exact: true }).first().click();
  await coord.getByLabel("Rolle", { exact: true }).selectOption({ label: "Lærer" });
  await coord.getByLabel("Skole (for rollen Lærer)").selectOption({ label: "Søndervangskolen" });
  await coord.getByRole("button", { name: "Giv rolle" }).click();
  await expect(coord.getByText("Lærer (Søndervangskolen)")).toBeVisible();
  await coordContext.close();

  // The teacher opens a class session for 6.B.
  const teacherContext = await browser.newContext();
  const teacher = await teacherContext.newPage();
  await logIn(teacher, "moderator@demo.stemme.dk");
  await teacher.goto("/live");
  await teacher.getByLabel("Klassesession").check();
  await teacher.getByLabel("Titel").fill(`Klassens time ${Date.now()}`);
  await teacher.getByLabel("Klasse", { exact: true }).fill("6.B");
  await teacher.getByRole("button", { name: "Start sessionen" }).click();
  await expect(teacher).toHaveURL(/\/live\/[A-Z0-9]{6}$/);
  const code = (await teacher.getByTestId("live-code").textContent())!.trim();

  // Four pupils without accounts send one idea each.
  const stamp = Date.now();
  const ideas = [`Frugt i frikvarteret ${stamp}`, `Bænke i skolegården ${stamp}`, `Længere frikvarter ${stamp}`, `Mere fodbold ${stamp}`];
  const pupils = [];
  for (const idea of ideas) {
    const pupil = await joinByCode(browser, code);
    await pupil.page.getByLabel("Skriv en kort idé til klassen").fill(idea);
    await pupil.page.getByRole("button", { name: "Send idéen" }).click();
    await expect(pupil.page.getByText(idea)).toBeVisible();
    pupils.push(pupil);
  }
  await expectNoA11yViolations(pupils[0].page);
  await noSidewaysScroll(pupils[0].page);
  // Not shown to the class before the teacher approves.
  await pupils[1].page.reload();
  await expect(pupils[1].page.getByTestId("live-ideas")).toHaveCount(0);

  // The teacher approves three and rejects one, then opens dot-voting.
  await teacher.reload();
  for (const idea of ideas.slice(0, 3)) {
    await teacher.locator("li", { hasText: idea }).getByRole("button", { name: "Godkend" }).click();
    await expect(teacher.locator("li", { hasText: idea }).getByRole("button", { name: "Godkend" })).toHaveCount(0);
  }
  await teacher.locator("li", { hasText: ideas[3] }).getByRole("button", { name: "Afvis" }).click();
  await teacher.getByRole("button", { name: "Start prikafstemningen" }).click();
  await expectNoA11yViolations(teacher);

  // Dot-voting: the first idea gets three dots, the second two, the third one.
  const dots: number[][] = [[0, 1], [0], [0, 2], [1]];
  for (const [i, pupil] of pupils.entries()) {
    await pupil.page.reload();
    await expect(pupil.page.getByText(ideas[3])).toHaveCount(0);
    for (const d of dots[i]) {
      await pupil.page.locator("li", { hasText: ideas[d] }).getByRole("button", { name: "Giv en prik" }).click();
      await expect(pupil.page.locator("li", { hasText: ideas[d] }).getByRole("button", { name: "Tag prikken tilbage" })).toBeVisible();
    }
  }
  await expectNoA11yViolations(pupils[2].page);

  // The class sends its top idea to the school's elevråd, in the class's name.
  await teacher.reload();
  await expect(teacher.getByTestId("live-ideas").getByRole("listitem").first()).toContainText(ideas[0]);
  await expect(teacher.getByTestId("live-ideas").getByRole("listitem").first()).toContainText("3 prikker");
  await teacher.locator("li", { hasText: ideas[0] }).getByRole("button", { name: /Send til Elevrådet på Søndervangskolen/ }).click();
  await teacher.locator("li", { hasText: ideas[0] }).getByRole("link", { name: "Sendt — se forslaget" }).click();
  await expect(teacher).toHaveURL(/\/forslag\/\d+$/);
  await expect(teacher.getByRole("heading", { level: 1 })).toContainText(ideas[0]);
  await expect(teacher.getByText("Fra 6.B, Søndervangskolen")).toBeVisible();
  await expect(teacher.getByText("Elevrådet på Søndervangskolen").first()).toBeVisible();
  for (const pupil of pupils) await pupil.context.close();
  await teacherContext.close();
});
