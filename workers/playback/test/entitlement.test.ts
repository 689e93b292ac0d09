/** Which renditions a listener gets: the tier's ladder intersected with what the device decodes. */
import type { Tier } from "@cadence/shared/auth/claims";
import { describe, expect, it } from "vitest";
import { listenerToken, play, publishTrack } from "./helpers";

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
});
