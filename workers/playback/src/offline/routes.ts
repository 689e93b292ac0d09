/**
 * The offline-download routes (listener access token; docs/drm.md#offline-downloads): a download licence per track
 * and device, renewals, and the account's offline devices (list, remove). CORS admits the player's POST and DELETE.
 */
import { edgeAuth, redisFor } from "@cadence/shared/edge";
import { Hono } from "hono";
import { cors } from "hono/cors";
import type { AppEnv } from "../context";
import { playbackConfig } from "../core/config";
import { fromEdgeState } from "../core/edge-state";
import { listDevices, offlineTracks, removeDevice } from "./devices";
import { downloadLicense } from "./download-license";
import { offlineDevice } from "./ids";
import { renewDownloads } from "./renew";

export function offlineRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use(
    "/v1/offline/*",
    cors({
      origin: "*",
      allowMethods: ["GET", "POST", "DELETE", "OPTIONS"],
      allowHeaders: ["authorization", "content-type", "x-cadence-country", "x-cadence-continent"],
      exposeHeaders: ["x-request-id"],
      maxAge: 600,
    }),
  );
  app.use("/v1/offline/*", edgeAuth({ scopes: ["listener"] }));
  app.post("/v1/offline/devices/:device/tracks/:trackId", downloadLicense);
  app.post("/v1/offline/devices/:device/renew", renewDownloads);
  app.get("/v1/offline/devices", async (c) => {
    const claims = c.var.claims!;
    const redis = redisFor(c.env);
    const devices = await fromEdgeState(listDevices(redis, claims.sub));
    const counts = await fromEdgeState(
      Promise.all(devices.map(async (d) => Object.keys(await offlineTracks(redis, claims.sub, d)).length)),
    );
    const { maxDevices, maxTracksPerDevice } = playbackConfig(c.env).offline;
    return c.json({
      devices: devices.map((id, i) => ({ id, tracks: counts[i] })),
      limits: { devices: maxDevices, tracksPerDevice: maxTracksPerDevice },
    });
  });
  app.delete("/v1/offline/devices/:device", async (c) => {
    await fromEdgeState(removeDevice(redisFor(c.env), c.var.claims!.sub, offlineDevice(c.req.param("device"))));
    return c.body(null, 204);
  });
  return app;
}
