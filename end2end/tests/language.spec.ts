import { expect, test } from "@playwright/test";
import { expectNoA11yViolations, waitForHydration } from "./fixtures/a11y";

test("the password toggle is an island: it appears and works only after hydration", async ({ page }) => {
  await page.goto("/log-ind");
  const toggle = page.getByRole("button", { name: "Vis adgangskode" });
  await waitForHydration(page);
  await expect(toggle).toBeVisible();
  const password = page.getByLabel("Adgangskode", { exact: true });
  await password.fill("hemmelig kode");
  await expect(password).toHaveAttribute("type", "password");

  await toggle.click();
  await expect(password).toHaveAttribute("type", "text");
  const hide = page.getByRole("button", { name: "Skjul adgangskode" });
  await expect(hide).toHaveAttribute("aria-pressed", "true");
  await expectNoA11yViolations(page);
  await hide.click();
  await expect(password).toHaveAttribute("type", "password");
});

test("islands hydrate even when the browser is never idle", async ({ page }) => {
  // A main thread that is never idle: idle callbacks without a deadline never run, those with
  // one run when it passes. Leptos asks without a deadline; the page's own script adds one.
  await page.addInitScript(() => {
    window.requestIdleCallback = ((cb: IdleRequestCallback, opts?: IdleRequestOptions) =>
      opts?.timeout === undefined
        ? 0
        : window.setTimeout(() => cb({ didTimeout: true, timeRemaining: () => 0 }), opts.timeout)) as typeof window.requestIdleCallback;
  });
  await page.goto("/log-ind");
  await waitForHydration(page);
  await expect(page.getByRole("button", { name: "Vis adgangskode" })).toBeVisible();
});

test("switching to English and back keeps you on the same page", async ({ page }) => {
  await page.goto("/puljen");
  await waitForHydration(page);
  await page.getByRole("link", { name: "English" }).click();
  await expect(page).toHaveURL(/\/puljen$/);
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("The youth council's pool");
  await expect(page.getByRole("navigation", { name: "Main menu" }).getByRole("link", { name: "Proposals" })).toBeVisible();
  await expectNoA11yViolations(page);

  // The choice is remembered.
  await page.goto("/om");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("About Stemme");

  await page.getByRole("link", { name: "Dansk" }).click();
  await expect(page).toHaveURL(/\/om$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Om Stemme");
  await expect(page.locator("html")).toHaveAttribute("lang", "da");
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the page is complete and the language switch is a working link", async ({ page }) => {
    await page.goto("/om");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Om Stemme");
    await expect(page.locator("body[data-hydrated]")).toHaveCount(0);

    await page.getByRole("link", { name: "English" }).click();
    await expect(page).toHaveURL(/\/om$/);
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("About Stemme");

    await page.getByRole("link", { name: "Dansk" }).click();
    await expect(page).toHaveURL(/\/om$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Om Stemme");
  });

  test("the password toggle stays hidden when it cannot work", async ({ page }) => {
    await page.goto("/log-ind");
    await expect(page.getByLabel("Adgangskode", { exact: true })).toBeVisible();
    await expect(page.getByRole("button", { name: "Vis adgangskode" })).toHaveCount(0);
  });
});
