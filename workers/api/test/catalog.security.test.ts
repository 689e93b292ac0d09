/**
 * Who the catalog refuses through the api worker: a listener uploading a delivery (ops only, refused at the edge
 * before the origin sees a byte) and a caller without a token.
 */
import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { API, getWith, uploadDelivery } from "./support/catalog";
import { tokensFor } from "./support/tokens";

let listener: string;

const get = (path: string, token = listener) => getWith(token, path);

beforeAll(async () => {
  listener = (await tokensFor("premium@demo.test")).access_token;
});

describe("ops ingest through the api worker", () => {
  it("is for ops only", async () => {
    const res = await uploadDelivery(0, listener);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: "insufficient-scope" });
  });
});

describe("ops batch intake through the api worker", () => {
  it("is for ops only: a listener's batch is refused before the origin sees a byte", async () => {
    const res = await exports.default.fetch(`${API}/v1/ops/catalog/batches`, {
      method: "POST",
      headers: { authorization: `Bearer ${listener}`, "content-type": "application/zip" },
      body: new Uint8Array([0x50, 0x4b, 0x05, 0x06]),
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: "insufficient-scope" });
  });
});

describe("GET /v1/catalog/tracks", () => {
  it("needs a token", async () => {
    expect((await get("/v1/catalog/tracks", "")).status).toBe(401);
  });
});
