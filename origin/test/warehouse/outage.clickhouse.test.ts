/**
 * The warehouse down: an origin whose warehouse is its own two-shard ClickHouse cluster lands a batch, then the
 * cluster is killed for real. Landing answers 503 `warehouse-unavailable` (so the queue consumer retries and acks
 * nothing) and the counts answer 503 too; once the cluster is back, the same batch lands exactly once and everything
 * is counted once.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startClickHouseCluster } from "@cadence/local/src/clickhouse-cluster";
import { signEventsRequest } from "@cadence/shared/events/signature";
import { describe, expect, it } from "vitest";
import { freshOrigin } from "../helpers";

const SECRET = "test-events-ingest-secret-0123456789abcdef";

function play(sessionId: string) {
  return {
    event_id: crypto.randomUUID(),
    type: "play_progress",
    session_id: sessionId,
    track_id: "trk-outage",
    ms_played: 31_000,
    client_ts: new Date().toISOString(),
    edge: {
      user_id: `acc-${sessionId}`,
      tier: "free",
      account_country: "US",
      country: "US",
      colo: "IAD",
      asn: 7922,
      received_at: Date.now(),
      request_id: "req-outage",
      flags: [],
      source: "client",
    },
  };
}

describe("warehouse outage (ClickHouse stopped and started again)", () => {
  it("refuses to land while the warehouse is down and lands the retried batch once after", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cadence-outage-"));
    const cluster = await startClickHouseCluster(dir);
    try {
      const origin = await freshOrigin({ ...cluster.env, CLICKHOUSE_DATABASE: "outage", EVENTS_INGEST_SECRET: SECRET });
      const land = async (body: unknown) => {
        const text = JSON.stringify({ messages: [{ id: "m1", attempts: 1, body }] });
        const path = "/v1/internal/events/batches";
        return origin.request(path, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "x-events-signature": await signEventsRequest(SECRET, "POST", path, text),
          },
          body: text,
        });
      };
      const stats = () =>
        origin.request("/v1/internal/events/stats", { headers: { "x-service-token": origin.config.SERVICE_TOKEN } });
      const before = { v: 1, batch_id: crypto.randomUUID(), events: [play("s1"), play("s2")], failures: [] };
      const during = {
        v: 1,
        batch_id: crypto.randomUUID(),
        events: [play("s3"), play("s4"), play("s5")],
        failures: [],
      };
      expect((await land(before)).status).toBe(200);

      await cluster.stop("SIGKILL");
      const refused = await land(during);
      expect(refused.status).toBe(503);
      expect(refused.headers.get("content-type")).toContain("application/problem+json");
      expect(await refused.json()).toMatchObject({ code: "warehouse-unavailable" });
      expect((await stats()).status).toBe(503);

      await cluster.restart();
      const retried = await land(during);
      expect(retried.status).toBe(200);
      expect(await retried.json()).toMatchObject({ results: [{ status: "stored", inserted: 3, duplicates: 0 }] });
      expect(await (await land(during)).json()).toMatchObject({ results: [{ status: "already-landed" }] });
      const counts = (await (await stats()).json()) as { stored: number; stored_by_type: Record<string, number> };
      expect(counts).toMatchObject({ stored: 5, stored_by_type: { play_progress: 5 }, warehouse: "clickhouse" });
      origin.services.close();
    } finally {
      await cluster.stop("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
