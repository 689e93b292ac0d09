/**
 * The ladder's measurements: HLS bit rates as RFC 8216bis defines them, segment lengths without a sliver at the end,
 * and exact sample counts from lossless containers (stated) and lossy ones (counted while decoding).
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { segmentSeconds, transcodeLadder } from "../../src/transcode/ladder";
import { parseMeasurements, segmentBitRates } from "../../src/transcode/measure";
import { tempDir } from "../catalog/helpers";

const bin = { ffmpeg: "ffmpeg", ffprobe: "ffprobe" };

describe("segment bit rates (RFC 8216bis 4.4.6)", () => {
  it("average is all bytes over all time; peak is the densest run of 0.5-1.5 target durations", () => {
    const segments = [
      { duration: 6, bytes: 96_000 }, // 128 kbps
      { duration: 6, bytes: 192_000 }, // 256 kbps
      { duration: 2, bytes: 100_000 }, // 400 kbps, but only a third of the target: not a run on its own
    ];
    const { average, peak } = segmentBitRates(segments);
    expect(average).toBe(Math.ceil((388_000 * 8) / 14));
    expect(peak).toBe(Math.ceil((292_000 * 8) / 8)); // segments 2+3: 8 s, within 3..9 s
  });
});

describe("segment length", () => {
  it("divides a track into whole ~6 s segments", () => {
    expect(segmentSeconds(30)).toBeCloseTo(6.05, 2);
    expect(segmentSeconds(20)).toBeCloseTo(6.717, 2);
    expect(segmentSeconds(4)).toBeCloseTo(4.05, 2);
  });
});

describe("loudness and samples from ffmpeg's log", () => {
  it("prefers the container's stated sample count, else astats' count", () => {
    const log =
      "Number of samples: 1000\n[Parsed_ebur128_0] Summary:\n\n  Integrated loudness:\n    I:         -14.2 LUFS\n    Threshold: -24.2 LUFS\n\n  True peak:\n    Peak:       -1.3 dBFS\n";
    expect(parseMeasurements(log)).toEqual({ samples: 1000, loudnessLufs: -14.2, truePeakDbtp: -1.3 });
    expect(parseMeasurements(log, 441_000).samples).toBe(441_000);
    expect(() => parseMeasurements("nothing")).toThrow(/did not report/);
  });
});

describe("transcodeLadder", () => {
  it("counts samples exactly for WAV (stated) and MP3 (decoded), and ends without a sliver", async () => {
    const dir = tempDir();
    const wav = join(dir, "tone.wav");
    const mp3 = join(dir, "tone.mp3");
    execFileSync("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "sine=f=440:r=48000:d=9", "-ac", "2", wav]);
    execFileSync("ffmpeg", ["-v", "error", "-i", wav, "-c:a", "libmp3lame", "-b:a", "192k", mp3]);
    const fromWav = await transcodeLadder(bin, wav, join(dir, "wav"));
    expect(fromWav.durationSamples).toBe(9 * 48_000);
    expect(fromWav.durationMs).toBe(9_000);
    expect(fromWav.sampleRate).toBe(48_000);
    const fromMp3 = await transcodeLadder(bin, mp3, join(dir, "mp3"));
    expect(Math.abs(fromMp3.durationSamples - 9 * 48_000)).toBeLessThan(1152 * 2);
    for (const r of fromWav.renditions) {
      expect(r.segments.length).toBe(2);
      expect(r.segments.at(-1)!.duration).toBeGreaterThan(4);
    }
  }, 60_000);
});
