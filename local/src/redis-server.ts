/**
 * Finds a Redis for local runs: the one on 127.0.0.1:6379 when it answers, otherwise a `redis-server` of our own on a
 * free port (nothing persisted). If neither is possible, the error says exactly what to install.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { Redis } from "ioredis";

export interface LocalRedis {
  url: string;
  /** True when we started the server and must stop it. */
  owned: boolean;
  stop(): Promise<void>;
}

/** A redis-server this process started, with the faults the resilience tests inject into it. */
export interface OwnedRedis extends LocalRedis {
  owned: true;
  /** SIGSTOP: connections stay open and every command hangs, as a stuck Redis does. */
  pause(): void;
  /** SIGCONT after pause(). */
  resume(): void;
  /** Stops the server and starts a new, empty one on the same port (nothing is persisted). */
  restartEmpty(): Promise<void>;
}

export async function pingRedis(url: string, timeoutMs = 800): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on("error", () => {});
  try {
    await client.connect();
    return (await client.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

export function freePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

export const REDIS_INSTALL_HINT =
  "No Redis answered on 127.0.0.1:6379 and `redis-server` is not installed. Install it (Debian/Ubuntu: `sudo apt-get install redis-server`; macOS: `brew install redis`) or set REDIS_URL to a running Redis.";

async function spawnRedis(port: number): Promise<ChildProcess> {
  const child: ChildProcess = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no"],
    { stdio: "ignore" },
  );
  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + 5000;
  while (!(await pingRedis(url, 300))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`redis-server did not start on port ${port}.`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return child;
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGCONT");
    child.kill("SIGTERM");
  });
}

/** Starts a private redis-server on a free port; the caller stops it. */
export async function startRedisServer(): Promise<OwnedRedis> {
  if (spawnSync("redis-server", ["--version"], { stdio: "ignore" }).error) throw new Error(REDIS_INSTALL_HINT);
  const port = await freePort();
  let child = await spawnRedis(port);
  return {
    url: `redis://127.0.0.1:${port}`,
    owned: true,
    pause: () => void child.kill("SIGSTOP"),
    resume: () => void child.kill("SIGCONT"),
    restartEmpty: async () => {
      await stopChild(child);
      child = await spawnRedis(port);
    },
    stop: () => stopChild(child),
  };
}

/** REDIS_URL if set, else 127.0.0.1:6379 if it answers, else our own redis-server. */
export async function findOrStartRedis(preferred = process.env.REDIS_URL): Promise<LocalRedis> {
  const candidate = preferred ?? "redis://127.0.0.1:6379";
  if (await pingRedis(candidate)) return { url: candidate, owned: false, stop: async () => {} };
  if (preferred) throw new Error(`REDIS_URL=${preferred} does not answer PING.`);
  return startRedisServer();
}
