/**
 * This worker's numeric settings, parsed once per isolate through the shared settings readers: a missing value takes
 * the default documented in wrangler.toml, a wrong one fails the request with a message naming the variable.
 */
import { intSetting, settingsCache } from "@cadence/shared/config/settings";
import type { Env } from "./context";

export interface AdsSettings {
  /** How long a served ad's budget and frequency-cap slot stay reserved without an impression or notUsed. */
  reservationTtlMs: number;
}

export const adsSettings = settingsCache(
  (env: Pick<Env, "ADS_RESERVATION_TTL_SECONDS">): AdsSettings => ({
    reservationTtlMs:
      intSetting("ADS_RESERVATION_TTL_SECONDS", env.ADS_RESERVATION_TTL_SECONDS, {
        fallback: 900,
        min: 1,
        max: 86_400,
      }) * 1000,
  }),
);
