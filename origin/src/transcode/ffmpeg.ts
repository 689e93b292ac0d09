/**
 * Running ffmpeg and ffprobe: the binaries from the configuration, one run to completion (killed when its caller
 * aborts), a clear error when ffmpeg is not installed, and what ffprobe says a source is. The catalog's ladder and
 * the ads' creative packager both run ffmpeg through here.
 */
import { spawn } from "node:child_process";
import type { TranscodeSettings } from "../config";

export interface Binaries {
  ffmpeg: string;
  ffprobe: string;
}

/** The binaries the configuration names. */
export function binariesOf(settings: Pick<TranscodeSettings, "FFMPEG_PATH" | "FFPROBE_PATH">): Binaries {
  return { ffmpeg: settings.FFMPEG_PATH, ffprobe: settings.FFPROBE_PATH };
}

export class FfmpegMissing extends Error {
  constructor(binary: string) {
    super(
      `${binary} was not found. Install ffmpeg (Debian/Ubuntu: \`apt-get install ffmpeg\`; macOS: \`brew install ffmpeg\`) or set FFMPEG_PATH and FFPROBE_PATH.`,
    );
    this.name = "FfmpegMissing";
  }
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
