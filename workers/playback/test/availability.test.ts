/** Where and for whom a track plays: licensed territories, Worldwide minus exclusions, tiers, the request's country. */
import { describe, expect, it } from "vitest";
import { rule } from "./availability-rules";
import { listenerToken, publishTrack, requestMaster } from "./helpers";

describe("territory and window rules (country from request.cf; x-cadence-country in development/test)", () => {
  it("plays where licensed", async () => {
    const track = await publishTrack({ availability: { rules: [rule({ territories: ["DE", "AT"] })] } });
    const token = await listenerToken();
    expect((await requestMaster(track.id, { token, headers: { "x-cadence-country": "DE" } })).status).toBe(200);
  });

  it("honours Worldwide minus excluded territories: plays outside the exclusions", async () => {
    const track = await publishTrack({ availability: { rules: [rule({ excluded: ["JP"] })] } });
    const token = await listenerToken();
    expect((await requestMaster(track.id, { token, headers: { "x-cadence-country": "BR" } })).status).toBe(200);
  });

  it("admits the tier an ad-supported-only deal licenses (free)", async () => {
    const adOnly = await publishTrack({ availability: { rules: [rule({ tiers: ["free"] })] } });
    expect((await requestMaster(adOnly.id, { token: await listenerToken({ tier: "free" }) })).status).toBe(200);
  });

  it("uses the request's country, not the account's", async () => {
    const track = await publishTrack({ availability: { rules: [rule({ territories: ["US"] })] } });
    const germanAccount = await listenerToken({ country: "DE" });
    expect(
      (await requestMaster(track.id, { token: germanAccount, headers: { "x-cadence-country": "US" } })).status,
    ).toBe(200);
  });
});
