/**
 * Origin pull is for the edge only: a caller without a credential never gets media, even a file that exists. The
 * CDNs' media-pull secret reads media and nothing else: every internal and ops endpoint refuses it, so a leaked CDN
 * configuration exposes audio only.
 */
import { MEDIA_PULL_TOKEN_HEADER } from "@cadence/shared/trust/media-pull";
import { SERVICE_TOKEN_HEADER } from "@cadence/shared/trust/service-call";
import { beforeAll, describe, expect, inject, it } from "vitest";
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

  it("serves media to the media-pull secret, and a wrong secret in its header gets nothing", async () => {
    const path = `/media/${base}/aac-128/seg-00001.m4s`;
    const ok = await origin.request(path, { headers: { [MEDIA_PULL_TOKEN_HEADER]: inject("stack").mediaPullToken } });
    expect(ok.status).toBe(200);
    expect((await ok.arrayBuffer()).byteLength).toBeGreaterThan(0);
    const wrong = await origin.request(path, { headers: { [MEDIA_PULL_TOKEN_HEADER]: "x".repeat(32) } });
    expect(wrong.status).toBe(403);
  });
});

describe("the media-pull secret opens nothing but media", () => {
  const INTERNAL_AND_OPS: Array<[method: string, path: string]> = [
    ["GET", "/v1/internal/events/stats"],
    ["GET", "/v1/internal/events/faults"],
    ["GET", "/v1/internal/audit"],
    ["GET", "/v1/catalog/tracks"],
    ["POST", "/v1/ops/catalog/deliveries"],
  ];

  it.each(INTERNAL_AND_OPS)("%s %s refuses it as it refuses anyone", async (method, path) => {
    const res = await origin.request(path, {
      method,
      headers: { [MEDIA_PULL_TOKEN_HEADER]: inject("stack").mediaPullToken },
    });
    expect(res.status).toBeGreaterThanOrEqual(401);
    expect(res.status).toBeLessThan(500);
    expect(res.status).not.toBe(404);
    // Presented where the service token goes, it is not the service token either.
    const asService = await origin.request(path, {
      method,
      headers: { [SERVICE_TOKEN_HEADER]: inject("stack").mediaPullToken },
    });
    expect([401, 403]).toContain(asService.status);
  });
});
