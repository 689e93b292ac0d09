/**
 * This worker's bindings and hono context. `Env` is written by hand and checked against `wrangler types` output
 * (worker-configuration.d.ts) at compile time below, so the config and the code cannot drift apart.
 */
import type { AuthVariables } from "@cadence/shared/auth/middleware";
import type { EdgeBaseEnv } from "@cadence/shared/edge";
import type { WorkerAppEnv } from "@cadence/shared/worker-app";

export interface Env extends EdgeBaseEnv {
  /** Secret: the service token `serviceFetch` presents to the ads worker (breaks); never used for media pulls. */
  SERVICE_TOKEN: string;
  /** Secret: the origin's media-only credential the Cloudflare pathway presents on origin pulls (`/media/...` only). */
  MEDIA_PULL_TOKEN: string;
  /** Secret: HMAC key of playback tokens (media playlist URLs). */
  PLAYBACK_TOKEN_SECRET: string;
  /** Secret: HMAC key of the Cloudflare pathway's segment tokens. */
  CLOUDFLARE_CDN_TOKEN_SECRET: string;
  /** Secret: CloudFront signing key, PKCS#8 (PEM or its base64 body). */
  CLOUDFRONT_PRIVATE_KEY: string;
  /** The CloudFront public key id of that key (`K...`). */
  CLOUDFRONT_KEY_PAIR_ID: string;
  /** Secret: Akamai EdgeAuth key, hex. */
  AKAMAI_EDGEAUTH_KEY: string;
  /** Default pathway order, comma-separated CDN ids (steering replaces it). */
  PATHWAY_ORDER: string;
  /** Base URLs of the CDN distributions (no trailing slash); the Cloudflare pathway is this worker. */
  CLOUDFRONT_BASE_URL: string;
  AKAMAI_BASE_URL: string;
  /** `SHA1` (CloudFront's default) or `SHA256`. */
  CLOUDFRONT_HASH_ALGORITHM: string;
  /** Master playlists one account may mint per minute. */
  MINT_RATE_LIMIT_PER_MINUTE: string;
  /** Concurrent sessions per tier, e.g. `free=1,premium=1,hifi=1`. */
  CONCURRENT_SESSIONS: string;
  /** Added to the track duration for a session's (and its tokens') lifetime. */
  SESSION_MARGIN_SECONDS: string;
  /** `true` binds CDN tokens to the client IP (CloudFront IpAddress, Akamai ip=). */
  CDN_BIND_CLIENT_IP: string;
  /** Secret: unwraps the content keys the catalog publishes (32 bytes base64url; the origin holds the same). */
  LICENSE_WRAP_KEY: string;
  /** Licence abuse limits: keys per session, distinct tracks keyed per account per hour, devices per account per day. */
  LICENSE_DELIVERIES_PER_SESSION: string;
  LICENSE_TRACKS_PER_HOUR: string;
  LICENSE_DEVICES_PER_DAY: string;
  /** Offline downloads: devices per account, tracks per device, days a download licence lasts before renewal. */
  OFFLINE_MAX_DEVICES: string;
  OFFLINE_MAX_TRACKS_PER_DEVICE: string;
  OFFLINE_LICENSE_DAYS: string;
  /** The ads worker (server-side ad insertion for free sessions: breaks, ad media, beacons). */
  ADS: Fetcher;
  /** A free listener gets a break at the start of listening, then again once this many minutes have passed. */
  AD_BREAK_INTERVAL_MINUTES: string;
  /** Longest break, seconds, and most ads in it. */
  AD_BREAK_MAX_SECONDS: string;
  AD_BREAK_MAX_ADS: string;
}

export type AppEnv = WorkerAppEnv<Env, Partial<AuthVariables>>;

// Every binding the wrangler config declares must be in Env with the same type.
type Assert<T extends true> = T;
export type EnvMatchesWranglerConfig = Assert<WranglerEnv extends Pick<Env, keyof WranglerEnv> ? true : false>;
