/**
 * The api worker's settings, parsed once per isolate through the shared settings readers: where the origin is (and the
 * secret it is called with), where browsers reach the other workers, and which local CDN stand-ins have knobs. A
 * wrong value fails the request with a message naming the variable instead of being quietly replaced.
 */
import { CDN_IDS, type CdnId, isCdnId } from "@cadence/shared/cdn/cdn-id";
import { devOverridesEnabled } from "@cadence/shared/config/deployment";
import { listSetting, requiredSetting, SettingError, settingsCache, urlSetting } from "@cadence/shared/config/settings";
import type { ServiceTarget } from "@cadence/shared/trust/service-call";
import type { Env } from "./context";

export interface ApiSettings {
  /** The origin, called with the service token. */
  origin: ServiceTarget;
  /** Where browsers reach the playback, ingest-events and ads workers; "" = the page's own origin. */
  playbackPublicUrl: string;
  eventsPublicUrl: string;
  adsPublicUrl: string;
  /** Local CDN stand-ins whose knobs ops may drive; none outside development and test. */
  cdnStandIns: Partial<Record<CdnId, string>>;
}

type SettingsEnv = Pick<
  Env,
  | "ENVIRONMENT"
  | "ORIGIN_URL"
  | "SERVICE_TOKEN"
  | "PLAYBACK_PUBLIC_URL"
  | "EVENTS_PUBLIC_URL"
  | "ADS_PUBLIC_URL"
  | "CDN_STAND_IN_URLS"
>;

export const apiSettings = settingsCache(
  (env: SettingsEnv): ApiSettings => ({
    origin: {
      baseUrl: urlSetting("ORIGIN_URL", env.ORIGIN_URL),
      token: requiredSetting("SERVICE_TOKEN", env.SERVICE_TOKEN),
    },
    playbackPublicUrl: publicUrl("PLAYBACK_PUBLIC_URL", env.PLAYBACK_PUBLIC_URL),
    eventsPublicUrl: publicUrl("EVENTS_PUBLIC_URL", env.EVENTS_PUBLIC_URL),
    adsPublicUrl: publicUrl("ADS_PUBLIC_URL", env.ADS_PUBLIC_URL),
    cdnStandIns: standIns(env),
  }),
);

/** An absolute URL, or "" for the page's own origin (the edge front door routes by path). */
function publicUrl(name: string, value: string | undefined): string {
  return value === undefined || value.trim() === "" ? "" : urlSetting(name, value);
}

/** `CDN_STAND_IN_URLS` = `cloudfront=http://127.0.0.1:8091,akamai=http://127.0.0.1:8092`; read in development only. */
function standIns(env: SettingsEnv): Partial<Record<CdnId, string>> {
  if (!devOverridesEnabled(env)) return {};
  const entries = listSetting(
    "CDN_STAND_IN_URLS",
    env.CDN_STAND_IN_URLS,
    (part) => {
      const [cdn, url] = part.split("=").map((s) => s.trim());
      if (!cdn || !url || !isCdnId(cdn)) {
        throw new SettingError(
          "CDN_STAND_IN_URLS",
          `CDN_STAND_IN_URLS: "${part}" must be <cdn>=<url> with a cdn of ${CDN_IDS.join(", ")}.`,
        );
      }
      return [cdn, urlSetting("CDN_STAND_IN_URLS", url)] as const;
    },
    [],
  );
  return Object.fromEntries(entries);
}
