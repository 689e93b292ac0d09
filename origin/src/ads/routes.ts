/**
 * The advertiser API at the origin, reached through the api worker (`/v1/advertiser/...`): campaigns, creatives and
 * reports. Advertiser tokens see and change only their own advertiser's objects (403 otherwise); ops sees all.
 */
import { parseWith, readJson } from "@cadence/shared/http";
import { Problem, problems } from "@cadence/shared/problem";
import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import type { OriginEnv } from "../context";
import { createCampaignSchema, reportQuerySchema, updateCampaignSchema } from "./api-schema";
import { advertiserCaller, type CallerAuth } from "./caller";
import { campaignJson, creativeJson } from "./records";
import { campaignReport } from "./reports";
import { type Advertisers, MAX_CREATIVE_BYTES } from "./service";

const listQuery = z.object({ advertiser_id: z.string().min(1).max(64).optional() }).strict();
const uploadQuery = z
  .object({
    name: z.string().trim().min(1, "name is required").max(200),
    advertiser_id: z.string().min(1).max(64).optional(),
  })
  .strict();
const AUDIO_TYPES = /^(audio\/[a-z0-9.+-]+|application\/octet-stream)$/i;

export function adsRoutes(ads: Advertisers, auth: CallerAuth): Hono<OriginEnv> {
  const app = new Hono<OriginEnv>();
  const callerOf = (c: Context<OriginEnv>) => advertiserCaller(c, auth);

  app.get("/v1/advertiser/campaigns", async (c) => {
    const caller = await callerOf(c);
    const { advertiser_id } = parseWith(listQuery, c.req.query(), "query");
    const rows = await ads.listCampaigns(caller, advertiser_id);
    return c.json({ campaigns: rows.map(campaignJson) });
  });

  app.post("/v1/advertiser/campaigns", async (c) => {
    const caller = await callerOf(c);
    const input = await readJson(c, createCampaignSchema);
    const row = await ads.createCampaign(caller, input);
    return c.json(campaignJson(row), 201, { location: `/v1/advertiser/campaigns/${row.id}` });
  });

  app.get("/v1/advertiser/campaigns/:id", async (c) => {
    const caller = await callerOf(c);
    return c.json(campaignJson(await ads.campaignFor(caller, c.req.param("id"))));
  });

  app.patch("/v1/advertiser/campaigns/:id", async (c) => {
    const caller = await callerOf(c);
    const input = await readJson(c, updateCampaignSchema);
    if (Object.keys(input).length === 0) throw problems.badRequest("Send at least one field to change.");
    return c.json(campaignJson(await ads.updateCampaign(caller, c.req.param("id"), input)));
  });

  app.get("/v1/advertiser/campaigns/:id/report", async (c) => {
    const caller = await callerOf(c);
    const query = parseWith(reportQuerySchema, c.req.query(), "query");
    const row = await ads.campaignFor(caller, c.req.param("id"));
    c.header("cache-control", "private, no-store");
    return c.json(await campaignReport(ads.redis, row, query));
  });

  app.get("/v1/advertiser/creatives", async (c) => {
    const caller = await callerOf(c);
    const { advertiser_id } = parseWith(listQuery, c.req.query(), "query");
    const rows = await ads.listCreatives(caller, advertiser_id);
    return c.json({ creatives: rows.map(creativeJson) });
  });

  app.get("/v1/advertiser/creatives/:id", async (c) => {
    const caller = await callerOf(c);
    return c.json(creativeJson(await ads.creativeFor(caller, c.req.param("id"))));
  });

  /** Upload: the audio file is the body (`content-type: audio/...`), `?name=` names the creative. */
  app.post("/v1/advertiser/creatives", async (c) => {
    const caller = await callerOf(c);
    const query = parseWith(uploadQuery, c.req.query(), "query");
    const type = c.req.header("content-type") ?? "";
    if (!AUDIO_TYPES.test(type.split(";")[0]!.trim())) {
      throw new Problem(
        "unsupported-media-type",
        "Send the audio file as the body with `content-type: audio/<type>` (e.g. audio/wav, audio/mpeg).",
      );
    }
    const length = Number(c.req.header("content-length") ?? 0);
    if (length > MAX_CREATIVE_BYTES)
      throw new Problem("creative-too-large", `A creative upload is at most ${MAX_CREATIVE_BYTES} bytes.`);
    if (!c.req.raw.body) throw problems.badRequest("The upload is empty: send the audio file as the request body.");
    const row = await ads.uploadCreative(
      caller,
      { advertiserId: query.advertiser_id, name: query.name },
      c.req.raw.body,
    );
    return c.json(creativeJson(row), 201, { location: `/v1/advertiser/creatives/${row.id}` });
  });

  return app;
}
