/**
 * Physical limits of a player's segment report, per rendition: a segment cannot hold more bytes than the rendition's
 * peak bitrate fills in the longest segment the packager writes (with headroom for container overhead and the init
 * segment), a first byte does not take longer than a player waits, and no listener's link moves audio faster than
 * a gigabit. A report outside them is a lie or a bug; either way it must not steer anyone (it is still stored).
 */
import type { RenditionId } from "../catalog/edge-track";

/** Peak bits per second a rendition's segments may carry (FLAC up to 24-bit/96 kHz stereo). */
export const RENDITION_PEAK_BPS: Record<RenditionId, number> = {
  "aac-128": 160_000,
  "aac-256": 320_000,
  "aac-320": 400_000,
  flac: 4_608_000,
};
/** The packager's segments are 6 s; allow for a longer final one. */
export const MAX_SEGMENT_SECONDS = 12;
/** fMP4 boxes, an init segment, rounding. */
export const SEGMENT_OVERHEAD_BYTES = 64 * 1024;
export const MAX_TTFB_MS = 30_000;
export const MAX_DOWNLOAD_MS = 120_000;
export const MAX_THROUGHPUT_BPS = 1_000_000_000;

export function maxSegmentBytes(rendition: RenditionId): number {
  return Math.ceil((RENDITION_PEAK_BPS[rendition] * MAX_SEGMENT_SECONDS) / 8) + SEGMENT_OVERHEAD_BYTES;
}

/** Why a segment report is physically implausible, or undefined. */
export function qoeSampleProblem(report: {
  rendition: RenditionId;
  bytes: number;
  ttfb_ms: number;
  download_ms: number;
}): string | undefined {
  const max = maxSegmentBytes(report.rendition);
  if (report.bytes > max) return `bytes ${report.bytes} exceed a ${report.rendition} segment (at most ${max})`;
  if (report.ttfb_ms > MAX_TTFB_MS) return `ttfb_ms above ${MAX_TTFB_MS}`;
  if (report.download_ms > MAX_DOWNLOAD_MS) return `download_ms above ${MAX_DOWNLOAD_MS}`;
  if (report.bytes > 0 && report.download_ms >= 0) {
    const bps = (report.bytes * 8 * 1000) / Math.max(report.download_ms, 1);
    if (bps > MAX_THROUGHPUT_BPS) return "faster than a gigabit link";
  }
  return undefined;
}
