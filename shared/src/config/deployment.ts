/**
 * What each worker needs from a deployment, in one place: the plain settings that have no safe default (URLs of the
 * origin, Redis, CDNs), the secrets, the queues and the workers it is bound to. The workers read it at run time so a
 * deployment that forgot a setting answers 503 naming what is missing instead of running open or half-configured;
 * `npm run deploy` reads it to check a deployment before it starts and to deploy workers in service-binding order.
 * Development overrides (a request's `x-cadence-country`, CDN stand-in knobs, fault injection) are on only where
 * `ENVIRONMENT` is `development` or `test`, which only the local stack and the tests set: a missing or unknown value
 * means production.
 */

export type WorkerName = "ingest-events" | "ads" | "playback" | "api" | "front-door";

export interface WorkerDeployment {
  /** The Cloudflare script name (the `name` in its wrangler.toml). */
  script: string;
  /** Its wrangler config, relative to the repo root. */
  config: string;
  /** Plain settings that have no safe default and must be given at deploy time (URLs). */
  settings: readonly string[];
  /** Secrets (`wrangler secret put`). */
  secrets: readonly string[];
  /** Queues it produces to or consumes. */
  queues: readonly string[];
  /** Workers it is bound to: they must be deployed first. */
  boundTo: readonly WorkerName[];
}

/** Settings every worker that reads tokens and edge state needs. */
const EDGE_SETTINGS = ["ORIGIN_URL", "JWKS_URL", "AUTH_ISSUER", "AUTH_AUDIENCE", "UPSTASH_REDIS_REST_URL"] as const;
const EDGE_SECRETS = ["UPSTASH_REDIS_REST_TOKEN", "SERVICE_TOKEN"] as const;

export const DEPLOYMENT: Readonly<Record<WorkerName, WorkerDeployment>> = {
  "ingest-events": {
    script: "cadence-ingest-events",
    config: "workers/ingest-events/wrangler.toml",
    settings: EDGE_SETTINGS,
    secrets: [...EDGE_SECRETS, "EVENTS_INGEST_SECRET"],
    queues: ["cadence-events", "cadence-events-dlq"],
    boundTo: [],
  },
  ads: {
    script: "cadence-ads",
    config: "workers/ads/wrangler.toml",
    settings: EDGE_SETTINGS,
    secrets: [...EDGE_SECRETS, "ADS_BEACON_SECRET"],
    queues: [],
    boundTo: ["ingest-events"],
  },
  playback: {
    script: "cadence-playback",
    config: "workers/playback/wrangler.toml",
    settings: [...EDGE_SETTINGS, "CLOUDFRONT_BASE_URL", "AKAMAI_BASE_URL"],
    secrets: [
      ...EDGE_SECRETS,
      "PLAYBACK_TOKEN_SECRET",
      "CLOUDFLARE_CDN_TOKEN_SECRET",
      "CLOUDFRONT_PRIVATE_KEY",
      "CLOUDFRONT_KEY_PAIR_ID",
      "AKAMAI_EDGEAUTH_KEY",
      // The origin's media-only secret for the Cloudflare pathway's origin pulls (docs/security.md).
      "MEDIA_PULL_TOKEN",
      // Unwraps the content keys the catalog publishes (docs/drm.md); the origin holds the same.
      "LICENSE_WRAP_KEY",
    ],
    queues: [],
    boundTo: ["ads"],
  },
  api: {
    script: "cadence-api",
    config: "workers/api/wrangler.toml",
    settings: EDGE_SETTINGS,
    secrets: EDGE_SECRETS,
    queues: [],
    boundTo: [],
  },
  "front-door": {
    script: "cadence-edge",
    config: "workers/front-door/wrangler.toml",
    settings: [],
    secrets: [],
    queues: [],
    boundTo: ["api", "playback", "ingest-events", "ads"],
  },
};

/** Workers in an order where each comes after every worker it is bound to (Cloudflare refuses a dangling binding). */
export function deployOrder(deployment: Readonly<Record<WorkerName, WorkerDeployment>> = DEPLOYMENT): WorkerName[] {
  const order: WorkerName[] = [];
  const visiting = new Set<WorkerName>();
  const visit = (name: WorkerName): void => {
    if (order.includes(name)) return;
    if (visiting.has(name)) throw new Error(`service bindings form a cycle through ${name}`);
    visiting.add(name);
    for (const dep of deployment[name].boundTo) visit(dep);
    visiting.delete(name);
    order.push(name);
  };
  for (const name of Object.keys(deployment) as WorkerName[]) visit(name);
  return order;
}

/** Only the local stack and the tests set `development`/`test`; anything else (or nothing) is production. */
export function devOverridesEnabled(env: { ENVIRONMENT?: string }): boolean {
  return env.ENVIRONMENT === "development" || env.ENVIRONMENT === "test";
}

/** The settings and secrets of `worker` that are unset or empty in `env`, in the manifest's order. */
export function missingSettings(worker: WorkerName, env: object): string[] {
  const { settings, secrets } = DEPLOYMENT[worker];
  const values = env as Record<string, unknown>;
  return [...settings, ...secrets].filter((name) => {
    const value = values[name];
    return typeof value !== "string" || value.trim() === "";
  });
}
