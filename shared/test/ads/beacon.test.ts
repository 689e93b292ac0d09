/** Beacon verification answers with problem codes: each refusal's status is the one problem-codes.ts gives its code. */
import { describe, expect, it } from "vitest";
import { signBeacon, verifyBeacon } from "../../src/ads/beacon";
import { isProblemCode, problemStatus } from "../../src/problem-codes";

const SECRET = "test-beacon-secret-0123456789";

describe("verifyBeacon", () => {
  it("accepts a beacon as signed, and refuses the rest with problem codes", async () => {
    const now = Date.now();
    const claims = { adServingId: "srv-1", campaignId: "cmp_1", event: "impression" as const, exp: now + 60_000 };
    const sig = await signBeacon(SECRET, claims);
    const params = { id: claims.adServingId, c: claims.campaignId, exp: String(claims.exp), sig };
    expect(await verifyBeacon(SECRET, { event: "impression", ...params }, now)).toEqual({ ok: true, claims });

    const expiredSig = await signBeacon(SECRET, { ...claims, exp: now - 1 });
    const cases: Array<[Parameters<typeof verifyBeacon>[1], string, number]> = [
      [{ event: "teleport", ...params }, "unknown-beacon-event", 400],
      [{ event: "impression", ...params, id: undefined }, "malformed-beacon", 400],
      [{ event: "impression", ...params, sig: "A".repeat(43) }, "beacon-signature-invalid", 403],
      [{ event: "impression", ...params, sig: "short" }, "beacon-signature-invalid", 403],
      [{ event: "complete", ...params }, "beacon-signature-invalid", 403],
      [{ event: "impression", ...params, exp: String(now - 1), sig: expiredSig }, "beacon-expired", 410],
    ];
    for (const [input, code, status] of cases) {
      const check = await verifyBeacon(SECRET, input, now);
      expect(check, code).toMatchObject({ ok: false, code, status });
      if (!check.ok) {
        expect(isProblemCode(check.code)).toBe(true);
        expect(problemStatus(check.code)).toBe(status);
      }
    }
  });

  it("refuses a beacon signed with another secret", async () => {
    const now = Date.now();
    const claims = { adServingId: "srv-2", campaignId: "cmp_2", event: "start" as const, exp: now + 60_000 };
    const sig = await signBeacon("another-secret-0123456789", claims);
    const check = await verifyBeacon(
      SECRET,
      { event: "start", id: claims.adServingId, c: claims.campaignId, exp: String(claims.exp), sig },
      now,
    );
    expect(check).toMatchObject({ ok: false, code: "beacon-signature-invalid", status: 403 });
  });
});
