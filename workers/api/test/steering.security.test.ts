/** Who may steer: ops only. A listener gets 403 and a caller without a token 401, on reads and changes alike. */
import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { steeringCall } from "./support/steering";
import { tokensFor } from "./support/tokens";

let listener: string;
beforeAll(async () => {
  listener = (await tokensFor("premium@demo.test")).access_token;
});

function call(method: string, path: string, body: unknown, token: string) {
  return steeringCall(token, method, path, body);
}

describe("who may steer", () => {
  it("gives a listener 403 and no token 401, on reads and changes alike", async () => {
    for (const [method, path, body] of [
      ["GET", "", undefined],
      ["PUT", "/weights", { cost: 50, quality: 50 }],
      ["GET", "/audit", undefined],
      ["GET", "/state?country=DE&continent=EU", undefined],
    ] as const) {
      const res = await call(method, path, body, listener);
      expect(res.status).toBe(403);
      expect(((await res.json()) as { code: string }).code).toBe("insufficient-scope");
      expect((await exports.default.fetch(`http://api.test/v1/ops/steering${path}`, { method })).status).toBe(401);
    }
  });
});
