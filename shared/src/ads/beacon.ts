/**
 * Signed tracking beacons. Every beacon URL in a VAST answer carries an HMAC-SHA256 over (AdServingId, campaign,
 * event, expiry) with a secret only the ads worker holds, so a beacon cannot be forged for another ad, turned into
 * another event, or used after it expires; replays of a genuine one are stopped by the dedupe in delivery.ts.
 * WebCrypto only, so the same code signs in workerd and verifies in Node tests.
 */
import { BEACON_EVENTS, type BeaconEvent } from "./model";

export interface BeaconClaims {
  adServingId: string;
  campaignId: string;
  event: BeaconEvent;
  /** Epoch ms after which the beacon is refused. */
  exp: number;
}

const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

function keyFor(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
      "verify",
    ]);
    keys.set(secret, key);
  }
  return key;
}

const signingInput = (c: BeaconClaims) =>
  encoder.encode(`cadence-beacon-v1|${c.adServingId}|${c.campaignId}|${c.event}|${c.exp}`);

function toBase64Url(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9_-]{43}$/.test(text)) return undefined;
  const bin = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  return Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
}

export async function signBeacon(secret: string, claims: BeaconClaims): Promise<string> {
  const sig = await crypto.subtle.sign("HMAC", await keyFor(secret), signingInput(claims));
  return toBase64Url(new Uint8Array(sig));
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

export type BeaconCheck =
  | { ok: true; claims: BeaconClaims }
  | { ok: false; status: 400 | 403 | 410; code: string; detail: string };

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Checks a beacon request's parameters and signature. */
export async function verifyBeacon(
  secret: string,
  params: { event: string; id?: string; c?: string; exp?: string; sig?: string },
  now: number,
): Promise<BeaconCheck> {
  if (!(BEACON_EVENTS as readonly string[]).includes(params.event)) {
    return {
      ok: false,
      status: 400,
      code: "unknown-beacon-event",
      detail: `Unknown event; use one of ${BEACON_EVENTS.join(", ")}.`,
    };
  }
  if (
    !params.id ||
    !ID.test(params.id) ||
    !params.c ||
    !ID.test(params.c) ||
    !params.exp ||
    !/^\d{1,15}$/.test(params.exp)
  ) {
    return {
      ok: false,
      status: 400,
      code: "malformed-beacon",
      detail: "The beacon needs id, c, exp and sig as issued in the VAST answer.",
    };
  }
  const claims: BeaconClaims = {
    adServingId: params.id,
    campaignId: params.c,
    event: params.event as BeaconEvent,
    exp: Number(params.exp),
  };
  const sig = params.sig ? fromBase64Url(params.sig) : undefined;
  if (!sig || !(await crypto.subtle.verify("HMAC", await keyFor(secret), sig, signingInput(claims)))) {
    return {
      ok: false,
      status: 403,
      code: "beacon-signature-invalid",
      detail: "The beacon's signature does not match; use the URL as issued.",
    };
  }
  if (claims.exp <= now) {
    return { ok: false, status: 410, code: "beacon-expired", detail: "This beacon has expired." };
  }
  return { ok: true, claims };
}

/** Fills VAST macros in a tracking URL, in either spelling (`[NAME]` or `%5BNAME%5D`); unknown macros stay. */
export function expandVastMacros(url: string, values: Record<string, string>): string {
  return url.replace(/(?:\[|%5B)([A-Z_]+)(?:\]|%5D)/gi, (whole, name: string) => {
    const value = values[name.toUpperCase()];
    return value === undefined ? whole : encodeURIComponent(value);
  });
}
