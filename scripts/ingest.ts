/**
 * `npm run ingest -- <delivery folder or .zip> [--json]`: ingests one DDEX delivery and prints the report.
 * `npm run ingest -- <folder of deliveries> [--json]`: a batch (a folder with no message of its own, whose sub-folders
 * and zips are deliveries): every delivery ingested, in parallel, one line (or report) each; one that fails does not
 * stop the others, and the exit code is 1 when any was refused.
 *
 * When the origin of this data folder is running (`npm start`), the delivery goes to its ingest endpoint, so its
 * transcoding pool and edge publishing do the work. Otherwise the ingester runs in this process on the data
 * folder's database and media store; tracks are then published to edge state at the origin's next start.
 */
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { Readable } from "node:stream";
import { devSecrets } from "@cadence/local/src/dev-stack";
import { deliveriesIn, isBatchFolder } from "@cadence/origin/src/catalog/batch";
import type { IngestReport } from "@cadence/origin/src/catalog/ingest";
import { loadConfig } from "@cadence/origin/src/config";
import { createServices } from "@cadence/origin/src/services";
import { serviceFetch } from "@cadence/shared/trust/service-call";
import { zipSync } from "fflate";
import { localPorts } from "./ports";

const args = process.argv.slice(2);
const json = args.includes("--json");
const target = args.find((a) => !a.startsWith("--"));
if (!target || !existsSync(target)) {
  console.error("Usage: npm run ingest -- <delivery folder, .zip, or folder of deliveries> [--json]");
  process.exit(2);
}
const path = resolve(target);
const ports = localPorts();
const dataDir = resolve(import.meta.dirname, "..", process.env.DATA_DIR ?? ".data");
const originUrl = process.env.ORIGIN_URL ?? `http://${ports.HOST}:${ports.ORIGIN_PORT}`;
const secrets = devSecrets(dataDir);

function zipOf(folder: string): Uint8Array<ArrayBuffer> {
  const files: Record<string, Uint8Array> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else files[relative(folder, p)] = readFileSync(p);
    }
  };
  walk(folder);
  return new Uint8Array(zipSync(files, { level: 0 }));
}

