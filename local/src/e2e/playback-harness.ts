/**
 * End-to-end harness for playback: the playback worker under `wrangler dev` against a running stack (origin, Redis
 * bridge, CDN stand-ins: the test stack's, via `inject("stack")`), a player page on its own origin, and headless
 * Chromium. Each part is its own function so other suites (the consoles) can take only what they need.
 */
import type { Browser } from "playwright-core";
import { playbackWorkerBindings, type TestStackInfo, workerBindings } from "../test-bindings";
import { launchChromium } from "./chromium";
import { type PlayerPage, startPlayerPage } from "./player-page";
import { type RunningWorker, startWranglerDev } from "./wrangler-dev";

const SECRET_BINDINGS = new Set([
  "UPSTASH_REDIS_REST_TOKEN",
  "SERVICE_TOKEN",
  "TEST_SIGNING_JWK",
  "PLAYBACK_TOKEN_SECRET",
  "CLOUDFLARE_CDN_TOKEN_SECRET",
  "CLOUDFRONT_PRIVATE_KEY",
  "AKAMAI_EDGEAUTH_KEY",
  "EVENTS_INGEST_SECRET",
]);

/** The playback worker in workerd (`wrangler dev`), bound to the given stack exactly as the vitest workers are. */
export function startPlaybackWorker(stack: TestStackInfo, vars: Record<string, string> = {}): Promise<RunningWorker> {
  const bindings = { ...workerBindings(stack), ...playbackWorkerBindings(stack), ...vars };
  const secrets = Object.fromEntries(Object.entries(bindings).filter(([k]) => SECRET_BINDINGS.has(k)));
  const plain = Object.fromEntries(Object.entries(bindings).filter(([k]) => !SECRET_BINDINGS.has(k)));
  return startWranglerDev({ config: "workers/playback/wrangler.toml", vars: plain, secrets });
}

export interface PlaybackHarness {
  playback: RunningWorker;
  page: PlayerPage;
  browser: Browser;
  close(): Promise<void>;
}

export async function startPlaybackHarness(stack: TestStackInfo): Promise<PlaybackHarness> {
  const [playback, page, browser] = await Promise.all([
    startPlaybackWorker(stack),
    startPlayerPage(),
    launchChromium(),
  ]);
  return {
    playback,
    page,
    browser,
    close: async () => {
      await Promise.allSettled([browser.close(), page.close(), playback.close()]);
    },
  };
}
