import { describe, expect, it } from "vitest";
import { listenerToken, play, publishTrack } from "./helpers";

async function firstRendition(options: { headers?: Record<string, string>; cf?: Record<string, unknown> }) {
  const track = await publishTrack();
  const { manifest, res } = await play(track.id, { token: await listenerToken({ tier: "hifi" }), ...options });
  expect(res.headers.get("accept-ch")).toBe("Save-Data, ECT, Downlink, RTT");
  return manifest.playlists?.[0]?.uri.split("/")[4];
}

describe("start rendition from network hints (the variant listed first)", () => {
  it("starts a hifi listener on FLAC without hints", async () => {
    expect(await firstRendition({})).toBe("flac");
  });

  it("starts on the lowest rendition with Save-Data", async () => {
    expect(await firstRendition({ headers: { "save-data": "on" } })).toBe("aac-128");
  });

  it("fits the budget a slow ECT or Downlink allows", async () => {
    expect(await firstRendition({ headers: { ect: "2g" } })).toBe("aac-128");
    // 3g: 700 kbit/s x 0.8 leaves room for the AAC renditions but not FLAC.
    expect(await firstRendition({ headers: { ect: "3g" } })).toMatch(/^aac-(256|320)$/);
    expect(await firstRendition({ headers: { downlink: "0.2" } })).toBe("aac-128");
    expect(await firstRendition({ headers: { downlink: "10", ect: "4g" } })).toBe("flac");
  });

  it("steps down on a long round trip from the RTT hint or the edge's TCP RTT", async () => {
    expect(await firstRendition({ headers: { rtt: "1500" } })).toBe("aac-128");
    expect(await firstRendition({ cf: { clientTcpRtt: 1600, country: "US", continent: "NA" } })).toBe("aac-128");
    expect(await firstRendition({ cf: { clientTcpRtt: 400, country: "US", continent: "NA" } })).not.toBe("flac");
  });
});
