/** `GET /v1/ops/events/stats` is for ops: listeners get 403, callers without a token 401. */
import { describe, expect, it } from "vitest";
import { stats } from "./support/events";
import { tokensFor } from "./support/tokens";

describe("GET /v1/ops/events/stats", () => {
  it("refuses listeners (403) and anonymous callers (401)", async () => {
    const { access_token } = await tokensFor("premium@demo.test");
    expect((await stats(access_token)).status).toBe(403);
    expect((await stats()).status).toBe(401);
  });
});
