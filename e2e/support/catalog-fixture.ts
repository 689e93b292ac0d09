/**
 * The end-to-end catalog: one small release (three tracks of synthetic music) delivered as a real DDEX ERN 4.3
 * message through `npm run ingest`, which hands it to the running origin's ingester (ffmpeg transcodes the whole
 * ladder, the edge gets the tracks). Much smaller than npm start's 40-track demo catalog (disabled for the suite
 * with DEMO_CATALOG=off), so the suite spends its minutes on the browser, not on transcoding.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type ReleaseSpec, writeDelivery } from "@cadence/origin/src/catalog/demo/delivery-builder";

export const E2E_RELEASE: ReleaseSpec = {
  messageId: "E2E-CONSOLES-1",
  createdAt: "2026-01-15T09:00:00Z",
  senderName: "Cadence E2E Distribution",
  icpn: "5901234123457",
  title: "Browser Sessions",
  artist: "The Headless Trio",
  label: "E2E Records",
  genre: "Pop",
  releaseDate: "2025-06-01",
  tracks: [
    { isrc: "QZE2E2600001", title: "Gapless Morning", seconds: 24, seed: 1 },
    { isrc: "QZE2E2600002", title: "Steering Wheel", seconds: 20, seed: 2 },
    { isrc: "QZE2E2600003", title: "Failover Waltz", seconds: 30, seed: 3 },
  ],
  deals: [{ models: ["SubscriptionModel", "AdvertisementSupportedModel"] }],
};

const root = resolve(import.meta.dirname, "..", "..");

/** Writes the delivery and ingests it with `npm run ingest` against the platform of this data folder and offset. */
export async function ingestE2eCatalog(env: { DATA_DIR: string; PORT_OFFSET: string }): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), "cadence-e2e-delivery-"));
  try {
    await writeDelivery(folder, E2E_RELEASE);
    const output = await new Promise<string>((done, fail) => {
      let text = "";
      const child = spawn(join(root, "node_modules", ".bin", "tsx"), ["scripts/ingest.ts", folder], {
        cwd: root,
        env: { ...process.env, ...env },
        stdio: ["ignore", "pipe", "pipe"],
      });
      child.stdout.on("data", (d: Buffer) => (text += d.toString()));
      child.stderr.on("data", (d: Buffer) => (text += d.toString()));
      child.on("exit", (code) =>
        code === 0 ? done(text) : fail(new Error(`npm run ingest failed (${code}):\n${text}`)),
      );
    });
    if (!/^INGESTED/m.test(output)) throw new Error(`the e2e delivery was not ingested:\n${output}`);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
