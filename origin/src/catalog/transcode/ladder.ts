/**
 * The bitrate ladder and the one ffmpeg run that makes it: the source is decoded once and split into AAC-LC 128, 256
 * and 320 kbps and FLAC, each packaged as HLS with fMP4 segments of about 6 s (a media playlist per rendition), while a
 * fifth branch measures what players and gapless playback need: EBU R128 integrated loudness and true peak (ebur128)
 * and, where the container does not already state it exactly, the sample count (astats). Measuring in the same run
 * costs one more filter, not another decode.
 *
 * Everything the edge publishes is measured from the output, not assumed: segment durations from the playlists ffmpeg
 * wrote, sizes from the files, and from those the HLS peak and average segment bit rates (RFC 8216bis 4.4.6).
 */

import { spawn } from "node:child_process";
import { mkdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { EdgeRendition, RenditionId } from "@cadence/shared/catalog/edge-track";
import { hlsFmp4OutputArgs, INIT_FILE, PLAYLIST_FILE } from "../../media/hls-output";

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

export { INIT_FILE, PLAYLIST_FILE } from "../../media/hls-output";
export const TARGET_SEGMENT_SECONDS = 6;

export interface SourceInfo {
  codec: string;
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  durationSeconds: number;
  /** Exact sample count when the container states it (FLAC STREAMINFO, PCM data size); else measured while decoding. */
  exactSamples?: number;
}

/** Lossless containers whose stated duration is sample-exact. */
const EXACT_DURATION_CODECS = /^(flac|alac|pcm_[a-z0-9]+)$/;

export type LadderRendition = Omit<EdgeRendition, "path">;

export interface LadderResult {
  ladder: string;
  durationSamples: number;
  sampleRate: number;
  durationMs: number;
  loudnessLufs: number;
  truePeakDbtp: number;
  renditions: LadderRendition[];
}

export class FfmpegMissing extends Error {
  constructor(binary: string) {
    super(
      `${binary} was not found. Install ffmpeg (Debian/Ubuntu: \`apt-get install ffmpeg\`; macOS: \`brew install ffmpeg\`) or set FFMPEG_PATH and FFPROBE_PATH.`,
    );
    this.name = "FfmpegMissing";
  }
}

export interface Binaries {
  ffmpeg: string;
  ffprobe: string;
}

/** Runs a binary to completion; aborting `signal` kills it (an ingest whose caller went away stops transcoding). */
export function run(binary: string, args: string[], signal?: AbortSignal): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"], signal });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => err.push(d));
    child.on("error", (e: NodeJS.ErrnoException) => reject(e.code === "ENOENT" ? new FfmpegMissing(binary) : e));
    child.on("close", (code) => {
      const stdout = Buffer.concat(out).toString();
      const stderr = Buffer.concat(err).toString();
      if (code === 0) resolve({ stdout, stderr });
      else reject(new Error(`${binary} exited with ${code}: ${stderr.trim().split("\n").slice(-5).join(" | ")}`));
    });
  });
}

/** What the source is, from ffprobe. Throws with ffprobe's words when the file is not audio it can read. */
export async function probeSource(bin: Binaries, file: string, signal?: AbortSignal): Promise<SourceInfo> {
  const { stdout } = await run(
    bin.ffprobe,
    [
      "-v",
      "error",
      "-select_streams",
      "a:0",
      "-show_entries",
      "stream=codec_name,sample_rate,channels,bits_per_raw_sample,bits_per_sample,duration,duration_ts,time_base:format=duration",
      "-of",
      "json",
      file,
    ],
    signal,
  );
  const parsed = JSON.parse(stdout) as {
    streams?: Array<Record<string, string | number | undefined>>;
    format?: { duration?: string };
  };
  const stream = parsed.streams?.[0];
  if (!stream) throw new Error("the file has no audio stream");
  const durationSeconds = Number(stream.duration ?? parsed.format?.duration);
  const sampleRate = Number(stream.sample_rate);
  const exact =
    EXACT_DURATION_CODECS.test(String(stream.codec_name)) && stream.time_base === `1/${sampleRate}`
      ? Number(stream.duration_ts)
      : Number.NaN;
  return {
    codec: String(stream.codec_name),
    sampleRate,
    channels: Number(stream.channels),
    bitsPerSample: Number(stream.bits_per_raw_sample ?? 0) || Number(stream.bits_per_sample ?? 0) || 16,
    durationSeconds: Number.isFinite(durationSeconds) ? durationSeconds : 0,
    ...(Number.isInteger(exact) && exact > 0 ? { exactSamples: exact } : {}),
  };
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

/** Reads ebur128's summary and (unless the container stated it) astats' sample count from ffmpeg's log. */
export function parseMeasurements(
  stderr: string,
  statedSamples?: number,
): { samples: number; loudnessLufs: number; truePeakDbtp: number } {
  const summary = stderr.slice(stderr.lastIndexOf("Summary:"));
  const integrated = /Integrated loudness:\s*\n\s*I:\s*(-?[\d.]+|-inf) LUFS/.exec(summary);
  const peak = /True peak:\s*\n\s*Peak:\s*(-?[\d.]+|-inf) dBFS/.exec(summary);
  const counted = [...stderr.matchAll(/Number of samples:\s*(\d+)/g)].at(-1)?.[1];
  const samples = statedSamples ?? (counted === undefined ? undefined : Number(counted));
  if (!integrated || !peak || samples === undefined) {
    throw new Error("ffmpeg did not report loudness, true peak and sample count");
  }
  // Digital silence has no loudness; report the floor ebur128 uses rather than -Infinity, which JSON cannot carry.
  const num = (s: string | undefined) => (s === undefined || s === "-inf" ? -70 : Number(s));
  return { samples, loudnessLufs: num(integrated[1]), truePeakDbtp: num(peak[1]) };
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

export function parseMediaPlaylist(text: string): Array<{ uri: string; duration: number }> {
  const out: Array<{ uri: string; duration: number }> = [];
  let pending: number | undefined;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line.startsWith("#EXTINF:")) pending = Number.parseFloat(line.slice(8));
    else if (line !== "" && !line.startsWith("#") && pending !== undefined) {
      out.push({ uri: line, duration: pending });
      pending = undefined;
    }
  }
  if (out.length === 0) throw new Error("ffmpeg wrote an empty media playlist");
  return out;
}

/**
 * RFC 8216bis 4.4.6: the average segment bit rate is all segment bytes over the playlist duration; the peak is the
 * highest bit rate of any run of contiguous segments lasting 0.5 to 1.5 target durations. Bits per second, rounded up.
 */
export function segmentBitRates(segments: Array<{ duration: number; bytes: number }>): {
  peak: number;
  average: number;
} {
  const totalBytes = segments.reduce((s, x) => s + x.bytes, 0);
  const totalSeconds = segments.reduce((s, x) => s + x.duration, 0);
  const average = Math.ceil((totalBytes * 8) / totalSeconds);
  const target = Math.max(1, ...segments.map((s) => Math.round(s.duration)));
  let peak = 0;
  for (let i = 0; i < segments.length; i++) {
    let bytes = 0;
    let seconds = 0;
    for (let j = i; j < segments.length; j++) {
      bytes += segments[j]!.bytes;
      seconds += segments[j]!.duration;
      if (seconds > 1.5 * target) break;
      if (seconds >= 0.5 * target) peak = Math.max(peak, (bytes * 8) / seconds);
    }
  }
  return { peak: Math.ceil(peak || (totalBytes * 8) / totalSeconds), average };
}
