/**
 * The bitrate ladder and the one ffmpeg run that makes it: the source is decoded once and split into AAC-LC 128, 256
 * and 320 kbps and FLAC, each packaged as HLS with fMP4 segments of about 6 s (a media playlist per rendition), while a
 * fifth branch measures what players and gapless playback need: EBU R128 integrated loudness and true peak (ebur128)
 * and, where the container does not already state it exactly, the sample count (astats). Measuring in the same run
 * costs one more filter, not another decode.
 *
 * Everything the edge publishes is measured from the output, not assumed (measure.ts): segment durations from the
 * playlists ffmpeg wrote, sizes from the files, and from those the HLS peak and average segment bit rates.
 */

import { mkdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { EdgeRendition, RenditionId } from "@cadence/shared/catalog/edge-track";
import type { RenditionEncryption } from "@cadence/shared/drm/content-key";
import { type Binaries, probeSource, run, type SourceInfo } from "./ffmpeg";
import { hlsFmp4OutputArgs, INIT_FILE, PLAYLIST_FILE } from "./hls-output";
import { parseMeasurements, parseMediaPlaylist, segmentBitRates } from "./measure";

/** Bump when encoder settings change: it is part of every media key, so old and new encodes never share a path. */
export const LADDER_VERSION = "l1";

interface Rung {
  id: RenditionId;
  codec: string;
  args: string[];
}

export const LADDER: Rung[] = [
  { id: "aac-128", codec: "mp4a.40.2", args: ["-c:a", "aac", "-aac_coder", "fast", "-b:a", "128k"] },
  // An explicit cutoff lets the native AAC encoder actually spend 256/320 kbps (and run 3x faster than its default).
  {
    id: "aac-256",
    codec: "mp4a.40.2",
    args: ["-c:a", "aac", "-aac_coder", "fast", "-cutoff", "20000", "-b:a", "256k"],
  },
  {
    id: "aac-320",
    codec: "mp4a.40.2",
    args: ["-c:a", "aac", "-aac_coder", "fast", "-cutoff", "20000", "-b:a", "320k"],
  },
  // Debian's ffmpeg 5.1 writes FLAC into fMP4 only with -strict experimental.
  { id: "flac", codec: "fLaC", args: ["-c:a", "flac", "-strict", "experimental"] },
];

export const TARGET_SEGMENT_SECONDS = 6;

/** A rendition in the ladder manifest: its encryption metadata is public (key id, IV base), never the key. */
export type LadderRendition = Omit<EdgeRendition, "path" | "encryption"> & { encryption?: RenditionEncryption };

export interface LadderResult {
  ladder: string;
  durationSamples: number;
  sampleRate: number;
  durationMs: number;
  loudnessLufs: number;
  truePeakDbtp: number;
  renditions: LadderRendition[];
}

/**
 * The hls_time that splits a track into whole segments of about 6 s without a sliver at the end: ffmpeg cuts at the
 * first packet past each multiple of hls_time, so a 30.0 s track at exactly 6 s would end with a 20 ms segment.
 */
export function segmentSeconds(durationSeconds: number): number {
  const count = Math.max(1, Math.round(durationSeconds / TARGET_SEGMENT_SECONDS));
  return durationSeconds / count + Math.min(0.05, 2 / count);
}

/** The ffmpeg arguments of the ladder (without the measuring branch when `measure` is false: the bench's floor). */
export function ladderArgs(source: string, info: SourceInfo, outDir: string, measure = true): string[] {
  const hlsTime = segmentSeconds(info.durationSeconds).toFixed(3);
  const aacRate = Math.min(info.sampleRate, 48_000);
  const channels = Math.min(info.channels, 2);
  const splits = LADDER.length + (measure ? 1 : 0);
  const labels = LADDER.map((r) => `[${r.id}]`).join("");
  // astats costs about as much as ebur128: count samples only when the container does not state them exactly.
  const counter =
    info.exactSamples === undefined ? ",astats=measure_perchannel=none:measure_overall=Number_of_samples" : "";
  const graph = measure
    ? `[0:a]asplit=${splits}${labels}[m];[m]ebur128=peak=true:framelog=verbose${counter}[mo]`
    : `[0:a]asplit=${splits}${labels}`;
  const args = [
    "-hide_banner",
    "-nostdin",
    "-nostats",
    "-loglevel",
    "info",
    "-y",
    "-i",
    source,
    "-filter_complex",
    graph,
  ];
  for (const rung of LADDER) {
    const dir = join(outDir, rung.id);
    const format =
      rung.id === "flac"
        ? ["-ar", String(info.sampleRate), "-sample_fmt", info.bitsPerSample > 16 ? "s32" : "s16"]
        : ["-ar", String(aacRate)];
    args.push(
      "-map",
      `[${rung.id}]`,
      ...rung.args,
      ...format,
      "-ac",
      String(channels),
      ...hlsFmp4OutputArgs(dir, hlsTime),
    );
  }
  if (measure) args.push("-map", "[mo]", "-f", "null", "-");
  return args;
}

/** Transcodes `source` into the ladder under `outDir/<rendition>/` and measures the result. */
export async function transcodeLadder(
  bin: Binaries,
  source: string,
  outDir: string,
  signal?: AbortSignal,
  probed?: SourceInfo,
): Promise<LadderResult> {
  const info = probed ?? (await probeSource(bin, source, signal));
  for (const rung of LADDER) await mkdir(join(outDir, rung.id), { recursive: true });
  const { stderr } = await run(bin.ffmpeg, ladderArgs(source, info, outDir), signal);
  const measured = parseMeasurements(stderr, info.exactSamples);
  const renditions: LadderRendition[] = [];
  for (const rung of LADDER) {
    renditions.push(await measureRendition(rung, join(outDir, rung.id), info, Math.min(info.channels, 2)));
  }
  return {
    ladder: LADDER_VERSION,
    durationSamples: measured.samples,
    sampleRate: info.sampleRate,
    durationMs: Math.round((measured.samples * 1000) / info.sampleRate),
    loudnessLufs: measured.loudnessLufs,
    truePeakDbtp: measured.truePeakDbtp,
    renditions,
  };
}

async function measureRendition(rung: Rung, dir: string, info: SourceInfo, channels: number): Promise<LadderRendition> {
  const playlist = await readFile(join(dir, PLAYLIST_FILE), "utf8");
  const entries = parseMediaPlaylist(playlist);
  const segments = [];
  for (const entry of entries) {
    const { size } = await stat(join(dir, entry.uri));
    segments.push({ uri: entry.uri, duration: entry.duration, bytes: size });
  }
  const rates = segmentBitRates(segments);
  return {
    id: rung.id,
    codec: rung.codec,
    bandwidth: rates.peak,
    averageBandwidth: rates.average,
    sampleRate: rung.id === "flac" || info.sampleRate <= 48_000 ? info.sampleRate : 48_000,
    channels,
    init: INIT_FILE,
    targetDuration: Math.max(1, ...segments.map((s) => Math.round(s.duration))),
    segments,
  };
}
