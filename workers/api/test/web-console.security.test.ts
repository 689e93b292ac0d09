/** The stand-in knobs are for ops: a listener gets 403, a caller without a token 401. */
import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { knobs } from "./support/stand-in-knobs";
import { tokensFor } from "./support/tokens";

let listener: string;
beforeAll(async () => {
  listener = (await tokensFor("premium@demo.test")).access_token;
});

describe("/v1/ops/cdn-stand-ins", () => {
  it("is for ops only: a listener gets 403, no token 401", async () => {
    expect((await knobs("", listener)).status).toBe(403);
    const anonymous = await exports.default.fetch("http://api.test/v1/ops/cdn-stand-ins");
    expect(anonymous.status).toBe(401);
  });
});
