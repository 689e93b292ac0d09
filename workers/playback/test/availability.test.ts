import type { AvailabilityRule } from "@cadence/shared/catalog/edge-track";
import { describe, expect, it } from "vitest";
import { requestGeo } from "../src/play/geo";
import { listenerToken, problemOf, publishTrack, requestMaster } from "./helpers";

const rule = (overrides: Partial<AvailabilityRule>): AvailabilityRule => ({
  territories: ["Worldwide"],
  excluded: [],
  tiers: ["free", "premium", "hifi"],
  useTypes: ["OnDemandStream"],
  ...overrides,
});
const DAY = 86_400_000;

describe("territory and window rules (country from request.cf; x-cadence-country in development/test)", () => {
  it("plays where licensed and answers 451 with the reason elsewhere", async () => {
    const track = await publishTrack({ availability: { rules: [rule({ territories: ["DE", "AT"] })] } });
    const token = await listenerToken();
    expect((await requestMaster(track.id, { token, headers: { "x-cadence-country": "DE" } })).status).toBe(200);
    const res = await requestMaster(track.id, { token, headers: { "x-cadence-country": "FR" } });
    expect(res.status).toBe(451);
    expect(await problemOf(res)).toMatchObject({
      code: "not-available-in-territory",
      reason: "territory",
      country: "FR",
    });
  });

  it("honours Worldwide minus excluded territories", async () => {
    const track = await publishTrack({ availability: { rules: [rule({ excluded: ["JP"] })] } });
    const token = await listenerToken();
    expect((await requestMaster(track.id, { token, headers: { "x-cadence-country": "BR" } })).status).toBe(200);
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

  it("answers 403 for a tier the deal does not license (ad-supported-only vs subscription-only)", async () => {
    const adOnly = await publishTrack({ availability: { rules: [rule({ tiers: ["free"] })] } });
    const premium = await requestMaster(adOnly.id, { token: await listenerToken({ tier: "premium" }) });
    expect(premium.status).toBe(403);
    expect((await problemOf(premium)).code).toBe("tier-not-licensed");
    expect((await requestMaster(adOnly.id, { token: await listenerToken({ tier: "free" }) })).status).toBe(200);
  });

  it("uses the request's country, not the account's", async () => {
    const track = await publishTrack({ availability: { rules: [rule({ territories: ["US"] })] } });
    const germanAccount = await listenerToken({ country: "DE" });
    expect(
      (await requestMaster(track.id, { token: germanAccount, headers: { "x-cadence-country": "US" } })).status,
    ).toBe(200);
  });

  it("ignores the country header outside development and test", () => {
    const request = new Request("http://playback.test/", { headers: { "x-cadence-country": "FR" } });
    expect(requestGeo(request, true).country).toBe("FR");
    expect(requestGeo(request, false).country).not.toBe("FR");
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
