import { expect, test, type Page } from "@playwright/test";
import { expectNoA11yViolations, waitForHydration } from "./fixtures/a11y";

const year = new Date().getFullYear();
const unique = (tag: string) => `${tag}.${Date.now()}.${Math.floor(Math.random() * 1e6)}@e2e.stemme.dk`;

async function fillSignup(page: Page, name: string, age: number, email: string, password: string) {
  await page.getByLabel("Fornavn").fill(name);
  await page.getByLabel("Fødselsår").fill(String(year - age));
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Adgangskode", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Opret konto" }).click();
}

test("a 16-year-old signs up, logs out, logs in and sees their name", async ({ page }) => {
  const email = unique("sofie");
  await page.goto("/tilmeld");
  await waitForHydration(page);
  await expectNoA11yViolations(page);
  await fillSignup(page, "Sofie", 16, email, "min lange kode 16");

  await expect(page).toHaveURL(/\/konto$/);
  await expect(page.getByText("Hej, Sofie")).toBeVisible();
  const header = page.getByRole("banner");
  await expect(header.getByRole("link", { name: /Sofie/ })).toBeVisible();
  await expect(page.getByText("Din konto venter på bekræftelse")).toHaveCount(0);
  await expectNoA11yViolations(page);

  await header.getByRole("button", { name: "Log ud" }).click();
  await expect(header.getByRole("link", { name: "Log ind" })).toBeVisible();

  await header.getByRole("link", { name: "Log ind" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Log ind");
  await expectNoA11yViolations(page);
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Adgangskode", { exact: true }).fill("min lange kode 16");
  await page.getByRole("button", { name: "Log ind" }).click();
  await expect(page).toHaveURL(/\/konto$/);
  await expect(header.getByRole("link", { name: /Sofie/ })).toBeVisible();
  await expect(page.getByText(email)).toBeVisible();
});

test("a 14-year-old's account shows the confirmation rule", async ({ page }) => {
  await page.goto("/tilmeld");
  await waitForHydration(page);
  await fillSignup(page, "Ida", 14, unique("ida"), "min lange kode 14");
  await expect(page).toHaveURL(/\/konto$/);
  await expect(page.getByRole("heading", { name: "Din konto venter på bekræftelse" })).toBeVisible();
  await expect(page.getByText(/skal bekræfte din konto, før du kan skrive forslag/)).toBeVisible();
  await expectNoA11yViolations(page);
});

test("a 12-year-old is told, next to the field, who can create the account", async ({ page }) => {
  await page.goto("/tilmeld");
  await waitForHydration(page);
  await fillSignup(page, "Bo", 12, unique("bo"), "min lange kode 12");
  const error = page.locator("#f-birth_year-error");
  await expect(error).toContainText("mindst 13 år");
  await expect(page.getByLabel("Fødselsår")).toHaveAttribute("aria-invalid", "true");
  await expect(page).toHaveURL(/\/tilmeld/);
  await expectNoA11yViolations(page);
});

test("a wrong password shows a Danish error", async ({ page }) => {
  await page.goto("/log-ind");
  await waitForHydration(page);
  await page.getByLabel("E-mail").fill("sekretariat@demo.stemme.dk");
  await page.getByLabel("Adgangskode", { exact: true }).fill("helt forkert kode");
  await page.getByRole("button", { name: "Log ind" }).click();
  await expect(page.locator("#f-password-error")).toHaveText("Forkert e-mail eller adgangskode.");
  await expectNoA11yViolations(page);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("sign-up, wrong login and login all work as plain forms", async ({ page }) => {
    const email = unique("nojs");
    await page.goto("/tilmeld");
    await fillSignup(page, "Noa", 17, email, "uden javascript 17");
    await expect(page).toHaveURL(/\/konto$/);
    await expect(page.getByText("Hej, Noa")).toBeVisible();

    await page.getByRole("banner").getByRole("button", { name: "Log ud" }).click();
    await expect(page.getByRole("banner").getByRole("link", { name: "Log ind" })).toBeVisible();

    await page.goto("/log-ind");
    await page.getByLabel("E-mail").fill(email);
    await page.getByLabel("Adgangskode", { exact: true }).fill("forkert forkert");
    await page.getByRole("button", { name: "Log ind" }).click();
    await expect(page.locator("#f-password-error")).toHaveText("Forkert e-mail eller adgangskode.");

    await page.getByLabel("E-mail").fill(email);
    await page.getByLabel("Adgangskode", { exact: true }).fill("uden javascript 17");
    await page.getByRole("button", { name: "Log ind" }).click();
    await expect(page).toHaveURL(/\/konto$/);
    await expect(page.getByRole("banner").getByRole("link", { name: /Noa/ })).toBeVisible();
  });

  test("a refused sign-up shows the reason next to the field", async ({ page }) => {
    await page.goto("/tilmeld");
    await fillSignup(page, "Bo", 12, unique("nojs12"), "min lange kode 12");
    await expect(page.locator("#f-birth_year-error")).toContainText("mindst 13 år");
  });
});

test("the coordinator finds an under-15 account awaiting confirmation in the user list", async ({ page }) => {
  await page.goto("/log-ind");
  await waitForHydration(page);
  await page.getByLabel("E-mail").fill("sekretariat@demo.stemme.dk");
  await page.getByLabel("Adgangskode", { exact: true }).fill("stemme-demo-2026");
  await page.getByRole("button", { name: "Log ind" }).click();
  await expect(page).toHaveURL(/\/konto$/);
  await page.getByRole("banner").getByRole("link", { name: "Administration" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Brugere");
  await expectNoA11yViolations(page);
  await page.getByLabel("Søg på navn eller e-mail").fill("ida14@demo");
  await page.getByRole("button", { name: "Søg" }).click();
  await expect(page.getByRole("heading", { name: "Ida", level: 2 })).toBeVisible();
  await expect(page.getByRole("button", { name: "Bekræft konto (Ida)" })).toBeVisible();
});
