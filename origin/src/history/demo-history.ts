/**
 * The demo's listening history, generated deterministically from a seed and imported through the backfill on first
 * start (so it obeys every intake rule): the last full calendar month and the current month to date, about 2,000
 * listeners across the demo countries and tiers. It is skewed the way real listening is: a few artists (the first
 * releases of the demo catalog) get most plays, a few listeners play most sessions, listeners repeat their favourite
 * tracks, about a fifth of plays are skipped before 30 s, free listeners hear an ad every few plays, and every
 * session reports the bytes it fetched from its CDN.
 */

import { demoCatalog } from "../catalog/demo/catalog";
import { trackIdOf } from "../catalog/model";

export interface DemoHistoryOptions {
  seed?: number;
  listeners?: number;
  /** "now": history ends here; it starts on the first day of the previous month. */
  now?: number;
  /** Campaign ids ads are attributed to (the ad server's demo campaign when it exists). */
  campaignIds?: string[];
}

const DAY = 86_400_000;
const COUNTRIES = [
  ["US", 30],
  ["DE", 20],
  ["GB", 15],
  ["FR", 10],
  ["BR", 10],
  ["SE", 8],
  ["JP", 7],
] as const;
const TIERS = [
  ["free", 55],
  ["premium", 35],
  ["hifi", 10],
] as const;
const CDNS = [
  ["cloudflare", 50],
  ["akamai", 30],
  ["cloudfront", 20],
] as const;
const RENDITION_BY_TIER = { free: ["aac-128", 128], premium: ["aac-256", 256], hifi: ["flac", 900] } as const;

/** mulberry32: small, fast and good enough for synthetic data; the same seed gives the same history. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function weighted<T>(random: () => number, table: ReadonlyArray<readonly [T, number]>): T {
  const total = table.reduce((n, [, w]) => n + w, 0);
  let pick = random() * total;
  for (const [value, w] of table) {
    pick -= w;
    if (pick < 0) return value;
  }
  return (table[table.length - 1] as readonly [T, number])[0];
}

function uuidFrom(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = "4";
  hex[16] = "89ab"[Math.floor(random() * 4)] as string;
  const h = hex.join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function historyWindow(now: number): { from: number; to: number } {
  const d = new Date(now);
  return { from: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1), to: now };
}

/** The history as NDJSON backfill lines, in chunks of about `chunkLines` lines, oldest day first. */
export function* demoHistoryChunks(options: DemoHistoryOptions = {}, chunkLines = 10_000): Generator<string> {
  const random = seededRandom(options.seed ?? 20_261_101);
  const now = options.now ?? Date.now();
  const { from } = historyWindow(now);
  const campaigns = options.campaignIds?.length ? options.campaignIds : ["cmp_demo_history"];
  // Artists by rank: the n-th release's tracks get a Zipf share 1/n^1.1 of plays.
  const releases = demoCatalog(new Date(now)).map((d) => d.spec.tracks.map((t) => trackIdOf(t.isrc)));
  const releaseWeights = releases.map((_, i) => [i, 1 / (i + 1) ** 1.1] as const);
  const listeners = Array.from({ length: options.listeners ?? 2000 }, (_, i) => {
    const u = random();
    return {
      id: `acc_demo_${String(i + 1).padStart(5, "0")}`,
      country: weighted(random, COUNTRIES),
      tier: weighted(random, TIERS),
      // A few listeners play most: daily activity 3 %..85 %, skewed low.
      activity: 0.03 + 0.82 * u ** 2.2,
      favourites: [] as string[],
    };
  });
  let lines: string[] = [];
  for (let day = from; day < now; day += DAY) {
    for (const listener of listeners) {
      if (random() > listener.activity) continue;
      const sessions = 1 + Math.floor(-Math.log(1 - random()) * 2);
      let at = day + Math.floor(random() * 20 * 3600_000);
      for (let s = 0; s < sessions && at < now; s++) {
        lines.push(...sessionLines(random, listener, at, releases, releaseWeights, campaigns));
        at += 4 * 60_000 + Math.floor(random() * 60 * 60_000);
      }
    }
    if (lines.length >= chunkLines) {
      yield `${lines.join("\n")}\n`;
      lines = [];
    }
  }
  if (lines.length) yield `${lines.join("\n")}\n`;
}

