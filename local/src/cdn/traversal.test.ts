/**
 * Path traversal against both CDN stand-ins: a listener's own valid token for `<track>/aac-128/*`, bent with dot
 * segments (raw, `%2e%2e`, mixed case), double slashes, backslashes and encoded slashes towards the FLAC rendition,
 * another folder of the media store and the origin's ops and internal endpoints. Nothing outside the signed folder
 * is served, and the origin (behind a recorder of its requests) is never asked for anything but the signed folder's
 * files, and only with the media-only credential.
 */
import { createHmac, createPrivateKey, sign } from "node:crypto";
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { RunningCdnEdge } from "./edge-server";
import { type RunningOriginRecorder, startOriginRecorder } from "./origin-recorder";
import { startCdnStandIn } from "./stand-ins";

const stack = inject("stack");
const secrets = stack.playback;
const aac = secrets.fixture.renditions.find((r) => r.id === "aac-128")!;
const flac = secrets.fixture.renditions.find((r) => r.id === "flac")!;
const segment = aac.segments[0]!.uri;
const key = secrets.fixture.key;
const now = () => Math.floor(Date.now() / 1000);

const cfKey = createPrivateKey({
  key: Buffer.from(secrets.cloudfrontPrivateKey, "base64"),
  format: "der",
  type: "pkcs8",
});
const cfBase64 = (b: Buffer) => b.toString("base64").replace(/\+/g, "-").replace(/=/g, "_").replace(/\//g, "~");

/** GET with the request target sent exactly as written (fetch() would resolve dot segments and backslashes first). */
function rawGet(base: string, target: string): Promise<{ status: number; body: Buffer }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path: target, method: "GET" }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** The token a listener holds for the aac-128 folder, as the query string of its own CDN. */
function folderToken(edge: RunningCdnEdge): string {
  if (edge.cdn === "cloudfront") {
    const resource = `${edge.url}/${aac.path}/*`;
    const policy = Buffer.from(
      `{"Statement":[{"Resource":"${resource}","Condition":{"DateLessThan":{"AWS:EpochTime":${now() + 300}}}}]}`,
    );
    return `Policy=${cfBase64(policy)}&Signature=${cfBase64(sign("sha1", policy, cfKey))}&Key-Pair-Id=${secrets.cloudfrontKeyPairId}`;
  }
  const fields = `exp=${now() + 300}~acl=/${aac.path}/*`;
  const hmac = createHmac("sha256", Buffer.from(secrets.akamaiEdgeAuthKey, "hex")).update(fields).digest("hex");
  return `__token__=${fields}~hmac=${hmac}`;
}

/** Paths that try to leave `/<key>/aac-128/` with that folder's token. */
const ATTEMPTS: Array<[name: string, path: string]> = [
  ["raw ..", `/${aac.path}/../flac/${segment}`],
  ["%2e%2e", `/${aac.path}/%2e%2e/flac/${segment}`],
  ["%2E%2E", `/${aac.path}/%2E%2E/flac/${segment}`],
  ["mixed .%2E", `/${aac.path}/.%2E/flac/${segment}`],
  ["mixed %2e.", `/${aac.path}/%2e./flac/${segment}`],
  ["double slash then ..", `/${aac.path}//../flac/${segment}`],
  ["leading double slash", `//${aac.path}/../flac/${segment}`],
  ["backslash", `/${aac.path}/..\\flac\\${segment}`],
  ["encoded backslash", `/${aac.path}/..%5Cflac%5C${segment}`],
  ["encoded slash", `/${aac.path}/..%2Fflac%2F${segment}`],
  ["encoded slash lower-case", `/${aac.path}/%2e%2e%2fflac%2f${segment}`],
  ["up to the media root", `/${aac.path}/../../${key}/flac/${segment}`],
  ["out to ops", `/${aac.path}/../../../v1/ops/events/stats`],
  ["out to internal", `/${aac.path}/%2e%2e/%2e%2e/%2e%2e/v1/internal/audit`],
  ["far above the root", `/${aac.path}/../../../../../../../../health`],
];

let recorder: RunningOriginRecorder;
const edges: RunningCdnEdge[] = [];
beforeAll(async () => {
  recorder = await startOriginRecorder(stack.originUrl);
  const options = { originUrl: recorder.url, mediaPullToken: stack.mediaPullToken, secrets };
  edges.push(await startCdnStandIn("cloudfront", options), await startCdnStandIn("akamai", options));
});
afterAll(async () => {
  await Promise.all(edges.map((e) => e.close()));
  await recorder.close();
});

describe.each(["cloudfront", "akamai"] as const)("%s stand-in: traversal with a folder token", (cdn) => {
  const edge = () => edges.find((e) => e.cdn === cdn)!;

  it("still serves the signed folder (also through a dot segment that stays inside it)", async () => {
    const inside = await rawGet(edge().url, `/${aac.path}/./${segment}?${folderToken(edge())}`);
    expect(inside.status).toBe(200);
    expect(inside.body.length).toBe(aac.segments[0]!.bytes);
  });

  it.each(ATTEMPTS)("%s: refused, and the origin is never asked for it", async (_name, path) => {
    const before = recorder.requests().length;
    const res = await rawGet(edge().url, `${path}?${folderToken(edge())}`);
    expect([400, 403, 404]).toContain(res.status);
    expect(res.body.length).not.toBe(flac.segments[0]!.bytes);
    const asked = recorder.requests().slice(before);
    expect(asked.filter((r) => !r.target.startsWith(`/media/${aac.path}/`))).toEqual([]);
  });

  it("pulls from the origin with the media-only credential, never the service token", async () => {
    const all = recorder.requests();
    expect(all.length).toBeGreaterThan(0);
    expect(all.every((r) => r.credential === "media-pull" && r.target.startsWith(`/media/${aac.path}/`))).toBe(true);
  });
});
