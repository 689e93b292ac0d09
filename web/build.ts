/**
 * Bundles the pages' TypeScript (player, ops console, advertiser console) into `web/public/dist/` (git-ignored), which
 * the api worker serves as static assets beside the html, css and `_headers` in `web/public/`. wrangler runs this
 * before `dev`, `deploy` and `types` (the `[build]` section of workers/api/wrangler.toml), so `npm start`, a deploy
 * and the end-to-end tests always serve what the sources say. One small, minified ES module per page; hls.js is
 * bundled into the player only, as its light build (content steering included; subtitles, DRM, CMCD and
 * interstitials left out: ads arrive spliced into the media playlist).
 */
import { readdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { build } from "esbuild";

const here = import.meta.dirname;
const outdir = resolve(here, "public/dist");

/**
 * Files are overwritten in place and only then are stale ones (old hashed chunks) removed, so a page being served
 * while a rebuild runs (wrangler dev watches the apps' folders) never finds its scripts missing.
 */
export async function buildWeb(): Promise<void> {
  const result = await build({
    entryPoints: {
      player: resolve(here, "player/main.ts"),
      ops: resolve(here, "ops/main.ts"),
      advertiser: resolve(here, "advertiser/main.ts"),
      "ops-dashboard": resolve(here, "ops-dashboard/main.ts"),
    },
    outdir,
    bundle: true,
    alias: { "hls.js": "hls.js/light" },
    format: "esm",
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
    minify: true,
    sourcemap: "linked",
    target: ["chrome120", "firefox120", "safari17"],
    legalComments: "linked",
    logLevel: "warning",
    metafile: true,
  });
  const fresh = new Set(Object.keys(result.metafile.outputs).map((p) => resolve(p)));
  for (const file of filesUnder(outdir)) if (!fresh.has(file)) rmSync(file);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

if (import.meta.url === `file://${process.argv[1]}`) await buildWeb();
