/**
 * `npm run bench:local-stack`: what `npm start` costs a developer's machine. Starts `npm start` exactly as the README
 * says (own data folder and port offset, so it runs beside anyone's stack), measures the time until every worker's
 * `/health` answers through the front door (npm start prints "Cadence is up" only then) and the total resident memory
 * of every process it started (the sum of RSS over its process tree, read from /proc), sampled for 20 s after it is
 * up, then stops it with Ctrl-C's signal. Aims: <= 15 s to healthy, <= 1.5 GB resident.
 * `DEMO_CATALOG=off` leaves out the first-start transcode of the demo catalog (ffmpeg processes come and go).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "../..");

/** Every descendant of `pid` (and itself) with its RSS in bytes. */
function treeRss(pid: number): { bytes: number; processes: Array<{ pid: number; name: string; mb: number }> } {
  const parentOf = new Map<number, number>();
  const info = new Map<number, { name: string; rss: number }>();
  const page = 4096;
  for (const entry of readdirSync("/proc")) {
    const p = Number(entry);
    if (!Number.isInteger(p)) continue;
    try {
      const stat = readFileSync(`/proc/${p}/stat`, "utf8");
      const close = stat.lastIndexOf(")");
      const name = stat.slice(stat.indexOf("(") + 1, close);
      const fields = stat.slice(close + 2).split(" ");
      parentOf.set(p, Number(fields[1]));
      info.set(p, { name, rss: Number(fields[21]) * page });
    } catch {
      // gone meanwhile
    }
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) {
    for (const [child, parent] of parentOf) if (parent === tree[i]) tree.push(child);
  }
  const processes = tree.map((p) => ({
    pid: p,
    name: info.get(p)?.name ?? "?",
    mb: (info.get(p)?.rss ?? 0) / 2 ** 20,
  }));
  return { bytes: processes.reduce((sum, p) => sum + p.mb * 2 ** 20, 0), processes };
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), "cadence-stack-bench-"));
  const offset = String(30_000 + Math.floor(Math.random() * 200) * 10);
  const started = Date.now();
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    cwd: root,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, DATA_DIR: dataDir, PORT_OFFSET: offset, LOG_LEVEL: "warn" },
  });
  let output = "";
  child.stdout.on("data", (d: Buffer) => {
    output += d.toString();
  });
  child.stderr.on("data", (d: Buffer) => {
    output += d.toString();
  });
  const pid = child.pid ?? 0;
  try {
    while (!/Cadence is up/.test(output)) {
      if (child.exitCode !== null) throw new Error(`npm start exited:\n${output.slice(-3000)}`);
      if (Date.now() - started > 180_000) throw new Error(`npm start did not come up:\n${output.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const healthySeconds = (Date.now() - started) / 1000;
    let peak = treeRss(pid);
    let last = peak;
    for (let i = 0; i < 40; i++) {
      await new Promise((r) => setTimeout(r, 500));
      last = treeRss(pid);
      if (last.bytes > peak.bytes) peak = last;
    }
    const gb = (b: number) => (b / 2 ** 30).toFixed(2);
    console.log(
      `npm start (DEMO_CATALOG=${process.env.DEMO_CATALOG ?? "on"}), load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}`,
    );
    console.log(
      `  healthy (every worker's /health through the front door): ${healthySeconds.toFixed(1)} s (aim <= 15 s)`,
    );
    console.log(
      `  resident memory, whole process tree: peak ${gb(peak.bytes)} GB, after 20 s ${gb(last.bytes)} GB (aim <= 1.5 GB)`,
    );
    console.log(`  processes (${last.processes.length}):`);
    for (const p of last.processes.sort((a, b) => b.mb - a.mb))
      console.log(`    ${p.name.padEnd(16)} ${p.mb.toFixed(0).padStart(5)} MB`);
  } finally {
    const exited = new Promise((r) => child.once("exit", r));
    process.kill(-pid, "SIGINT");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // already gone
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
