/** The worker's skeleton: a path no route answers is a problem+json 404, never an html page. */
import { exports } from "cloudflare:workers";
import { describe, it } from "vitest";
import { expectProblem } from "./support/http";

describe("unknown routes", () => {
  it("unknown routes are problem+json 404s", async () => {
    await expectProblem(await exports.default.fetch("http://api.test/nope"), 404, "route-not-found");
  });
});
