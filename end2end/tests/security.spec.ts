import { expect, test, type Page } from "@playwright/test";
import { expectNoA11yViolations, waitForHydration } from "./fixtures/a11y";

/** Collects Content-Security-Policy violations the page reports. */
async function watchCsp(page: Page) {
  const violations: string[] = [];
  page.on("console", (msg) => {
    if (/Content Security Policy|Refused to/i.test(msg.text())) {
      violations.push(`${msg.text()} [${msg.location().url}]`);
    }
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      console.error(`Refused to load (CSP) on ${location.pathname}: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  return violations;
}

test("pages carry a nonce-based CSP and still hydrate without a single violation", async ({ page }) => {
  const violations = await watchCsp(page);
  const response = await page.goto("/forslag");
  const csp = response?.headers()["content-security-policy"] ?? "";
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9_-]{16,}' 'wasm-unsafe-eval'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(response?.headers()["x-content-type-options"]).toBe("nosniff");
  await waitForHydration(page);

  // An island still works under the policy.
  await page.goto("/log-ind");
  await waitForHydration(page);
  await page.getByRole("button", { name: "Vis adgangskode" }).click();
  await expect(page.getByLabel("Adgangskode", { exact: true })).toHaveAttribute("type", "text");

  // Each response has its own nonce.
  const again = await page.request.get("/forslag");
  expect(again.headers()["content-security-policy"]).not.toEqual(csp);
  expect(violations).toEqual([]);
});

test("the coordinator reads the decision log; others are turned away", async ({ page }) => {
  const violations = await watchCsp(page);
  await page.goto("/log-ind");
  await page.getByLabel("E-mail").fill("sekretariat@demo.stemme.dk");
  await page.getByLabel("Adgangskode", { exact: true }).fill("stemme-demo-2026");
  await page.getByRole("button", { name: "Log ind" }).click();
  await expect(page).toHaveURL(/\/konto$/);

  // A decision: a new school.
  await page.goto("/admin/skoler");
  // A name of its own, so the test can be repeated on the same database.
  await page.getByLabel("Skolens navn").fill(`Logskolen ${test.info().repeatEachIndex}`);
  await page.getByRole("button", { name: "Tilføj skole" }).click();
  await expect(page.getByRole("status")).toBeVisible();

  await page.goto("/admin/log");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Log over beslutninger");
  const log = page.getByTestId("audit-log");
  await expect(log.getByRole("row").filter({ hasText: "Skole oprettet" }).first()).toContainText("Lars");
  await expectNoA11yViolations(page);
  await page.setViewportSize({ width: 360, height: 740 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);

  // Someone else gets no log.
  await page.context().clearCookies();
  await page.goto("/log-ind");
  await page.getByLabel("E-mail").fill("moderator@demo.stemme.dk");
  await page.getByLabel("Adgangskode", { exact: true }).fill("stemme-demo-2026");
  await page.getByRole("button", { name: "Log ind" }).click();
  await expect(page).toHaveURL(/\/konto$/);
  await page.goto("/admin/log");
  await expect(page.getByTestId("audit-log")).toHaveCount(0);
  await expect(page.getByText("Denne side er kun for kommunens sekretariat.")).toBeVisible();
  expect(violations).toEqual([]);
});
