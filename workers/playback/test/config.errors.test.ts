/**
 * The worker's settings (core/config.ts, read with the shared settings readers): defaults where a value is unset,
 * and a wrong value refused with a 500 whose cause names the variable, never replaced by a default.
 */
import { env } from "cloudflare:workers";
import type { Problem } from "@cadence/shared/problem";
import { describe, expect, it } from "vitest";
import type { Env } from "../src/context";
import { playbackConfig } from "../src/core/config";

function refusal(overrides: Partial<Env>): { status: number; cause: string } {
  try {
    playbackConfig({ ...env, ...overrides });
  } catch (err) {
    const problem = err as Problem;
    return { status: problem.status, cause: String((problem.cause as Error | undefined)?.message) };
  }
  throw new Error("the settings were accepted");
}

describe("playback settings", () => {
  it("reads the configured values, with defaults for the optional ones", () => {
    const config = playbackConfig({ ...env, AD_BREAK_MAX_ADS: undefined as unknown as string });
    expect(config.pathwayOrder).toEqual(env.PATHWAY_ORDER.split(","));
    expect(config.mintRatePerMinute).toBe(Number(env.MINT_RATE_LIMIT_PER_MINUTE));
    expect(config.adBreak.maxAds).toBe(2);
  });

  it("refuses a wrong value with a 500 that names the variable", () => {
    expect(refusal({ MINT_RATE_LIMIT_PER_MINUTE: "lots" })).toMatchObject({
      status: 500,
      cause: expect.stringContaining("MINT_RATE_LIMIT_PER_MINUTE"),
    });
    expect(refusal({ PATHWAY_ORDER: "cloudfront,cloudfront" }).cause).toContain("distinct");
    expect(refusal({ PATHWAY_ORDER: "cloudfront,fastly" }).cause).toContain("PATHWAY_ORDER");
    expect(refusal({ CONCURRENT_SESSIONS: "gold=2" }).cause).toContain("CONCURRENT_SESSIONS");
    expect(refusal({ CDN_BIND_CLIENT_IP: "maybe" }).cause).toContain("CDN_BIND_CLIENT_IP");
    expect(refusal({ AD_BREAK_INTERVAL_MINUTES: "soon" }).cause).toContain("AD_BREAK_INTERVAL_MINUTES");
  });
});
