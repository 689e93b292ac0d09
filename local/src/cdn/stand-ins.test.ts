import { createHmac, createPrivateKey, sign } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { RunningCdnEdge } from "./edge-server";
import { startCdnStandIn } from "./stand-ins";

const stack = inject("stack");
const secrets = stack.playback;
const rendition = secrets.fixture.renditions.find((r) => r.id === "aac-128")!;
const segment = rendition.segments[0]!;
const now = () => Math.floor(Date.now() / 1000);

// Tokens signed here with Node crypto, as a third party's own tooling would, to pin the stand-ins to each CDN's spec.
const cfKey = createPrivateKey({
  key: Buffer.from(secrets.cloudfrontPrivateKey, "base64"),
  format: "der",
  type: "pkcs8",
});
const cfBase64 = (b: Buffer) => b.toString("base64").replace(/\+/g, "-").replace(/=/g, "_").replace(/\//g, "~");

function cloudfrontCustom(edge: RunningCdnEdge, condition: string, resource = `${edge.url}/${rendition.path}/*`) {
  const policy = Buffer.from(`{"Statement":[{"Resource":"${resource}","Condition":{${condition}}}]}`);
  const signature = sign("sha1", policy, cfKey);
  return `${edge.url}/${rendition.path}/${segment.uri}?Policy=${cfBase64(policy)}&Signature=${cfBase64(signature)}&Key-Pair-Id=${secrets.cloudfrontKeyPairId}`;
}

function cloudfrontCanned(edge: RunningCdnEdge, expires: number, hash: "sha1" | "sha256" = "sha1") {
  const url = `${edge.url}/${rendition.path}/${segment.uri}`;
  const policy = `{"Statement":[{"Resource":"${url}","Condition":{"DateLessThan":{"AWS:EpochTime":${expires}}}}]}`;
  const signature = cfBase64(sign(hash, Buffer.from(policy), cfKey));
  const algorithm = hash === "sha256" ? "&Hash-Algorithm=SHA256" : "";
  return `${url}?Expires=${expires}&Signature=${signature}&Key-Pair-Id=${secrets.cloudfrontKeyPairId}${algorithm}`;
}

function akamai(edge: RunningCdnEdge, fields: string, options: { urlToken?: boolean } = {}) {
  const path = `/${rendition.path}/${segment.uri}`;
  const source = options.urlToken ? `${fields}~url=${path}` : fields;
  const hmac = createHmac("sha256", Buffer.from(secrets.akamaiEdgeAuthKey, "hex")).update(source).digest("hex");
  return `${edge.url}${path}?__token__=${fields}~hmac=${hmac}`;
}

let cloudfront: RunningCdnEdge;
let akamaiEdge: RunningCdnEdge;
beforeAll(async () => {
  const options = { originUrl: stack.originUrl, mediaPullToken: stack.mediaPullToken, secrets };
  [cloudfront, akamaiEdge] = await Promise.all([
    startCdnStandIn("cloudfront", options),
    startCdnStandIn("akamai", options),
  ]);
});
afterAll(async () => {
  await Promise.all([cloudfront.close(), akamaiEdge.close()]);
});

async function status(url: string, init?: RequestInit): Promise<[number, string | null]> {
  const res = await fetch(url, init);
  await res.arrayBuffer();
  return [res.status, res.headers.get("x-deny-reason")];
}

describe("CloudFront stand-in", () => {
  it("accepts canned and custom policies (SHA-1 and SHA-256) and serves the origin's bytes", async () => {
    const res = await fetch(cloudfrontCustom(cloudfront, `"DateLessThan":{"AWS:EpochTime":${now() + 60}}`));
    expect(res.status).toBe(200);
    expect(res.headers.get("x-cdn")).toBe("cloudfront");
    expect(res.headers.get("x-cache")).toMatch(/from cloudfront$/);
    expect((await res.arrayBuffer()).byteLength).toBe(segment.bytes);
    expect(await status(cloudfrontCanned(cloudfront, now() + 60))).toEqual([200, null]);
    expect(await status(cloudfrontCanned(cloudfront, now() + 60, "sha256"))).toEqual([200, null]);
  });

  it("refuses what CloudFront refuses", async () => {
    expect(await status(cloudfrontCanned(cloudfront, now() - 1))).toEqual([403, "expired"]);
    // A SHA-256 signature announced as SHA-1 (no Hash-Algorithm) does not verify.
    const mislabelled = cloudfrontCanned(cloudfront, now() + 60, "sha256").replace("&Hash-Algorithm=SHA256", "");
    expect((await status(mislabelled))[0]).toBe(403);
    const later = `"DateLessThan":{"AWS:EpochTime":${now() + 60}},"DateGreaterThan":{"AWS:EpochTime":${now() + 30}}`;
    expect(await status(cloudfrontCustom(cloudfront, later))).toEqual([403, "not valid yet"]);
    const otherIp = `"DateLessThan":{"AWS:EpochTime":${now() + 60}},"IpAddress":{"AWS:SourceIp":"198.51.100.0/24"}`;
    expect(await status(cloudfrontCustom(cloudfront, otherIp))).toEqual([403, "source IP not allowed"]);
    const ourIp = `"DateLessThan":{"AWS:EpochTime":${now() + 60}},"IpAddress":{"AWS:SourceIp":"127.0.0.0/8"}`;
    expect(await status(cloudfrontCustom(cloudfront, ourIp))).toEqual([200, null]);
    const elsewhere = cloudfrontCustom(
      cloudfront,
      `"DateLessThan":{"AWS:EpochTime":${now() + 60}}`,
      `${cloudfront.url}/x/*`,
    );
    expect(await status(elsewhere)).toEqual([403, "resource mismatch"]);
    const good = cloudfrontCanned(cloudfront, now() + 60);
    expect(await status(good.replace(secrets.cloudfrontKeyPairId, "KUNKNOWNKEY123"))).toEqual([
      403,
      "unknown Key-Pair-Id",
    ]);
    expect(await status(good.replace(/Signature=[^&]+/, ""))).toEqual([403, "missing signing parameters"]);
    expect(await status(good.replace(/Expires=\d+/, `Expires=${now() + 3600}`))).toEqual([
      403,
      "signature does not verify",
    ]);
  });
});

describe("Akamai stand-in", () => {
  it("accepts ACL tokens (wildcard, several ACLs) and URL tokens", async () => {
    const acl = `st=${now() - 5}~exp=${now() + 60}~acl=/${rendition.path}/*`;
    const res = await fetch(akamai(akamaiEdge, acl));
    expect(res.status).toBe(200);
    expect(res.headers.get("x-cdn")).toBe("akamai");
    expect((await res.arrayBuffer()).byteLength).toBe(segment.bytes);
    expect(await status(akamai(akamaiEdge, `exp=${now() + 60}~acl=/elsewhere/*!/${rendition.path}/*`))).toEqual([
      200,
      null,
    ]);
    expect(await status(akamai(akamaiEdge, `exp=${now() + 60}`, { urlToken: true }))).toEqual([200, null]);
    expect(await status(akamai(akamaiEdge, `ip=127.0.0.1~exp=${now() + 60}~acl=/*`))).toEqual([200, null]);
  });

  it("refuses what Akamai refuses", async () => {
    expect(await status(akamai(akamaiEdge, `st=${now() - 60}~exp=${now() - 1}~acl=/*`))).toEqual([403, "expired"]);
    expect(await status(akamai(akamaiEdge, `st=${now() + 30}~exp=${now() + 60}~acl=/*`))).toEqual([
      403,
      "not valid yet",
    ]);
    expect(await status(akamai(akamaiEdge, `exp=${now() + 60}~acl=/other/*`))).toEqual([403, "acl mismatch"]);
    expect(await status(akamai(akamaiEdge, `ip=198.51.100.7~exp=${now() + 60}~acl=/*`))).toEqual([403, "ip mismatch"]);
    const good = akamai(akamaiEdge, `exp=${now() + 60}~acl=/*`);
    expect(await status(good.replace(/exp=\d+/, `exp=${now() + 3600}`))).toEqual([403, "hmac does not verify"]);
    expect(await status(good.split("?")[0]!)).toEqual([403, "missing token"]);
    expect(await status(good.replace(/~/g, "%7E"))).toEqual([403, "token lacks hmac"]);
  });
});

describe("CDN stand-in behaviour", () => {
  const url = () => cloudfrontCanned(cloudfront, now() + 60);

  it("answers ranges, HEAD and CORS preflights like a CDN", async () => {
    const ranged = await fetch(url(), { headers: { range: "bytes=10-19" } });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get("content-range")).toBe(`bytes 10-19/${segment.bytes}`);
    expect((await ranged.arrayBuffer()).byteLength).toBe(10);
    expect(await status(url(), { headers: { range: `bytes=${segment.bytes + 5}-` } })).toEqual([416, null]);
    const head = await fetch(url(), { method: "HEAD" });
    expect(head.headers.get("content-length")).toBe(String(segment.bytes));
    const preflight = await fetch(url(), {
      method: "OPTIONS",
      headers: { origin: "http://player.example", "access-control-request-headers": "range" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    expect(preflight.headers.get("access-control-allow-headers")).toContain("range");
    const second = await fetch(url());
    expect(second.headers.get("x-cache")).toBe("Hit from cloudfront");
    await second.arrayBuffer();
  });

  it("fails on command: a share of requests, fully down (503 or reset), then recovers", async () => {
    const control = (body: unknown) =>
      fetch(`${cloudfront.url}/__control`, { method: "POST", body: JSON.stringify(body) }).then((r) => r.json());
    expect(await control({ failureRate: 1, failStatus: 502 })).toMatchObject({ failureRate: 1, failStatus: 502 });
    expect((await status(url()))[0]).toBe(502);
    expect(await control({ failureRate: 0, down: true })).toMatchObject({ down: true });
    expect((await status(url()))[0]).toBe(503);
    await control({ downMode: "connection-reset" });
    await expect(fetch(url())).rejects.toThrow();
    const recovered = await fetch(`${cloudfront.url}/__control/recover`, { method: "POST" }).then((r) => r.json());
    expect(recovered).toMatchObject({ down: false, failureRate: 0, latencyMs: 0 });
    expect((await status(url()))[0]).toBe(200);
  });

  it("refuses invalid knobs with what is wrong", async () => {
    const res = await fetch(`${akamaiEdge.url}/__control`, {
      method: "POST",
      body: JSON.stringify({ failureRate: 2, colour: "red" }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: Array<{ path: string }> };
    expect(body.errors.map((e) => e.path)).toContain("failureRate");
    expect((await fetch(`${akamaiEdge.url}/__control`).then((r) => r.json())) as object).toMatchObject({
      failureRate: 0,
    });
  });
});
