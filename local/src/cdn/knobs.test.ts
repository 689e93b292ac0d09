import { describe, expect, it } from "vitest";
import { DEFAULT_KNOBS, knobsFromEnv } from "./knobs";

describe("CDN knobs from env", () => {
  it("defaults to a healthy CDN and reads every knob", () => {
    expect(knobsFromEnv({})).toEqual(DEFAULT_KNOBS);
    expect(
      knobsFromEnv({
        CDN_LATENCY_MS: "150",
        CDN_FAILURE_RATE: "0.25",
        CDN_DOWN: "true",
        CDN_DOWN_MODE: "connection-reset",
      }),
    ).toMatchObject({ latencyMs: 150, failureRate: 0.25, down: true, downMode: "connection-reset" });
  });

  it("names the bad knob", () => {
    expect(() => knobsFromEnv({ CDN_FAILURE_RATE: "lots" })).toThrow(/failureRate/);
    expect(() => knobsFromEnv({ CDN_DOWN_MODE: "sideways" })).toThrow(/downMode/);
  });
});
