/** Small deliveries for catalog tests: two short synthesised tracks, zipped the way an ops user would upload them. */
import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { cp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { zipSync } from "fflate";
import { type ReleaseSpec, writeDelivery } from "../../src/catalog/demo/delivery-builder";

export const tempDir = (prefix = "cadence-catalog-test-") => mkdtempSync(join(tmpdir(), prefix));

/** A two-track album, worldwide for every tier unless the test says otherwise. */
export function smallRelease(over: Partial<ReleaseSpec> = {}): ReleaseSpec {
  return {
    messageId: "TEST-MSG-1",
    createdAt: "2026-01-10T10:00:00Z",
    senderName: "Test Distributor",
    icpn: "4006381333931",
    title: "Test Signals",
    artist: "The Test Tones",
    label: "Test Label",
    genre: "Electronic",
    releaseDate: "2025-05-01",
    tracks: [
      { isrc: "QZTST2600001", title: "First Test", seconds: 8, iswc: "T-034.524.680-1" },
      { isrc: "QZTST2600002", title: "Second Test", seconds: 9 },
    ],
    deals: [{ models: ["SubscriptionModel", "AdvertisementSupportedModel"] }],
    ...over,
  };
}

/** Builds a delivery folder once; `copyOf` gives each test its own copy to break. */
export async function buildDelivery(spec: ReleaseSpec): Promise<string> {
  return writeDelivery(tempDir(), spec);
}

export async function copyOf(folder: string): Promise<string> {
  const target = tempDir();
  await cp(folder, target, { recursive: true });
  return target;
}

export function zipFolder(folder: string): Uint8Array<ArrayBuffer> {
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

export const messageFileOf = (folder: string) => join(folder, readdirSync(folder).find((f) => f.endsWith(".xml"))!);
