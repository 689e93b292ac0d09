/**
 * The three pages as people meet them: served by the api worker with their security headers, usable by keyboard
 * alone, laid out for a phone without sideways scrolling, and free of serious accessibility faults as axe-core
 * judges them (labels, names, contrast, landmarks).
 */
import AxeBuilder from "@axe-core/playwright";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchChromium, openPage, screenshot } from "./support/browser";

const platform = inject("platform");
const PHONE = { width: 390, height: 844 };
const PAGES = [
  { path: "/", name: "player", account: "premium@demo.test", ready: "#app:not([hidden])" },
  { path: "/ops", name: "ops", account: "ops@demo.test", ready: "#app:not([hidden])" },
  { path: "/advertiser", name: "advertiser", account: "advertiser@demo.test", ready: "#app:not([hidden])" },
] as const;

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
}

describe("pages served by the api worker", () => {
  it.each(PAGES)("$path is HTML from static assets with a content security policy", async ({ path }) => {
    const res = await fetch(`${platform.apiUrl}${path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(res.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("API routes are not shadowed by the pages: unknown /v1 paths stay problem+json 404s", async () => {
    const res = await fetch(`${platform.apiUrl}/v1/no-such-route`);
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
  });
});

describe("sign-in by keyboard on a phone, and accessibility", () => {
  it.each(PAGES)("$name: sign in with the keyboard only, no sideways scrolling, no serious axe findings", async (p) => {
    const { page, context, errors } = await openPage(browser, `${platform.apiUrl}${p.path}`, PHONE);
    try {
      expect(await seriousViolations(page)).toEqual([]); // the sign-in form
      // Keyboard only: focus the email field, type, Tab to the password, type, Enter submits.
      await page.focus("#login-email");
      await page.keyboard.type(p.account);
      await page.keyboard.press("Tab");
      await page.keyboard.type("demo-password");
      await page.keyboard.press("Enter");
      await page.waitForSelector(p.ready);
      await page.waitForLoadState("networkidle");
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, `${p.name}-phone`);
      expect(errors, `${p.name} page errors`).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("a wrong password is refused with the server's message, announced as an alert", async () => {
    const { page, context } = await openPage(browser, `${platform.apiUrl}/`);
    try {
      await page.fill("#login-email", "free@demo.test");
      await page.fill("#login-password", "not-the-password");
      await page.press("#login-password", "Enter");
      await page.locator("form.login [role=alert]", { hasText: /password|credentials/i }).waitFor();
      expect(await page.locator("#app").isHidden()).toBe(true);
      await screenshot(page, "player-wrong-password");
    } finally {
      await context.close();
    }
  });

  it("the ops console refuses an account without the ops scope", async () => {
    const { page, context } = await openPage(browser, `${platform.apiUrl}/ops`);
    try {
      await page.fill("#login-email", "premium@demo.test");
      await page.fill("#login-password", "demo-password");
      await page.press("#login-password", "Enter");
      await page.locator("form.login [role=alert]", { hasText: "no ops scope" }).waitFor();
      expect(await page.locator("#app").isHidden()).toBe(true);
      await screenshot(page, "ops-refused");
    } finally {
      await context.close();
    }
  });
});
