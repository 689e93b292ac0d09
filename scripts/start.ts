/**
 * `npm start`: the whole platform on this machine, on embedded defaults.
 *
 * Starts Redis (or uses the one on 6379), the Upstash REST bridge, the origin (migrations, keys, demo seed), then the
 * four workers and the front door in workerd through `wrangler dev`, waits until each answers `/health`, and prints
 * where everything listens. Ctrl-C stops every process it started.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { startBrazeStandIn } from "@cadence/local/src/braze-stand-in";
import { playbackEnvLines, playbackSecrets } from "@cadence/local/src/cdn/secrets";
import { localWarehouse } from "@cadence/local/src/clickhouse-cluster";
import { type DevStack, startDevStack } from "@cadence/local/src/dev-stack";
import { seedDemoCatalog } from "./demo-catalog/seed";
import { localPorts } from "./ports";

const root = resolve(import.meta.dirname, "..");
const ports = localPorts();
const dataDir = resolve(root, process.env.DATA_DIR ?? ".data");
const children: ChildProcess[] = [];
let stack: DevStack | undefined;
let warehouse: Awaited<ReturnType<typeof localWarehouse>> | undefined;
let stopping = false;

// Inspector ports follow the worker ports (9231.. by default), so a second run with PORT_OFFSET does not collide.
const INSPECTOR_SHIFT = 9231 - 8787;
/** The front door owns no state and declares no vars: only its four service bindings. */
const FRONT_DOOR_CONFIG = "workers/front-door/wrangler.toml";
const WORKERS = [
  { name: "api", config: "workers/api/wrangler.toml", port: ports.API_PORT },
  { name: "playback", config: "workers/playback/wrangler.toml", port: ports.PLAYBACK_PORT },
  { name: "ingest-events", config: "workers/ingest-events/wrangler.toml", port: ports.INGEST_EVENTS_PORT },
  { name: "ads", config: "workers/ads/wrangler.toml", port: ports.ADS_PORT },
  { name: "edge front door", config: FRONT_DOOR_CONFIG, port: ports.EDGE_PORT },
].map((w, i) => ({ ...w, inspector: ports.API_PORT + INSPECTOR_SHIFT + i }));

