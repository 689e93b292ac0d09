/** Origin pull is for the edge only: a caller without the service token never gets media, even a file that exists. */
import { beforeAll, describe, expect, it } from "vitest";
import { originWithMedia } from "./helpers";

let base: string;
let origin: Awaited<ReturnType<typeof originWithMedia>>["origin"];

beforeAll(async () => {
  ({ base, origin } = await originWithMedia());
}, 60_000);

describe("GET /media/<rendition path>/<file>", () => {
  it("refuses callers without the service token", async () => {
    const res = await origin.request(`/media/${base}/aac-128/seg-00001.m4s`);
    expect(res.status).toBe(403);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
  });
});
