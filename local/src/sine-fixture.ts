/**
 * Playback test media without the catalog: a sine really transcoded by ffmpeg into the whole ladder (AAC 128/256/320,
 * FLAC) as fMP4 HLS in the media-store layout (`<key>/<rendition>/init.mp4, seg-*.m4s`), with the EdgeRendition
 * records measured from the files (true peak and average bit rates, exact segment durations). One ffmpeg process
 * decodes once and writes all four renditions; the result is kept in the machine's temp folder and copied into each
 * run's media store, so only the first run pays for the transcode. Tests publish EdgeTrack records for it with any
 * availability they need.
 */
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EdgeRendition, EdgeTrack, RenditionId } from "@cadence/shared/catalog/edge-track";

export interface SineMedia {
  key: string;
  durationMs: number;
  renditions: EdgeRendition[];
}

const LADDER: Array<{ id: RenditionId; args: string[]; codec: string }> = [
  { id: "aac-128", args: ["-c:a", "aac", "-b:a", "128k"], codec: "mp4a.40.2" },
  { id: "aac-256", args: ["-c:a", "aac", "-b:a", "256k"], codec: "mp4a.40.2" },
  { id: "aac-320", args: ["-c:a", "aac", "-b:a", "320k"], codec: "mp4a.40.2" },
  // Debian's ffmpeg 5.1 writes FLAC into fMP4 only with -strict experimental.
  { id: "flac", args: ["-c:a", "flac", "-strict", "experimental"], codec: "fLaC" },
];

/** Transcodes (once per machine and parameters), copies into `mediaDir`, and describes the renditions. */
export async function buildSineMedia(
  mediaDir: string,
  options: { seconds?: number; frequency?: number; segmentSeconds?: number } = {},
): Promise<SineMedia> {
  // Not a multiple of the segment length: ffmpeg 5.1 then ends FLAC-in-fMP4 with an empty fragment players refuse.
  const seconds = options.seconds ?? 7;
  const frequency = options.frequency ?? 440;
  const segmentSeconds = options.segmentSeconds ?? 2;
  const key = `fixture-sine-${frequency}hz-${seconds}s-${segmentSeconds}s`;
  const cached = join(tmpdir(), "cadence-fixture-media", key);
  if (!existsSync(cached)) {
    // Built aside and renamed into place, so an interrupted run never leaves a half-written fixture behind.
    mkdirSync(join(tmpdir(), "cadence-fixture-media"), { recursive: true });
    const building = mkdtempSync(join(tmpdir(), "cadence-fixture-media", `${key}.building-`));
    await transcode(building, { seconds, frequency, segmentSeconds });
    try {
      renameSync(building, cached);
    } catch {
      rmSync(building, { recursive: true, force: true }); // another run got there first
    }
  }
  const root = join(mediaDir, key);
  cpSync(cached, root, { recursive: true });
  return {
    key,
    durationMs: seconds * 1000,
    renditions: LADDER.map((r) => describe(root, key, r.id, r.codec)),
  };
}

async function transcode(
  root: string,
  { seconds, frequency, segmentSeconds }: { seconds: number; frequency: number; segmentSeconds: number },
): Promise<void> {
  const args = ["-hide_banner", "-loglevel", "error", "-y"];
  // A tone over quiet noise: a pure sine compresses so well that every rendition would have about the same bit rate.
  const outputs = LADDER.map((_, i) => `[o${i}]`).join("");
  args.push(
    "-filter_complex",
    `sine=f=${frequency}:d=${seconds}:r=44100[t];anoisesrc=c=white:a=0.2:d=${seconds}:r=44100[n];` +
      `[t][n]amix=inputs=2,aformat=channel_layouts=stereo,asplit=${LADDER.length}${outputs}`,
  );
  for (const [i, rendition] of LADDER.entries()) {
    const dir = join(root, rendition.id);
    mkdirSync(dir, { recursive: true });
    args.push("-map", `[o${i}]`, ...rendition.args);
    args.push("-f", "hls", "-hls_time", String(segmentSeconds), "-hls_playlist_type", "vod");
    args.push("-hls_segment_type", "fmp4", "-hls_fmp4_init_filename", "init.mp4");
    args.push("-hls_segment_filename", join(dir, "seg-%05d.m4s"), join(dir, "index.m3u8"));
  }
  await run("ffmpeg", args);
}

function describe(root: string, key: string, id: RenditionId, codec: string): EdgeRendition {
  const dir = join(root, id);
  const playlist = readFileSync(join(dir, "index.m3u8"), "utf8").split("\n");
  const segments: EdgeRendition["segments"] = [];
  for (let i = 0; i < playlist.length; i++) {
    const line = playlist[i]!;
    if (!line.startsWith("#EXTINF:")) continue;
    const uri = playlist[i + 1]!.trim();
    segments.push({ uri, duration: Number.parseFloat(line.slice(8)), bytes: statSync(join(dir, uri)).size });
  }
  const totalBits = segments.reduce((sum, s) => sum + s.bytes * 8, 0);
  const totalSeconds = segments.reduce((sum, s) => sum + s.duration, 0);
  const peak = Math.max(...segments.filter((s) => s.duration >= 0.5).map((s) => (s.bytes * 8) / s.duration));
  return {
    id,
    codec,
    bandwidth: Math.ceil(peak),
    averageBandwidth: Math.ceil(totalBits / totalSeconds),
    sampleRate: 44100,
    channels: 2,
    path: `${key}/${id}`,
    init: "init.mp4",
    targetDuration: Math.max(...segments.map((s) => Math.round(s.duration))),
    segments,
  };
}

/** An EdgeTrack for the media, playable worldwide by every tier unless overridden. */
export function sineEdgeTrack(media: SineMedia, overrides: Partial<EdgeTrack> & { id: string }): EdgeTrack {
  return {
    isrc: "ZZ-FIX-25-00001".replace(/-/g, ""),
    title: "Fixture sine",
    artist: "Cadence tests",
    releaseId: "fixture-release",
    genres: ["test"],
    durationMs: media.durationMs,
    loudnessLufs: -14,
    truePeakDbtp: -1,
    renditions: media.renditions,
    availability: {
      rules: [
        {
          territories: ["Worldwide"],
          excluded: [],
          tiers: ["free", "premium", "hifi"],
          useTypes: ["OnDemandStream"],
        },
      ],
    },
    version: 1,
    ...overrides,
  };
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("error", (err) => reject(new Error(`${command} could not start (${err.message}); install ffmpeg.`)));
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}: ${stderr.slice(-2000)}`)),
    );
  });
}