async function main(): Promise<void> {
  const started = Date.now();
  const host = ports.HOST;
  const originUrl = process.env.ORIGIN_URL ?? `http://${host}:${ports.ORIGIN_PORT}`;
  warehouse = await localWarehouse(dataDir, process.env);
  log(`warehouse  ${warehouse.describe}`);
  // Lifecycle webhooks go to a local Braze stand-in unless a real endpoint is configured (never in production).
  const brazeEnv: Record<string, string> = {};
  if (!process.env.BRAZE_USERS_TRACK_URL && process.env.CADENCE_ENV !== "production") {
    const apiKey = randomBytes(18).toString("base64url");
    const secret = randomBytes(32).toString("base64url");
    const braze = await startBrazeStandIn({ apiKey, secret });
    Object.assign(brazeEnv, {
      BRAZE_USERS_TRACK_URL: braze.usersTrackUrl,
      BRAZE_API_KEY: apiKey,
      LIFECYCLE_WEBHOOK_SECRET: secret,
    });
    log(`braze      ${braze.url} (stand-in: GET /received lists the lifecycle webhooks it verified)`);
  }
  stack = await startDevStack({
    dataDir,
    host,
    originPort: ports.ORIGIN_PORT,
    bridgePort: ports.REDIS_BRIDGE_PORT,
    env: { ...process.env, ...warehouse.env, ...brazeEnv, AUTH_ISSUER: process.env.AUTH_ISSUER ?? originUrl },
  });
  log(`redis      ${stack.redis.url}${stack.redis.owned ? " (started by npm start)" : " (already running)"}`);
  // The demo catalog is generated and ingested in the background; the services answer meanwhile.
  if (process.env.CADENCE_ENV !== "production" && process.env.DEMO_CATALOG !== "off") {
    void seedDemoCatalog({ dataDir, originUrl: stack.origin.url, serviceToken: stack.secrets.serviceToken, log });
  }

  // Secrets go to an ignored env file that wrangler reads; plain settings go as --var so they override wrangler.toml.
  const envFile = join(dataDir, "edge.env");
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(
    envFile,
    `UPSTASH_REDIS_REST_TOKEN=${stack.secrets.redisRestToken}\nSERVICE_TOKEN=${stack.secrets.serviceToken}\n`,
    { mode: 0o600 },
  );
  // The events consumer's HMAC secret goes to the ingest-events worker only (the origin checks it on every landing).
  const eventsEnvFile = join(dataDir, "ingest-events.env");
  writeFileSync(eventsEnvFile, `EVENTS_INGEST_SECRET=${stack.secrets.eventsIngestSecret}\n`, { mode: 0o600 });
  // Playback: its signing secrets go to the playback worker only; the CDN stand-ins read the same data folder.
  const playbackEnvFile = join(dataDir, "playback.env");
  writeFileSync(playbackEnvFile, `${playbackEnvLines(playbackSecrets(dataDir))}\n`, { mode: 0o600 });
  // The ads worker's beacon HMAC secret: generated once per data folder, given to the ads worker only.
  const adsEnvFile = join(dataDir, "ads.env");
  if (!existsSync(adsEnvFile)) {
    writeFileSync(adsEnvFile, `ADS_BEACON_SECRET=${randomBytes(32).toString("base64url")}\n`, { mode: 0o600 });
  }
  const CDNS = [
    { name: "cloudfront", port: ports.CLOUDFRONT_PORT },
    { name: "akamai", port: ports.AKAMAI_PORT },
  ];
  for (const cdn of CDNS) {
    const child = spawn(join(root, "node_modules", ".bin", "tsx"), ["local/src/cdn/main.ts", cdn.name], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
      env: {
        ...process.env,
        CDN_HOST: host,
        CDN_PORT: String(cdn.port),
        ORIGIN_URL: originUrl,
        SERVICE_TOKEN: stack.secrets.serviceToken,
        DATA_DIR: dataDir,
        UPSTASH_REDIS_REST_URL: stack.bridge.url,
        UPSTASH_REDIS_REST_TOKEN: stack.secrets.redisRestToken,
      },
    });
    supervise(`${cdn.name} stand-in`, child);
  }
  const vars = {
    ORIGIN_URL: originUrl,
    JWKS_URL: `${originUrl}/.well-known/jwks.json`,
    AUTH_ISSUER: process.env.AUTH_ISSUER ?? originUrl,
    AUTH_AUDIENCE: process.env.AUTH_AUDIENCE ?? "cadence-edge",
    UPSTASH_REDIS_REST_URL: stack.bridge.url,
  };
  for (const worker of WORKERS) {
    const args = [
      "wrangler",
      "dev",
      "-c",
      worker.config,
      "--ip",
      host,
      "--port",
      String(worker.port),
      "--inspector-port",
      String(worker.inspector),
      "--persist-to",
      join(
        dataDir,
        "wrangler",
        worker.config === FRONT_DOOR_CONFIG ? "edge" : (worker.config.split("/")[1] ?? worker.name),
      ),
      "--env-file",
      envFile,
      "--show-interactive-dev-session=false",
      "--log-level",
      "warn",
    ];
    if (worker.config !== FRONT_DOOR_CONFIG) for (const [k, v] of Object.entries(vars)) args.push("--var", `${k}:${v}`);
    if (worker.name === "ingest-events") args.push("--env-file", eventsEnvFile);
    if (worker.name === "ads") args.push("--env-file", adsEnvFile);
    if (worker.name === "playback") {
      args.push("--env-file", playbackEnvFile);
      args.push("--var", `CLOUDFRONT_BASE_URL:http://${host}:${ports.CLOUDFRONT_PORT}`);
      args.push("--var", `AKAMAI_BASE_URL:http://${host}:${ports.AKAMAI_PORT}`);
    }
    if (worker.name === "api") {
      // The pages it serves (player, consoles) reach the other workers and the stand-ins' knobs at these addresses.
      args.push("--var", `PLAYBACK_PUBLIC_URL:http://${host}:${ports.PLAYBACK_PORT}`);
      args.push("--var", `EVENTS_PUBLIC_URL:http://${host}:${ports.INGEST_EVENTS_PORT}`);
      args.push("--var", `ADS_PUBLIC_URL:http://${host}:${ports.ADS_PORT}`);
      args.push("--var", `CDN_STAND_IN_URLS:${CDNS.map((c) => `${c.name}=http://${host}:${c.port}`).join(",")}`);
    }
    const child = spawn(join(root, "node_modules", ".bin", "wrangler"), args.slice(1), {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
      // No network here: use miniflare's built-in `request.cf` instead of fetching one from Cloudflare.
      env: {
        ...process.env,
        WRANGLER_SEND_METRICS: "false",
        CLOUDFLARE_CF_FETCH_ENABLED: "false",
        // This run's own registry, so service bindings find this run's workers even if another checkout runs too.
        WRANGLER_REGISTRY_PATH: join(dataDir, "wrangler", "registry"),
      },
    });
    supervise(worker.name, child);
  }

  await Promise.all([
    ...WORKERS.map((w) => waitHealthy(`http://${host}:${w.port}/health`, w.name)),
    ...CDNS.map((c) => waitHealthy(`http://${host}:${c.port}/__health`, `${c.name} stand-in`)),
  ]);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  log(`\nCadence is up in ${seconds}s:\n`);
  const rows: Array<[string, string]> = [
    ["origin", originUrl],
    ["redis (Upstash REST bridge)", stack.bridge.url],
    ...WORKERS.map((w) => [w.name, `http://${host}:${w.port}`] as [string, string]),
    ...CDNS.map((c) => [`${c.name} stand-in (CDN)`, `http://${host}:${c.port}`] as [string, string]),
  ];
  for (const [name, url] of rows) log(`  ${name.padEnd(30)} ${url}`);
  log(`\nOpen the player:  http://${host}:${ports.API_PORT}/   (ops console /ops, advertiser console /advertiser)`);
  log(`\nTry: curl -s http://${host}:${ports.API_PORT}/v1/auth/login -H 'content-type: application/json' \\`);
  log(`       -d '{"email":"premium@demo.test","password":"demo-password"}'`);
  log("Ctrl-C stops everything.");
}

