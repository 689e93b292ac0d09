/**
 * The audit log at the origin: only the edge (service token) may write or read it; entries are validated and come
 * back newest first with who, when, old and new value.
 */
import { describe, expect, it } from "vitest";
import { freshOrigin } from "./helpers";

describe("audit log", () => {
  it("refuses callers without the service token", async () => {
    const origin = await freshOrigin();
    const res = await origin.postJson("/v1/internal/audit", {
      actor: { sub: "x" },
      action: "steering.weights.replace",
      entity: "steering-config",
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { code: string }).code).toBe("edge-only");
    expect((await origin.request("/v1/internal/audit")).status).toBe(403);
  });

  it("stores validated entries and lists them newest first", async () => {
    const origin = await freshOrigin();
    const edge = { "x-service-token": origin.config.SERVICE_TOKEN };
    const bad = await origin.postJson(
      "/v1/internal/audit",
      { actor: { sub: "" }, action: "Bad Action", entity: "x" },
      edge,
    );
    expect(bad.status).toBe(400);
    for (const [i, value] of [10, 20].entries()) {
      const res = await origin.postJson(
        "/v1/internal/audit",
        {
          actor: { sub: "ops-1", email: "ops@demo.test" },
          action: "steering.weights.replace",
          entity: "steering-config",
          entityVersion: i + 1,
          old: { cost: value - 10 },
          new: { cost: value },
        },
        edge,
      );
      expect(res.status).toBe(201);
      await new Promise((r) => setTimeout(r, 5)); // distinct timestamps for the order
    }
    const list = (await (
      await origin.request("/v1/internal/audit?entity=steering-config&limit=1", { headers: edge })
    ).json()) as {
      entries: Array<{ entityVersion: number; old: unknown; new: unknown; actor: { email: string } }>;
      next_before: number | null;
    };
    expect(list.entries).toHaveLength(1);
    expect(list.entries[0]).toMatchObject({
      entityVersion: 2,
      old: { cost: 10 },
      new: { cost: 20 },
      actor: { email: "ops@demo.test" },
    });
    const older = (await (
      await origin.request(`/v1/internal/audit?entity=steering-config&before=${list.next_before}`, { headers: edge })
    ).json()) as {
      entries: Array<{ entityVersion: number }>;
    };
    expect(older.entries.map((e) => e.entityVersion)).toEqual([1]);
  });
});
