/**
 * Eligibility: may this campaign serve this listener now? Flight, status, budget left and every targeting dimension
 * (country, tier, genres of the current track, daypart in the listener's local time, device type). Pure and cheap:
 * it runs for many campaigns on every decision, so it allocates nothing on the common path.
 */
import type { Tier } from "../auth/claims";
import type { DeviceType, EdgeCampaign } from "./model";

export interface ListenerContext {
  /** Account id (token `sub`): the key of frequency caps. */
  sub: string;
  tier: Tier;
  /** ISO 3166-1 alpha-2 country where the listener is. */
  country: string;
  /** IANA time zone of the listener, for dayparts. */
  timeZone: string;
  deviceType: DeviceType;
  /** Genres of the track being played (lower case). */
  genres: string[];
}

export type Ineligibility =
  | "paused"
  | "flight"
  | "country"
  | "tier"
  | "genre"
  | "daypart"
  | "device"
  | "no-creative"
  | "exhausted";

export interface LocalTime {
  /** 0 = Sunday. */
  day: number;
  hour: number;
}

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Weekday and hour at `at` in `timeZone`; an unknown zone reads as UTC. */
export function localTime(at: number, timeZone: string): LocalTime {
  let format = formatters.get(timeZone);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat("en-US", { timeZone, weekday: "short", hour: "numeric", hourCycle: "h23" });
    } catch {
      format = new Intl.DateTimeFormat("en-US", {
        timeZone: "UTC",
        weekday: "short",
        hour: "numeric",
        hourCycle: "h23",
      });
    }
    formatters.set(timeZone, format);
  }
  let day = 0;
  let hour = 0;
  for (const part of format.formatToParts(at)) {
    if (part.type === "weekday") day = WEEKDAYS[part.value] ?? 0;
    else if (part.type === "hour") hour = Number(part.value) % 24;
  }
  return { day, hour };
}

/** Why the campaign cannot serve, or undefined when it may. `maxDurationMs` is the room left in the break. */
export function ineligibility(
  campaign: EdgeCampaign,
  listener: ListenerContext,
  now: number,
  local: LocalTime,
  maxDurationMs: number,
): Ineligibility | undefined {
  if (campaign.status !== "active") return "paused";
  if (now < campaign.flightStart || now >= campaign.flightEnd) return "flight";
  const t = campaign.targeting;
  if (t.countries.length > 0 && !t.countries.includes(listener.country)) return "country";
  if (t.tiers.length > 0 && !t.tiers.includes(listener.tier)) return "tier";
  if (t.genres.length > 0 && !t.genres.some((g) => listener.genres.includes(g))) return "genre";
  if (
    t.dayparts.length > 0 &&
    !t.dayparts.some((d) => d.days.includes(local.day) && local.hour >= d.startHour && local.hour < d.endHour)
  )
    return "daypart";
  if (t.deviceTypes.length > 0 && !t.deviceTypes.includes(listener.deviceType)) return "device";
  if (!campaign.creatives.some((c) => c.durationMs <= maxDurationMs)) return "no-creative";
  return undefined;
}

/** The device class from a User-Agent, for device targeting when the client does not say. */
export function deviceTypeFromUserAgent(ua: string | undefined | null): DeviceType {
  if (!ua) return "other";
  if (/sonos|echo|alexa|homepod|googlecast|smart-?speaker/i.test(ua)) return "speaker";
  if (/carplay|android auto|\bauto\b/i.test(ua)) return "car";
  if (/smart-?tv|tizen|webos|roku|appletv|tvos|crkey/i.test(ua)) return "tv";
  if (/ipad|tablet/i.test(ua)) return "tablet";
  if (/mobi|iphone|android/i.test(ua)) return "mobile";
  if (/windows|macintosh|x11|linux|cros/i.test(ua)) return "desktop";
  return "other";
}
