/**
 * The steering config's copy in edge state. The config lives in Redis (the ops API writes it by compare-and-set),
 * and every change is recorded first in the audit log with the changed section's new value and the config version it
 * made; so the origin can rebuild the current config from the log: the defaults, then each section's latest value,
 * at the latest version. After a loss, or when the edge copy is missing or older than the log, it is written again.
 */
import { DEFAULT_STEERING_CONFIG, parseStoredConfig, type SteeringConfig } from "@cadence/shared/steering/config";
import { steeringKeys } from "@cadence/shared/steering/store";
import type { Redis } from "@upstash/redis";
import { asc, eq } from "drizzle-orm";
import type { Database } from "../db/client";
import { auditLog } from "../db/schema";
import { type EdgeCopy, repairOf } from "../edge-sync/copy";

/** Audit action (`steering.<part>.<verb>`) -> the config section its `new` value replaces. */
const SECTION_OF: Record<string, keyof SteeringConfig> = {
  weights: "weights",
  prices: "prices",
  commits: "commits",
  thresholds: "thresholds",
  "failover-order": "failoverOrder",
  region: "regions",
};

/** The config the audit log says is current, or undefined when ops never changed it (the edge uses the defaults). */
export async function steeringConfigFromAudit(db: Database): Promise<SteeringConfig | undefined> {
  const rows = await db
    .select()
    .from(auditLog)
    .where(eq(auditLog.entity, "steering-config"))
    .orderBy(asc(auditLog.at), asc(auditLog.id));
  if (rows.length === 0) return undefined;
  const config: Record<string, unknown> = { ...DEFAULT_STEERING_CONFIG };
  let version = 0;
  let updatedAt = 0;
  for (const row of rows) {
    const part = row.action.split(".")[1] ?? "";
    const section = Object.hasOwn(SECTION_OF, part) ? SECTION_OF[part] : undefined;
    if (!section || row.newValue === null) continue;
    config[section] = JSON.parse(row.newValue);
    version = Math.max(version, row.entityVersion ?? 0);
    updatedAt = Math.max(updatedAt, row.at);
  }
  return parseStoredConfig({ ...config, version, updatedAt });
}

export function steeringEdgeCopy(db: Database, redis: Redis): EdgeCopy {
  /** Writes the rebuilt config when the edge has none or an older version; returns whether it wrote. */
  async function restore(): Promise<{ checked: number; wrote: boolean }> {
    const expected = await steeringConfigFromAudit(db);
    if (!expected) return { checked: 0, wrote: false };
    const edge = parseStoredConfig(await redis.get(steeringKeys.config));
    if (edge && edge.version >= expected.version) return { checked: 1, wrote: false };
    await redis.set(steeringKeys.config, JSON.stringify(expected));
    return { checked: 1, wrote: true };
  }
  return {
    name: "steering-config",
    async republishAll() {
      return (await restore()).wrote ? 1 : 0;
    },
    async repair() {
      const { checked, wrote } = await restore();
      return repairOf(checked, wrote ? [steeringKeys.config] : []);
    },
  };
}
