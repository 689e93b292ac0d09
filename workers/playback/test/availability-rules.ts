/** Availability rules for the availability tests: Worldwide, every tier, on-demand streaming, unless overridden. */
import type { AvailabilityRule } from "@cadence/shared/catalog/edge-track";

export const rule = (overrides: Partial<AvailabilityRule>): AvailabilityRule => ({
  territories: ["Worldwide"],
  excluded: [],
  tiers: ["free", "premium", "hifi"],
  useTypes: ["OnDemandStream"],
  ...overrides,
});

export const DAY = 86_400_000;
