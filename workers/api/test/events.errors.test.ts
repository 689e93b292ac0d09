/** `GET /v1/ops/events/stats` with a window that ends before it starts: a 400 problem+json. */
import { describe, expect, it } from "vitest";
import { stats } from "./support/events";
import { tokensFor } from "./support/tokens";

describe("GET /v1/ops/events/stats", () => {
  it("refuses a bad window (400)", async () => {
    const ops = await tokensFor("ops@demo.test");
    const bad = await stats(ops.access_token, "?from=2026-02-01&to=2026-01-01");
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toContain("application/problem+json");
  });
});
