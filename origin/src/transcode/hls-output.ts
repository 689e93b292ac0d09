/**
 * The one way the origin packages audio as HLS: fMP4 segments named `seg-00001.m4s`, an `init.mp4` and a VOD
 * `index.m3u8` per rendition. Catalog renditions and ad creatives share it, so the edge can address both alike.
 */
import { join } from "node:path";

export const INIT_FILE = "init.mp4";
export const PLAYLIST_FILE = "index.m3u8";

/** ffmpeg output options that write one rendition's HLS into `dir`, cutting segments of about `hlsTime` seconds. */
export function hlsFmp4OutputArgs(dir: string, hlsTime: string): string[] {
  return [
    "-f",
    "hls",
    "-hls_time",
    hlsTime,
    "-hls_playlist_type",
    "vod",
    "-hls_segment_type",
    "fmp4",
    "-hls_flags",
    "independent_segments",
    "-start_number",
    "1",
    "-hls_fmp4_init_filename",
    INIT_FILE,
    "-hls_segment_filename",
    join(dir, "seg-%05d.m4s"),
    join(dir, PLAYLIST_FILE),
  ];
}
