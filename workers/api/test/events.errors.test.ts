/** `GET /v1/ops/events/stats` with a window that ends before it starts, or days that do not exist: 400 problem+json. */
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

  it.each(["?to=2026-01-32", "?from=2026-02-30", "?to=2026-13-01", "?from=2025-02-29&to=2025-03-01"])(
    "refuses a day that is not on the calendar, %s (400, not 500)",
    async (query) => {
      const ops = await tokensFor("ops@demo.test");
      const res = await stats(ops.access_token, query);
      expect(res.status).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(JSON.stringify(await res.json())).toContain("calendar day");
    },
  );
});
