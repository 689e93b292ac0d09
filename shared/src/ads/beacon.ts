/**
 * Signed tracking beacons. Every beacon URL in a VAST answer carries an HMAC-SHA256 over (AdServingId, campaign,
 * event, expiry) with a secret only the ads worker holds, so a beacon cannot be forged for another ad, turned into
 * another event, or used after it expires; replays of a genuine one are stopped by the dedupe in delivery.ts.
 * Signing and verifying go through the edge-trust kit (trust/hmac.ts), so the same code signs in workerd and verifies
 * in Node tests.
 */
import { type ProblemCode, problemStatus } from "../problem-codes";
import { base64url, fromBase64url } from "../trust/encoding";
import { hmacSign, hmacVerify } from "../trust/hmac";
import { BEACON_EVENTS, type BeaconEvent } from "./model";

export interface BeaconClaims {
  adServingId: string;
  campaignId: string;
  event: BeaconEvent;
  /** Epoch ms after which the beacon is refused. */
  exp: number;
}

const signingInput = (c: BeaconClaims) => `cadence-beacon-v1|${c.adServingId}|${c.campaignId}|${c.event}|${c.exp}`;

/** A signature is a base64url HMAC-SHA256 (32 bytes, 43 characters). */
const SIGNATURE = /^[A-Za-z0-9_-]{43}$/;

export async function signBeacon(secret: string, claims: BeaconClaims): Promise<string> {
  return base64url(await hmacSign(secret, signingInput(claims)));
}

/**
 * VAST macros the player (or our stitcher) fills in; ERRORCODE only on the error pixel. The brackets are sent
 * percent-encoded: the 4.2 XSD types tracking URLs as xs:anyURI, where a raw `[` or `]` is only legal inside a
 * fragment, and xmllint refuses them. `expandVastMacros` replaces both spellings.
 */
const MACROS = "&ts=%5BTIMESTAMP%5D&cb=%5BCACHEBUSTING%5D";

/** The beacon URL for one event, with the VAST macros the player replaces. */
export async function beaconUrl(baseUrl: string, secret: string, claims: BeaconClaims): Promise<string> {
  const sig = await signBeacon(secret, claims);
  const errorMacro = claims.event === "error" ? "&code=%5BERRORCODE%5D" : "";
  return `${baseUrl}/v1/ads/track/${claims.event}?id=${claims.adServingId}&c=${claims.campaignId}&exp=${claims.exp}&sig=${sig}${errorMacro}${MACROS}`;
}

/** Why a beacon is refused: each a problem code (its status comes from problem-codes.ts). */
export type BeaconProblemCode = Extract<
  ProblemCode,
  "unknown-beacon-event" | "malformed-beacon" | "beacon-signature-invalid" | "beacon-expired"
>;

export type BeaconCheck =
  | { ok: true; claims: BeaconClaims }
  | { ok: false; code: BeaconProblemCode; status: number; detail: string };

const ID = /^[A-Za-z0-9_-]{1,64}$/;

function refused(code: BeaconProblemCode, detail: string): BeaconCheck {
  return { ok: false, code, status: problemStatus(code), detail };
}

/** Checks a beacon request's parameters and signature. */
export async function verifyBeacon(
  secret: string,
  params: { event: string; id?: string; c?: string; exp?: string; sig?: string },
  now: number,
): Promise<BeaconCheck> {
  if (!(BEACON_EVENTS as readonly string[]).includes(params.event)) {
    return refused("unknown-beacon-event", `Unknown event; use one of ${BEACON_EVENTS.join(", ")}.`);
  }
  if (
    !params.id ||
    !ID.test(params.id) ||
    !params.c ||
    !ID.test(params.c) ||
    !params.exp ||
    !/^\d{1,15}$/.test(params.exp)
  ) {
    return refused("malformed-beacon", "The beacon needs id, c, exp and sig as issued in the VAST answer.");
  }
  const claims: BeaconClaims = {
    adServingId: params.id,
    campaignId: params.c,
    event: params.event as BeaconEvent,
    exp: Number(params.exp),
  };
  const sig = params.sig && SIGNATURE.test(params.sig) ? fromBase64url(params.sig) : undefined;
  if (!sig || !(await hmacVerify(secret, signingInput(claims), sig))) {
    return refused("beacon-signature-invalid", "The beacon's signature does not match; use the URL as issued.");
  }
  if (claims.exp <= now) return refused("beacon-expired", "This beacon has expired.");
  return { ok: true, claims };
}

/** Fills VAST macros in a tracking URL, in either spelling (`[NAME]` or `%5BNAME%5D`); unknown macros stay. */
export function expandVastMacros(url: string, values: Record<string, string>): string {
  return url.replace(/(?:\[|%5B)([A-Z_]+)(?:\]|%5D)/gi, (whole, name: string) => {
    const value = values[name.toUpperCase()];
    return value === undefined ? whole : encodeURIComponent(value);
  });
}
