import type { Tier } from "@cadence/shared/auth/claims";
import { describe, expect, it } from "vitest";
import { fetchPath, listenerToken, play, problemOf, publishTrack, requestMaster } from "./helpers";

const renditionsOf = (uris: string[]) => [...new Set(uris.map((u) => u.split("/")[4]))].sort();

describe("entitlement matrix: tier x rendition", () => {
  const matrix: Array<[Tier, string | undefined, string[]]> = [
    ["free", undefined, ["aac-128"]],
    ["premium", undefined, ["aac-128", "aac-256", "aac-320"]],
    ["hifi", undefined, ["aac-128", "aac-256", "aac-320", "flac"]],
    ["free", "aac,flac", ["aac-128"]],
    ["premium", "aac,flac", ["aac-128", "aac-256", "aac-320"]],
    ["hifi", "aac", ["aac-128", "aac-256", "aac-320"]],
    ["hifi", "flac", ["flac"]],
  ];
  for (const [tier, codecs, expected] of matrix) {
    it(`${tier}${codecs ? ` with codecs=${codecs}` : ""} gets ${expected.join(", ")}`, async () => {
      const track = await publishTrack();
      const { manifest } = await play(track.id, {
        token: await listenerToken({ tier }),
        query: codecs ? { codecs } : {},
      });
      expect(renditionsOf((manifest.playlists ?? []).map((p) => p.uri))).toEqual(expected);
    });
  }

  it("answers 406 when nothing the tier allows is decodable by the device", async () => {
    const track = await publishTrack();
    const res = await requestMaster(track.id, {
      token: await listenerToken({ tier: "free" }),
      query: { codecs: "flac" },
    });
    expect(res.status).toBe(406);
    expect((await problemOf(res)).code).toBe("no-playable-rendition");
  });

  it("refuses a media playlist of a rendition above the session's tier, even with the session's own token", async () => {
    const track = await publishTrack();
    const { media } = await play(track.id, { token: await listenerToken({ tier: "free" }) });
    const own = media.get("aac-128/cloudflare")!;
    expect((await fetchPath(own)).status).toBe(200);
    for (const above of ["aac-320", "flac"]) {
      const res = await fetchPath(own.replace("/aac-128/", `/${above}/`));
      expect(res.status).toBe(403);
      expect((await problemOf(res)).code).toBe("rendition-not-entitled");
    }
  });
});
