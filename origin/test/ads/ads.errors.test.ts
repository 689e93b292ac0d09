/**
 * What the advertiser API refuses from a valid caller: campaign input that does not validate (400s that say what to
 * fix), unknown campaigns (404), report ranges that are not dates, and uploads that are empty, not audio, not a 15 or
 * 30 s spot, or of the wrong content type.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { adsOrigin, campaignBody, day, tone } from "./helpers";

type AdsOrigin = Awaited<ReturnType<typeof adsOrigin>>;
let call: AdsOrigin["call"];
let uploadCreative: AdsOrigin["uploadCreative"];
let demo: string;
let ops: string;

beforeAll(async () => {
  ({ call, uploadCreative, demo, ops } = await adsOrigin());
});

describe("campaigns", () => {
  it("refuses bad input with 400s that say what to fix", async () => {
    const bad = async (body: unknown) => {
      const res = await call("POST", "/v1/advertiser/campaigns", demo, body);
      expect(res.status).toBe(400);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      return (await res.json()) as { detail: string; errors?: Array<{ path: string }> };
    };
    expect((await bad(campaignBody({ flight_end: new Date(Date.now() - 2 * day).toISOString() }))).detail).toContain(
      "flight_end",
    );
    expect((await bad(campaignBody({ daily_budget_minor: 200_000 }))).detail).toContain("daily_budget_minor");
    expect((await bad(campaignBody({ cpm_minor: 12.5 }))).detail).toContain("cpm_minor");
    expect((await bad(campaignBody({ priority: "platinum" }))).errors?.[0]?.path).toBe("body.priority");
    expect((await bad(campaignBody({ creative_ids: ["cr_doesnotexist"] }))).detail).toContain("cr_doesnotexist");
    expect((await bad(campaignBody({ frequency_caps: [{ count: 1, window_seconds: 5 }] }))).detail).toContain(
      "window_seconds",
    );
    expect((await bad(campaignBody({ surprise: true }))).detail).toContain("surprise");
    const ops400 = await call("POST", "/v1/advertiser/campaigns", ops, campaignBody());
    expect(ops400.status).toBe(400);
  });

  it("refuses absurd values with a reason instead of accepting or changing them", async () => {
    const refused = async (body: unknown) => {
      const res = await call("POST", "/v1/advertiser/campaigns", demo, body);
      expect(res.status).toBe(400);
      return ((await res.json()) as { detail: string }).detail;
    };
    expect(await refused(campaignBody({ total_budget_minor: 99_999_999_999_999 }))).toBe(
      "total_budget_minor must be at most 1,000,000,000 minor units (10,000,000.00); a larger budget is almost certainly a typo.",
    );
    expect(await refused(campaignBody({ frequency_caps: [{ count: -3, window_seconds: 3600 }] }))).toBe(
      "count must be at least 1: a cap counts the ads one listener may hear in the window.",
    );
    const tooLong = await refused(campaignBody({ name: "n".repeat(201) }));
    expect(tooLong).toBe("name must be at most 200 characters long.");
  });

  it("an unknown campaign is 404", async () => {
    expect((await call("GET", "/v1/advertiser/campaigns/cmp_nope", demo)).status).toBe(404);
  });

  it("a report for a range that is not dates is 400", async () => {
    const created = (await (await call("POST", "/v1/advertiser/campaigns", demo, campaignBody())).json()) as {
      id: string;
    };
    expect((await call("GET", `/v1/advertiser/campaigns/${created.id}/report?from=2026-13-01`, demo)).status).toBe(400);
  });
});

describe("creatives", () => {
  it("an upload without a body is 400", async () => {
    const res = await call("POST", "/v1/advertiser/creatives?name=Loud%20tone", demo, undefined, {
      "content-type": "audio/wav",
    });
    expect(res.status).toBe(400); // no body
  });

  it("refuses spots that are not 15 or 30 s, files that are not audio, and the wrong content type", async () => {
    const post = (body: BodyInit, type = "audio/wav") => uploadCreative(demo, "x", body, type);
    const short = await post(tone(10, "short.wav"));
    expect(short.status).toBe(422);
    expect(await short.json()).toMatchObject({ code: "creative-duration" });
    const junk = await post(new TextEncoder().encode("this is not audio at all"));
    expect(junk.status).toBe(422);
    const junkBody = (await junk.json()) as { code: string; detail: string };
    expect(junkBody).toMatchObject({
      code: "creative-not-audio",
      detail: "The upload is not audio that can be read: send a 15 or 30 s spot as WAV, FLAC, MP3 or AAC.",
    });
    expect((await post(new Uint8Array([1, 2, 3]), "text/plain")).status).toBe(415);
  }, 60_000);
});
