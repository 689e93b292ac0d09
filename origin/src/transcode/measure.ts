/**
 * Measuring what ffmpeg wrote, never assuming it: loudness, true peak and sample count from its log, segment
 * durations from the media playlists, and from those and the file sizes the HLS peak and average segment bit rates
 * (RFC 8216bis 4.4.6).
 */

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
