/**
 * Puts a track into a running stack the way a label would: a DDEX ERN 4.3 delivery written by the catalog's
 * delivery builder (synthetic audio by ffmpeg), zipped and uploaded to the origin's ingest endpoint with the service
 * token. The catalog transcodes it into the ladder and publishes the EdgeTrack to Redis; the report says its id.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { type ReleaseSpec, writeDelivery } from "@cadence/origin/src/catalog/demo/delivery-builder";
import { serviceFetch } from "@cadence/shared/trust/service-call";
import { zipSync } from "fflate";

/** The origin transcodes the whole ladder before it answers. */
const INGEST_TIMEOUT_MS = 300_000;

export interface IngestedTrack {
  id: string;
  isrc: string;
  durationMs: number;
}

export async function ingestRelease(
  origin: { originUrl: string; serviceToken: string },
  spec: ReleaseSpec,
): Promise<IngestedTrack[]> {
  const folder = mkdtempSync(join(tmpdir(), "cadence-e2e-delivery-"));
  try {
    await writeDelivery(folder, spec);
    const files: Record<string, Uint8Array> = {};
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else files[relative(folder, path)] = readFileSync(path);
      }
    };
    walk(folder);
    const res = await serviceFetch(
      { baseUrl: origin.originUrl, token: origin.serviceToken },
      "/v1/ops/catalog/deliveries",
      {
        method: "POST",
        headers: { "content-type": "application/zip" },
        body: zipSync(files, { level: 0 }),
        timeoutMs: INGEST_TIMEOUT_MS,
      },
    );
    const report = (await res.json()) as { status?: string; tracks?: IngestedTrack[]; detail?: string };
    if (!res.ok || !report.tracks)
      throw new Error(`ingest answered ${res.status}: ${JSON.stringify(report).slice(0, 2000)}`);
    return report.tracks.map(({ id, isrc, durationMs }) => ({ id, isrc, durationMs }));
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
