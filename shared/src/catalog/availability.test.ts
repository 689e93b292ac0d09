/**
 * `isPlayable`: the rule the edge applies to every play. Each case is a deal shape a label really sends.
 */
import { describe, expect, it } from "vitest";
import { isPlayable } from "./availability";
import type { Availability, AvailabilityRule } from "./edge-track";

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 1);

const rule = (over: Partial<AvailabilityRule> = {}): AvailabilityRule => ({
  territories: ["Worldwide"],
  excluded: [],
  tiers: ["free", "premium", "hifi"],
  useTypes: ["OnDemandStream"],
  ...over,
});
const track = (rules: AvailabilityRule[], takedownAt?: number) => ({
  availability: { rules, ...(takedownAt === undefined ? {} : { takedownAt }) } satisfies Availability,
});

describe("isPlayable", () => {
  it("plays a worldwide deal for every tier", () => {
    for (const tier of ["free", "premium", "hifi"] as const) {
      expect(isPlayable(track([rule()]), "DE", tier, NOW)).toEqual({ ok: true });
    }
  });

  it("territory: listed countries only, and Worldwide minus excluded codes", () => {
    const listed = track([rule({ territories: ["US", "CA"] })]);
    expect(isPlayable(listed, "US", "free", NOW).ok).toBe(true);
    expect(isPlayable(listed, "us", "free", NOW).ok).toBe(true);
    expect(isPlayable(listed, "DE", "free", NOW)).toMatchObject({ ok: false, reason: "territory" });
    const excluded = track([rule({ excluded: ["GB"] })]);
    expect(isPlayable(excluded, "GB", "hifi", NOW)).toMatchObject({ ok: false, reason: "territory" });
    expect(isPlayable(excluded, "FR", "hifi", NOW).ok).toBe(true);
  });

  it("territory: a deal for downloads only does not license a stream", () => {
    const downloads = track([rule({ useTypes: ["PermanentDownload"] })]);
    expect(isPlayable(downloads, "US", "premium", NOW)).toMatchObject({ ok: false, reason: "territory" });
    expect(isPlayable(track([rule({ useTypes: ["Stream"] })]), "US", "premium", NOW).ok).toBe(true);
  });

  it("window: not yet released before the start, playable from it, with the date in the answer", () => {
    const start = NOW + 3 * DAY;
    const future = track([rule({ start })]);
    const before = isPlayable(future, "US", "free", NOW);
    expect(before).toMatchObject({ ok: false, reason: "not-yet-released", availableFrom: start });
    expect(before.ok === false && before.detail).toContain(new Date(start).toISOString());
    expect(isPlayable(future, "US", "free", start).ok).toBe(true);
  });

  it("window: the end date is exclusive and then the track counts as taken down", () => {
    const end = NOW + DAY;
    const ending = track([rule({ end })]);
    expect(isPlayable(ending, "US", "premium", end - 1).ok).toBe(true);
    expect(isPlayable(ending, "US", "premium", end)).toMatchObject({ ok: false, reason: "taken-down" });
  });

  it("tier: subscription-only refuses free; ad-supported-only refuses premium and hifi", () => {
    const subscription = track([rule({ tiers: ["premium", "hifi"] })]);
    expect(isPlayable(subscription, "US", "free", NOW)).toMatchObject({ ok: false, reason: "tier-not-licensed" });
    expect(isPlayable(subscription, "US", "hifi", NOW).ok).toBe(true);
    const adSupported = track([rule({ tiers: ["free"] })]);
    expect(isPlayable(adSupported, "US", "premium", NOW)).toMatchObject({ ok: false, reason: "tier-not-licensed" });
    expect(isPlayable(adSupported, "US", "free", NOW).ok).toBe(true);
  });

  it("tier windows: a free tier that opens later is 'not yet released' for free, playable for premium now", () => {
    const windowed = track([rule({ tiers: ["premium", "hifi"] }), rule({ tiers: ["free"], start: NOW + 30 * DAY })]);
    expect(isPlayable(windowed, "US", "premium", NOW).ok).toBe(true);
    expect(isPlayable(windowed, "US", "free", NOW)).toMatchObject({ ok: false, reason: "not-yet-released" });
    expect(isPlayable(windowed, "US", "free", NOW + 30 * DAY).ok).toBe(true);
  });

  it("territory-specific deals combine: US free+premium, DE premium only", () => {
    const combined = track([
      rule({ territories: ["US"], tiers: ["free", "premium", "hifi"] }),
      rule({ territories: ["DE"], tiers: ["premium", "hifi"] }),
    ]);
    expect(isPlayable(combined, "US", "free", NOW).ok).toBe(true);
    expect(isPlayable(combined, "DE", "free", NOW)).toMatchObject({ ok: false, reason: "tier-not-licensed" });
    expect(isPlayable(combined, "DE", "premium", NOW).ok).toBe(true);
    expect(isPlayable(combined, "JP", "premium", NOW)).toMatchObject({ ok: false, reason: "territory" });
  });

  it("takedown wins from its date, whatever the deals say", () => {
    const takenDown = track([rule()], NOW);
    expect(isPlayable(takenDown, "US", "hifi", NOW - 1).ok).toBe(true);
    expect(isPlayable(takenDown, "US", "hifi", NOW)).toMatchObject({ ok: false, reason: "taken-down" });
    expect(isPlayable(track([], NOW), "JP", "free", NOW)).toMatchObject({ ok: false, reason: "taken-down" });
  });

  it("no deals at all: not licensed anywhere", () => {
    expect(isPlayable(track([]), "US", "premium", NOW)).toMatchObject({ ok: false, reason: "territory" });
  });
});