/** Prefixes a child's output, and stops everything if it exits on its own. */
function supervise(name: string, child: ChildProcess): void {
  const prefix = `[${name}] `;
  child.stdout?.on("data", (d: Buffer) => process.stdout.write(indent(prefix, d)));
  child.stderr?.on("data", (d: Buffer) => process.stderr.write(indent(prefix, d)));
  child.on("exit", (code) => {
    if (!stopping) {
      log(`${name} exited with code ${code}; stopping everything.`);
      void stop(1);
    }
  });
  children.push(child);
}

async function waitHealthy(url: string, name: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (stopping) return;
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${name} did not answer ${url} within ${timeoutMs / 1000}s`);
}

async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  for (const child of children) {
    if (child.pid && child.exitCode === null) {
      try {
        process.kill(-child.pid, "SIGTERM"); // the whole group: npx, wrangler and workerd
      } catch {
        // already gone
      }
    }
  }
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((done) => {
          if (child.exitCode !== null || child.signalCode !== null) return done();
          const timer = setTimeout(() => {
            if (child.pid) {
              try {
                process.kill(-child.pid, "SIGKILL");
              } catch {}
            }
            done();
          }, 5000);
          child.once("exit", () => {
            clearTimeout(timer);
            done();
          });
        }),
    ),
  );
  await stack?.close();
  await warehouse?.stop();
  process.exit(code);
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

function indent(prefix: string, data: Buffer): string {
  return data
    .toString()
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => `${prefix}${l}\n`)
    .join("");
}

process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));
main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  void stop(1);
});
