import { expect, test } from "@playwright/test";
import { expectNoA11yViolations, waitForHydration } from "./fixtures/a11y";

const pages = [
  { path: "/", heading: "Børn og unges stemmer skal høres" },
  { path: "/forslag", heading: "Forslag" },
  { path: "/raad", heading: "Råd og møder" },
  { path: "/puljen", heading: "Ungerådets pulje" },
  { path: "/om", heading: "Om Stemme" },
  { path: "/tilgaengelighed", heading: "Tilgængelighedserklæring" },
  { path: "/afmeld", heading: "Afmeld mails" },
];

for (const { path, heading } of pages) {
  test(`${path} renders in Danish with no axe violations`, async ({ page }) => {
    await page.goto(path);
    await expect(page.locator("html")).toHaveAttribute("lang", "da");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(heading);
    await waitForHydration(page);
    await expectNoA11yViolations(page);
  });
}

test("navigation links lead to every section, with the current one marked", async ({ page }) => {
  await page.goto("/");
  const nav = page.getByRole("navigation", { name: "Hovedmenu" });
  for (const [name, heading] of [
    ["Forslag", "Forslag"],
    ["Råd og møder", "Råd og møder"],
    ["Puljen", "Ungerådets pulje"],
    ["Om", "Om Stemme"],
  ]) {
    await nav.getByRole("link", { name, exact: true }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(heading);
    await expect(nav.getByRole("link", { name, exact: true })).toHaveAttribute("aria-current", "page");
  }
  await page.getByRole("contentinfo").getByRole("link", { name: "Tilgængelighedserklæring" }).click();
  await expect(page).toHaveURL(/\/tilgaengelighed$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Tilgængelighedserklæring");
});

test("unknown pages say so in Danish, with status 404", async ({ page }) => {
  const response = await page.goto("/findes-ikke");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Siden findes ikke");
  await expectNoA11yViolations(page);
});

test("keyboard: the first Tab reaches the skip link, which moves focus to the content", async ({ page }) => {
  await page.goto("/om");
  await waitForHydration(page);
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Gå til indhold" });
  await expect(skip).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/#indhold$/);
});

test("readable at 360 px: nothing scrolls sideways", async ({ browser }) => {
  // 14 pages, each checked with axe: ~16 s on an idle machine.
  test.setTimeout(120_000);
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true });
  const page = await context.newPage();
  for (const path of ["/", "/forslag", "/forslag/nyt", "/forslag/4", "/forslag/9", "/raad", "/raad/3", "/moeder/1", "/moeder/2", "/notifikationer", "/puljen", "/puljen/ansoeg", "/bliver-vi-hoert", "/tilgaengelighed"]) {
    await page.goto(path);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `${path} overflows by ${overflow}px`).toBeLessThanOrEqual(0);
    await expectNoA11yViolations(page);
  }
  await context.close();
});

test("the wasm, js and css have hashed names, are served brotli-compressed and cached for a year", async ({ request }) => {
  const html = await (await request.get("/")).text();
  const hashed = (ext: string) => {
    const m = html.match(new RegExp(`/pkg/stemme\\.[A-Za-z0-9_-]{22}\\.${ext}`));
    expect(m, `no hashed .${ext} in the page`).not.toBeNull();
    return m![0];
  };
  expect(html).toMatch(new RegExp(`<link[^>]*rel="stylesheet"[^>]*href="${hashed("css")}"`));
  for (const ext of ["wasm", "js", "css"]) {
    const res = await request.get(hashed(ext), { headers: { "Accept-Encoding": "br" } });
    expect(res.status()).toBe(200);
    expect(res.headers()["content-encoding"]).toBe("br");
    expect(res.headers()["cache-control"]).toBe("public, max-age=31536000, immutable");
    if (ext === "wasm") expect(res.headers()["content-type"]).toContain("application/wasm");
  }
  const favicon = await request.get("/favicon.svg");
  expect(favicon.headers()["cache-control"]).toBe("public, max-age=3600");
});
