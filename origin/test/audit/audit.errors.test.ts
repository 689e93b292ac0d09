/** The audit log refuses entries that do not validate, even from the edge. */
import { SERVICE_TOKEN_HEADER } from "@cadence/shared/trust/service-call";
import { describe, expect, it } from "vitest";
import { freshOrigin } from "../helpers";

describe("audit log", () => {
  it("refuses an invalid entry with 400", async () => {
    const origin = await freshOrigin();
    const edge = { [SERVICE_TOKEN_HEADER]: origin.config.SERVICE_TOKEN };
    const bad = await origin.postJson(
      "/v1/internal/audit",
      { actor: { sub: "" }, action: "Bad Action", entity: "x" },
      edge,
    );
    expect(bad.status).toBe(400);
  });
});
