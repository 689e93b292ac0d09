/** The origin's search route refuses a query without search text with a 400 that says which parameter. */
import { SERVICE_TOKEN_HEADER } from "@cadence/shared/trust/service-call";
import { describe, expect, inject, it } from "vitest";
import { freshOrigin } from "../helpers";

describe("GET /v1/search on the origin", () => {
  it("400 without q", async () => {
    const origin = await freshOrigin();
    const headers = { [SERVICE_TOKEN_HEADER]: inject("stack").serviceToken };
    const bad = await origin.request("/v1/search?q=", { headers });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: "validation-failed" });
  });
});
