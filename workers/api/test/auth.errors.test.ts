/** Malformed requests to the auth routes: a 400 problem+json naming the field to fix. */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { expectProblem } from "./support/http";

describe("login", () => {
  it("refuses a malformed body with 400", async () => {
    const bad = await exports.default.fetch("http://api.test/v1/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "not-an-email" }),
    });
    const body = await expectProblem(bad, 400, "validation-failed");
    expect(JSON.stringify(body.errors)).toContain("body.email");
  });
});
