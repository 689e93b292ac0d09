/** The audit log is written and read by the edge only (the service token); anyone else gets 403 `edge-only`. */
import { describe, expect, it } from "vitest";
import { freshOrigin } from "../helpers";

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
});
