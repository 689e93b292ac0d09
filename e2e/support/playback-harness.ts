/**
 * End-to-end harness for playback: the playback worker under `wrangler dev` against the test stack (origin, Redis
 * bridge, CDN stand-ins, via `inject("stack")`), a bare hls.js page on its own origin, and headless Chromium.
 */
import { startPlaybackWorker } from "@cadence/local/src/stack-workers";
import type { TestStackInfo } from "@cadence/local/src/test-bindings";
import type { RunningWorker } from "@cadence/local/src/wrangler-dev";
import type { Browser } from "playwright-core";
import { launchChromium } from "./browser";
import { type HlsPage, startHlsPage } from "./hls-page";

export interface PlaybackHarness {
  playback: RunningWorker;
  page: HlsPage;
  browser: Browser;
  close(): Promise<void>;
}

export async function startPlaybackHarness(stack: TestStackInfo): Promise<PlaybackHarness> {
  const [playback, page, browser] = await Promise.all([startPlaybackWorker(stack), startHlsPage(), launchChromium()]);
  return {
    playback,
    page,
    browser,
    close: async () => {
      await Promise.allSettled([browser.close(), page.close(), playback.close()]);
    },
  };
}
