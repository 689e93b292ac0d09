/**
 * Advertisers at origin start-up: every campaign is published to edge state again (Redis may have been flushed or
 * be behind), and in development the demo advertiser gets a real demo spot, a 15 s voice-over with a chime made by
 * ffmpeg's synthetic sources (flite speech, sine tones), packaged like any upload, and a campaign that serves it to
 * free listeners, so the free demo account hears an ad before the music.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Logger } from "@cadence/shared/log";
import { and, eq } from "drizzle-orm";
import type { OriginConfig } from "../config";
import { adCampaigns } from "../db/schema";
import { DEMO_ADVERTISER_ID } from "../seed/demo-accounts";
import { run } from "../transcode/ffmpeg";
import type { AdvertiserCaller } from "./caller";
import type { Advertisers } from "./service";

export const DEMO_CAMPAIGN_NAME = "Cadence Premium (demo)";
const SEED_CALLER: AdvertiserCaller = { ops: true, advertiserIds: [], sub: "seed" };
const DAY = 86_400_000;

/** A 15 s spot: a three-note chime, the voice-over, a closing chime; 44.1 kHz stereo WAV. */
export async function makeDemoSpot(ffmpeg: string, file: string): Promise<void> {
  const text = "Enjoying Cadence? Go Premium for music without ads, in lossless quality. Try it free today.";
  await run(ffmpeg, [
    "-hide_banner",
    "-nostdin",
    "-nostats",
    "-y",
    "-f",
    "lavfi",
    "-i",
    `flite=text='${text}':voice=slt`,
    "-f",
    "lavfi",
    "-i",
    "sine=frequency=659:duration=0.25",
    "-f",
    "lavfi",
    "-i",
    "sine=frequency=784:duration=0.25",
    "-f",
    "lavfi",
    "-i",
    "sine=frequency=1047:duration=0.6",
    "-filter_complex",
    "[1:a][2:a][3:a]concat=n=3:v=0:a=1,aresample=44100,afade=t=out:st=0.9:d=0.2,asplit=2[c1][c2];" +
      "[0:a]aresample=44100,adelay=1300|1300[v];" +
      "[c2]adelay=12500|12500[c3];" +
      "[c1][v][c3]amix=inputs=3:duration=longest:normalize=0,apad",
    "-t",
    "15",
    "-ar",
    "44100",
    "-ac",
    "2",
    file,
  ]);
}

async function seedDemoCampaign(advertisers: Advertisers, log: Logger): Promise<void> {
  const existing = await advertisers.db.query.adCampaigns.findFirst({
    where: and(eq(adCampaigns.advertiserId, DEMO_ADVERTISER_ID), eq(adCampaigns.name, DEMO_CAMPAIGN_NAME)),
  });
  if (existing) return;
  const work = await mkdtemp(join(tmpdir(), "cadence-demo-spot-"));
  try {
    const file = join(work, "demo-spot.wav");
    await makeDemoSpot(advertisers.bin.ffmpeg, file);
    const bytes = await readFile(file);
    const creative = await advertisers.uploadCreative(
      SEED_CALLER,
      { advertiserId: DEMO_ADVERTISER_ID, name: "Go Premium (15 s)" },
      new Blob([bytes]).stream(),
    );
    const now = Date.now();
    await advertisers.createCampaign(SEED_CALLER, {
      advertiser_id: DEMO_ADVERTISER_ID,
      name: DEMO_CAMPAIGN_NAME,
      status: "active",
      flight_start: new Date(now - DAY).toISOString(),
      flight_end: new Date(now + 365 * DAY).toISOString(),
      total_budget_minor: 10_000_000,
      daily_budget_minor: 100_000,
      cpm_minor: 2_000,
      priority: "house",
      weight: 1,
      pacing: "even",
      targeting: { countries: [], tiers: ["free"], genres: [], dayparts: [], device_types: [] },
      frequency_caps: [{ count: 30, window_seconds: 86_400 }],
      category: "music streaming",
      advertiser_domain: undefined,
      creative_ids: [creative.id],
    });
    log.info("seeded the demo ad campaign", { creative: creative.id });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Start-up work of the ad system; never blocks or fails the origin's start. */
export async function startAdvertisers(
  advertisers: Advertisers,
  config: Pick<OriginConfig, "CADENCE_ENV">,
  log: Logger,
): Promise<void> {
  try {
    if (config.CADENCE_ENV === "development") await seedDemoCampaign(advertisers, log);
    const published = await advertisers.publishAll();
    if (published > 0) log.info("published ad campaigns to edge state", { campaigns: published });
  } catch (err) {
    log.warn("ad campaigns could not be seeded or published", { err });
  }
}
