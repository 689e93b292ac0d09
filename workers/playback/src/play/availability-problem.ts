/**
 * Turns the catalog's availability verdict (shared/src/catalog/availability.ts) into the problem the listener sees:
 * 451 for territory and for a release window not open yet (licensing restrictions; the body says which, and from
 * when), 403 for a tier the deal does not license, 410 for a takedown or a licence that has ended.
 */
import type { Playability } from "@cadence/shared/catalog/availability";
import { Problem } from "@cadence/shared/problem";

const STATUS = { territory: 451, "not-yet-released": 451, "tier-not-licensed": 403, "taken-down": 410 } as const;
const CODE = {
  territory: "not-available-in-territory",
  "not-yet-released": "not-yet-released",
  "tier-not-licensed": "tier-not-licensed",
  "taken-down": "taken-down",
} as const;

export function unplayableProblem(verdict: Playability & { ok: false }, ctx: { country: string; tier: string }) {
  return new Problem(STATUS[verdict.reason], CODE[verdict.reason], verdict.detail, {
    extensions: {
      reason: verdict.reason,
      country: ctx.country,
      tier: ctx.tier,
      ...(verdict.availableFrom !== undefined ? { available_from: new Date(verdict.availableFrom).toISOString() } : {}),
    },
  });
}
