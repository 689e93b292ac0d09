/**
 * The audit log at the origin: entries written by the edge come back newest first with who, when, old and new value.
 * What is refused: audit.errors.test.ts (invalid entries) and audit.security.test.ts (anyone but the edge).
 */
import { SERVICE_TOKEN_HEADER } from "@cadence/shared/trust/service-call";
import { describe, expect, it } from "vitest";
import { freshOrigin } from "../helpers";

describe("audit log", () => {
  it("stores validated entries and lists them newest first", async () => {
    const origin = await freshOrigin();
    const edge = { [SERVICE_TOKEN_HEADER]: origin.config.SERVICE_TOKEN };
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
