/**
 * This worker's numeric settings, parsed once per isolate through the shared settings readers: a missing value takes
 * the default documented in wrangler.toml, a wrong one fails with a message naming the variable.
 */
import { numberSetting, settingsCache } from "@cadence/shared/config/settings";
import type { Env } from "./context";

export interface IngestSettings {
  /** Consumer retry backoff base: attempt n waits base * 2^(n-1) seconds (capped by the consumer). */
  retryDelayBaseSeconds: number;
}

export const ingestSettings = settingsCache(
  (env: Pick<Env, "EVENTS_RETRY_DELAY_SECONDS">): IngestSettings => ({
    retryDelayBaseSeconds: numberSetting("EVENTS_RETRY_DELAY_SECONDS", env.EVENTS_RETRY_DELAY_SECONDS, {
      fallback: 2,
      min: 0,
      max: 300,
    }),
  }),
);
