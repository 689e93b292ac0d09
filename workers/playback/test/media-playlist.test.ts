/** Media playlists as players get them: one per rendition and pathway, VOD, the EdgeTrack's segment durations. */
import { describe, expect, it } from "vitest";
import { fetchPath, listenerToken, parseHls, play, publishTrack, textOf } from "./helpers";

describe("media playlists", () => {
  it("serves each pathway's media playlist, a VOD playlist a real parser accepts", async () => {
    const track = await publishTrack();
    const { media } = await play(track.id, { token: await listenerToken() });
    for (const pathway of ["cloudfront", "akamai", "cloudflare"]) {
      const res = await fetchPath(media.get(`aac-256/${pathway}`)!);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/vnd.apple.mpegurl");
      const manifest = parseHls(await textOf(res));
      const rendition = track.renditions.find((r) => r.id === "aac-256")!;
      expect(manifest.endList).toBe(true);
      expect(manifest.playlistType).toBe("VOD");
      expect(manifest.segments.map((s) => s.duration)).toEqual(rendition.segments.map((s) => s.duration));
      expect(manifest.segments[0]?.map?.uri).toContain(`/${rendition.path}/init.mp4?`);
    }
  });
});
