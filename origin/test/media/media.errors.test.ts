/**
 * Origin pull: what the media route refuses even from the edge. Unknown paths are 404 problems; paths that could
 * leave the store (traversal, odd characters) are 400.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { originWithMedia } from "./helpers";

let base: string;
let media: Awaited<ReturnType<typeof originWithMedia>>["media"];

beforeAll(async () => {
  ({ base, media } = await originWithMedia());
}, 60_000);

describe("GET /media/<rendition path>/<file>", () => {
  it("unknown paths are 404 problems; traversal and odd characters are 400", async () => {
    const missing = await media(`${base}/aac-128/seg-09999.m4s`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: "not-found" });
    for (const path of [
      `${base}/..%2F..%2Fcadence.db`,
      "..%2Fsecrets.json",
      `${base}/aac-128/%2e%2e`,
      `${base}/a b/c`,
    ]) {
      const res = await media(path);
      expect(res.status, path).toBe(400);
      expect(await res.json()).toMatchObject({ code: "invalid-media-path" });
    }
  });
});
