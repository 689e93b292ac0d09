/**
 * The advertiser service: campaigns (create, read, change, with advertiser isolation), creatives (upload, package,
 * store), and publishing every change to edge state. Built once per origin (services.ts), so routes, the demo seed
 * and tests share one instance.
 */
import { createHash, randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { Problem, problems } from "@cadence/shared/problem";
import type { Redis } from "@upstash/redis";
import { and, eq, inArray } from "drizzle-orm";
import type { Database } from "../db/client";
import { adCampaigns, adCreatives, advertisers } from "../db/schema";
import type { MediaStore } from "../media/store";
import type { Binaries } from "../transcode/ffmpeg";
import type { CreateCampaignInput, UpdateCampaignInput } from "./api-schema";
import { type AdvertiserCaller, ensureAdvertiserAccess } from "./caller";
import { CREATIVE_PACKAGING_VERSION, CreativeRejected, packageCreative } from "./creative-packager";
import { CampaignPublisher } from "./publisher";
import { type CampaignRow, type CreativeRow, edgeCampaignOf, targetingOf } from "./records";

/** Largest creative upload: a 30 s spot is a few MB even as WAV. */
export const MAX_CREATIVE_BYTES = 50 * 1024 * 1024;

const newId = (prefix: string) => `${prefix}_${randomBytes(10).toString("base64url").replace(/[-_]/g, "x")}`;

/** Runs at most `limit` jobs at once (ffmpeg packaging is CPU-bound). */
class Gate {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly limit: number) {}
  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((r) => this.waiting.push(r));
    this.running++;
    try {
      return await job();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}

export interface AdvertisersDeps {
  db: Database;
  redis: Redis;
  /** Where packaged creatives go, beside the catalog's audio. */
  store: MediaStore;
  bin: Binaries;
}

export class Advertisers {
  readonly publisher: CampaignPublisher;
  readonly db: Database;
  /** Edge state: campaigns are published to it and delivery counters read from it (reports). */
  readonly redis: Redis;
  readonly bin: Binaries;
  private readonly store: MediaStore;
  private readonly gate = new Gate(1);

  constructor(deps: AdvertisersDeps) {
    this.db = deps.db;
    this.redis = deps.redis;
    this.store = deps.store;
    this.bin = deps.bin;
    this.publisher = new CampaignPublisher(deps.redis);
  }

  async campaignFor(caller: AdvertiserCaller, id: string): Promise<CampaignRow> {
    const row = await this.db.query.adCampaigns.findFirst({ where: eq(adCampaigns.id, id) });
    if (!row) throw problems.notFound(`No campaign ${id}.`);
    ensureAdvertiserAccess(caller, row.advertiserId);
    return row;
  }

  async listCampaigns(caller: AdvertiserCaller, advertiserId?: string): Promise<CampaignRow[]> {
    if (advertiserId) ensureAdvertiserAccess(caller, advertiserId);
    const ids = advertiserId ? [advertiserId] : caller.ops ? undefined : caller.advertiserIds;
    return this.db
      .select()
      .from(adCampaigns)
      .where(ids ? inArray(adCampaigns.advertiserId, ids) : undefined)
      .orderBy(adCampaigns.createdAt);
  }

  /** The advertiser a new object belongs to: the one named (if the caller may), else the caller's only one. */
  private async ownerFor(caller: AdvertiserCaller, named: string | undefined) {
    const advertiserId = named ?? (caller.advertiserIds.length === 1 ? caller.advertiserIds[0] : undefined);
    if (!advertiserId) throw problems.badRequest("Say which advertiser this is for with `advertiser_id`.");
    ensureAdvertiserAccess(caller, advertiserId);
    const advertiser = await this.db.query.advertisers.findFirst({ where: eq(advertisers.id, advertiserId) });
    if (!advertiser) throw problems.notFound(`No advertiser ${advertiserId}.`);
    return advertiser;
  }

  private async checkCreatives(advertiserId: string, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const rows = await this.db
      .select({ id: adCreatives.id })
      .from(adCreatives)
      .where(and(eq(adCreatives.advertiserId, advertiserId), inArray(adCreatives.id, ids)));
    const found = new Set(rows.map((r) => r.id));
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length > 0) {
      throw problems.validation(`creative_ids: ${missing.join(", ")} are not creatives of this advertiser.`, [
        { path: "body.creative_ids", message: `unknown creatives: ${missing.join(", ")}` },
      ]);
    }
  }

  private static checkCampaign(c: {
    flightStart: number;
    flightEnd: number;
    dailyBudgetMinor: number | null;
    totalBudgetMinor: number;
  }) {
    const errors: Array<{ path: string; message: string }> = [];
    if (c.flightEnd <= c.flightStart) errors.push({ path: "body.flight_end", message: "must be after flight_start" });
    if (c.dailyBudgetMinor !== null && c.dailyBudgetMinor > c.totalBudgetMinor)
      errors.push({ path: "body.daily_budget_minor", message: "cannot exceed total_budget_minor" });
    if (errors.length > 0) throw problems.validation(`${errors[0]!.path}: ${errors[0]!.message}`, errors);
  }

  async createCampaign(caller: AdvertiserCaller, input: CreateCampaignInput): Promise<CampaignRow> {
    const advertiser = await this.ownerFor(caller, input.advertiser_id);
    const fields = {
      flightStart: Date.parse(input.flight_start),
      flightEnd: Date.parse(input.flight_end),
      dailyBudgetMinor: input.daily_budget_minor,
      totalBudgetMinor: input.total_budget_minor,
    };
    Advertisers.checkCampaign(fields);
    await this.checkCreatives(advertiser.id, input.creative_ids);
    const [row] = await this.db
      .insert(adCampaigns)
      .values({
        id: newId("cmp"),
        advertiserId: advertiser.id,
        name: input.name,
        status: input.status,
        ...fields,
        cpmMinor: input.cpm_minor,
        priority: input.priority,
        weight: input.weight,
        pacing: input.pacing,
        targeting: targetingOf(input.targeting),
        frequencyCaps: input.frequency_caps.map((f) => ({ count: f.count, windowSeconds: f.window_seconds })),
        category: input.category?.toLowerCase() ?? null,
        advertiserDomain: input.advertiser_domain ?? advertiser.domain,
        creativeIds: [...new Set(input.creative_ids)],
      })
      .returning();
    await this.publish([row!]);
    return row!;
  }

  async updateCampaign(caller: AdvertiserCaller, id: string, input: UpdateCampaignInput): Promise<CampaignRow> {
    const current = await this.campaignFor(caller, id);
    const next = {
      name: input.name ?? current.name,
      status: input.status ?? current.status,
      flightStart: input.flight_start ? Date.parse(input.flight_start) : current.flightStart,
      flightEnd: input.flight_end ? Date.parse(input.flight_end) : current.flightEnd,
      totalBudgetMinor: input.total_budget_minor ?? current.totalBudgetMinor,
      dailyBudgetMinor: input.daily_budget_minor !== undefined ? input.daily_budget_minor : current.dailyBudgetMinor,
      cpmMinor: input.cpm_minor ?? current.cpmMinor,
      priority: input.priority ?? current.priority,
      weight: input.weight ?? current.weight,
      pacing: input.pacing ?? current.pacing,
      targeting: input.targeting ? targetingOf(input.targeting) : current.targeting,
      frequencyCaps: input.frequency_caps
        ? input.frequency_caps.map((f) => ({ count: f.count, windowSeconds: f.window_seconds }))
        : current.frequencyCaps,
      category: input.category !== undefined ? (input.category?.toLowerCase() ?? null) : current.category,
      advertiserDomain: input.advertiser_domain ?? current.advertiserDomain,
      creativeIds: input.creative_ids ? [...new Set(input.creative_ids)] : current.creativeIds,
    };
    Advertisers.checkCampaign(next);
    if (input.creative_ids) await this.checkCreatives(current.advertiserId, input.creative_ids);
    const [row] = await this.db
      .update(adCampaigns)
      .set({ ...next, version: current.version + 1, updatedAt: Date.now() })
      .where(eq(adCampaigns.id, id))
      .returning();
    await this.publish([row!]);
    return row!;
  }

  /** Publishes campaigns to edge state; a failure is a 503 the caller can retry (the change itself is saved). */
  async publish(rows: CampaignRow[]): Promise<void> {
    const creativeIds = [...new Set(rows.flatMap((r) => r.creativeIds as string[]))];
    const creatives = creativeIds.length
      ? await this.db.select().from(adCreatives).where(inArray(adCreatives.id, creativeIds))
      : [];
    try {
      await this.publisher.publish(rows.map((r) => ({ id: r.id, campaign: edgeCampaignOf(r, creatives) })));
    } catch (err) {
      throw new Problem(
        "edge-publish-failed",
        "Saved, but edge state is unreachable; the change reaches the edge when the origin next starts or on your next change.",
        {
          cause: err,
          headers: { "retry-after": "5" },
        },
      );
    }
  }

  /** Publishes every campaign (origin start-up: edge state may have been lost or be behind). */
  async publishAll(): Promise<number> {
    const rows = await this.db.select().from(adCampaigns);
    if (rows.length > 0) await this.publish(rows);
    return rows.length;
  }

  async listCreatives(caller: AdvertiserCaller, advertiserId?: string): Promise<CreativeRow[]> {
    if (advertiserId) ensureAdvertiserAccess(caller, advertiserId);
    const ids = advertiserId ? [advertiserId] : caller.ops ? undefined : caller.advertiserIds;
    return this.db
      .select()
      .from(adCreatives)
      .where(ids ? inArray(adCreatives.advertiserId, ids) : undefined)
      .orderBy(adCreatives.createdAt);
  }

  async creativeFor(caller: AdvertiserCaller, id: string): Promise<CreativeRow> {
    const row = await this.db.query.adCreatives.findFirst({ where: eq(adCreatives.id, id) });
    if (!row) throw problems.notFound(`No creative ${id}.`);
    ensureAdvertiserAccess(caller, row.advertiserId);
    return row;
  }

  /**
   * Stores the uploaded audio, packages it (ffmpeg) and puts every file into the media store under a
   * content-addressed path. Rejections (not audio, wrong length, too large) are 4xx that say what to fix.
   */
  async uploadCreative(
    caller: AdvertiserCaller,
    options: { advertiserId?: string; name: string },
    body: ReadableStream<Uint8Array>,
  ): Promise<CreativeRow> {
    const advertiser = await this.ownerFor(caller, options.advertiserId);
    const work = await mkdtemp(join(tmpdir(), "cadence-creative-"));
    try {
      const source = join(work, "source");
      const hash = createHash("sha256");
      let size = 0;
      const counter = new Transform({
        transform(chunk: Buffer, _enc, done) {
          size += chunk.length;
          if (size > MAX_CREATIVE_BYTES)
            return done(new Problem("creative-too-large", `A creative upload is at most ${MAX_CREATIVE_BYTES} bytes.`));
          hash.update(chunk);
          done(null, chunk);
        },
      });
      await pipeline(Readable.fromWeb(body as never), counter, createWriteStream(source));
      if (size === 0) throw problems.badRequest("The upload is empty: send the audio file as the request body.");
      const sha = hash.digest("hex");
      const out = join(work, "out");
      const packaged = await this.gate
        .run(() => packageCreative(this.bin, source, out))
        .catch((err: unknown) => {
          if (err instanceof CreativeRejected) throw new Problem(`creative-${err.reason}`, err.message);
          throw err;
        });
      const mediaPath = `ads/${sha.slice(0, 32)}-${CREATIVE_PACKAGING_VERSION}`;
      for (const file of packaged.files) await this.store.putFile(`${mediaPath}/${file}`, join(out, file));
      const [row] = await this.db
        .insert(adCreatives)
        .values({
          id: newId("cr"),
          advertiserId: advertiser.id,
          name: options.name,
          universalAdId: `CAD${randomBytes(6).toString("hex").toUpperCase()}`,
          durationMs: packaged.durationMs,
          sourceLoudnessCentiLufs: Math.round(packaged.sourceLoudnessLufs * 100),
          loudnessCentiLufs: Math.round(packaged.loudnessLufs * 100),
          truePeakCentiDbtp: Math.round(packaged.truePeakDbtp * 100),
          mediaPath,
          media: { mediaFiles: packaged.mediaFiles, mezzanine: packaged.mezzanine, hls: packaged.hls },
          sourceSha256: sha,
        })
        .returning();
      return row!;
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }
}
