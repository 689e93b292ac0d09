/**
 * Path traversal on the Cloudflare pathway: a listener's valid token for `<track>/aac-128/`, bent with dot segments
 * (raw, `%2e%2e`, mixed case), double slashes, backslashes and encoded slashes towards the FLAC rendition, another
 * folder and the origin's internal and ops endpoints. Nothing outside the signed folder is served, and the origin
 * (behind the test stack's recorder of origin requests) is never asked for anything under this request's id.
 * Raw forms the runtime's URL parser would resolve before the worker sees them are sent as-is to a worker under
 * `wrangler dev` in e2e/redis-faults.e2e.test.ts; here they arrive as Cloudflare's edge would deliver them.
 */
import { describe, expect, it } from "vitest";
import { signedUrls } from "./cdn-urls";
import { fetchPath, fixture, stack } from "./helpers";

interface Recorded {
  target: string;
  credential: string;
  requestId?: string;
}

async function originRequestsOf(requestId: string): Promise<Recorded[]> {
  const res = await fetch(`${stack.playback.originRecorderUrl}/__origin-requests`);
  const { requests } = (await res.json()) as { requests: Recorded[] };
  return requests.filter((r) => r.requestId === requestId);
}

describe("cloudflare pathway: traversal with a folder token", () => {
  const flacBytes = fixture.renditions.find((r) => r.id === "flac")!.segments[0]!.bytes;

  it.each([
    ["raw ..", "../flac/"],
    ["%2e%2e", "%2e%2e/flac/"],
    ["%2E%2E", "%2E%2E/flac/"],
    ["mixed .%2E", ".%2E/flac/"],
    ["double slash then ..", "/../flac/"],
    ["backslash", "..\\flac\\"],
    ["encoded backslash", "..%5Cflac%5C"],
    ["encoded slash", "..%2Fflac%2F"],
    ["up to the media root", `../../${fixture.key}/flac/`],
    ["out to ops", "../../../../../v1/ops/events/"],
    ["out to internal", "%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/v1/internal/audit/"],
  ])("%s: refused, and the origin is never asked", async (_name, detour) => {
    const { segments } = await signedUrls("cloudflare");
    const signed = segments[0]!;
    const [path, query] = signed.split("?") as [string, string];
    const folder = path.slice(0, path.lastIndexOf("/") + 1);
    const file = path.slice(path.lastIndexOf("/") + 1);
    const requestId = `traversal-${crypto.randomUUID()}`;
    const res = await fetchPath(`${folder}${detour}${file}?${query}`, { headers: { "x-request-id": requestId } });
    const body = await res.arrayBuffer();
    expect([400, 403, 404, 410]).toContain(res.status);
    expect(body.byteLength).not.toBe(flacBytes);
    expect(await originRequestsOf(requestId)).toEqual([]);
  });

  it("pulls the signed folder's own files with the media-only credential", async () => {
    const { segments } = await signedUrls("cloudflare");
    const requestId = `pull-${crypto.randomUUID()}`;
    const res = await fetchPath(segments[segments.length - 1]!, { headers: { "x-request-id": requestId } });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    const asked = await originRequestsOf(requestId);
    // A cache hit asks nothing; a miss asks for this one file, with the media-pull secret.
    for (const r of asked) {
      expect(r.credential).toBe("media-pull");
      expect(r.target.startsWith("/media/")).toBe(true);
    }
  });
});
