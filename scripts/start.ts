/**
 * `npm start`: the whole platform on this machine, on embedded defaults.
 *
 * Starts Redis (or uses the one on 6379), the Upstash REST bridge, the origin (migrations, keys, demo seed) and the CDN
 * stand-ins in this process, then the whole edge (the front door and the four workers) in one workerd through one
 * `wrangler dev` (local/src/local-edge.ts), waits until each worker answers `/health` through the front door, and
 * prints where everything listens. Ctrl-C stops every process it started.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { startBrazeStandIn } from "@cadence/local/src/braze-stand-in";
import { knobsFromEnv } from "@cadence/local/src/cdn/knobs";
import { type PlaybackSecrets, playbackSecrets } from "@cadence/local/src/cdn/secrets";
import { startCdnStandIn } from "@cadence/local/src/cdn/stand-ins";
import { localWarehouse } from "@cadence/local/src/clickhouse-cluster";
import { type DevStack, devSecrets, startDevStack } from "@cadence/local/src/dev-stack";
import { writeLocalEdgeConfigs } from "@cadence/local/src/local-edge";
import { localSecrets } from "@cadence/origin/src/drm/secrets";
import { seedDemoCatalog } from "./demo-catalog/seed";
import { localPorts } from "./ports";

const root = resolve(import.meta.dirname, "..");
const ports = localPorts();
const dataDir = resolve(root, process.env.DATA_DIR ?? ".data");
const children: ChildProcess[] = [];
let stack: DevStack | undefined;
const standIns: Array<{ close(): Promise<void> }> = [];
let warehouse: Awaited<ReturnType<typeof localWarehouse>> | undefined;
let stopping = false;

// The inspector port follows the edge port (9231 by default), so a second run with PORT_OFFSET does not collide.
const INSPECTOR_SHIFT = 9231 - 8787;

async function main(): Promise<void> {
  const started = Date.now();
  const host = ports.HOST;
  const originUrl = process.env.ORIGIN_URL ?? `http://${host}:${ports.ORIGIN_PORT}`;
  const bridgeUrl = `http://${host}:${ports.REDIS_BRIDGE_PORT}`;
  mkdirSync(dataDir, { recursive: true });
  const secrets = devSecrets(dataDir);
  const CDNS = [
    { name: "cloudfront" as const, port: ports.CLOUDFRONT_PORT },
    { name: "akamai" as const, port: ports.AKAMAI_PORT },
  ];
  // The edge: the front door and the four workers in one `wrangler dev` (one workerd, one port). Each worker's
  // generated config sits in the data folder with a private .dev.vars: its own secrets and the development settings.
  const edge = {
    ENVIRONMENT: "development",
    ORIGIN_URL: originUrl,
    JWKS_URL: `${originUrl}/.well-known/jwks.json`,
    AUTH_ISSUER: process.env.AUTH_ISSUER ?? originUrl,
    AUTH_AUDIENCE: process.env.AUTH_AUDIENCE ?? "cadence-edge",
    UPSTASH_REDIS_REST_URL: bridgeUrl,
    UPSTASH_REDIS_REST_TOKEN: secrets.redisRestToken,
    SERVICE_TOKEN: secrets.serviceToken,
    // One machine runs Redis, the bridge, the origin and every worker: a budget for that, not for Upstash in-region.
    REDIS_TIMEOUT_MS: process.env.REDIS_TIMEOUT_MS ?? "1000",
  };
  const configs = writeLocalEdgeConfigs(root, join(dataDir, "wrangler", "configs"), [
    // The pages it serves reach the other workers through the front door (their own origin) and drive the stand-ins.
    {
      worker: "api",
      devVars: { ...edge, CDN_STAND_IN_URLS: CDNS.map((c) => `${c.name}=http://${host}:${c.port}`).join(",") },
    },
    {
      worker: "playback",
      devVars: {
        ...edge,
        ...playbackSecretVars(playbackSecrets(dataDir)),
        // The origin's media-only secret: the Cloudflare pathway's origin pulls read `/media/...` and nothing else.
        MEDIA_PULL_TOKEN: secrets.mediaPullToken,
        // The licence wrapping key is the origin's: it wraps every content key the catalog publishes (docs/drm.md).
        LICENSE_WRAP_KEY: process.env.LICENSE_WRAP_KEY ?? localSecrets(dataDir).licenseWrapKey,
        CLOUDFRONT_BASE_URL: `http://${host}:${ports.CLOUDFRONT_PORT}`,
        AKAMAI_BASE_URL: `http://${host}:${ports.AKAMAI_PORT}`,
      },
    },
    { worker: "ingest-events", devVars: { ...edge, EVENTS_INGEST_SECRET: secrets.eventsIngestSecret } },
    { worker: "ads", devVars: { ...edge, ADS_BEACON_SECRET: adsBeaconSecret(dataDir) } },
  ]);
  const args = ["dev", ...configs.flatMap((c) => ["-c", c])];
  args.push("--ip", host, "--port", String(ports.EDGE_PORT));
  args.push("--inspector-port", String(ports.EDGE_PORT + INSPECTOR_SHIFT));
  args.push("--persist-to", join(dataDir, "wrangler", "state"));
  args.push("--show-interactive-dev-session=false", "--log-level", "warn");
  // wrangler's own entry point, without the launcher process its bin script would add.
  const cli = join(root, "node_modules", "wrangler", "wrangler-dist", "cli.js");
  const child = spawn(process.execPath, ["--no-warnings", cli, ...args], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
    // No network here: use miniflare's built-in `request.cf` instead of fetching one from Cloudflare.
    env: {
      ...process.env,
      WRANGLER_SEND_METRICS: "false",
      CLOUDFLARE_CF_FETCH_ENABLED: "false",
      // This run's own registry, so nothing meets another checkout's workers.
      WRANGLER_REGISTRY_PATH: join(dataDir, "wrangler", "registry"),
    },
  });
  supervise("edge", child);

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

  // The origin and Redis start while workerd bundles and starts the workers.
  stack = await startDevStack({
    dataDir,
    host,
    originPort: ports.ORIGIN_PORT,
    bridgePort: ports.REDIS_BRIDGE_PORT,
    // The local stack is development unless told otherwise; a deployed origin defaults to production.
    env: {
      CADENCE_ENV: "development",
      ...process.env,
      ...warehouse.env,
      ...brazeEnv,
      AUTH_ISSUER: process.env.AUTH_ISSUER ?? originUrl,
    },
  });
  log(`redis      ${stack.redis.url}${stack.redis.owned ? " (started by npm start)" : " (already running)"}`);
  // The demo catalog is generated and ingested in the background; the services answer meanwhile.
  if ((process.env.CADENCE_ENV ?? "development") !== "production" && process.env.DEMO_CATALOG !== "off") {
    void seedDemoCatalog({ dataDir, originUrl: stack.origin.url, serviceToken: stack.secrets.serviceToken, log });
  }

  // The CDN stand-ins run in this process (they are small HTTP servers): fewer processes, less memory.
  for (const cdn of CDNS) {
    const standIn = await startCdnStandIn(cdn.name, {
      originUrl,
      mediaPullToken: secrets.mediaPullToken,
      secrets: playbackSecrets(dataDir),
      host,
      port: cdn.port,
      knobs: knobsFromEnv(process.env),
      // Segments served are counted per playback session (the evidence an earned play is judged by).
      redis: { url: bridgeUrl, token: secrets.redisRestToken },
    });
    standIns.push(standIn);
  }

  const edgeUrl = `http://${host}:${ports.EDGE_PORT}`;
  // The front door's /health/<worker> reaches each worker's own /health over its service binding.
  await Promise.all([
    ...EDGE_WORKERS.map((w) => waitHealthy(`${edgeUrl}/health/${w}`, w)),
    ...CDNS.map((c) => waitHealthy(`http://${host}:${c.port}/__health`, `${c.name} stand-in`)),
  ]);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  log(`\nCadence is up in ${seconds}s:\n`);
  const rows: Array<[string, string]> = [
    ["origin", originUrl],
    ["redis (Upstash REST bridge)", stack.bridge.url],
    ["edge (front door, api, playback, ingest-events, ads)", edgeUrl],
    ...CDNS.map((c) => [`${c.name} stand-in (CDN)`, `http://${host}:${c.port}`] as [string, string]),
  ];
  for (const [name, url] of rows) log(`  ${name.padEnd(52)} ${url}`);
  log(`\nOpen the player:  ${edgeUrl}/   (ops console /ops, advertiser console /advertiser)`);
  log(`\nTry: curl -s ${edgeUrl}/v1/auth/login -H 'content-type: application/json' \\`);
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
  await Promise.all(standIns.map((s) => s.close().catch(() => undefined)));
  await stack?.close();
  await warehouse?.stop();
  process.exit(code);
}

const EDGE_WORKERS = ["api", "playback", "ingest-events", "ads"] as const;

function playbackSecretVars(secrets: PlaybackSecrets): Record<string, string> {
  return {
    PLAYBACK_TOKEN_SECRET: secrets.playbackTokenSecret,
    CLOUDFLARE_CDN_TOKEN_SECRET: secrets.cloudflareCdnTokenSecret,
    CLOUDFRONT_PRIVATE_KEY: secrets.cloudfrontPrivateKey,
    CLOUDFRONT_KEY_PAIR_ID: secrets.cloudfrontKeyPairId,
    AKAMAI_EDGEAUTH_KEY: secrets.akamaiEdgeAuthKey,
  };
}

/** The ads worker's beacon HMAC secret: generated once per data folder, given to the ads worker only. */
function adsBeaconSecret(dir: string): string {
  const path = join(dir, "ads-beacon-secret");
  if (!existsSync(path)) writeFileSync(path, randomBytes(32).toString("base64url"), { mode: 0o600 });
  return readFileSync(path, "utf8").trim();
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