async function originRunning(): Promise<boolean> {
  try {
    return (await fetch(`${originUrl}/health`, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    return false;
  }
}

/** An ingest report, or (when the origin refused the request itself) its problem shown as the one error. */
type Outcome = Omit<IngestReport, "errors"> & { errors: Array<{ path: string; code: string; message: string }> };

async function viaOrigin(path: string): Promise<Outcome> {
  const body = statSync(path).isDirectory() ? zipOf(path) : new Uint8Array(readFileSync(path));
  const res = await serviceFetch({ baseUrl: originUrl, token: secrets.serviceToken }, "/v1/ops/catalog/deliveries", {
    method: "POST",
    headers: { "content-type": "application/zip" },
    body,
    // A large delivery transcodes for many minutes; the origin answers when it is done.
    timeoutMs: 2 * 60 * 60_000,
  });
  const answer = (await res.json()) as IngestReport & { report?: IngestReport; code?: string; detail?: string };
  if (answer.report) return answer.report;
  if (res.ok) return answer;
  const error = { path: path, code: answer.code ?? String(res.status), message: answer.detail ?? res.statusText };
  const ms = { validate: 0, transcode: 0, commit: 0, total: 0 };
  return {
    status: "rejected",
    releases: [],
    tracks: [],
    errors: [error],
    warnings: [],
    published: 0,
    transcodes: 0,
    ms,
  };
}

function servicesHere() {
  const config = loadConfig({
    CADENCE_ENV: "development",
    ...process.env,
    DATA_DIR: dataDir,
    UPSTASH_REDIS_REST_URL: `http://${ports.HOST}:${ports.REDIS_BRIDGE_PORT}`,
    UPSTASH_REDIS_REST_TOKEN: secrets.redisRestToken,
    SERVICE_TOKEN: secrets.serviceToken,
    LOG_LEVEL: "warn",
  });
  return createServices(config);
}

async function inProcess(): Promise<IngestReport> {
  const services = await servicesHere();
  try {
    if (statSync(path).isDirectory()) return await services.catalog.ingestFolder(path);
    return await services.catalog.ingestArchive(Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>);
  } finally {
    services.close();
  }
}

function print(report: Outcome, where: string): void {
  if (json) {
    console.log(JSON.stringify(report, null, 2));
    return;
  }
  const m = report.message;
  console.log(
    `${report.status.toUpperCase()} (${where})${m ? `: message ${m.id} from ${m.sender}, ERN ${m.ernVersion}` : ""}`,
  );
  for (const r of report.releases) {
    console.log(
      `  release ${r.id}  "${r.title}"  ${r.tracks} tracks${r.takedownAt ? `  taken down from ${r.takedownAt}` : ""}`,
    );
  }
  for (const t of report.tracks) {
    const ladder = t.renditions.map((r) => `${r.id} ${Math.round(r.averageBandwidth / 1000)}k`).join(", ");
    console.log(
      `  track ${t.id}  "${t.title}" by ${t.artist}  ${(t.durationMs / 1000).toFixed(3)} s  ${t.loudnessLufs} LUFS  ${t.truePeakDbtp} dBTP  ${t.transcoded ? "transcoded" : t.sharesAudioWith ? `same audio as ${t.sharesAudioWith}: one transcode` : "already packaged"}  [${ladder}]`,
    );
  }
  for (const e of report.errors) console.log(`  ERROR ${e.code} at ${e.path}: ${e.message}`);
  for (const w of report.warnings) console.log(`  warning ${w.code} at ${w.path}: ${w.message}`);
  if (report.ms.total) {
    const { validate, transcode, commit, total } = report.ms;
    console.log(
      `  ${total} ms (validate ${validate}, transcode ${transcode}, commit ${commit}); published to edge: ${report.published}`,
    );
  }
}

/** A batch through the running origin: each delivery uploaded on its own, a few at a time (its pool transcodes). */
async function batchViaOrigin(): Promise<Array<{ delivery: string; report: Outcome }>> {
  const deliveries = await deliveriesIn(path);
  const out: Array<{ delivery: string; report: Outcome }> = deliveries.map((d) => ({
    delivery: d.name,
    report: undefined!,
  }));
  let next = 0;
  const worker = async () => {
    while (next < deliveries.length) {
      const i = next++;
      out[i]!.report = await viaOrigin(deliveries[i]!.path);
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, deliveries.length) }, worker));
  return out;
}

async function batchInProcess(): Promise<Array<{ delivery: string; report: Outcome }>> {
  const services = await servicesHere();
  try {
    return (await services.catalog.ingestBatchFolder(path)).reports;
  } finally {
    services.close();
  }
}

function printBatch(reports: Array<{ delivery: string; report: Outcome }>, where: string, ms: number): void {
  if (json) {
    console.log(JSON.stringify({ deliveries: reports.length, reports, ms }, null, 2));
    return;
  }
  console.log(`BATCH of ${reports.length} deliveries (${where}), ${ms} ms`);
  for (const { delivery, report } of reports) {
    const transcoded = report.tracks.filter((t) => t.transcoded).length;
    const first = report.errors[0];
    console.log(
      `  ${report.status.toUpperCase().padEnd(9)} ${delivery}: ${report.releases.map((r) => r.id).join(", ") || "-"}  ${report.tracks.length} tracks (${transcoded} transcoded)${first ? `  ${first.code} at ${first.path}: ${first.message}${report.errors.length > 1 ? ` (+${report.errors.length - 1} more)` : ""}` : ""}`,
    );
  }
  const counts = new Map<string, number>();
  for (const { report } of reports) counts.set(report.status, (counts.get(report.status) ?? 0) + 1);
  console.log(`  ${[...counts].map(([s, n]) => `${n} ${s}`).join(", ")}`);
}

const running = await originRunning();
const where = running ? `via the origin at ${originUrl}` : `in-process on ${dataDir}`;
if (statSync(path).isDirectory() && (await isBatchFolder(path))) {
  const started = Date.now();
  const reports = running ? await batchViaOrigin() : await batchInProcess();
  printBatch(reports, where, Date.now() - started);
  process.exit(reports.every((r) => r.report.status === "ingested" || r.report.status === "unchanged") ? 0 : 1);
}
const report = running ? await viaOrigin(path) : await inProcess();
print(report, where);
process.exit(report.status === "ingested" || report.status === "unchanged" ? 0 : 1);
