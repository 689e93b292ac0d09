/**
 * Where a media playlist's `#EXT-X-KEY` points: the licence route of this worker, relative to the playlist (so it
 * resolves to whichever hostname served the playlist: this worker or the front door), with the session's playback
 * token, because players cannot add headers to key requests any more than to segment requests.
 */
import { hlsIv } from "@cadence/shared/drm/content-key";
import type { HlsKey } from "./playlist";

export const licenseUri = (sessionId: string, keyId: string, playbackToken: string) =>
  `/v1/license/${sessionId}/${keyId}?pt=${playbackToken}`;

/** The key of file `index` (0 = init segment) of a rendition encrypted under `keyId`. */
export function hlsKeyOf(uri: string, ivBase: string, index: number): HlsKey {
  return { uri, iv: hlsIv(ivBase, index) };
}
