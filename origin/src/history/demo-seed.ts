/**
 * Imports the demo's listening history (demo-history.ts) through the backfill on first start, in the background.
 * `<DATA_DIR>/demo-history.json` remembers the moment the history was generated for, so a start interrupted half-way
 * regenerates exactly the same chunks and the backfill skips those that already landed; once done it is not run
 * again. Never in production; `DEMO_HISTORY=off` skips it.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "@cadence/shared/log";
import type { OriginConfig } from "../config";
import type { Database } from "../db/client";
import { adCampaigns } from "../db/schema";
import type { Warehouse } from "../warehouse/warehouse";
import { backfillChunk } from "./backfill";
import { demoHistoryChunks } from "./demo-history";

interface Marker {
  now: number;
  seed: number;
  done?: boolean;
}

export async function seedDemoHistory(
  deps: { config: Pick<OriginConfig, "CADENCE_ENV" | "DEMO_HISTORY" | "dataDir">; db: Database; warehouse: Warehouse },
  log: Logger,
): Promise<void> {
  const { config, db, warehouse } = deps;
  if (config.CADENCE_ENV === "production" || config.DEMO_HISTORY === "off") return;
  const path = join(config.dataDir, "demo-history.json");
  const marker: Marker = existsSync(path)
    ? (JSON.parse(readFileSync(path, "utf8")) as Marker)
    : { now: Date.now(), seed: 20_261_101 };
  if (marker.done) return;
  writeFileSync(path, JSON.stringify(marker));
  const campaignIds = (await db.select({ id: adCampaigns.id }).from(adCampaigns)).map((c) => c.id);
  const started = Date.now();
  let stored = 0;
  let refused = 0;
  for (const chunk of demoHistoryChunks({ seed: marker.seed, now: marker.now, campaignIds })) {
    const report = await backfillChunk(db, warehouse, chunk, { now: marker.now, source: "demo-history" });
    stored += report.stored;
    refused += report.refused.total;
  }
  writeFileSync(path, JSON.stringify({ ...marker, done: true }));
  log.info("demo listening history imported", {
    stored,
    refused,
    ms: Date.now() - started,
    warehouse: warehouse.engine.name,
  });
}
