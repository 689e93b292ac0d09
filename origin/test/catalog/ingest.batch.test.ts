/**
 * Batch intake over the ops API: a zip whose top-level folders (or zips) are deliveries is ingested in parallel
 * within the transcode pool, with one report per delivery; a refused delivery, or one that fails unexpectedly,
 * never stops the others. The same batch folder through `npm run ingest` (in-process) gives the same per-delivery
 * outcome.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { isPlayable } from "@cadence/shared/catalog/availability";
import { SERVICE_TOKEN_HEADER } from "@cadence/shared/trust/service-call";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { ingestBatch } from "../../src/catalog/batch";
import type { IngestReport } from "../../src/catalog/ingest";
import { freshOrigin } from "../helpers";
import { buildDelivery, smallRelease, tempDir, zipFolder } from "./helpers";

let origin: Awaited<ReturnType<typeof freshOrigin>>;
let batch: string;

const release = (n: number) =>
  smallRelease({
    messageId: `BATCH-${n}`,
    icpn: ["5012345678948", "5012345678955", "5012345678962", "5012345678979"][n]!,
    title: `Batch Release ${n}`,
    tracks: [
      { isrc: `QZBAT260${n}001`, title: `Batch ${n} One`, seconds: 3, seed: 30 + n },
      { isrc: `QZBAT260${n}002`, title: `Batch ${n} Two`, seconds: 3, seed: 40 + n },
    ],
  });

beforeAll(async () => {
  origin = await freshOrigin();
  batch = tempDir();
  for (const n of [0, 1, 2, 3]) {
    const folder = await buildDelivery(release(n));
    renameSync(folder, join(batch, `delivery-${n}`));
  }
  // Delivery 1 is broken (a file missing); delivery 3 comes as a zip inside the batch.
  unlinkSync(join(batch, "delivery-1", "resources", "QZBAT2601002.flac"));
  writeFileSync(join(batch, "delivery-3.zip"), zipFolder(join(batch, "delivery-3")));
  execFileSync("rm", ["-r", join(batch, "delivery-3")]);
}, 120_000);

describe("POST /v1/ops/catalog/batches", () => {
  it("ingests every good delivery, reports each, and the broken one does not stop the others", async () => {
    const res = await origin.request("/v1/ops/catalog/batches", {
      method: "POST",
      headers: { "content-type": "application/zip", [SERVICE_TOKEN_HEADER]: inject("stack").serviceToken },
      body: zipFolder(batch),
    });
    const body = (await res.json()) as {
      deliveries: number;
      counts: Record<string, number>;
      reports: Array<{ delivery: string; report: IngestReport }>;
    };
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ deliveries: 4, counts: { ingested: 3, rejected: 1, unchanged: 0, stale: 0 } });
    expect(body.reports.map((r) => [r.delivery, r.report.status])).toEqual([
      ["delivery-0", "ingested"],
      ["delivery-1", "rejected"],
      ["delivery-2", "ingested"],
      ["delivery-3.zip", "ingested"],
    ]);
    expect(body.reports[1]?.report.errors).toMatchObject([{ code: "file-missing" }]);
    for (const n of [0, 2, 3]) {
      const edge = await origin.services.redis.get<Parameters<typeof isPlayable>[0]>(
        `catalog:track:trk_qzbat260${n}001`,
      );
      expect(edge && isPlayable(edge, "US", "premium", Date.now())).toEqual({ ok: true });
    }
  });

  it("refuses a body that is not a zip with a problem saying what to send", async () => {
    const res = await origin.request("/v1/ops/catalog/batches", {
      method: "POST",
      headers: { "content-type": "text/plain", [SERVICE_TOKEN_HEADER]: inject("stack").serviceToken },
      body: "hello",
    });
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({ detail: expect.stringContaining("zip") });
  });

  it("answers only the edge", async () => {
    const res = await origin.request("/v1/ops/catalog/batches", {
      method: "POST",
      headers: { "content-type": "application/zip" },
      body: zipFolder(batch),
    });
    expect(res.status).toBe(403);
  });
});

describe("a delivery that fails unexpectedly", () => {
  it("is reported as delivery-failed while the rest of the batch is ingested", async () => {
    const folder = tempDir();
    for (const name of ["a", "b", "c"]) mkdirSync(join(folder, name));
    const ok = (name: string): IngestReport => ({
      status: "ingested",
      releases: [],
      tracks: [],
      errors: [],
      warnings: [],
      published: 0,
      transcodes: 0,
      ms: { validate: 0, transcode: 0, commit: 0, total: 0 },
      message: { id: name, sender: "s", kind: "NewReleaseMessage", createdAt: "", ernVersion: "4.3" },
    });
    const ingester = {
      poolSize: 1,
      ingestZipFile: async () => ok("zip"),
      ingestFolder: async (path: string) => {
        if (path.endsWith("/b")) throw new Error("disk full");
        return ok(path);
      },
    };
    const logger = {
      info() {},
      error() {},
      warn() {},
      debug() {},
      child() {
        return logger;
      },
    };
    const report = await ingestBatch(ingester, folder, logger as never);
    expect(report.reports.map((r) => [r.delivery, r.report.status, r.report.errors[0]?.code])).toEqual([
      ["a", "ingested", undefined],
      ["b", "rejected", "delivery-failed"],
      ["c", "ingested", undefined],
    ]);
    expect(report.reports[1]?.report.errors[0]?.message).toContain("disk full");
  });
});

describe("npm run ingest -- <folder of deliveries>", () => {
  it("ingests the batch in-process, one line per delivery, exit code 1 because one was refused", () => {
    const dataDir = tempDir();
    const root = resolve(import.meta.dirname, "../../..");
    let out = "";
    let code = 0;
    try {
      out = execFileSync("npx", ["tsx", "scripts/ingest.ts", batch], {
        cwd: root,
        env: { ...process.env, DATA_DIR: dataDir, ORIGIN_URL: "http://127.0.0.1:9" },
        encoding: "utf8",
      });
    } catch (err) {
      const e = err as { status: number; stdout: string };
      code = e.status;
      out = e.stdout;
    }
    expect(code).toBe(1);
    expect(out).toContain("BATCH of 4 deliveries");
    expect(out).toMatch(/INGESTED\s+delivery-0: rel_5012345678948\s+2 tracks \(2 transcoded\)/);
    expect(out).toMatch(/REJECTED\s+delivery-1: .*file-missing/);
    expect(out).toContain("3 ingested, 1 rejected");
  }, 120_000);
});
