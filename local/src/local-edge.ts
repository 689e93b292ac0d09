/**
 * The whole edge of the local stack in one `wrangler dev` (one workerd): the front door first, so it owns the one
 * port, then the four workers it routes to over service bindings. wrangler gives only the first config a port and
 * passes `--var`/`--env-file` to it alone; the others read the vars of their config and the `.dev.vars` beside it. So
 * each worker gets a generated config in the data folder: its committed config with paths made absolute, and a
 * private `.dev.vars` holding its own secrets and the development settings (ENVIRONMENT=development, local addresses).
 * The committed configs stay production-safe; only this file switches development overrides on.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { DEPLOYMENT, deployOrder, type WorkerName } from "@cadence/shared/config/deployment";

/** The parts of a committed config the generated one carries over (as wrangler reads them). */
interface ReadConfig {
  name: string;
  main?: string;
  compatibility_date?: string;
  compatibility_flags?: string[];
  vars: Record<string, unknown>;
  services?: unknown[];
  queues?: unknown;
  triggers?: unknown;
  assets?: { directory?: string } & Record<string, unknown>;
  build?: { command?: string; watch_dir?: string | string[] };
}

/**
 * wrangler's own reading of the committed configs, in a short-lived child: importing wrangler here would keep its
 * 15 MB bundle in the memory of the process that runs the local stack.
 */
function readConfigs(root: string, paths: string[]): ReadConfig[] {
  const script = `import { unstable_readConfig as read } from "wrangler";
const out = JSON.parse(process.argv[1]).map((config) => read({ config }));
process.stdout.write(JSON.stringify(out));`;
  const stdout = execFileSync(process.execPath, ["--input-type=module", "-e", script, JSON.stringify(paths)], {
    cwd: root,
    maxBuffer: 16 * 1024 * 1024,
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
  });
  return JSON.parse(stdout.toString()) as ReadConfig[];
}

export interface LocalEdgeWorker {
  worker: WorkerName;
  /** Development settings and secrets, written to the `.dev.vars` beside its generated config. */
  devVars: Record<string, string>;
}

/** Writes one generated config per worker under `dir` and returns the `-c` paths, the front door first. */
export function writeLocalEdgeConfigs(root: string, dir: string, workers: LocalEdgeWorker[]): string[] {
  const byName = new Map(workers.map((w) => [w.worker, w]));
  const order = deployOrder().reverse(); // front door first: it owns the port
  const committedPaths = order.map((worker) => resolve(root, DEPLOYMENT[worker].config));
  const configs = readConfigs(root, committedPaths);
  return order.map((worker, i) => {
    const committed = committedPaths[i] as string;
    const configDir = dirname(committed);
    const config = configs[i] as ReadConfig;
    const generated: Record<string, unknown> = {
      name: config.name,
      main: config.main,
      compatibility_date: config.compatibility_date,
      compatibility_flags: config.compatibility_flags,
      vars: config.vars,
      services: config.services,
      queues: config.queues,
      triggers: config.triggers,
    };
    if (config.assets?.directory) {
      generated.assets = { ...config.assets, directory: resolve(configDir, config.assets.directory) };
    }
    if (config.build?.command) {
      const watch = config.build.watch_dir;
      generated.build = {
        command: config.build.command,
        cwd: root,
        watch_dir: (Array.isArray(watch) ? watch : watch ? [watch] : []).map((w) => resolve(root, w)),
      };
    }
    const out = join(dir, worker);
    mkdirSync(out, { recursive: true });
    const path = join(out, "wrangler.json");
    writeFileSync(path, JSON.stringify(generated, null, 2));
    const vars = byName.get(worker)?.devVars ?? {};
    const lines = Object.entries(vars).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
    writeFileSync(join(out, ".dev.vars"), `${lines.join("\n")}\n`, { mode: 0o600 });
    return path;
  });
}
