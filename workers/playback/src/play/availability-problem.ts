/**
 * Turns the catalog's availability verdict (shared/src/catalog/availability.ts) into the problem the listener sees:
 * 451 `not-available-in-territory` and 451 `not-yet-released` (licensing restrictions; the body says which, and from
 * when), 403 `not-available-on-tier` for a tier the deal does not license, 410 `taken-down` for a takedown or a
 * licence that has ended. The verdict's own reason travels along as `reason`.
 */
import type { NotPlayableReason, Playability } from "@cadence/shared/catalog/availability";
import { Problem, type ProblemCode } from "@cadence/shared/problem";

const CODE = {
  territory: "not-available-in-territory",
  "not-yet-released": "not-yet-released",
  "tier-not-licensed": "not-available-on-tier",
  "taken-down": "taken-down",
} as const satisfies Record<NotPlayableReason, ProblemCode>;

export function unplayableProblem(verdict: Playability & { ok: false }, ctx: { country: string; tier: string }) {
  return new Problem(CODE[verdict.reason], verdict.detail, {
    extensions: {
      reason: verdict.reason,
      country: ctx.country,
      tier: ctx.tier,
      ...(verdict.availableFrom !== undefined ? { available_from: new Date(verdict.availableFrom).toISOString() } : {}),
    },
  });
}
