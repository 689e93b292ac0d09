/** The stand-in knobs refuse bad input: a 400 naming the field (or an empty change), a 404 for a CDN without one. */
import { beforeAll, describe, expect, it } from "vitest";
import { knobs } from "./support/stand-in-knobs";
import { tokensFor } from "./support/tokens";

let ops: string;
beforeAll(async () => {
  ops = (await tokensFor("ops@demo.test")).access_token;
});

describe("/v1/ops/cdn-stand-ins", () => {
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

  it.each(["__proto__", "constructor", "toString", "hasOwnProperty"])(
    "answers 404 for a prototype key as the CDN, %s (never a lookup on the prototype)",
    async (cdn) => {
      const recover = await knobs(`/${cdn}/recover`, ops, {});
      expect(recover.status).toBe(404);
      expect(recover.headers.get("content-type")).toBe("application/problem+json");
      expect((await knobs(`/${cdn}`, ops, { down: true })).status).toBe(404);
    },
  );
});
