/** A session's own playback token opens only the renditions of the session's tier. */
import { describe, expect, it } from "vitest";
import { fetchPath, listenerToken, play, problemOf, publishTrack } from "./helpers";

describe("entitlement: renditions above the tier", () => {
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
