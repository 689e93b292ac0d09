/**
 * The leadership dashboard end to end: a generated listening history goes in through the ops backfill API, and in
 * the ops console's dashboard page (headless Chromium) an operator picks a range, sees plays, streams, listeners,
 * CDN cost and ad figures drawn from the warehouse, reads that revenue has no data yet, and exports a CSV.
 */
import { readFileSync } from "node:fs";
import { demoHistoryChunks } from "@cadence/origin/src/history/demo-history";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { tokenFor } from "./support/api";
import { launchChromium, openPage, screenshot } from "./support/browser";

const platform = inject("platform");
let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe("/ops/dashboard", () => {
  it("shows the warehouse's figures for a range and exports them as CSV", async () => {
    const ops = await tokenFor(platform, "ops@demo.test");
    const now = Date.UTC(2026, 9, 20, 12);
    for (const chunk of demoHistoryChunks({ listeners: 40, now, seed: 11 }, 20_000)) {
      const res = await fetch(`${platform.apiUrl}/v1/ops/history/backfill?source=e2e.ndjson`, {
        method: "POST",
        headers: { authorization: `Bearer ${ops}`, "content-type": "application/x-ndjson" },
        body: chunk,
      });
      expect(res.status, await res.clone().text()).toBe(200);
    }

    const { page, context, errors } = await openPage(browser, `${platform.apiUrl}/ops/dashboard`);
    try {
      await page.click('button[data-email="ops@demo.test"]');
      const form = page.locator("#range-form");
      await form.getByLabel("From").fill("2026-09-01");
      await form.getByLabel("To").fill("2026-10-20");
      await form.getByLabel("By").selectOption("month");
      await form.getByRole("button", { name: "Show" }).click();
      const summary = page.locator("#summary");
      await summary.getByText("Qualified streams").waitFor();
      await page.getByRole("status").filter({ hasText: "2026-09-01 to 2026-10-20" }).waitFor();
      const plays = await summary
        .locator("div", { hasText: /^Plays/ })
        .locator("dd")
        .textContent();
      expect(Number((plays ?? "0").replaceAll(",", ""))).toBeGreaterThan(100);
      await expect
        .poll(() => summary.locator("div", { hasText: "ARPU" }).locator("dd").textContent())
        .toBe("no revenue data yet");
      expect(await page.locator("figure.chart svg").count()).toBeGreaterThanOrEqual(3);
      expect(await page.getByRole("cell", { name: "2026-10" }).count()).toBeGreaterThan(0);

      const download = page.waitForEvent("download");
      await page.getByRole("button", { name: "Export CSV" }).click();
      const csv = readFileSync((await (await download).path()) as string, "utf8");
      expect(csv).toContain("period,plays,qualified_streams,active_listeners");
      expect(csv).toContain("2026-09,");
      expect(csv).toContain("revenue,no revenue data yet");
      await screenshot(page, "ops-dashboard", { docs: "ops-dashboard" });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
