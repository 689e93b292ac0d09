/**
 * Turns an advertiser's audio file into a servable audio spot with ffmpeg: checks the length (15 or 30 s), measures
 * loudness and normalises it to -14 LUFS integrated with the true peak below -1 dBTP (two-pass `loudnorm`, linear when
 * the peak allows), writes a WAV mezzanine for stitchers, three progressive AAC-LC renditions (64, 128, 192 kbps, the
 * "three bitrates of one type" VAST recommends), and an HLS rendition in fMP4 matching the free tier's AAC-LC 128
 * ladder rung, cut into four equal segments so segment fetches mark the quartiles when it is spliced into playback.
 *
 * The result is measured from the outputs: the 128 kbps rendition is decoded and measured again, and if the encoder's
 * overshoot pushed its true peak to -1 dBTP or above, the gain is lowered and the renditions are made again.
 */

import { mkdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { EdgeAdHls, EdgeMediaFile } from "@cadence/shared/ads/model";
import { type Binaries, probeSource, run } from "../transcode/ffmpeg";
import { hlsFmp4OutputArgs } from "../transcode/hls-output";
import { parseMeasurements, parseMediaPlaylist, segmentBitRates } from "../transcode/measure";

/** Bump when settings change: it is part of the media path, so old and new packagings never share one. */
export const CREATIVE_PACKAGING_VERSION = "a1";
export const TARGET_LUFS = -14;
/** Aim below the -1 dBTP ceiling: AAC encoding adds a little overshoot. */
const TARGET_TP = -2;
export const MAX_TRUE_PEAK_DBTP = -1;
export const ALLOWED_DURATIONS_S = [15, 30] as const;
/** How far a spot may be off its nominal length. */
export const DURATION_TOLERANCE_S = 0.5;
/** The free tier's AAC rendition and the ads spliced into it share one sample rate (no reconfiguration mid-stream). */
export const AD_SAMPLE_RATE = 44_100;
const PROGRESSIVE_KBPS = [64, 128, 192] as const;

export class CreativeRejected extends Error {
  constructor(
    readonly reason: "not-audio" | "duration",
    message: string,
  ) {
    super(message);
    this.name = "CreativeRejected";
  }
}

export interface PackagedCreative {
  durationMs: number;
  sourceLoudnessLufs: number;
  loudnessLufs: number;
  truePeakDbtp: number;
  mediaFiles: EdgeMediaFile[];
  mezzanine: EdgeMediaFile;
  hls: EdgeAdHls;
  /** Every file written, relative to `outDir`. */
  files: string[];
}

interface LoudnormStats {
  input_i: string;
  input_tp: string;
  input_lra: string;
  input_thresh: string;
  target_offset: string;
}

function lastJsonObject(text: string): LoudnormStats {
  const start = text.lastIndexOf("{");
  const end = text.lastIndexOf("}");
  if (start < 0 || end < start) throw new Error("ffmpeg's loudnorm printed no measurement");
  return JSON.parse(text.slice(start, end + 1)) as LoudnormStats;
}

async function measure(
  bin: Binaries,
  file: string,
): Promise<{ loudnessLufs: number; truePeakDbtp: number; samples: number }> {
  const { stderr } = await run(bin.ffmpeg, [
    "-hide_banner",
    "-nostdin",
    "-nostats",
    "-i",
    file,
    "-af",
    "ebur128=peak=true,astats=measure_perchannel=none:measure_overall=Number_of_samples",
    "-f",
    "null",
    "-",
  ]);
  return parseMeasurements(stderr);
}

/** Packages `source` into `outDir`. Throws CreativeRejected for files that cannot be a spot. */
export async function packageCreative(bin: Binaries, source: string, outDir: string): Promise<PackagedCreative> {
  let info: Awaited<ReturnType<typeof probeSource>>;
  try {
    info = await probeSource(bin, source);
  } catch {
    // ffprobe's own words name the server's temporary folder; the uploader needs only what to send instead.
    throw new CreativeRejected(
      "not-audio",
      "The upload is not audio that can be read: send a 15 or 30 s spot as WAV, FLAC, MP3 or AAC.",
    );
  }
  const nominal = ALLOWED_DURATIONS_S.find((d) => Math.abs(info.durationSeconds - d) <= DURATION_TOLERANCE_S);
  if (!nominal) {
    throw new CreativeRejected(
      "duration",
      `The spot lasts ${info.durationSeconds.toFixed(2)} s; audio spots must last 15 or 30 s (within ${DURATION_TOLERANCE_S} s).`,
    );
  }
  await mkdir(join(outDir, "hls"), { recursive: true });

  // Pass 1: measure. Pass 2: normalise into the mezzanine with those measurements (linear gain when possible).
  const target = `I=${TARGET_LUFS}:TP=${TARGET_TP}:LRA=11`;
  const first = await run(bin.ffmpeg, [
    "-hide_banner",
    "-nostdin",
    "-nostats",
    "-i",
    source,
    "-af",
    `loudnorm=${target}:print_format=json`,
    "-f",
    "null",
    "-",
  ]);
  const m = lastJsonObject(first.stderr);
  const sourceLoudnessLufs = Number(m.input_i);
  const mezzanine = join(outDir, "mezzanine.wav");
  const normalise = (extraGainDb: number) =>
    run(bin.ffmpeg, [
      "-hide_banner",
      "-nostdin",
      "-nostats",
      "-y",
      "-i",
      source,
      "-af",
      `loudnorm=${target}:measured_I=${m.input_i}:measured_TP=${m.input_tp}:measured_LRA=${m.input_lra}:measured_thresh=${m.input_thresh}:offset=${m.target_offset}:linear=true,volume=${extraGainDb}dB,aresample=${AD_SAMPLE_RATE}`,
      "-ac",
      "2",
      "-c:a",
      "pcm_s16le",
      mezzanine,
    ]);

  const hlsTime = (info.durationSeconds / 4 + Math.min(0.05, 2 / 4)).toFixed(3);
  const encode = () => {
    const splits = PROGRESSIVE_KBPS.length + 1;
    const labels = [...PROGRESSIVE_KBPS.map((k) => `[p${k}]`), "[hls]"].join("");
    const args = [
      "-hide_banner",
      "-nostdin",
      "-nostats",
      "-y",
      "-i",
      mezzanine,
      "-filter_complex",
      `[0:a]asplit=${splits}${labels}`,
    ];
    for (const kbps of PROGRESSIVE_KBPS) {
      args.push(
        "-map",
        `[p${kbps}]`,
        "-c:a",
        "aac",
        "-b:a",
        `${kbps}k`,
        "-ar",
        String(AD_SAMPLE_RATE),
        "-ac",
        "2",
        "-f",
        "adts",
        join(outDir, `aac-${kbps}.aac`),
      );
    }
    args.push(
      "-map",
      "[hls]",
      "-c:a",
      "aac",
      "-aac_coder",
      "fast",
      "-b:a",
      "128k",
      "-ar",
      String(AD_SAMPLE_RATE),
      "-ac",
      "2",
      ...hlsFmp4OutputArgs(join(outDir, "hls"), hlsTime),
    );
    return run(bin.ffmpeg, args);
  };

  let gain = 0;
  await normalise(gain);
  await encode();
  let measured = await measure(bin, join(outDir, "aac-128.aac"));
  if (measured.truePeakDbtp >= MAX_TRUE_PEAK_DBTP - 0.2) {
    gain = -(measured.truePeakDbtp - (MAX_TRUE_PEAK_DBTP - 0.5));
    await normalise(gain);
    await encode();
    measured = await measure(bin, join(outDir, "aac-128.aac"));
  }
  const mezzInfo = await measure(bin, mezzanine);

  const fileOf = async (
    file: string,
    mimeType: string,
    codec: string,
    bitrateKbps: number,
  ): Promise<EdgeMediaFile> => ({
    file,
    mimeType,
    codec,
    bitrateKbps,
    bytes: (await stat(join(outDir, file))).size,
  });
  const mediaFiles = await Promise.all(
    PROGRESSIVE_KBPS.map((k) => fileOf(`aac-${k}.aac`, "audio/aac", "mp4a.40.2", k)),
  );
  const mezz = await fileOf("mezzanine.wav", "audio/wav", "pcm_s16le", Math.round((AD_SAMPLE_RATE * 2 * 16) / 1000));

  const entries = parseMediaPlaylist(await readFile(join(outDir, "hls", "index.m3u8"), "utf8"));
  const segments = [];
  for (const e of entries)
    segments.push({ uri: `hls/${e.uri}`, duration: e.duration, bytes: (await stat(join(outDir, "hls", e.uri))).size });
  const rates = segmentBitRates(segments);
  const hls: EdgeAdHls = {
    playlist: "hls/index.m3u8",
    init: "hls/init.mp4",
    codec: "mp4a.40.2",
    bandwidth: rates.peak,
    targetDuration: Math.max(1, ...segments.map((s) => Math.ceil(s.duration))),
    segments: segments.map(({ uri, duration }) => ({ uri, duration })),
  };
  return {
    durationMs: Math.round((mezzInfo.samples * 1000) / AD_SAMPLE_RATE),
    sourceLoudnessLufs,
    loudnessLufs: measured.loudnessLufs,
    truePeakDbtp: measured.truePeakDbtp,
    mediaFiles,
    mezzanine: mezz,
    hls,
    files: [...mediaFiles.map((f) => f.file), mezz.file, hls.playlist, hls.init, ...hls.segments.map((s) => s.uri)],
  };
}
