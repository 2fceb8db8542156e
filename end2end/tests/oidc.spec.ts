import { expect, test, type Page } from "@playwright/test";
import { expectNoA11yViolations } from "./fixtures/a11y";

// Logging in with UNI-Login and MitID through a real OpenID provider (oidc-provider.mjs,
// started by playwright.config.ts): two clients mimic UNI-Login (a pupil with school and
// role) and a MitID broker (a birth date). The provider's own login page takes a login that
// says who the person is: `elev:<institution>:<role>:<name>` or `mitid:<age>:<name>`.

const run = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;

/** Clicks the provider's button on /log-ind, logs in on the provider's page. */
async function loginThrough(page: Page, provider: "UNI-Login" | "MitID", login: string) {
  await page.goto("/log-ind");
  await page.getByRole("link", { name: `Log ind med ${provider}` }).click();
  // The provider's own page.
  await page.getByLabel("Login").fill(login);
  await page.getByLabel("Password").fill("test");
  await page.getByRole("button", { name: "Sign-in" }).click();
}

test("a pupil logs in with UNI-Login and lands as Elev at their school, without a coordinator step", async ({
  page,
  browser,
}) => {
  const tag = run();
  const school = `UNI-skolen ${tag}`;
  const institution = `U${tag}`.slice(0, 30);

  // The coordinator adds the school and gives it its UNI-Login institution number.
  await page.goto("/log-ind");
  await expectNoA11yViolations(page);
  await page.getByLabel("E-mail").fill("sekretariat@demo.stemme.dk");
  await page.getByLabel("Adgangskode", { exact: true }).fill("stemme-demo-2026");
  await page.getByRole("button", { name: "Log ind", exact: true }).click();
  await expect(page).toHaveURL(/\/konto$/);
  await page.goto("/admin/skoler");
  await page.getByLabel("Skolens navn").fill(school);
  await page.getByRole("button", { name: "Tilføj skole" }).click();
  await expect(page.getByRole("status")).toBeVisible();
  const card = page.getByTestId("admin-schools").getByRole("listitem").filter({ hasText: school });
  await card.getByLabel("Institutionsnummer (UNI-Login)").fill(institution);
  await card.getByRole("button", { name: "Gem institutionsnummer" }).click();
  await expect(
    page.getByTestId("admin-schools").getByRole("listitem").filter({ hasText: school }),
  ).toContainText(institution);
  await expectNoA11yViolations(page);

  // The pupil, in a browser of their own.
  const context = await browser.newContext();
  const pupil = await context.newPage();
  const name = `Anna${tag}`.slice(0, 40);
  await loginThrough(pupil, "UNI-Login", `elev:${institution}:elev:${name}`);
  await expect(pupil).toHaveURL(/\/konto\?ny=1$/);
  await expect(pupil.getByTestId("welcome")).toBeVisible();
  // UNI-Login gave no e-mail address: the page says so instead of asking to verify one.
  await expect(pupil.getByTestId("mail-none")).toBeVisible();
  const roles = pupil.getByRole("heading", { name: "Dine roller" }).locator("xpath=following-sibling::ul[1]");
  await expect(roles).toContainText("Elev");
  await expect(pupil.locator("dl.facts")).toContainText(school);
  await expect(pupil.getByTestId("linked-logins")).toContainText("UNI-Login");
  await expect(pupil.getByTestId("linked-logins")).toContainText("din eneste måde at logge ind på");
  await expectNoA11yViolations(pupil);
  // Active at once: the pupil may write a proposal.
  await pupil.goto("/forslag/nyt");
  await expect(pupil.getByRole("button", { name: "Send forslaget" })).toBeVisible();
  await context.close();
});

test("MitID: a 16-year-old lands as Ung; a 12-year-old is refused with the reason", async ({ browser }) => {
  const tag = run();
  const sixteen = await browser.newContext();
  const page = await sixteen.newPage();
  await loginThrough(page, "MitID", `mitid:16:Sofie${tag}`);
  await expect(page).toHaveURL(/\/konto\?ny=1$/);
  const roles = page.getByRole("heading", { name: "Dine roller" }).locator("xpath=following-sibling::ul[1]");
  await expect(roles).toHaveText("Ung");
  await expect(page.getByText("Venter på bekræftelse")).toHaveCount(0);
  await sixteen.close();

  const twelve = await browser.newContext();
  const child = await twelve.newPage();
  await loginThrough(child, "MitID", `mitid:12:Emil${tag}`);
  await expect(child).toHaveURL(/\/log-ind\?login-fejl=too_young$/);
  await expect(child.getByTestId("login-refusal")).toHaveText("Du skal være mindst 13 år for at bruge Stemme.");
  // Not logged in: the account page asks to log in.
  await expectNoA11yViolations(child);
  await child.goto("/konto");
  await expect(child.getByRole("link", { name: "Log ind" }).first()).toBeVisible();
  await twelve.close();
});

test("logging out ends the session at the provider too; the next login asks again", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const login = `mitid:19:Ud${run()}`;
  await loginThrough(page, "MitID", login);
  await expect(page).toHaveURL(/\/konto\?ny=1$/);
  await page.getByRole("button", { name: "Log ud" }).click();
  // The provider asks to confirm its own logout, then sends the browser back to Stemme.
  await page.getByRole("button", { name: /Yes, sign me out/ }).click();
  await expect(page).toHaveURL(/127\.0\.0\.1:\d+\/$/);
  // Logged out at the provider: its login page shows again.
  await page.goto("/log-ind");
  await page.getByRole("link", { name: "Log ind med MitID" }).click();
  await expect(page.getByLabel("Login")).toBeVisible();
  await context.close();
});
