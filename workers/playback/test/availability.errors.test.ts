/**
 * Plays the licence does not allow, each with its code: 451 outside the territories and before the release window,
 * 410 after it and after a takedown, 403 for a tier the deal does not license; and a malformed country header.
 */
import { describe, expect, it } from "vitest";
import { DAY, rule } from "./availability-rules";
import { listenerToken, problemOf, publishTrack, requestMaster } from "./helpers";

describe("territory and window refusals", () => {
  it("answers 451 with the reason outside the licensed territories", async () => {
    const track = await publishTrack({ availability: { rules: [rule({ territories: ["DE", "AT"] })] } });
    const token = await listenerToken();
    const res = await requestMaster(track.id, { token, headers: { "x-cadence-country": "FR" } });
    expect(res.status).toBe(451);
    expect(await problemOf(res)).toMatchObject({
      code: "not-available-in-territory",
      reason: "territory",
      country: "FR",
    });
  });

  it("answers 451 in a territory Worldwide excludes", async () => {
    const track = await publishTrack({ availability: { rules: [rule({ excluded: ["JP"] })] } });
    const token = await listenerToken();
    expect((await requestMaster(track.id, { token, headers: { "x-cadence-country": "JP" } })).status).toBe(451);
  });

  it("answers 451 not-yet-released before the window opens, with the date", async () => {
    const start = Date.now() + 3 * DAY;
    const track = await publishTrack({ availability: { rules: [rule({ start })] } });
    const res = await requestMaster(track.id, { token: await listenerToken() });
    expect(res.status).toBe(451);
    expect(await problemOf(res)).toMatchObject({
      code: "not-yet-released",
      available_from: new Date(start).toISOString(),
    });
  });

  it("answers 410 once the window has closed everywhere it applied, and for a takedown", async () => {
    const ended = await publishTrack({
      availability: { rules: [rule({ start: Date.now() - 9 * DAY, end: Date.now() - DAY })] },
    });
    const res = await requestMaster(ended.id, { token: await listenerToken() });
    expect(res.status).toBe(410);
    const takenDown = await publishTrack({ availability: { rules: [rule({})], takedownAt: Date.now() - 1000 } });
    const down = await requestMaster(takenDown.id, { token: await listenerToken() });
    expect(down.status).toBe(410);
    expect((await problemOf(down)).code).toBe("taken-down");
  });

  it("answers 403 for a tier the deal does not license (ad-supported-only refuses premium)", async () => {
    const adOnly = await publishTrack({ availability: { rules: [rule({ tiers: ["free"] })] } });
    const premium = await requestMaster(adOnly.id, { token: await listenerToken({ tier: "premium" }) });
    expect(premium.status).toBe(403);
    expect(await problemOf(premium)).toMatchObject({ code: "not-available-on-tier", reason: "tier-not-licensed" });
  });

  it("refuses a malformed country header", async () => {
    const track = await publishTrack();
    const res = await requestMaster(track.id, {
      token: await listenerToken(),
      headers: { "x-cadence-country": "Germany" },
    });
    expect(res.status).toBe(400);
  });
});
