/**
 * `npm start`'s demo catalog: generated once into `<DATA_DIR>/demo-catalog/` (synthetic audio + ERN 4.3 messages)
 * and delivered to the running origin through its real ingest endpoint, in the background while the services
 * already answer, with progress on the console. Later starts re-deliver the same messages, which the origin answers
 * "unchanged" without transcoding, so the step is idempotent and quick.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { type DemoDelivery, demoCatalog } from "@cadence/origin/src/catalog/demo/catalog";
import { purgeReleaseMessage, writeDelivery } from "@cadence/origin/src/catalog/demo/delivery-builder";
import { run } from "@cadence/origin/src/transcode/ffmpeg";
import { serviceFetch } from "@cadence/shared/trust/service-call";
import { zipSync } from "fflate";

export interface DemoSeedOptions {
  dataDir: string;
  originUrl: string;
  serviceToken: string;
  log: (line: string) => void;
  ffmpeg?: string;
  /** Deliveries in flight at once; the origin's transcoding pool bounds the real work. */
  concurrency?: number;
}

interface IngestAnswer {
  status?: string;
  tracks?: unknown[];
  code?: string;
  detail?: string;
}

function zipFolder(folder: string): Uint8Array<ArrayBuffer> {
  const files: Record<string, Uint8Array> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files[relative(folder, path)] = readFileSync(path);
    }
  };
  walk(folder);
  return new Uint8Array(zipSync(files, { level: 0 }));
}

/** The demo's dates are fixed at its first generation, so later starts deliver byte-identical messages. */
function demoPlan(root: string): DemoDelivery[] {
  const stamp = join(root, "generated-at.json");
  let now = new Date();
  if (existsSync(stamp)) now = new Date((JSON.parse(readFileSync(stamp, "utf8")) as { at: string }).at);
  else {
    mkdirSync(root, { recursive: true });
    writeFileSync(stamp, JSON.stringify({ at: now.toISOString() }));
  }
  return demoCatalog(now);
}

export async function seedDemoCatalog(options: DemoSeedOptions): Promise<void> {
  const started = Date.now();
  const root = join(options.dataDir, "demo-catalog");
  const plan = demoPlan(root);
  const total = plan.reduce((n, d) => n + d.spec.tracks.length, 0);
  const log = (line: string) => options.log(`[catalog] ${line}`);
  try {
    await run(options.ffmpeg ?? "ffmpeg", ["-hide_banner", "-version"]);
  } catch (err) {
    log(`no demo catalog: ${err instanceof Error ? err.message : String(err)}`);
    return;
  }
  log(`demo catalog: ${plan.length} releases, ${total} tracks; generating and ingesting in the background`);
  // Ctrl-C stops the seeding at once: the in-flight upload is dropped, which cancels its ingest at the origin.
  const stop = new AbortController();
  const abort = () => stop.abort();
  process.once("SIGINT", abort);
  process.once("SIGTERM", abort);

  const post = async (folder: string): Promise<{ status: number; body: IngestAnswer }> => {
    const origin = { baseUrl: options.originUrl, token: options.serviceToken };
    const res = await serviceFetch(origin, "/v1/ops/catalog/deliveries", {
      method: "POST",
      headers: { "content-type": "application/zip" },
      body: zipFolder(folder),
      signal: stop.signal,
    });
    return { status: res.status, body: (await res.json()) as IngestAnswer };
  };

  let tracksDone = 0;
  let transcoded = 0;
  const failures: string[] = [];
  const deliver = async (delivery: DemoDelivery) => {
    const { spec } = delivery;
    const folder = join(root, spec.messageId);
    if (!existsSync(join(folder, `${spec.messageId}.xml`)))
      await writeDelivery(folder, spec, { ffmpeg: options.ffmpeg });
    const { status, body } = await post(folder);
    if (status !== 200 && status !== 201) {
      failures.push(`${spec.title}: ${status} ${body.code} ${body.detail}`);
      return;
    }
    if (delivery.purge) {
      const purgeFolder = join(root, delivery.purge.messageId);
      mkdirSync(purgeFolder, { recursive: true });
      writeFileSync(join(purgeFolder, `${delivery.purge.messageId}.xml`), purgeReleaseMessage(delivery.purge));
      const purged = await post(purgeFolder);
      if (purged.status !== 200 && purged.status !== 201)
        failures.push(`${spec.title} (purge): ${purged.status} ${purged.body.detail}`);
    }
    tracksDone += spec.tracks.length;
    if (status === 201) transcoded += spec.tracks.length;
    log(
      `${tracksDone}/${total} tracks served (${status === 201 ? "ingested" : "already in the catalog"}: "${spec.title}" by ${spec.artist})`,
    );
  };

  const queue = [...plan];
  const workers = Array.from({ length: options.concurrency ?? 2 }, async () => {
    for (let next = queue.shift(); next && !stop.signal.aborted; next = queue.shift()) {
      try {
        await deliver(next);
      } catch (err) {
        if (stop.signal.aborted) return;
        failures.push(`${next.spec.title}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  });
  await Promise.all(workers);
  process.off("SIGINT", abort);
  process.off("SIGTERM", abort);
  if (stop.signal.aborted) return;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (failures.length > 0) {
    log(`demo catalog incomplete after ${seconds}s; ${failures.length} deliveries failed:`);
    for (const f of failures) log(`  ${f}`);
    return;
  }
  log(`demo catalog ready: ${tracksDone} tracks (${transcoded} transcoded now) in ${seconds}s`);
}
