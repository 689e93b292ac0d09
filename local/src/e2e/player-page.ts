/**
 * A bare hls.js player page on its own origin (so CORS is exercised as in production), serving hls.js from
 * node_modules. The page exposes `window.cadence.play(masterUrl)`, which resolves once the audio element plays, and
 * `window.cadence.state()` (current time, errors, the URLs fragments came from). Tests drive it with playwright-core.
 */
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { REPO_ROOT } from "./wrangler-dev";

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>Cadence test player</title></head>
<body>
<audio id="player" controls></audio>
<script src="/hls.js"></script>
<script>
  const audio = document.getElementById("player");
  const state = { errors: [], fragments: [], hls: null };
  window.cadence = {
    play(masterUrl) {
      return new Promise((resolve, reject) => {
        if (state.hls) state.hls.destroy();
        state.errors = [];
        state.fragments = [];
        const hls = new Hls({ enableWorker: false });
        state.hls = hls;
        hls.on(Hls.Events.ERROR, (_e, data) => {
          state.errors.push(data.details + (data.response ? " " + data.response.code : "") + (data.fatal ? " (fatal)" : ""));
          if (data.fatal) reject(new Error(data.details));
        });
        hls.on(Hls.Events.FRAG_LOADED, (_e, data) => state.fragments.push(data.frag.url));
        hls.on(Hls.Events.MANIFEST_PARSED, () => audio.play().then(resolve, reject));
        hls.attachMedia(audio);
        hls.loadSource(masterUrl);
      });
    },
    state() {
      return { currentTime: audio.currentTime, paused: audio.paused, errors: state.errors, fragments: state.fragments };
    },
  };
</script>
</body></html>`;

export interface PlayerPage {
  url: string;
  close(): Promise<void>;
}

export async function startPlayerPage(host = "127.0.0.1"): Promise<PlayerPage> {
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
