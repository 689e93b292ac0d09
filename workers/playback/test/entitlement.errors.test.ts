/** A play no rendition suits: nothing the tier allows is decodable by the device. */
import { describe, expect, it } from "vitest";
import { listenerToken, problemOf, publishTrack, requestMaster } from "./helpers";

describe("entitlement: nothing playable", () => {
  it("answers 406 when nothing the tier allows is decodable by the device", async () => {
    const track = await publishTrack();
    const res = await requestMaster(track.id, {
      token: await listenerToken({ tier: "free" }),
      query: { codecs: "flac" },
    });
    expect(res.status).toBe(406);
    expect((await problemOf(res)).code).toBe("no-playable-rendition");
  });
});
