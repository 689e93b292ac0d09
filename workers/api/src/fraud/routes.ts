/**
 * The fraud review for ops (ops scope): `GET /v1/ops/fraud/report` (flagged streams by reason, account and track, and
 * the pending ones; query `from`, `to` as YYYY-MM-DD, `limit`) and `POST /v1/ops/fraud/decisions`
 * (`{"decisions":[{"session_id":"...","decision":"clear"|"confirm","note":"..."}]}`). Both are answered by the origin,
 * which validates them and audits each decision with the ops account taken from the token here, never from the body.
 */
import { edgeAuth } from "@cadence/shared/edge";
import { problems } from "@cadence/shared/problem";
import { serviceFetch, stripServiceToken } from "@cadence/shared/trust/service-call";
import { Hono } from "hono";
import type { AppEnv } from "../context";
import { forwardToOrigin } from "../origin-proxy";
import { apiSettings } from "../settings";

export function fraudOpsRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use("/v1/ops/fraud/*", edgeAuth({ scopes: ["ops"] }));
  app.get("/v1/ops/fraud/report", (c) => forwardToOrigin(c, "/v1/internal/fraud/report"));
  app.post("/v1/ops/fraud/decisions", async (c) => {
    const claims = c.var.claims;
    if (!claims) throw problems.internal(new Error("auth middleware set no claims"));
    if (!(c.req.header("content-type") ?? "").toLowerCase().includes("application/json")) {
      throw problems.badRequest("Send the decisions as JSON with `content-type: application/json`.");
    }
    let body: unknown;
    try {
      body = JSON.parse(await c.req.text());
    } catch {
      throw problems.badRequest('The body is not JSON; send {"decisions":[{"session_id":"…","decision":"clear"}]}.');
    }
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw problems.badRequest('Send an object: {"decisions":[{"session_id":"…","decision":"clear"|"confirm"}]}.');
    }
    const actor = { sub: claims.sub, ...(claims.email ? { email: claims.email } : {}) };
    let res: Response;
    try {
      res = await serviceFetch(apiSettings(c.env).origin, "/v1/internal/fraud/decisions", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ...body, actor }),
        requestId: c.var.requestId,
        timeoutMs: 10_000,
      });
    } catch (err) {
      c.var.log.error("origin unreachable", { err });
      throw problems.unavailable("origin-unavailable", "The origin service is unreachable; try again shortly.");
    }
    const out = new Response(res.body, res);
    stripServiceToken(out.headers);
    return out;
  });
  return app;
}
