/**
 * Where a request comes from, as the edge sees it: `request.cf` (country, continent, colo, ASN, TCP RTT, time zone)
 * and the client IP. Territory rules use the request's country, never one the client claims.
 *
 * Locally, miniflare's `request.cf` is a fixed placeholder, so only when the worker runs with development overrides
 * switched on do the headers `x-cadence-country` and `x-cadence-continent` replace it; otherwise they are ignored
 * (a listener could otherwise pick their territory).
 */
import { Problem } from "../problem";

export interface RequestGeo {
  /** ISO 3166-1 alpha-2, upper case; "XX" when unknown. */
  country: string;
  /** Two-letter continent code; "XX" when unknown. */
  continent: string;
  colo?: string;
  asn?: number;
  tcpRttMs?: number;
  /** IANA time zone, when Cloudflare knows it and the runtime accepts it. */
  timeZone?: string;
  clientIp?: string;
}

interface CfLike {
  country?: unknown;
  continent?: unknown;
  colo?: unknown;
  asn?: unknown;
  clientTcpRtt?: unknown;
  timezone?: unknown;
}

export const COUNTRY_OVERRIDE_HEADER = "x-cadence-country";
export const CONTINENT_OVERRIDE_HEADER = "x-cadence-continent";

/** Reads a request's geography; `devOverrides` lets the local stack pick a country through headers. */
export function requestGeo(request: Request, options: { devOverrides: boolean } = { devOverrides: false }): RequestGeo {
  const cf = ((request as { cf?: CfLike }).cf ?? {}) as CfLike;
  let country = typeof cf.country === "string" && /^[A-Za-z]{2}$/.test(cf.country) ? cf.country.toUpperCase() : "XX";
  let continent =
    typeof cf.continent === "string" && /^[A-Za-z]{2}$/.test(cf.continent) ? cf.continent.toUpperCase() : "XX";
  if (options.devOverrides) {
    country = override(request, COUNTRY_OVERRIDE_HEADER, "an ISO 3166-1 alpha-2 code, e.g. DE") ?? country;
    continent = override(request, CONTINENT_OVERRIDE_HEADER, "a two-letter continent code, e.g. EU") ?? continent;
  }
  return {
    country,
    continent,
    colo: typeof cf.colo === "string" ? cf.colo : undefined,
    asn: typeof cf.asn === "number" ? cf.asn : undefined,
    tcpRttMs: typeof cf.clientTcpRtt === "number" ? cf.clientTcpRtt : undefined,
    timeZone: typeof cf.timezone === "string" && isValidTimeZone(cf.timezone) ? cf.timezone : undefined,
    clientIp: request.headers.get("cf-connecting-ip") ?? undefined,
  };
}

function override(request: Request, header: string, what: string): string | undefined {
  const value = request.headers.get(header);
  if (value === null) return undefined;
  if (!/^[A-Za-z]{2}$/.test(value)) throw new Problem("bad-request", `${header} must be ${what}.`);
  return value.toUpperCase();
}

const zones = new Map<string, boolean>();

/** Whether the runtime knows an IANA time zone (cached: constructing a formatter is not free). */
export function isValidTimeZone(zone: string): boolean {
  let ok = zones.get(zone);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: zone });
      ok = true;
    } catch {
      ok = false;
    }
    if (zones.size > 1_000) zones.clear();
    zones.set(zone, ok);
  }
  return ok;
}
