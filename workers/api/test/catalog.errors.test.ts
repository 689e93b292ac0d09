/**
 * The catalog's answers to bad requests through the api worker: a made-up cursor or an out-of-range limit, an unknown
 * track, a search without `q`. None of them needs the catalog's tracks, so this file ingests nothing.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { getWith } from "./support/catalog";
import { tokensFor } from "./support/tokens";

let listener: string;

const get = (path: string, token = listener) => getWith(token, path);

beforeAll(async () => {
  listener = (await tokensFor("premium@demo.test")).access_token;
});

describe("GET /v1/catalog/tracks", () => {
  it("refuses a made-up cursor and an out-of-range limit with 400", async () => {
    expect((await get("/v1/catalog/tracks?cursor=bogus")).status).toBe(400);
    const res = await get("/v1/catalog/tracks?limit=5000");
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: "validation-failed" });
  });
});

describe("GET /v1/catalog/tracks/{id}", () => {
  it("unknown tracks are 404 problems", async () => {
    const res = await get("/v1/catalog/tracks/trk_qzzzz9999999");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
  });
});

describe("GET /v1/search", () => {
  it("wants q", async () => {
    expect((await get("/v1/search")).status).toBe(400);
  });
});
