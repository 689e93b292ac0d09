/**
 * The advertiser API under test: an origin with a second advertiser, access tokens for both and for ops (signed with
 * the origin's own keys), calls through the edge (service token), a valid campaign body, and ffmpeg-made test tones.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SERVICE_TOKEN_HEADER } from "@cadence/shared/trust/service-call";
import { SignJWT } from "jose";
import { inject } from "vitest";
import { advertisers } from "../../src/db/schema";
import { freshOrigin } from "../helpers";

type Origin = Awaited<ReturnType<typeof freshOrigin>>;
const work = mkdtempSync(join(tmpdir(), "cadence-adv-test-"));

export async function token(origin: Origin, scope: string) {
  const { kid, key } = await origin.services.keys.current();
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ tier: "free", country: "US", scope })
    .setProtectedHeader({ alg: "ES256", kid })
    .setIssuer(origin.config.AUTH_ISSUER)
    .setAudience(origin.config.AUTH_AUDIENCE)
    .setSubject(`user-${scope}`)
    .setJti(crypto.randomUUID())
    .setIssuedAt(now)
    .setExpirationTime(now + 600)
    .sign(key);
}

/** An origin with advertisers `adv-demo` (seeded) and `adv-other`, and tokens: `demo`, `other`, `ops`. */
export async function adsOrigin() {
  const origin = await freshOrigin();
  await origin.services.db
    .insert(advertisers)
    .values({ id: "adv-other", name: "Other", domain: "other.example" })
    .onConflictDoNothing();
  const [demo, other, ops] = await Promise.all([
    token(origin, "advertiser:adv-demo"),
    token(origin, "advertiser:adv-other"),
    token(origin, "listener ops"),
  ]);
  /** A JSON call through the edge (service token), with a bearer token when given. */
  const call = (
    method: string,
    path: string,
    bearer: string | undefined,
    body?: unknown,
    headers: Record<string, string> = {},
  ) =>
    origin.request(path, {
      method,
      headers: {
        [SERVICE_TOKEN_HEADER]: inject("stack").serviceToken,
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  /** An audio upload through the edge as `bearer`. */
  const uploadCreative = (bearer: string, name: string, body: BodyInit, type = "audio/wav") =>
    origin.request(`/v1/advertiser/creatives?name=${encodeURIComponent(name)}`, {
      method: "POST",
      headers: {
        [SERVICE_TOKEN_HEADER]: inject("stack").serviceToken,
        authorization: `Bearer ${bearer}`,
        "content-type": type,
      },
      body,
    });
  return { origin, demo, other, ops, call, uploadCreative };
}

export const day = 86_400_000;
export const campaignBody = (overrides: Record<string, unknown> = {}) => ({
  name: "Winter sale",
  flight_start: new Date(Date.now() - day).toISOString(),
  flight_end: new Date(Date.now() + 30 * day).toISOString(),
  total_budget_minor: 100_000,
  daily_budget_minor: 10_000,
  cpm_minor: 2_500,
  pacing: "even",
  targeting: { countries: ["us"], tiers: ["free"], genres: ["Pop"], dayparts: [], device_types: [] },
  frequency_caps: [{ count: 3, window_seconds: 86_400 }],
  category: "Retail",
  ...overrides,
});

/** A sine tone of `seconds` as a 48 kHz stereo WAV (its bytes). */
export function toneFile(seconds: number, name: string, volume = "0.9"): string {
  const file = join(work, name);
  execFileSync("ffmpeg", [
    "-hide_banner",
    "-loglevel",
    "error",
    "-y",
    "-f",
    "lavfi",
    "-i",
    `sine=frequency=440:duration=${seconds}`,
    "-af",
    `volume=${volume}`,
    "-ar",
    "48000",
    "-ac",
    "2",
    file,
  ]);
  return file;
}

export const tone = (seconds: number, name: string, volume?: string) => readFileSync(toneFile(seconds, name, volume));
