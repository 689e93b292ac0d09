/**
 * A bare hls.js player page on its own origin (so CORS is exercised as in production), serving hls.js from
 * node_modules: the playback and ads suites play the platform's playlists in it without the web player around them.
 * The page exposes `window.cadence.play(masterUrl)`, which resolves once the audio element plays, and
 * `window.cadence.state()` (current time, errors, the URLs fragments came from). Tests drive it with playwright-core
 * (`playUntil`). The web player itself is driven through web-player.ts.
 */
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { REPO_ROOT } from "@cadence/local/src/wrangler-dev";
import type { Page } from "playwright-core";

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>Cadence test player</title></head>
<body>
<audio id="player" controls></audio>
<script src="/hls.js"></script>
<script>
  const audio = document.getElementById("player");
  const state = { errors: [], fragments: [], keys: [], hls: null };
  window.cadence = {
    play(masterUrl) {
      return new Promise((resolve, reject) => {
        if (state.hls) state.hls.destroy();
        state.errors = [];
        state.fragments = [];
        state.keys = [];
        const hls = new Hls({ enableWorker: false });
        state.hls = hls;
        hls.on(Hls.Events.ERROR, (_e, data) => {
          state.errors.push(data.details + (data.response ? " " + data.response.code : "") + (data.fatal ? " (fatal)" : ""));
          if (data.fatal) reject(new Error(data.details));
        });
        hls.on(Hls.Events.FRAG_LOADED, (_e, data) => state.fragments.push(data.frag.url));
        hls.on(Hls.Events.KEY_LOADED, (_e, data) => state.keys.push(data.keyInfo.decryptdata.uri));
        hls.on(Hls.Events.MANIFEST_PARSED, () => audio.play().then(resolve, reject));
        hls.attachMedia(audio);
        hls.loadSource(masterUrl);
      });
    },
    state() {
      return { currentTime: audio.currentTime, paused: audio.paused, errors: state.errors, fragments: state.fragments, keys: state.keys };
    },
  };
</script>
</body></html>`;

export interface HlsPage {
  url: string;
  close(): Promise<void>;
}

/**
 * What the page reports: the audio element's clock, hls.js errors, the URL of every fragment it loaded and of every
 * key (licence) it fetched to decrypt them.
 */
export interface HlsPlayerState {
  currentTime: number;
  paused: boolean;
  errors: string[];
  fragments: string[];
  keys: string[];
}

type HlsPageWindow = { cadence: { play(url: string): Promise<void>; state(): HlsPlayerState } };

/**
 * Plays `masterUrl` in a tab showing the page until the audio clock passes `seconds` (or `timeoutMs` runs out), and
 * returns the page's state then.
 */
export async function playUntil(
  tab: Page,
  masterUrl: string,
  seconds: number,
  timeoutMs: number,
): Promise<HlsPlayerState> {
  await tab.evaluate((url) => (window as unknown as HlsPageWindow).cadence.play(url), masterUrl);
  await tab.waitForFunction((s) => (window as unknown as HlsPageWindow).cadence.state().currentTime > s, seconds, {
    timeout: timeoutMs,
  });
  return tab.evaluate(() => (window as unknown as HlsPageWindow).cadence.state());
}

/** hls.js errors that mean a refused, unloadable or unparsable file (a stall on a busy machine is not one). */
export function loadErrors(state: HlsPlayerState): string[] {
  return state.errors.filter((e) => /Load|Parsing|Incompatible|Append|fatal/.test(e));
}

export async function startHlsPage(host = "127.0.0.1"): Promise<HlsPage> {
  const hlsJs = readFileSync(join(REPO_ROOT, "node_modules", "hls.js", "dist", "hls.min.js"));
  const server = createServer((req, res) => {
    if (req.url === "/hls.js") {
      res.writeHead(200, { "content-type": "text/javascript", "cache-control": "max-age=3600" });
      res.end(hlsJs);
    } else if (req.url === "/" || req.url?.startsWith("/?")) {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(PAGE);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, host, () => resolve()));
  return {
    url: `http://${host}:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
