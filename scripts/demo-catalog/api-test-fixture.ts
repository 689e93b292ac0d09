/**
 * Vitest global setup for the api worker's catalog tests: workerd cannot run ffmpeg, so the two deliveries those
 * tests upload (a two-track release, then a newer message for it with subscription-only deals) are built here in
 * Node and handed over as base64 zips.
 */
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { type ReleaseSpec, writeDelivery } from "@cadence/origin/src/catalog/demo/delivery-builder";
import { zipSync } from "fflate";
import type {} from "vitest";
import type { TestProject } from "vitest/node";

export const FIXTURE_RELEASE: ReleaseSpec = {
  messageId: "API-TEST-1",
  createdAt: "2026-01-10T10:00:00Z",
  senderName: "Api Test Distributor",
  icpn: "5901234123457",
  title: "Edge Cases",
  artist: "The Cache Hits",
  label: "Api Test Label",
  genre: "Electronic",
  releaseDate: "2025-05-01",
  tracks: [
    { isrc: "QZAPI2600001", title: "Stale While Revalidate", seconds: 6 },
    { isrc: "QZAPI2600002", title: "Immutable", seconds: 7 },
  ],
  deals: [{ models: ["SubscriptionModel", "AdvertisementSupportedModel"] }],
};

function zipBase64(folder: string): string {
  const files: Record<string, Uint8Array> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files[relative(folder, path)] = readFileSync(path);
    }
  };
  walk(folder);
  return Buffer.from(zipSync(files, { level: 0 })).toString("base64");
}

export default async function setup(project: TestProject): Promise<() => void> {
  const folder = await writeDelivery(await mkdtemp(join(tmpdir(), "cadence-api-fixture-")), FIXTURE_RELEASE);
  const first = zipBase64(folder);
  const message = join(folder, `${FIXTURE_RELEASE.messageId}.xml`);
  writeFileSync(
    message,
    readFileSync(message, "utf8")
      .replaceAll("API-TEST-1", "API-TEST-2")
      .replace("2026-01-10T10:00:00Z", "2026-02-10T10:00:00Z")
      .replace("<CommercialModelType>AdvertisementSupportedModel</CommercialModelType>", ""),
  );
  const second = zipBase64(folder);
  project.provide("catalogDeliveries", [first, second]);
  return () => rmSync(folder, { recursive: true, force: true });
}

declare module "vitest" {
  export interface ProvidedContext {
    /** Base64 zips: the api worker tests' first delivery and its newer, subscription-only re-delivery. */
    catalogDeliveries: string[];
  }
}
