import { expect, test } from "@playwright/test";
import { expectNoA11yViolations, waitForHydration } from "./fixtures/a11y";

test("after hydration, the language switch changes the text in place (no page load)", async ({ page }) => {
  await page.goto("/puljen");
  await waitForHydration(page);
  // A marker that only survives if the page is not reloaded.
  await page.evaluate(() => ((window as any).__stemmeMarker = 42));

  await page.getByRole("link", { name: "English" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("The youth council's pool");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page).toHaveURL(/\/puljen$/);
  expect(await page.evaluate(() => (window as any).__stemmeMarker)).toBe(42);
  await expectNoA11yViolations(page);

  // The choice is remembered by the server on the next load.
  await page.reload();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("The youth council's pool");

  await waitForHydration(page);
  await page.getByRole("link", { name: "Dansk" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Ungerådets pulje");
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
    await expectNoA11yViolations(page);

    await page.getByRole("link", { name: "Dansk" }).click();
    await expect(page).toHaveURL(/\/om$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Om Stemme");
  });
});
