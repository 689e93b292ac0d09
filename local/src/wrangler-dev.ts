/**
 * Runs one worker under `wrangler dev` (workerd) on a free port for end-to-end tests and benchmarks, with its vars and
 * secrets, its own persistence and dev registry in a temp folder (so it never meets another run's workers), and
 * waits until `/health` answers. `close()` stops wrangler and workerd (the whole process group).
 *
 * The worker is bundled once (`wrangler deploy --dry-run --outdir`) and served with `--no-bundle`: wrangler dev's own
 * bundling watches the sources and rebuilds and restarts workerd on every edit in the checkout, which would restart
 * the worker in the middle of a test or a benchmark round.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { freePort } from "./redis-server";

export const REPO_ROOT = resolve(import.meta.dirname, "../..");

export interface WranglerDevOptions {
  /** Config path relative to the repo root, e.g. `workers/playback/wrangler.toml`. */
  config: string;
  /** Plain vars (passed as --var, overriding wrangler.toml). */
  vars?: Record<string, string>;
  /** Secrets (written to a private env file). */
  secrets?: Record<string, string>;
  host?: string;
  port?: number;
  /** How long to wait for `/health`. */
  timeoutMs?: number;
  /** A dev registry shared with other workers of the same test, so their service bindings connect (default: private). */
  registry?: string;
}

export interface RunningWorker {
  url: string;
  port: number;
  /** Process group of wrangler and its workerd (for CPU accounting). */
  pgid: number;
  /** stdout and stderr so far, for failure messages. */
  output(): string;
  close(): Promise<void>;
}

export async function startWranglerDev(options: WranglerDevOptions): Promise<RunningWorker> {
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? (await freePort(host));
  const inspector = await freePort(host);
  const dir = mkdtempSync(join(tmpdir(), "cadence-wrangler-"));
  const envFile = join(dir, "secrets.env");
  const lines = Object.entries(options.secrets ?? {}).map(([k, v]) => `${k}=${v}`);
  writeFileSync(envFile, `${lines.join("\n")}\n`, { mode: 0o600 });
  const wrangler = join(REPO_ROOT, "node_modules", ".bin", "wrangler");
  const env = {
    ...process.env,
    WRANGLER_SEND_METRICS: "false",
    CLOUDFLARE_CF_FETCH_ENABLED: "false",
    WRANGLER_REGISTRY_PATH: options.registry ?? join(dir, "registry"),
  };
  try {
    await promisify(execFile)(wrangler, ["deploy", "--dry-run", "--outdir", join(dir, "dist"), "-c", options.config], {
      cwd: REPO_ROOT,
      env,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`bundling ${options.config} failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  const args = ["dev", join(dir, "dist", "index.js"), "--no-bundle", "-c", options.config];
  args.push("--ip", host, "--port", String(port));
  args.push("--inspector-port", String(inspector), "--persist-to", join(dir, "state"), "--env-file", envFile);
  args.push("--show-interactive-dev-session=false", "--log-level", "warn");
  for (const [k, v] of Object.entries(options.vars ?? {})) args.push("--var", `${k}:${v}`);
  const child: ChildProcess = spawn(wrangler, args, {
    cwd: REPO_ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
    env,
  });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    output += d.toString();
  });
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid) {
      const exited = new Promise<void>((done) => child.once("exit", () => done()));
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        // already gone
      }
      const timer = setTimeout(() => {
        try {
          if (child.pid) process.kill(-child.pid, "SIGKILL");
        } catch {}
      }, 5_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const url = `http://${host}:${port}`;
  const deadline = Date.now() + (options.timeoutMs ?? 90_000);
  while (true) {
    if (child.exitCode !== null) {
      await close();
      throw new Error(`wrangler dev exited with ${child.exitCode}:\n${output.slice(-3000)}`);
    }
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await close();
      throw new Error(`wrangler dev did not answer ${url}/health in time:\n${output.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, port, pgid: child.pid ?? 0, output: () => output, close };
}
