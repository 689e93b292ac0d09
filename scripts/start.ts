/**
 * `npm start`: the whole platform on this machine, on embedded defaults.
 *
 * Starts Redis (or uses the one on 6379), the Upstash REST bridge, the origin (migrations, keys, demo seed), then the
 * four workers and the front door in workerd through `wrangler dev`, waits until each answers `/health`, and prints
 * where everything listens. Ctrl-C stops every process it started.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { type DevStack, startDevStack } from "@cadence/local/src/dev-stack";
import { localPorts } from "./ports";

const root = resolve(import.meta.dirname, "..");
const ports = localPorts();
const dataDir = resolve(root, process.env.DATA_DIR ?? ".data");
const children: ChildProcess[] = [];
let stack: DevStack | undefined;
let stopping = false;

const WORKERS = [
  { name: "api", config: "workers/api/wrangler.toml", port: ports.API_PORT, inspector: 9231 },
  { name: "playback", config: "workers/playback/wrangler.toml", port: ports.PLAYBACK_PORT, inspector: 9232 },
  {
    name: "ingest-events",
    config: "workers/ingest-events/wrangler.toml",
    port: ports.INGEST_EVENTS_PORT,
    inspector: 9233,
  },
  { name: "ads", config: "workers/ads/wrangler.toml", port: ports.ADS_PORT, inspector: 9234 },
  { name: "edge front door", config: "wrangler.toml", port: ports.EDGE_PORT, inspector: 9235 },
];

async function main(): Promise<void> {
  const started = Date.now();
  const host = ports.HOST;
  const originUrl = process.env.ORIGIN_URL ?? `http://${host}:${ports.ORIGIN_PORT}`;
  stack = await startDevStack({
    dataDir,
    host,
    originPort: ports.ORIGIN_PORT,
    bridgePort: ports.REDIS_BRIDGE_PORT,
    env: { ...process.env, AUTH_ISSUER: process.env.AUTH_ISSUER ?? originUrl },
  });
  log(`redis      ${stack.redis.url}${stack.redis.owned ? " (started by npm start)" : " (already running)"}`);

  // Secrets go to an ignored env file that wrangler reads; plain settings go as --var so they override wrangler.toml.
  const envFile = join(dataDir, "edge.env");
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(
    envFile,
    `UPSTASH_REDIS_REST_TOKEN=${stack.secrets.redisRestToken}\nSERVICE_TOKEN=${stack.secrets.serviceToken}\n`,
    { mode: 0o600 },
  );
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
        worker.config === "wrangler.toml" ? "edge" : (worker.config.split("/")[1] ?? worker.name),
      ),
      "--env-file",
      envFile,
      "--show-interactive-dev-session=false",
      "--log-level",
      "warn",
    ];
    if (worker.config !== "wrangler.toml") for (const [k, v] of Object.entries(vars)) args.push("--var", `${k}:${v}`);
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
    const prefix = `[${worker.name}] `;
    child.stdout?.on("data", (d: Buffer) => process.stdout.write(indent(prefix, d)));
    child.stderr?.on("data", (d: Buffer) => process.stderr.write(indent(prefix, d)));
    child.on("exit", (code) => {
      if (!stopping) {
        log(`${worker.name} exited with code ${code}; stopping everything.`);
        void stop(1);
      }
    });
    children.push(child);
  }

  await Promise.all(WORKERS.map((w) => waitHealthy(`http://${host}:${w.port}/health`, w.name)));
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  log(`\nCadence is up in ${seconds}s:\n`);
  const rows: Array<[string, string]> = [
    ["origin", originUrl],
    ["redis (Upstash REST bridge)", stack.bridge.url],
    ...WORKERS.map((w) => [w.name, `http://${host}:${w.port}`] as [string, string]),
  ];
  for (const [name, url] of rows) log(`  ${name.padEnd(30)} ${url}`);
  log(`\nTry: curl -s http://${host}:${ports.API_PORT}/v1/auth/login -H 'content-type: application/json' \\`);
  log(`       -d '{"email":"premium@demo.test","password":"demo-password"}'`);
  log("Ctrl-C stops everything.");
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
