/**
 * `npm run bench:catalog`: the catalog's two hot paths, each against a floor run side by side in the same process.
 *
 * 1. Ingest throughput: a delivery of N 30-second tracks through the real origin endpoint (zip upload, validation,
 *    hashing, ffprobe, the ladder with loudness measurement, media store, one transaction, Redis publish), versus the
 *    floor: bare ffmpeg producing the same four HLS renditions from the same files, with the same parallelism (2).
 * 2. Batch intake: a folder of BENCH_BATCH_RELEASES releases x BENCH_BATCH_TRACKS tracks (default 50 x 10 = 500
 *    tracks of BENCH_BATCH_SECONDS s, every track its own audio) through `npm run ingest -- <folder>` in-process (the
 *    origin's own code: validation, hashing, ffprobe, the ladder in the pool of 2, one transaction per release, Redis
 *    publish), versus bare ffmpeg making the same ladders from the same files 2 at a time; with the peak resident
 *    memory of the ingesting process (GNU time's maximum RSS).
 * 3. Search latency over 100,000 generated tracks (metadata only): p50/p99 of `searchCatalog` on exact, prefix and
 *    misspelled queries, versus the floor: a bare FTS5 MATCH of the query's first word (the cheapest indexed lookup).
 *
 * Options: BENCH_TRACKS (default 8), BENCH_BATCH_RELEASES (50), BENCH_BATCH_TRACKS (10), BENCH_BATCH_SECONDS (10),
 * BENCH_SEARCH_TRACKS (default 100000), BENCH_QUERIES (default 600). `npm run bench:catalog -- ingest|batch|search`
 * runs one part.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, relative } from "node:path";
import { startDevStack } from "@cadence/local/src/dev-stack";
import { gs1CheckDigit } from "@cadence/origin/src/catalog/ddex/identifiers";
import { writeDelivery } from "@cadence/origin/src/catalog/demo/delivery-builder";
import { seedMetadataCatalog } from "@cadence/origin/src/catalog/demo/metadata-catalog";
import { searchCatalog } from "@cadence/origin/src/catalog/search";
import { openDatabase } from "@cadence/origin/src/db/client";
import { probeSource, run } from "@cadence/origin/src/transcode/ffmpeg";
import { ladderArgs } from "@cadence/origin/src/transcode/ladder";
import { WorkerPool } from "@cadence/origin/src/transcode/packager";
import { SERVICE_TOKEN_HEADER } from "@cadence/shared/trust/service-call";
import { sql } from "drizzle-orm";
import { zipSync } from "fflate";

const TRACKS = Number(process.env.BENCH_TRACKS ?? 8);
const SEARCH_TRACKS = Number(process.env.BENCH_SEARCH_TRACKS ?? 100_000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 600);
const work = mkdtempSync(join(tmpdir(), "cadence-bench-catalog-"));
const out = (line: string) => process.stdout.write(`${line}\n`);

function zipFolder(folder: string): Uint8Array<ArrayBuffer> {
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

async function ingestBench(): Promise<void> {
  out(`\n== ingest: ${TRACKS} tracks of 30 s, 2 at a time ==`);
  const tracks = Array.from({ length: TRACKS }, (_, i) => ({
    isrc: `QZBEN26${String(i + 1).padStart(5, "0")}`,
    title: `Bench Track ${i + 1}`,
    seconds: 30,
    seed: i,
  }));
  const spec = (n: number) => ({
    messageId: `BENCH-${n}`,
    createdAt: new Date(Date.UTC(2026, 0, n)).toISOString(),
    senderName: "Bench",
    icpn: "4006381333931",
    title: "Bench Release",
    artist: "Bench Artist",
    label: "Bench Label",
    genre: "Test",
    releaseDate: "2026-01-01",
    tracks,
    deals: [{ models: ["SubscriptionModel" as const] }],
  });
  const delivery = await writeDelivery(join(work, "delivery"), spec(1));
  const zip = zipFolder(delivery);
  const sources = tracks.map((t) => join(delivery, "resources", `${t.isrc}.flac`));
  const bin = { ffmpeg: "ffmpeg", ffprobe: "ffprobe" };
  const infos = await Promise.all(sources.map((s) => probeSource(bin, s)));

  const floor = async () => {
    const pool = new WorkerPool(2);
    const started = performance.now();
    await Promise.all(
      sources.map((source, i) =>
        pool.run(async () => {
          const dir = join(work, `floor-${i}-${Math.random().toString(36).slice(2)}`);
          for (const r of ["aac-128", "aac-256", "aac-320", "flac"]) await mkdir(join(dir, r), { recursive: true });
          await run(bin.ffmpeg, ladderArgs(source, infos[i]!, dir, false));
          rmSync(dir, { recursive: true, force: true });
        }),
      ),
    );
    return performance.now() - started;
  };

  const ours = async (round: number) => {
    // A fresh data folder each round, so every track really is transcoded (nothing cached from the last round).
    const stack = await startDevStack({
      dataDir: join(work, `origin-${round}`),
      env: { CADENCE_ENV: "test", LOG_LEVEL: "warn" },
    });
    try {
      const started = performance.now();
      const res = await fetch(`${stack.origin.url}/v1/ops/catalog/deliveries`, {
        method: "POST",
        headers: { "content-type": "application/zip", [SERVICE_TOKEN_HEADER]: stack.secrets.serviceToken },
        body: zip,
      });
      const report = (await res.json()) as { status: string; tracks: Array<{ transcoded: boolean }> };
      const ms = performance.now() - started;
      if (res.status !== 201 || report.tracks.filter((t) => t.transcoded).length !== TRACKS) {
        throw new Error(`ingest failed: ${res.status} ${JSON.stringify(report).slice(0, 300)}`);
      }
      return ms;
    } finally {
      await stack.close();
    }
  };

  // Alternate the two so both see the same machine; keep each one's best round.
  const floors: number[] = [];
  const ourRuns: number[] = [];
  for (let round = 0; round < 2; round++) {
    floors.push(await floor());
    ourRuns.push(await ours(round));
  }
  const bestFloor = Math.min(...floors);
  const bestOurs = Math.min(...ourRuns);
  const perMinute = (ms: number) => ((TRACKS * 60_000) / ms).toFixed(1);
  out(`floor (bare ffmpeg ladder):  ${(bestFloor / 1000).toFixed(2)} s  = ${perMinute(bestFloor)} tracks/min`);
  out(`cadence ingest (HTTP, full): ${(bestOurs / 1000).toFixed(2)} s  = ${perMinute(bestOurs)} tracks/min`);
  out(`ratio ingest / floor:        ${(bestOurs / bestFloor).toFixed(2)}x  (aim: <= 1.3x)`);
  out(`machine load average while measuring: ${loadavg()[0]?.toFixed(1)} on ${cpus().length} cores`);
}

const BATCH_RELEASES = Number(process.env.BENCH_BATCH_RELEASES ?? 50);
const BATCH_TRACKS = Number(process.env.BENCH_BATCH_TRACKS ?? 10);
const BATCH_SECONDS = Number(process.env.BENCH_BATCH_SECONDS ?? 10);

async function batchBench(): Promise<void> {
  const total = BATCH_RELEASES * BATCH_TRACKS;
  out(`\n== batch: ${BATCH_RELEASES} releases x ${BATCH_TRACKS} tracks = ${total} tracks of ${BATCH_SECONDS} s ==`);
  const batch = join(work, "batch");
  const sources: string[] = [];
  const generated = performance.now();
  // Made 2 at a time; every track gets its own seed so no two files are the same audio (nothing is shared).
  const pool = new WorkerPool(2);
  await Promise.all(
    Array.from({ length: BATCH_RELEASES }, (_, r) =>
      pool.run(async () => {
        const body = `60${String(r + 1).padStart(10, "0")}`;
        const tracks = Array.from({ length: BATCH_TRACKS }, (_, t) => ({
          isrc: `QZBAB${String(r).padStart(2, "0")}${String(t + 1).padStart(5, "0")}`.slice(0, 12),
          title: `Batch ${r + 1} Track ${t + 1}`,
          seconds: BATCH_SECONDS,
          seed: r * BATCH_TRACKS + t,
        }));
        const folder = await writeDelivery(join(batch, `release-${String(r + 1).padStart(3, "0")}`), {
          messageId: `BATCH-BENCH-${r + 1}`,
          createdAt: "2026-01-10T10:00:00Z",
          senderName: "Bench",
          icpn: `${body}${gs1CheckDigit(body)}`,
          title: `Batch Release ${r + 1}`,
          artist: `Batch Artist ${r + 1}`,
          label: "Bench Label",
          genre: "Test",
          releaseDate: "2026-01-01",
          tracks,
          deals: [{ models: ["SubscriptionModel"] }],
        });
        for (const t of tracks) sources.push(join(folder, "resources", `${t.isrc}.flac`));
      }),
    ),
  );
  out(`generated in ${((performance.now() - generated) / 1000).toFixed(0)} s`);
  const bin = { ffmpeg: "ffmpeg", ffprobe: "ffprobe" };

  const floorStarted = performance.now();
  const floorPool = new WorkerPool(2);
  await Promise.all(
    sources.map((source, i) =>
      floorPool.run(async () => {
        const info = await probeSource(bin, source);
        const dir = join(work, `batch-floor-${i}`);
        for (const r of ["aac-128", "aac-256", "aac-320", "flac"]) await mkdir(join(dir, r), { recursive: true });
        await run(bin.ffmpeg, ladderArgs(source, info, dir, false));
        rmSync(dir, { recursive: true, force: true });
      }),
    ),
  );
  const floorMs = performance.now() - floorStarted;

  // The batch through `npm run ingest -- <folder>` in its own process (the origin's code in-process), on a data
  // folder whose Redis bridge runs here, so publishing to edge state is part of the measure.
  const stack = await startDevStack({
    dataDir: join(work, "batch-origin"),
    env: { CADENCE_ENV: "test", LOG_LEVEL: "warn" },
  });
  let oursMs = 0;
  let peakKb = 0;
  let summary = "";
  try {
    const started = performance.now();
    // Asynchronous: the Redis bridge the child publishes through runs on this process's event loop.
    const child = await new Promise<{ status: number | null; stdout: string; stderr: string }>((done) => {
      const proc = spawn(
        "/usr/bin/time",
        ["-f", "PEAK_RSS_KB %M", process.execPath, "--import", "tsx", "scripts/ingest.ts", batch],
        {
          cwd: join(import.meta.dirname, "../.."),
          env: {
            ...process.env,
            DATA_DIR: stack.dataDir,
            REDIS_BRIDGE_PORT: new URL(stack.bridge.url).port,
            ORIGIN_URL: "http://127.0.0.1:9",
            LOG_LEVEL: "warn",
          },
        },
      );
      let stdout = "";
      let stderr = "";
      proc.stdout.on("data", (d: Buffer) => {
        stdout += d;
      });
      proc.stderr.on("data", (d: Buffer) => {
        stderr = (stderr + d).slice(-20_000);
      });
      proc.on("close", (status) => done({ status, stdout, stderr }));
    });
    oursMs = performance.now() - started;
    peakKb = Number(/PEAK_RSS_KB (\d+)/.exec(child.stderr)?.[1] ?? 0);
    summary = child.stdout.trim().split("\n").at(-1) ?? "";
    if (child.status !== 0)
      throw new Error(
        `batch ingest failed (${child.status}): ${child.stdout.slice(-2000)} ${child.stderr.slice(-2000)}`,
      );
  } finally {
    await stack.close();
  }
  out(`floor (bare ffmpeg ladders, 2 at a time): ${(floorMs / 1000).toFixed(1)} s`);
  out(`cadence batch (npm run ingest -- <folder>): ${(oursMs / 1000).toFixed(1)} s  (${summary.trim()})`);
  out(`ratio batch / floor:  ${(oursMs / floorMs).toFixed(2)}x  (aim: <= 1.15x)`);
  out(`peak memory of the ingesting origin process: ${(peakKb / 1024).toFixed(0)} MiB`);
  out(`machine load average while measuring: ${loadavg()[0]?.toFixed(1)} on ${cpus().length} cores`);
}

/** A small seeded PRNG (mulberry32), so every run searches the same catalog. */
function prng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function searchBench(): Promise<void> {
  out(`\n== search: ${SEARCH_TRACKS.toLocaleString("en")} tracks (metadata only), ${QUERIES} queries ==`);
  const random = prng(42);
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
  const syllables =
    "ka lo mi ren da vo shi ta ne ru be lin mar cos el fa gio ra pen sol ter via nor lu zen qua bri".split(" ");
  const word = () => Array.from({ length: 2 + Math.floor(random() * 2) }, () => pick(syllables)).join("");
  const common =
    "love night the of heart fire blue dream light city road home rain summer wild gold river song dance".split(" ");
  const vocabulary = Array.from({ length: 6000 }, word);
  const cap = (w: string) => w[0]!.toUpperCase() + w.slice(1);
  const titleOf = () =>
    Array.from({ length: 1 + Math.floor(random() * 3) }, () => (random() < 0.3 ? pick(common) : pick(vocabulary)))
      .map(cap)
      .join(" ");
  const artists = Array.from({ length: SEARCH_TRACKS / 10 }, () =>
    random() < 0.3 ? `The ${cap(pick(vocabulary))}s` : `${cap(pick(vocabulary))} ${cap(pick(vocabulary))}`,
  );
  const catalog = Array.from({ length: SEARCH_TRACKS - 3 }, (_, i) => {
    const artist = artists[Math.floor(i / 10)]!;
    return {
      title: titleOf(),
      artist,
      release: `${cap(pick(vocabulary))} ${cap(pick(common))}`,
      popularity: Math.floor(1e6 * random() ** 4),
    };
  });
  catalog.push(
    { title: "Halo", artist: "Beyoncé Tribute Ensemble", release: "Halo: The Synth Sessions", popularity: 5000 },
    { title: "Let It Be", artist: "The Beatles Revival Band", release: "Abbey Road Revisited", popularity: 5000 },
    { title: "Bohemian Rhapsody", artist: "Queen Rhapsody Orchestra", release: "Epics", popularity: 5000 },
  );

  const { db, close } = await openDatabase(`file:${join(work, "search.db")}`);
  const seeded = performance.now();
  await seedMetadataCatalog(db, catalog);
  out(`indexed in ${((performance.now() - seeded) / 1000).toFixed(1)} s`);

  const typo = (text: string) => {
    const words = text.split(" ");
    const i = words.findIndex((w) => w.length >= 5);
    if (i < 0) return text;
    const w = words[i]!;
    const at = 1 + Math.floor(random() * (w.length - 2));
    words[i] = w.slice(0, at) + w[at + 1] + w[at] + w.slice(at + 2); // a transposition
    return words.join(" ");
  };
  const queries: string[] = ["beyonse", "teh beatles", "bohemian rhap"];
  while (queries.length < QUERIES) {
    const t = pick(catalog);
    const kind = queries.length % 3;
    if (kind === 0) queries.push(t.title);
    else if (kind === 1) queries.push(`${t.artist.split(" ")[0]} ${t.title.slice(0, 4)}`);
    else queries.push(typo(t.artist));
  }

  const percentile = (sorted: number[], p: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
  // Wall time and this process's CPU time per query: on a shared machine the CPU time is the steadier figure
  // (libSQL runs the query on this thread, so its work is counted; other processes' is not).
  const measure = async (fn: (q: string) => Promise<unknown>) => {
    for (const q of queries.slice(0, 50)) await fn(q); // warm the page cache
    const wall: number[] = [];
    const cpu: number[] = [];
    for (const q of queries) {
      const started = performance.now();
      const cpuStarted = process.cpuUsage();
      await fn(q);
      const used = process.cpuUsage(cpuStarted);
      cpu.push((used.user + used.system) / 1000);
      wall.push(performance.now() - started);
    }
    return { wall: wall.sort((a, b) => a - b), cpu: cpu.sort((a, b) => a - b) };
  };
  const floorQuery = (q: string) => {
    const first =
      q
        .toLowerCase()
        .split(/[^a-z0-9]+/)
        .find((w) => w.length >= 3) ?? "the";
    return db.all(sql`SELECT rowid FROM catalog_search WHERE catalog_search MATCH ${`"${first}"`} LIMIT 20`);
  };
  const floor = await measure(floorQuery);
  const ours = await measure((q) => searchCatalog(db, q, 20));
  for (const example of ["beyonse", "teh beatles", "bohemian rhap"]) {
    const hit = (await searchCatalog(db, example, 1)).hits[0];
    out(`  "${example}" -> ${hit ? `${hit.title} / ${hit.artist} (${hit.match})` : "nothing"}`);
  }
  const ms = (v: number) => `${v.toFixed(2)} ms`;
  const line = (name: string, t: { wall: number[]; cpu: number[] }) =>
    out(
      `${name} wall p50 ${ms(percentile(t.wall, 0.5))}  p99 ${ms(percentile(t.wall, 0.99))}   cpu p50 ${ms(percentile(t.cpu, 0.5))}  p99 ${ms(percentile(t.cpu, 0.99))}`,
    );
  line("floor (bare FTS5 MATCH): ", floor);
  line("cadence search:          ", ours);
  const ratio = (a: number[], b: number[], p: number) => (percentile(a, p) / percentile(b, p)).toFixed(1);
  out(
    `ratio search / floor:      wall p50 ${ratio(ours.wall, floor.wall, 0.5)}x  p99 ${ratio(ours.wall, floor.wall, 0.99)}x   cpu p50 ${ratio(ours.cpu, floor.cpu, 0.5)}x  p99 ${ratio(ours.cpu, floor.cpu, 0.99)}x   (aim: p99 < 20 ms)`,
  );
  out(`machine load average while measuring: ${loadavg()[0]?.toFixed(1)} on ${cpus().length} cores`);
  close();
}

try {
  const only = process.argv[2];
  if (!only || only === "ingest") await ingestBench();
  if (!only || only === "batch") await batchBench();
  if (!only || only === "search") await searchBench();
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.exit(0);
