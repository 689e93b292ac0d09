/**
 * The fraud review through the api worker: `GET /v1/ops/fraud/report` and `POST /v1/ops/fraud/decisions` are for ops
 * only (401 without a token, 403 for listeners), answered by the origin; bad windows and bad decisions are 400s that
 * say what to fix. How plays get flagged and how a decision changes qualified streams (audited):
 * workers/ingest-events/test/earned-plays.test.ts.
 */
import { describe, expect, it } from "vitest";
import { call, expectProblem } from "./support/http";
import { tokensFor } from "./support/tokens";

describe("the fraud review", () => {
  it("gives ops the flags by reason, account and track, and the pending sessions", async () => {
    const { access_token } = await tokensFor("ops@demo.test");
    const res = await call("GET", "/v1/ops/fraud/report?from=2026-01-01&to=2026-12-31&limit=5", access_token);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      from: "2026-01-01",
      to: "2026-12-31",
      streams: { qualified: expect.any(Number), flagged: expect.any(Number) },
      flags_by_reason: expect.objectContaining({
        "session-unknown": expect.any(Number),
        "media-not-served": expect.any(Number),
      }),
      accounts: expect.any(Array),
      tracks: expect.any(Array),
      pending: expect.any(Array),
    });
  });

  it("answers each decision, with the decider taken from the token", async () => {
    const { access_token } = await tokensFor("ops@demo.test");
    const res = await call("POST", "/v1/ops/fraud/decisions", access_token, {
      actor: { sub: "someone-else" },
      decisions: [{ session_id: "ps-never-seen", decision: "clear" }],
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ results: [{ session_id: "ps-never-seen", status: "not-found" }] });
  });

  it("is refused to listeners (403) and anonymous callers (401)", async () => {
    const { access_token } = await tokensFor("premium@demo.test");
    await expectProblem(await call("GET", "/v1/ops/fraud/report", access_token), 403, "insufficient-scope");
    await expectProblem(await call("GET", "/v1/ops/fraud/report"), 401, "token-missing");
    const decision = { decisions: [{ session_id: "s", decision: "clear" }] };
    await expectProblem(
      await call("POST", "/v1/ops/fraud/decisions", access_token, decision),
      403,
      "insufficient-scope",
    );
  });

  it("refuses a day that does not exist and a decision that is not clear or confirm (400)", async () => {
    const { access_token } = await tokensFor("ops@demo.test");
    const bad = await expectProblem(
      await call("GET", "/v1/ops/fraud/report?to=2026-01-32", access_token),
      400,
      "validation-failed",
    );
    expect(JSON.stringify(bad)).toContain("calendar day");
    await expectProblem(
      await call("POST", "/v1/ops/fraud/decisions", access_token, {
        decisions: [{ session_id: "s", decision: "delete" }],
      }),
      400,
      "validation-failed",
    );
  });
});
