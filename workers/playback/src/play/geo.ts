/**
 * Where a play request comes from, as the edge sees it: `request.cf` (country, continent, colo, ASN, TCP RTT) and
 * the client IP. Territory rules use the request's country, not the account's.
 *
 * Locally, miniflare's `request.cf` is a fixed placeholder (US, NA), so in development and test only the headers
 * `x-cadence-country` and `x-cadence-continent` override it; production ignores them (a listener could otherwise
 * pick their territory).
 */
import { Problem } from "@cadence/shared/problem";

export interface RequestGeo {
  country: string;
  continent: string;
  colo?: string;
  asn?: number;
  tcpRttMs?: number;
  clientIp?: string;
}

interface CfLike {
  country?: unknown;
  continent?: unknown;
  colo?: unknown;
  asn?: unknown;
  clientTcpRtt?: unknown;
}

export function requestGeo(request: Request, devOverrides: boolean): RequestGeo {
  const cf = ((request as { cf?: CfLike }).cf ?? {}) as CfLike;
  let country = typeof cf.country === "string" ? cf.country.toUpperCase() : "XX";
  let continent = typeof cf.continent === "string" ? cf.continent.toUpperCase() : "XX";
  if (devOverrides) {
    const headerCountry = request.headers.get("x-cadence-country");
    if (headerCountry !== null) {
      if (!/^[A-Za-z]{2}$/.test(headerCountry)) {
        throw new Problem(400, "bad-request", "x-cadence-country must be an ISO 3166-1 alpha-2 code, e.g. DE.");
      }
      country = headerCountry.toUpperCase();
    }
    const headerContinent = request.headers.get("x-cadence-continent");
    if (headerContinent !== null) {
      if (!/^[A-Za-z]{2}$/.test(headerContinent)) {
        throw new Problem(400, "bad-request", "x-cadence-continent must be a two-letter continent code, e.g. EU.");
      }
      continent = headerContinent.toUpperCase();
    }
  }
  return {
    country,
    continent,
    colo: typeof cf.colo === "string" ? cf.colo : undefined,
    asn: typeof cf.asn === "number" ? cf.asn : undefined,
    tcpRttMs: typeof cf.clientTcpRtt === "number" ? cf.clientTcpRtt : undefined,
    clientIp: request.headers.get("cf-connecting-ip") ?? undefined,
  };
}
