/**
 * `npm run drm:repackage [-- --limit N]`: encrypts a catalog packaged before encryption (origin/src/drm/repackage.ts)
 * on this data folder's database and media store, ladder by ladder, with progress. Ctrl-C stops after the ladder in
 * hand; running it again resumes with what is still clear. Tracks reach edge state through the data folder's Redis
 * bridge (npm start's), or at the origin's next start when Redis is not running.
 */
import { resolve } from "node:path";
import { devSecrets } from "@cadence/local/src/dev-stack";
import { loadConfig } from "@cadence/origin/src/config";
import { clearBases, repackageCatalog } from "@cadence/origin/src/drm/repackage";
import { createServices } from "@cadence/origin/src/services";
import { createLogger } from "@cadence/shared/log";
import { localPorts } from "./ports";

const args = process.argv.slice(2);
const limitArg = args.indexOf("--limit");
const limit = limitArg >= 0 ? Number(args[limitArg + 1]) : undefined;
if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) {
  console.error("Usage: npm run drm:repackage [-- --limit <ladders, a whole number above 0>]");
  process.exit(2);
}
const ports = localPorts();
const dataDir = resolve(import.meta.dirname, "..", process.env.DATA_DIR ?? ".data");
const secrets = devSecrets(dataDir);

async function main(): Promise<void> {
  const config = loadConfig({
    UPSTASH_REDIS_REST_URL: `http://${ports.HOST}:${ports.REDIS_BRIDGE_PORT}`,
    UPSTASH_REDIS_REST_TOKEN: secrets.redisRestToken,
    SERVICE_TOKEN: secrets.serviceToken,
    LOG_LEVEL: "warn",
    ...process.env,
    DATA_DIR: dataDir,
  });
  const services = await createServices(config);
  const stop = new AbortController();
  process.once("SIGINT", () => {
    console.log("stopping after the ladder in hand; run again to resume");
    stop.abort();
  });
  try {
    const total = (await clearBases(services.db)).size;
    console.log(total === 0 ? "nothing to do: every track is encrypted" : `${total} clear ladders to encrypt`);
    const { db, store } = services;
    const { vault, publisher } = services.catalog;
    const outcome = await repackageCatalog(
      { db, store, vault, publisher, logger: createLogger("drm-repackage", {}, "warn") },
      {
        signal: stop.signal,
        ...(limit ? { limit } : {}),
        onProgress: (p) => console.log(`[repackage] ${p.done}/${p.total} ${p.base} (${p.tracks.join(", ")})`),
      },
    );
    console.log(
      `encrypted ${outcome.repackaged}, still clear ${outcome.remaining}${outcome.failed ? `, failed ${outcome.failed}` : ""}` +
        `${outcome.stopped ? " (stopped)" : ""}`,
    );
    process.exitCode = outcome.failed > 0 ? 1 : 0;
  } finally {
    services.close();
  }
}

void main();
