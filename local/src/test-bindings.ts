/**
 * What the test stack (test-stack.ts) provides to test projects, and the bindings a worker under test gets from it.
 * Kept free of runtime imports so worker vitest configs can load it without pulling in the origin.
 */
import type { EdgeRendition } from "@cadence/shared/catalog/edge-track";

export interface TestStackInfo {
  originUrl: string;
  jwksUrl: string;
  issuer: string;
  audience: string;
  redisUrl: string;
  redisRestUrl: string;
  redisRestToken: string;
  serviceToken: string;
  /** The origin's media-only secret the CDN stand-ins and the Cloudflare pathway present on origin pulls. */
  mediaPullToken: string;
  /** HMAC secret of the events queue consumer <-> origin (only the ingest-events worker binds it). */
  eventsIngestSecret: string;
  /** The origin's current private signing key (JWK JSON), so tests can mint edge cases the origin never would. */
  signingJwk: string;
  dataDir: string;
  /** Playback: the generated secrets (local/src/cdn/secrets.ts) and the CDN stand-ins the test stack runs. */
  playback: PlaybackStackInfo;
}

export interface PlaybackStackInfo {
  playbackTokenSecret: string;
  cloudflareCdnTokenSecret: string;
  cloudfrontKeyPairId: string;
  cloudfrontPrivateKey: string;
  cloudfrontPublicKeyPem: string;
  akamaiEdgeAuthKey: string;
  /** The origin's licence wrapping key (origin/src/drm/secrets.ts): the playback worker's LICENSE_WRAP_KEY. */
  licenseWrapKey: string;
  cloudfrontUrl: string;
  akamaiUrl: string;
  /**
   * The origin as the CDN pathways see it: a transparent recorder (cdn/origin-recorder.ts) whose
   * `GET /__origin-requests` lists what was asked of the origin, so traversal tests can count origin requests.
   */
  originRecorderUrl: string;
  /** A short tone transcoded into the whole ladder and encrypted, in the test origin's media store (encrypted-fixture.ts). */
  fixture: { key: string; durationMs: number; renditions: EdgeRendition[] };
}

/** The bindings a worker under test gets, pointing at the test stack. */
export function workerBindings(info: TestStackInfo): Record<string, string> {
  return {
    ENVIRONMENT: "test",
    ORIGIN_URL: info.originUrl,
    JWKS_URL: info.jwksUrl,
    AUTH_ISSUER: info.issuer,
    AUTH_AUDIENCE: info.audience,
    UPSTASH_REDIS_REST_URL: info.redisRestUrl,
    UPSTASH_REDIS_REST_TOKEN: info.redisRestToken,
    // Generous: a loaded test machine must not fail unrelated tests; the fault tests set their own (250 ms).
    REDIS_TIMEOUT_MS: "2000",
    SERVICE_TOKEN: info.serviceToken,
    TEST_SIGNING_JWK: info.signingJwk,
  };
}

/** The ads worker's beacon HMAC secret under test: random, made once where this module is loaded. */
const ADS_BEACON_SECRET = Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) =>
  b.toString(16).padStart(2, "0"),
).join("");

/** The ads worker's extra bindings under test. */
export function adsWorkerBindings(): Record<string, string> {
  return { ADS_BEACON_SECRET, ADS_RESERVATION_TTL_SECONDS: "900" };
}

/** The playback worker's extra bindings under test: its secrets and the stand-ins' base URLs. */
export function playbackWorkerBindings(info: TestStackInfo): Record<string, string> {
  return {
    PLAYBACK_TOKEN_SECRET: info.playback.playbackTokenSecret,
    CLOUDFLARE_CDN_TOKEN_SECRET: info.playback.cloudflareCdnTokenSecret,
    CLOUDFRONT_PRIVATE_KEY: info.playback.cloudfrontPrivateKey,
    CLOUDFRONT_KEY_PAIR_ID: info.playback.cloudfrontKeyPairId,
    AKAMAI_EDGEAUTH_KEY: info.playback.akamaiEdgeAuthKey,
    MEDIA_PULL_TOKEN: info.mediaPullToken,
    // Origin pulls (and probes) go through the recorder, so tests can see every request the pathway made.
    ORIGIN_URL: info.playback.originRecorderUrl,
    LICENSE_WRAP_KEY: info.playback.licenseWrapKey,
    CLOUDFRONT_BASE_URL: info.playback.cloudfrontUrl,
    AKAMAI_BASE_URL: info.playback.akamaiUrl,
  };
}

/** The local two-shard ClickHouse cluster the test stack started (when `clickhouse-server` is installed). */
export interface ClickHouseClusterInfo {
  url: string;
  shardUrls: string[];
  cluster: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    stack: TestStackInfo;
    /** Present when `clickhouse-server` is installed (the root vitest config adds the ClickHouse projects then). */
    clickhouse: ClickHouseClusterInfo;
    stackClickhouse: TestStackInfo;
  }
}
