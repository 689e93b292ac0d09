/**
 * What the api worker gives its own pages: the public web config (where a browser reaches the other workers), and
 * the ops-only knobs of the local CDN stand-ins (here the test stack's real stand-ins): a listener gets 403, bad
 * knobs a 400 naming the field, an unknown CDN a 404, and a valid change reaches the stand-in and comes back.
 */
import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { tokensFor } from "./tokens";

let ops: string;
let listener: string;
beforeAll(async () => {
  ops = (await tokensFor("ops@demo.test")).access_token;
  listener = (await tokensFor("premium@demo.test")).access_token;
});

function knobs(path: string, token: string, body?: unknown) {
  return exports.default.fetch(`http://api.test/v1/ops/cdn-stand-ins${path}`, {
    method: body === undefined && path === "" ? "GET" : "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? (path === "" ? undefined : "{}") : JSON.stringify(body),
  });
}

describe("GET /v1/web/config", () => {
  it("tells a page where the playback, events and ads workers are and which stand-ins have knobs, without a token", async () => {
    const res = await exports.default.fetch("http://api.test/v1/web/config");
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ environment: "test", cdn_stand_ins: ["cloudfront", "akamai"] });
    expect(body.playback_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(body.events_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(body.ads_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});

describe("/v1/ops/cdn-stand-ins", () => {
  it("is for ops only: a listener gets 403, no token 401", async () => {
    expect((await knobs("", listener)).status).toBe(403);
    const anonymous = await exports.default.fetch("http://api.test/v1/ops/cdn-stand-ins");
    expect(anonymous.status).toBe(401);
  });

  it("reads every stand-in's knobs", async () => {
    const res = await knobs("", ops);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { stand_ins: Record<string, { reachable: boolean; knobs: { down: boolean } }> };
    expect(Object.keys(body.stand_ins).sort()).toEqual(["akamai", "cloudfront"]);
    expect(body.stand_ins.akamai?.reachable).toBe(true);
    expect(body.stand_ins.akamai?.knobs.down).toBe(false);
  });

  it("refuses bad knobs with a 400 naming the field, and nothing at all", async () => {
    const negative = await knobs("/akamai", ops, { latency_ms: -5 });
    expect(negative.status).toBe(400);
    expect(negative.headers.get("content-type")).toBe("application/problem+json");
    const problem = (await negative.json()) as { errors: Array<{ path: string; message: string }> };
    expect(problem.errors[0]?.path).toBe("body.latency_ms");
    expect((await knobs("/akamai", ops, { failure_rate: 2 })).status).toBe(400);
    expect((await knobs("/akamai", ops, { melt: true })).status).toBe(400);
    expect((await knobs("/akamai", ops, {})).status).toBe(400);
  });

  it("answers 404 for a CDN without a stand-in", async () => {
    const res = await knobs("/fastly", ops, { down: true });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { detail: string }).detail).toContain("cloudfront, akamai");
  });

  it("passes a valid change to the stand-in and returns its knobs; recover resets them", async () => {
    const res = await knobs("/akamai", ops, { latency_ms: 0 });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ cdn: "akamai", knobs: { latencyMs: 0, down: false } });
    const recovered = await knobs("/akamai/recover", ops);
    expect(recovered.status).toBe(200);
    expect(await recovered.json()).toMatchObject({
      cdn: "akamai",
      knobs: { latencyMs: 0, failureRate: 0, down: false },
    });
  });
});
