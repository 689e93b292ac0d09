/**
 * The entitled bitrate ladder: which of a track's renditions a listener gets (tier x what the device decodes), and
 * which one the player should start on (network hints).
 *
 * Tiers: free gets AAC 128; premium AAC up to 320; hifi everything including FLAC.
 * Device: the player says what it decodes with `codecs=aac,flac` (codec families); without it we assume the whole
 * ladder, because hls.js drops variants whose CODECS its MediaSource cannot play, and native HLS players do the same.
 * Start: Save-Data, ECT, Downlink and RTT client hints and the edge's TCP RTT give a bit-rate budget; the start
 * rendition is the highest allowed one whose peak BANDWIDTH fits it (the lowest when none fits).
 */
import type { Tier } from "@cadence/shared/auth/claims";
import type { EdgeRendition, RenditionId } from "@cadence/shared/catalog/edge-track";

export const TIER_LADDER: Record<Tier, readonly RenditionId[]> = {
  free: ["aac-128"],
  premium: ["aac-128", "aac-256", "aac-320"],
  hifi: ["aac-128", "aac-256", "aac-320", "flac"],
};

export const CODEC_FAMILIES = ["aac", "flac"] as const;
export type CodecFamily = (typeof CODEC_FAMILIES)[number];

export function codecFamilyOf(rendition: Pick<EdgeRendition, "codec">): CodecFamily | undefined {
  const codec = rendition.codec.toLowerCase();
  if (codec.startsWith("mp4a.")) return "aac";
  if (codec === "flac") return "flac";
  return undefined;
}

/** Parses `codecs=aac,flac`; `undefined` = not sent; a string = what is wrong with it. */
export function parseDeviceCodecs(value: string | undefined): CodecFamily[] | undefined | string {
  if (value === undefined) return undefined;
  const families = value
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const unknown = families.filter((f) => !(CODEC_FAMILIES as readonly string[]).includes(f));
  if (families.length === 0 || unknown.length > 0) {
    return `codecs must list codec families the device decodes, from ${CODEC_FAMILIES.join(", ")} (got "${value}").`;
  }
  return families as CodecFamily[];
}

/** The track's renditions this tier and device may play, highest bandwidth first. */
export function allowedRenditions(
  renditions: readonly EdgeRendition[],
  tier: Tier,
  device: readonly CodecFamily[] | undefined,
): EdgeRendition[] {
  const ladder = TIER_LADDER[tier];
  return renditions
    .filter((r) => ladder.includes(r.id))
    .filter((r) => {
      const family = codecFamilyOf(r);
      return family !== undefined && (device === undefined || device.includes(family));
    })
    .sort((a, b) => b.bandwidth - a.bandwidth);
}

export interface NetworkHints {
  saveData: boolean;
  /** Effective connection type: slow-2g, 2g, 3g, 4g. */
  ect?: string;
  /** Mbit/s. */
  downlinkMbps?: number;
  /** Application-layer RTT from the RTT hint, ms. */
  rttMs?: number;
  /** TCP RTT the edge measured (request.cf.clientTcpRtt), ms; 0 means unknown. */
  tcpRttMs?: number;
}

// Downlink each ECT stands for (the Network Information API's thresholds), bits/s.
const ECT_BITRATE: Record<string, number> = { "slow-2g": 50_000, "2g": 70_000, "3g": 700_000, "4g": Infinity };
/** Only this share of the measured throughput is budgeted for audio, so segments arrive ahead of playback. */
const SAFETY = 0.8;

/** Bits per second the start rendition may use. */
export function bitrateBudget(hints: NetworkHints): number {
  if (hints.saveData) return 0;
  let budget = Infinity;
  if (hints.ect && ECT_BITRATE[hints.ect] !== undefined) budget = Math.min(budget, ECT_BITRATE[hints.ect]! * SAFETY);
  if (hints.downlinkMbps !== undefined && hints.downlinkMbps > 0) {
    budget = Math.min(budget, hints.downlinkMbps * 1_000_000 * SAFETY);
  }
  // A long round trip makes every segment request slow to start: treat it like the ECT it corresponds to.
  const rtt = Math.max(hints.rttMs ?? 0, hints.tcpRttMs ?? 0);
  if (rtt >= 1400) budget = Math.min(budget, ECT_BITRATE["2g"]! * SAFETY);
  else if (rtt >= 270) budget = Math.min(budget, ECT_BITRATE["3g"]! * SAFETY);
  return budget;
}

/** The rendition to list first: the highest whose peak bandwidth fits the budget, else the lowest. */
export function startRendition(allowed: readonly EdgeRendition[], hints: NetworkHints): EdgeRendition | undefined {
  const budget = bitrateBudget(hints);
  const byBandwidth = [...allowed].sort((a, b) => b.bandwidth - a.bandwidth);
  return byBandwidth.find((r) => r.bandwidth <= budget) ?? byBandwidth[byBandwidth.length - 1];
}

/** Reads the client hints (and the edge's TCP RTT) from a request. */
export function networkHints(headers: Headers, tcpRttMs: number | undefined): NetworkHints {
  const number = (name: string) => {
    const value = headers.get(name);
    if (value === null) return undefined;
    const n = Number(value.trim());
    return Number.isFinite(n) && n >= 0 ? n : undefined;
  };
  return {
    saveData: (headers.get("save-data") ?? "").trim().toLowerCase() === "on",
    ect: headers.get("ect")?.trim().toLowerCase() || undefined,
    downlinkMbps: number("downlink"),
    rttMs: number("rtt"),
    tcpRttMs: tcpRttMs && tcpRttMs > 0 ? tcpRttMs : undefined,
  };
}

/** Sent on playback responses so Chromium includes the hints on the next request. */
export const ACCEPT_CH = "Save-Data, ECT, Downlink, RTT";
