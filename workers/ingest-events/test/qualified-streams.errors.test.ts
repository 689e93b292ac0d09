/** The qualified-streams counts refuse a window they cannot read with a 400 that names the parameter. */
import { describe, expect, it } from "vitest";

describe("qualified streams: errors", () => {
  it("answers a bad window with a 400 that says what to fix", async () => {
    const { env } = await import("cloudflare:workers");
    const res = await fetch(`${env.ORIGIN_URL}/v1/internal/events/stats?from=yesterday`, {
      headers: { "x-service-token": env.SERVICE_TOKEN },
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain("query.from");
  });
});
