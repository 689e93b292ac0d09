/**
 * HLS text: the multivariant playlist of a session and the media playlist of one rendition on one pathway
 * (draft-pantos-hls-rfc8216bis). Pure functions over plain data, so the ads splicer can edit a media playlist's
 * segment list (adding discontinuities) before it is rendered. Encrypted media carries `#EXT-X-KEY` (AES-128 with an
 * explicit IV per file: an `EXT-X-MAP` under AES-128 requires one); a key line is written only where the key or IV
 * changes, and `METHOD=NONE` where clear media (a spliced ad) follows encrypted media.
 */
import type { EdgeRendition } from "@cadence/shared/catalog/edge-track";
import type { CdnId } from "@cadence/shared/cdn/cdn-id";

export const HLS_CONTENT_TYPE = "application/vnd.apple.mpegurl";

export interface Variant {
  rendition: EdgeRendition;
  pathway: CdnId;
  uri: string;
}

export interface MultivariantPlaylist {
  steering: { serverUri: string; pathwayId: CdnId };
  /** In playlist order: the start rendition first within each pathway, pathways in rank order. */
  variants: Variant[];
}

export function renderMultivariant(playlist: MultivariantPlaylist): string {
  const lines = [
    "#EXTM3U",
    "#EXT-X-VERSION:7",
    "#EXT-X-INDEPENDENT-SEGMENTS",
    `#EXT-X-CONTENT-STEERING:SERVER-URI="${playlist.steering.serverUri}",PATHWAY-ID="${playlist.steering.pathwayId}"`,
  ];
  for (const { rendition, pathway, uri } of playlist.variants) {
    lines.push(
      `#EXT-X-STREAM-INF:BANDWIDTH=${rendition.bandwidth},AVERAGE-BANDWIDTH=${rendition.averageBandwidth},` +
        `CODECS="${rendition.codec}",PATHWAY-ID="${pathway}",STABLE-VARIANT-ID="${rendition.id}"`,
      uri,
    );
  }
  return `${lines.join("\n")}\n`;
}

/** `#EXT-X-KEY:METHOD=AES-128`: where the licence is (the edge) and the file's IV (`0x` + 32 hex). */
export interface HlsKey {
  uri: string;
  iv: string;
}

export interface MediaSegment {
  duration: number;
  uri: string;
  /** The segment's key; absent = clear. */
  key?: HlsKey;
  /** The key of this segment's `map`, when it has one. */
  mapKey?: HlsKey;
  /** Set on the first segment after a change of encoding (e.g. an ad spliced in). */
  discontinuity?: boolean;
  /** A different init segment from this segment on. */
  map?: string;
}

export interface MediaPlaylist {
  targetDuration: number;
  /** Init segment URI (EXT-X-MAP). */
  map: string;
  mapKey?: HlsKey;
  segments: MediaSegment[];
}

const NO_KEY = "#EXT-X-KEY:METHOD=NONE";

export function renderMedia(playlist: MediaPlaylist): string {
  const target = Math.max(
    playlist.targetDuration,
    ...playlist.segments.map((s) => Math.round(s.duration)), // EXTINF rounded must not exceed the target
  );
  const lines = [
    "#EXTM3U",
    "#EXT-X-VERSION:7",
    `#EXT-X-TARGETDURATION:${target}`,
    "#EXT-X-MEDIA-SEQUENCE:0",
    "#EXT-X-PLAYLIST-TYPE:VOD",
    "#EXT-X-INDEPENDENT-SEGMENTS",
  ];
  let keyLine = NO_KEY;
  const useKey = (key: HlsKey | undefined) => {
    const line = key ? `#EXT-X-KEY:METHOD=AES-128,URI="${key.uri}",IV=${key.iv}` : NO_KEY;
    if (line !== keyLine) lines.push(line);
    keyLine = line;
  };
  useKey(playlist.mapKey);
  lines.push(`#EXT-X-MAP:URI="${playlist.map}"`);
  for (const segment of playlist.segments) {
    if (segment.discontinuity) lines.push("#EXT-X-DISCONTINUITY");
    if (segment.map) {
      useKey(segment.mapKey);
      lines.push(`#EXT-X-MAP:URI="${segment.map}"`);
    }
    useKey(segment.key);
    lines.push(`#EXTINF:${segment.duration.toFixed(6)},`, segment.uri);
  }
  lines.push("#EXT-X-ENDLIST");
  return `${lines.join("\n")}\n`;
}
