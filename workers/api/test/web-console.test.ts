/**
 * What the api worker gives its own pages (happy path): the public web config (where a browser reaches the other
 * workers), and the ops knobs of the local CDN stand-ins (here the test stack's real stand-ins): a valid change reaches
 * the stand-in and comes back. Bad knobs and unknown CDNs are in web-console.errors.test.ts; who is refused in
 * web-console.security.test.ts.
 */
import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { knobs } from "./support/stand-in-knobs";
import { tokensFor } from "./support/tokens";

let ops: string;
beforeAll(async () => {
  ops = (await tokensFor("ops@demo.test")).access_token;
});

describe("GET /v1/web/config", () => {
  it("tells a page where the playback, events and ads workers are (its own origin, the front door, as committed) and which stand-ins have knobs, without a token", async () => {
    const res = await exports.default.fetch("http://api.test/v1/web/config");
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ environment: "test", cdn_stand_ins: ["cloudfront", "akamai"] });
    expect(body).toMatchObject({ playback_url: "", events_url: "", ads_url: "" });
  });
});

describe("/v1/ops/cdn-stand-ins", () => {
  it("reads every stand-in's knobs", async () => {
    const res = await knobs("", ops);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { stand_ins: Record<string, { reachable: boolean; knobs: { down: boolean } }> };
    expect(Object.keys(body.stand_ins).sort()).toEqual(["akamai", "cloudfront"]);
    expect(body.stand_ins.akamai?.reachable).toBe(true);
    expect(body.stand_ins.akamai?.knobs.down).toBe(false);
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
