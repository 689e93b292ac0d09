/**
 * What the playback tests share: listener tokens, published fixture tracks, play requests, playback tokens in
 * playlist URLs, and an HLS parser.
 */

import { env, exports } from "cloudflare:workers";
import type { Tier } from "@cadence/shared/auth/claims";
import { catalogTrackKey, type EdgeTrack } from "@cadence/shared/catalog/edge-track";
import { redisFor } from "@cadence/shared/edge";
import { importJWK, type JWK, SignJWT } from "jose";
import { type ParsedManifest, Parser } from "m3u8-parser";
import { expect, inject } from "vitest";
import type { TestStackInfo } from "../../../local/src/test-bindings";

export const stack: TestStackInfo = inject("stack");
export const fixture = stack.playback.fixture;

const originKey = JSON.parse(env.TEST_SIGNING_JWK) as JWK & { kid: string };

/** A listener access token signed with the origin's real key; each test uses its own `sub` (rate limits). */
export async function listenerToken(
  claims: { sub?: string; tier?: Tier; country?: string; scope?: string } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    tier: claims.tier ?? "premium",
    country: claims.country ?? "DE",
    scope: claims.scope ?? "listener",
  })
    .setProtectedHeader({ alg: "ES256", kid: originKey.kid })
    .setIssuer(env.AUTH_ISSUER)
    .setAudience(env.AUTH_AUDIENCE)
    .setSubject(claims.sub ?? `listener-${crypto.randomUUID()}`)
    .setJti(crypto.randomUUID())
    .setIssuedAt(now)
    .setExpirationTime(now + 600)
    .sign(await importJWK(originKey, "ES256"));
}

/** Publishes the fixture media as a track with a fresh id (and any overrides), as the catalog would. */
export async function publishTrack(overrides: Partial<EdgeTrack> = {}): Promise<EdgeTrack> {
  const track: EdgeTrack = {
    id: `trk-${crypto.randomUUID().slice(0, 8)}`,
    isrc: "ZZFIX2500001",
    title: "Fixture tone",
    artist: "Cadence tests",
    releaseId: "fixture-release",
    genres: ["test"],
    durationMs: fixture.durationMs,
    loudnessLufs: -14,
    truePeakDbtp: -1,
    renditions: fixture.renditions,
    availability: {
      rules: [
        { territories: ["Worldwide"], excluded: [], tiers: ["free", "premium", "hifi"], useTypes: ["OnDemandStream"] },
      ],
    },
    version: 1,
    ...overrides,
  };
  await redisFor(env).set(catalogTrackKey(track.id), track);
  return track;
}

export interface PlayOptions {
  token?: string;
  device?: string | null;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  cf?: Record<string, unknown>;
}

export function requestMaster(trackId: string, options: PlayOptions = {}): Promise<Response> {
  const params = new URLSearchParams(options.query);
  if (options.device !== null) params.set("device", options.device ?? "device-1");
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const init: RequestInit & { cf?: Record<string, unknown> } = { headers };
  if (options.cf) init.cf = options.cf;
  return exports.default.fetch(`http://playback.test/v1/play/${trackId}/master.m3u8?${params}`, init);
}

export interface Play {
  res: Response;
  text: string;
  manifest: ParsedManifest;
  sessionId: string;
  /** Media playlist URIs by `<rendition>/<pathway>`. */
  media: Map<string, string>;
}

/** Requests a master playlist that must succeed, and parses it. */
export async function play(trackId: string, options: PlayOptions = {}): Promise<Play> {
  const res = await requestMaster(trackId, options);
  const text = await textOf(res);
  if (res.status !== 200) throw new Error(`master answered ${res.status}: ${text}`);
  const manifest = parseHls(text);
  const media = new Map<string, string>();
  for (const p of manifest.playlists ?? []) {
    const match = /^\/v1\/play\/[^/]+\/([^/]+)\/([a-z]+)\.m3u8\?/.exec(p.uri);
    if (match) media.set(`${match[1]}/${match[2]}`, p.uri);
  }
  return { res, text, manifest, sessionId: res.headers.get("x-playback-session") ?? "", media };
}

export function fetchPath(path: string, init?: RequestInit): Promise<Response> {
  return exports.default.fetch(`http://playback.test${path}`, init);
}

/** Parses HLS with m3u8-parser and fails on any warning it raises. */
export function parseHls(text: string): ParsedManifest {
  const parser = new Parser();
  const warnings: string[] = [];
  parser.on("warn", (w) => warnings.push(w.message));
  parser.push(text);
  parser.end();
  if (warnings.length > 0) throw new Error(`m3u8-parser warnings: ${warnings.join("; ")}\n${text}`);
  return parser.manifest;
}

export async function problemOf(
  res: Response,
): Promise<{ status: number; code: string; detail: string } & Record<string, unknown>> {
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  return (await res.json()) as { status: number; code: string; detail: string };
}

/** The body as UTF-8 (workerd warns on `.text()` for HLS content types). */
export async function textOf(res: Response): Promise<string> {
  return new TextDecoder().decode(await res.arrayBuffer());
}

/** The playback token a media playlist or steering URI carries. */
export const tokenOf = (uri: string) => uri.slice(uri.indexOf("?pt=") + 4);

/** The same URI with another playback token. */
export const withToken = (uri: string, token: string) => `${uri.slice(0, uri.indexOf("?pt=") + 4)}${token}`;

export const nowSeconds = () => Math.floor(Date.now() / 1000);
