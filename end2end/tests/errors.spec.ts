import { expect, test, type Page } from "@playwright/test";
import { expectNoA11yViolations, waitForHydration } from "./fixtures/a11y";

// A refused form speaks the language the person chose: the server sends a code, and the page
// writes it from the same translation files as the rest of the interface.

const year = new Date().getFullYear();
const unique = (tag: string) => `${tag}.${Date.now()}.${Math.floor(Math.random() * 1e6)}@e2e.stemme.dk`;

/** Opens `path` and switches the interface to English with the language link. */
async function inEnglish(page: Page, path: string) {
  await page.goto(path);
  await page.getByRole("link", { name: "English" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
}

async function signUp(page: Page, name: string, age: number, email: string, password: string) {
  await page.getByLabel("First name").fill(name);
  await page.getByLabel("Birth year").fill(String(year - age));
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
}

test("a 12-year-old with the English interface is told in English, next to the field", async ({ page }) => {
  await inEnglish(page, "/tilmeld");
  await waitForHydration(page);
  await signUp(page, "Bo", 12, unique("en12"), "my long password 12");
  const error = page.locator("#f-birth_year-error");
  await expect(error).toContainText("You must be at least 13 to sign up yourself.");
  await expect(error).not.toContainText("mindst 13 år");
  await expect(page.getByLabel("Birth year")).toHaveAttribute("aria-invalid", "true");
  await expect(page).toHaveURL(/\/tilmeld/);
  await expectNoA11yViolations(page);
});

test("a wrong password is refused in English", async ({ page }) => {
  await inEnglish(page, "/log-ind");
  await waitForHydration(page);
  await page.getByLabel("E-mail").fill("sekretariat@demo.stemme.dk");
  await page.getByLabel("Password", { exact: true }).fill("completely wrong password");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.locator("#f-password-error")).toHaveText("Wrong e-mail or password.");
  await expectNoA11yViolations(page);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a refused sign-up comes back in English, filled in", async ({ page }) => {
    await inEnglish(page, "/tilmeld");
    await signUp(page, "Bo", 12, unique("nojs-en12"), "my long password 12");
    await expect(page.locator("#f-birth_year-error")).toContainText("You must be at least 13");
    await expect(page.getByLabel("First name")).toHaveValue("Bo");
    // axe runs inside the page, so it needs JavaScript; the same refused page is checked
    // with it on in the first test.
  });
});
