/**
 * The decision endpoint as a player uses it: VAST 4.2 with a pod of audio ads for a targeted listener, the bare
 * no-fill answer, frequency caps that hold under concurrent requests, and creatives that must fit the break. Bad input
 * and edge state failures: vast.errors.test.ts; requests without a token: vast.security.test.ts. (The XSD and
 * vast-client checks of real answers run in the e2e suite.)
 */

import { NO_FILL_VAST } from "@cadence/shared/ads/vast";
import { beforeEach, describe, expect, it } from "vitest";
import { resetIsolateState } from "../src/decision";
import { campaign, creative, isolatedAudience, listenerToken, publish, vast } from "./helpers";

beforeEach(() => resetIsolateState());

describe("GET /v1/ads/vast", () => {
  it("answers a targeted listener with a VAST 4.2 pod of audio ads in sequence", async () => {
    const audience = await isolatedAudience();
    const { country } = audience;
    const first = campaign(audience, {
      cpmMinor: 5000,
      category: "cars",
      advertiserDomain: "a.example",
      advertiserId: "adv-a",
    });
    const second = campaign(audience, {
      cpmMinor: 3000,
      category: "food",
      advertiserDomain: "b.example",
      advertiserId: "adv-b",
    });
    await publish(first, second);
    const res = await vast(await listenerToken({ country }), audience, "max_ads=3&max_duration=60");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/xml; charset=utf-8");
    expect(res.headers.get("cache-control")).toContain("no-store");
    const xml = await res.text();
    expect(xml).toContain('<VAST version="4.2" xmlns="http://www.iab.com/VAST">');
    const ads = [...xml.matchAll(/<Ad id="([^"]+)" sequence="(\d)" adType="audio">/g)].map((m) => [m[1], m[2]]);
    expect(ads).toEqual([
      [first.id, "1"],
      [second.id, "2"],
    ]);
    const servingIds = [...xml.matchAll(/<AdServingId>([^<]+)<\/AdServingId>/g)].map((m) => m[1]);
    expect(new Set(servingIds).size).toBe(2);
    expect(xml).toContain('<UniversalAdId idRegistry="cadence.example">');
    expect(xml).toContain("%5BERRORCODE%5D");
  });

  it("answers the bare VAST when nothing is eligible", async () => {
    const audience = await isolatedAudience();
    const { country } = audience;
    await publish(
      campaign(audience, {
        targeting: {
          countries: [country],
          tiers: ["premium"],
          genres: [audience.genre],
          dayparts: [],
          deviceTypes: [],
        },
      }),
    );
    const res = await vast(await listenerToken({ country, tier: "free" }), audience);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(NO_FILL_VAST);
    expect(res.headers.get("x-ad-fill")).toBe("0");
  });

  it("never serves one listener more than the frequency cap, even with 20 requests at once", async () => {
    const audience = await isolatedAudience();
    const { country } = audience;
    await publish(campaign(audience, { frequencyCaps: [{ count: 2, windowSeconds: 3600 }] }));
    const token = await listenerToken({ country });
    // Warm this isolate's campaign index first (while it loads, concurrent requests get no fill rather than wait).
    await vast(await listenerToken({ country }), audience, "max_ads=1");
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => vast(token, audience, "max_ads=1").then((r) => r.text())),
    );
    expect(answers.filter((x) => x.includes("<Ad ")).length).toBe(2);
  });

  it("skips creatives longer than the break allows", async () => {
    const audience = await isolatedAudience();
    const { country } = audience;
    await publish(campaign(audience, { creatives: [{ ...creative(), durationMs: 30_000 }] }));
    const token = await listenerToken({ country });
    expect(await (await vast(token, audience, "max_duration=20")).text()).toBe(NO_FILL_VAST);
    expect(await (await vast(token, audience, "max_duration=30")).text()).toContain(
      "<Duration>00:00:30.000</Duration>",
    );
  });
});
