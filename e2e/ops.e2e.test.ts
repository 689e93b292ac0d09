/**
 * The ops console end to end: an operator changes how traffic is weighted for a region and new listening sessions
 * follow it within seconds (seen in the web player's pathway); the change is in the audit log with who made it and
 * what it was before; a change that does not add up is refused with the reason next to the field.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { apiJson, tokenFor } from "./support/api";
import { launchChromium, openPage, screenshot } from "./support/browser";
import { E2E_RELEASE } from "./support/catalog-fixture";
import { playTrack, signIn, waitForView } from "./support/web-player";

const platform = inject("platform");
const TRACK = E2E_RELEASE.tracks[1]!.title;

let browser: Browser;
const contexts: Array<{ close(): Promise<void> }> = [];
beforeAll(async () => {
  browser = await launchChromium();
});
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});
afterAll(async () => {
  // Leave steering as the suite found it.
  const ops = await tokenFor(platform, "ops@demo.test");
  await fetch(`${platform.apiUrl}/v1/ops/steering/regions/US`, {
    method: "DELETE",
    headers: { authorization: `Bearer ${ops}` },
  });
  await browser?.close();
});

async function opsConsole(): Promise<{ page: Page; errors: string[] }> {
  const { page, context, errors } = await openPage(browser, `${platform.apiUrl}/ops`);
  contexts.push(context);
  await page.click('button[data-email="ops@demo.test"]');
  await page.locator("#override-form").waitFor();
  return { page, errors };
}

/** Sets fixed shares for US in the console's override form (empty inputs cleared). */
async function setUsShares(page: Page, shares: Partial<Record<string, number>>) {
  const form = page.locator("#override-form");
  await form.getByLabel("Region").selectOption("US");
  for (const [cdn, label] of [
    ["cloudfront", "CloudFront"],
    ["akamai", "Akamai"],
    ["cloudflare", "Cloudflare"],
  ] as const) {
    await form
      .getByRole("group", { name: /Fixed shares/ })
      .getByLabel(label, { exact: true })
      .fill(String(shares[cdn] ?? ""));
  }
  await form.getByRole("button", { name: "Save overrides" }).click();
  const outcome = form.locator(".form-status.form-ok, .form-status.form-error");
  await outcome.waitFor();
  expect(await outcome.getAttribute("class"), (await outcome.textContent()) ?? "").toContain("form-ok");
}

/** A new premium session in the web player; resolves to the pathway its segments start on. */
async function newSessionPathway(): Promise<string> {
  const { page, context } = await openPage(browser, `${platform.apiUrl}/`);
  try {
    await signIn(page, "premium@demo.test");
    await playTrack(page, TRACK);
    const v = await waitForView(page, (x) => x.mediaTime > 0.5 && x.pathway !== "—", "the track to play");
    return v.pathway;
  } finally {
    await context.close();
  }
}

interface SteeringState {
  mode: string;
  scores: Array<{ cdn: string; status: string; sharePercent: number; reasons: string[] }>;
}

async function usState(): Promise<SteeringState> {
  const ops = await tokenFor(platform, "ops@demo.test");
  return apiJson<SteeringState>(`${platform.apiUrl}/v1/ops/steering/state?country=US&continent=NA`, ops);
}

async function untilNewSessionsStartOn(cdn: string): Promise<void> {
  // The edge reads steering through a 5 s per-isolate cache: a new session follows the change within seconds.
  const deadline = Date.now() + 30_000;
  let last = "";
  while (Date.now() < deadline) {
    last = await newSessionPathway();
    if (last === cdn) return;
  }
  throw new Error(
    `new sessions still start on ${last}, not ${cdn}; steering for US: ${JSON.stringify(await usState())}`,
  );
}

describe("steering changes from the ops console", () => {
  it("ops weight all of US onto one CDN: new sessions follow; the change is audited with who and what before", async () => {
    // Two CDNs steering considers healthy now (an earlier test may have taken a stand-in down: steering then keeps
    // it out for its hysteresis window, whatever the weights say, as it should).
    const healthy = (await usState()).scores.filter((s) => s.status === "eligible").map((s) => s.cdn);
    const [from, to] = ["akamai", "cloudfront", "cloudflare"].filter((cdn) => healthy.includes(cdn));
    if (!from || !to) throw new Error(`fewer than two healthy CDNs for US: ${healthy.join(", ")}`);
    const { page, errors } = await opsConsole();
    await setUsShares(page, { [from]: 100 });
    await untilNewSessionsStartOn(from);
    await setUsShares(page, { [to]: 100 });
    await untilNewSessionsStartOn(to);

    // The audit log (newest first) shows both changes by the ops account, each with the value it replaced.
    await page.reload();
    await page.locator("#audit-table").waitFor();
    const rows = page.locator("#audit-table tbody tr");
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
    const newest = (await rows.nth(0).textContent()) ?? "";
    expect(newest).toContain("ops@demo.test");
    expect(newest).toContain("steering.region.replace");
    expect(newest).toContain(`"${to}":100`);
    expect(newest).toContain(`"${from}":100`); // the value it replaced
    const label = { akamai: "Akamai", cloudfront: "CloudFront", cloudflare: "Cloudflare" }[to];
    const shares = page.locator("#shares");
    await expect.poll(() => shares.textContent(), { timeout: 15_000 }).toMatch(new RegExp(`${label}\\s*100(\\.0)?%`));

    // Listening feeds the measurements: the player's QoE events reach steering, and the console charts them.
    const listener = await openPage(browser, `${platform.apiUrl}/`);
    contexts.push(listener.context);
    await signIn(listener.page, "premium@demo.test");
    await playTrack(listener.page, TRACK);
    await waitForView(listener.page, (v) => v.mediaTime > 6, "a few segments to play");
    await listener.page.click("#send-events");
    await waitForView(listener.page, (v) => v.pendingEvents === 0, "the QoE events to be sent");
    // The time-to-first-byte chart (the first) draws once the region has measurements.
    await page.locator("#quality figure").first().locator("svg[role=img]").waitFor({ timeout: 30_000 });
    await screenshot(page, "ops-console", { docs: "ops" });
    expect(errors).toEqual([]);
  });

  it("weights that do not add up, and a share over 100, are refused with the reason at the field", async () => {
    const ops = await tokenFor(platform, "ops@demo.test");
    const before = await apiJson<{ version: number; weights: { cost: number } }>(
      `${platform.apiUrl}/v1/ops/steering`,
      ops,
    );
    const { page } = await opsConsole();
    const weights = page.locator("#weights-form");
    await weights.getByLabel("Cost weight (%)").fill("70");
    await weights.getByLabel("Quality weight (%)").fill("50");
    await weights.getByRole("button", { name: "Save weights" }).click();
    await weights.locator(".form-status.form-error", { hasText: "add up to 100" }).waitFor();

    await weights.getByLabel("Cost weight (%)").fill("150");
    await weights.getByRole("button", { name: "Save weights" }).click();
    const cost = weights.getByLabel("Cost weight (%)");
    await expect.poll(() => cost.getAttribute("aria-invalid")).toBe("true");
    expect(await weights.locator(".field-error").first().textContent()).toMatch(/100/);
    await screenshot(page, "ops-validation");

    const after = await apiJson<{ version: number; weights: { cost: number } }>(
      `${platform.apiUrl}/v1/ops/steering`,
      ops,
    );
    expect(after.version).toBe(before.version); // nothing was applied
    expect(after.weights.cost).toBe(before.weights.cost);
  });
});
