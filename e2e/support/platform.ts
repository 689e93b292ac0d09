/**
 * The platform for the end-to-end suite, started exactly the way `npm start` starts it: `scripts/start.ts` as a
 * child process (origin, Upstash bridge, CDN stand-ins, the four workers and the front door in workerd through
 * `wrangler dev`), with its own data folder, a private redis-server, and a port offset where every port it needs is
 * free, so the suite runs beside anyone's `npm start` on the default ports. Stopping it sends the same signal Ctrl-C
 * does, so npm start's own shutdown stops every process it started.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startRedisServer } from "@cadence/local/src/redis-server";
import { type LocalPorts, localPorts } from "../../scripts/ports";

export interface PlatformInfo {
  /** What `npm start` was given (so tools like `npm run ingest` can find this platform). */
  env: { DATA_DIR: string; PORT_OFFSET: string };
  apiUrl: string;
  playbackUrl: string;
  eventsUrl: string;
  adsUrl: string;
  originUrl: string;
  edgeUrl: string;
  cdn: { cloudfront: string; akamai: string };
  dataDir: string;
  /** The platform's private Redis (edge state), for tests that must set up a listener's history. */
  redisUrl: string;
  /** Generated secrets (`<dataDir>/secrets.json`): tests use the service token to ask the origin what landed. */
  serviceToken: string;
  eventsIngestSecret: string;
}

export interface RunningPlatform {
  info: PlatformInfo;
  stop(): Promise<void>;
}

const root = resolve(import.meta.dirname, "..", "..");
const INSPECTOR_PORTS = 1;

export async function startPlatform(
  options: { env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<RunningPlatform> {
  const dataDir = mkdtempSync(join(tmpdir(), "cadence-e2e-"));
  const redis = await startRedisServer();
  const offset = await freeOffset();
  const ports = localPorts({ PORT_OFFSET: String(offset) });
  let output = "";
  const child = spawn(join(root, "node_modules", ".bin", "tsx"), ["scripts/start.ts"], {
    cwd: root,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      ...options.env,
      PORT_OFFSET: String(offset),
      DATA_DIR: dataDir,
      REDIS_URL: redis.url,
      LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
    },
  });
  const collect = (d: Buffer) => {
    output += d.toString();
    if (process.env.E2E_VERBOSE) process.stderr.write(d);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const stop = async () => {
    await stopGroup(child);
    child.stdout?.destroy();
    child.stderr?.destroy();
    await redis.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForUp(child, () => output, options.timeoutMs ?? 240_000);
  } catch (err) {
    await stop();
    throw err;
  }
  const secrets = JSON.parse(readFileSync(join(dataDir, "secrets.json"), "utf8")) as {
    serviceToken: string;
    eventsIngestSecret: string;
  };
  const url = (port: number) => `http://${ports.HOST}:${port}`;
  return {
    info: {
      env: { DATA_DIR: dataDir, PORT_OFFSET: String(offset) },
      // The whole edge answers on one port (the front door routes by path to the four workers).
      apiUrl: url(ports.EDGE_PORT),
      playbackUrl: url(ports.EDGE_PORT),
      eventsUrl: url(ports.EDGE_PORT),
      adsUrl: url(ports.EDGE_PORT),
      originUrl: url(ports.ORIGIN_PORT),
      edgeUrl: url(ports.EDGE_PORT),
      cdn: { cloudfront: url(ports.CLOUDFRONT_PORT), akamai: url(ports.AKAMAI_PORT) },
      dataDir,
      redisUrl: redis.url,
      serviceToken: secrets.serviceToken,
      eventsIngestSecret: secrets.eventsIngestSecret,
    },
    stop,
  };
}

function waitForUp(child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  return new Promise((resolveUp, reject) => {
    const timer = setTimeout(() => {
      clearInterval(poll);
      reject(new Error(`npm start did not come up within ${timeoutMs / 1000}s:\n${output().slice(-4000)}`));
    }, timeoutMs);
    const poll = setInterval(() => {
      if (/Cadence is up/.test(output())) {
        clearInterval(poll);
        clearTimeout(timer);
        resolveUp();
      }
    }, 200);
    child.once("exit", (code) => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(`npm start exited with code ${code}:\n${output().slice(-4000)}`));
    });
  });
}

async function stopGroup(child: ChildProcess): Promise<void> {
  if (!child.pid || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  process.kill(-child.pid, "SIGINT"); // npm start's Ctrl-C path: it stops every process it started
  const timeout = new Promise<"timeout">((done) => setTimeout(() => done("timeout"), 15_000));
  if ((await Promise.race([exited, timeout])) === "timeout") {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

/** A PORT_OFFSET at which every port npm start binds (and its inspector ports) is free right now. */
async function freeOffset(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const offset = 20_000 + Math.floor(Math.random() * 2000) * 10;
    const ports = localPorts({ PORT_OFFSET: String(offset) });
    const wanted = portsOf(ports);
    const inspectorBase = ports.EDGE_PORT + (9231 - 8787);
    for (let i = 0; i < INSPECTOR_PORTS; i++) wanted.push(inspectorBase + i);
    if ((await Promise.all(wanted.map(isFree))).every(Boolean)) return offset;
  }
  throw new Error("no free port range for the end-to-end platform");
}

function portsOf(ports: LocalPorts): number[] {
  return Object.entries(ports)
    .filter(([key]) => key !== "HOST")
    .map(([, value]) => value as number);
}

function isFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once("error", () => done(false));
    server.listen(port, "127.0.0.1", () => server.close(() => done(true)));
  });
}