type Listener = { id: string; country: string; tier: "free" | "premium" | "hifi"; favourites: string[] };

function sessionLines(
  random: () => number,
  listener: Listener,
  at: number,
  releases: string[][],
  releaseWeights: ReadonlyArray<readonly [number, number]>,
  campaigns: string[],
): string[] {
  const context = {
    user_id: listener.id,
    tier: listener.tier,
    account_country: listener.country,
    country: listener.country,
  };
  // Repeat listening: a third of plays are one of the listener's favourites.
  let track: string;
  if (listener.favourites.length && random() < 0.33) {
    track = listener.favourites[Math.floor(random() * listener.favourites.length)] as string;
  } else {
    const release = releases[weighted(random, releaseWeights)] as string[];
    track = release[Math.floor(random() * release.length)] as string;
    if (listener.favourites.length < 8 && random() < 0.3) listener.favourites.push(track);
  }
  const session = `ses_hist_${uuidFrom(random).slice(0, 18)}`;
  const iso = (ms: number) => new Date(ms).toISOString();
  const line = (event: Record<string, unknown>) => JSON.stringify({ ...event, listener: context });
  const out: string[] = [];
  if (listener.tier === "free" && random() < 0.3) {
    const serving = `srv_hist_${uuidFrom(random).slice(0, 18)}`;
    const campaign = campaigns[Math.floor(random() * campaigns.length)] as string;
    const ad = { session_id: session, ad_serving_id: serving, campaign_id: campaign, creative_id: "crv_demo_history" };
    if (random() < 0.9) {
      out.push(line({ event_id: uuidFrom(random), type: "ad_impression", client_ts: iso(at), ...ad }));
      out.push(line({ event_id: uuidFrom(random), type: "ad_start", client_ts: iso(at + 200), ...ad }));
      if (random() < 0.85) {
        out.push(line({ event_id: uuidFrom(random), type: "ad_complete", client_ts: iso(at + 15_000), ...ad }));
      }
      at += 15_500;
    } else {
      out.push(line({ event_id: uuidFrom(random), type: "ad_not_used", client_ts: iso(at), ...ad }));
    }
  }
  const skipped = random() < 0.22;
  const msPlayed = skipped ? 2_000 + Math.floor(random() * 27_000) : 30_000 + Math.floor(random() * 200_000);
  const base = { session_id: session, track_id: track };
  out.push(line({ event_id: uuidFrom(random), type: "play_start", client_ts: iso(at), ...base }));
  if (skipped) {
    out.push(
      line({ event_id: uuidFrom(random), type: "skip", client_ts: iso(at + msPlayed), position_ms: msPlayed, ...base }),
    );
  }
  out.push(
    line({
      event_id: uuidFrom(random),
      type: "play_end",
      client_ts: iso(at + msPlayed + 50),
      ms_played: msPlayed,
      end_reason: skipped ? "skip_forward" : "completed",
      ...base,
    }),
  );
  const [rendition, kbps] = RENDITION_BY_TIER[listener.tier];
  out.push(
    line({
      event_id: uuidFrom(random),
      type: "qoe_segment",
      session_id: session,
      track_id: track,
      client_ts: iso(at + msPlayed),
      cdn: weighted(random, CDNS),
      rendition,
      bytes: Math.round((msPlayed / 1000) * kbps * 125),
      ttfb_ms: 20 + Math.floor(random() * 80),
      download_ms: 60 + Math.floor(random() * 300),
      http_status: 200,
    }),
  );
  return out;
}
