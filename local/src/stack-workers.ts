/**
 * Workers under `wrangler dev` (workerd) bound to a running test stack exactly as the vitest workers are: the stack's
 * bindings split into secrets (a private env file) and plain vars. Used by the end-to-end tests (e2e/) and the
 * benchmarks (bench/).
 */
import { playbackWorkerBindings, type TestStackInfo, workerBindings } from "./test-bindings";
import { type RunningWorker, startWranglerDev } from "./wrangler-dev";

/** The bindings passed as secrets; every other binding is a plain var. */
const SECRET_BINDINGS = new Set([
  "UPSTASH_REDIS_REST_TOKEN",
  "SERVICE_TOKEN",
  "MEDIA_PULL_TOKEN",
  "TEST_SIGNING_JWK",
  "PLAYBACK_TOKEN_SECRET",
  "CLOUDFLARE_CDN_TOKEN_SECRET",
  "CLOUDFRONT_PRIVATE_KEY",
  "AKAMAI_EDGEAUTH_KEY",
  "LICENSE_WRAP_KEY",
  "EVENTS_INGEST_SECRET",
  "ADS_BEACON_SECRET",
]);

/**
 * One worker (`config` relative to the repo root) with these bindings; `registry` shares a dev registry with other
 * workers of the same test so their service bindings connect (default: a private one).
 */
export function startStackWorker(
  config: string,
  bindings: Record<string, string>,
  registry?: string,
): Promise<RunningWorker> {
  const secrets = Object.fromEntries(Object.entries(bindings).filter(([k]) => SECRET_BINDINGS.has(k)));
  const vars = Object.fromEntries(Object.entries(bindings).filter(([k]) => !SECRET_BINDINGS.has(k)));
  return startWranglerDev({ config, vars, secrets, registry });
}

/** The playback worker bound to the stack (its CDN stand-ins and secrets), with extra vars. */
export function startPlaybackWorker(stack: TestStackInfo, vars: Record<string, string> = {}): Promise<RunningWorker> {
  return startStackWorker("workers/playback/wrangler.toml", {
    ...workerBindings(stack),
    ...playbackWorkerBindings(stack),
    ...vars,
  });
}
