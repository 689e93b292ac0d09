/**
 * The licence path's abuse signals reach the fraud review: signals the playback worker recorded in Redis appear in
 * the fraud report's `license_abuse` for the report's days (by limit, by account, most recent), and signals outside
 * the days do not.
 */
import { LICENSE_ABUSE_KEY, type LicenseAbuseSignal } from "@cadence/shared/drm/license-abuse";
import { SERVICE_TOKEN_HEADER } from "@cadence/shared/trust/service-call";
import { describe, expect, it } from "vitest";
import { freshOrigin } from "../helpers";

describe("licence abuse in the fraud report", () => {
  it("lists the accounts whose licence requests passed a limit in the report's days", async () => {
    const origin = await freshOrigin();
    const sub = `listener-${crypto.randomUUID()}`;
    const today = new Date().toISOString().slice(0, 10);
    const signals: LicenseAbuseSignal[] = [
      { at: Date.now(), sub, session: "ps-1", device: "phone", limit: "tracks" },
      { at: Date.now(), sub, session: "ps-2", device: "tablet", limit: "devices" },
      { at: Date.parse("2020-01-01T00:00:00Z"), sub, session: "ps-0", device: "phone", limit: "session" },
    ];
    for (const s of signals) await origin.services.redis.lpush(LICENSE_ABUSE_KEY, JSON.stringify(s));
    const res = await origin.request(`/v1/internal/fraud/report?from=${today}&to=${today}&limit=500`, {
      headers: { [SERVICE_TOKEN_HEADER]: origin.config.SERVICE_TOKEN },
    });
    expect(res.status).toBe(200);
    const report = (await res.json()) as {
      license_abuse: { accounts: Array<{ user_id: string }>; recent: Array<{ user_id: string; limit: string }> };
    };
    expect(report.license_abuse.accounts).toContainEqual({
      user_id: sub,
      signals: 2,
      limits: { tracks: 1, devices: 1 },
    });
    const mine = report.license_abuse.recent.filter((r) => r.user_id === sub).map((r) => r.limit);
    expect(mine.sort()).toEqual(["devices", "tracks"]);
  });
});
