/**
 * `GET|POST /v1/license/{session}/{keyId}?pt=<playback token>[&keyformat=]`: the licence path, the `#EXT-X-KEY` URI
 * of every encrypted media playlist. The rule (grant.ts) decides; the abuse limits (deliveries.ts) count the delivery
 * per session and account and refuse unusual patterns with 429 and Retry-After; the provider for the key format
 * (providers/registry.ts, default `identity` = AES-128) answers the licence. Refusals are counted per problem code,
 * abuse is logged and recorded for the fraud report, and a provider failure is a 500 (ours), never a leak.
 */
import { redisFor } from "@cadence/shared/edge";
import { Problem, problems } from "@cadence/shared/problem";
import { Hono } from "hono";
import type { AppEnv } from "../context";
import { playbackConfig } from "../core/config";
import { fromEdgeState } from "../core/edge-state";
import { playerCors } from "../core/player-cors";
import { countDelivery, recordRefusal, reportAbuse } from "./deliveries";
import { grantLicense } from "./grant";
import { LICENSE_PROVIDERS } from "./providers/registry";

export function licenseRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use("/v1/license/*", playerCors());
  app.on(["GET", "POST"], "/v1/license/:sessionId/:keyId", async (c) => {
    const config = playbackConfig(c.env);
    const now = Date.now();
    const redis = redisFor(c.env);
    const keyFormat = c.req.query("keyformat") ?? "identity";
    const provider = LICENSE_PROVIDERS.get(keyFormat);
    if (!provider) {
      throw problems.badRequest(`keyformat must be one of ${[...LICENSE_PROVIDERS.keys()].join(", ")}.`);
    }
    try {
      const ask = {
        sessionId: c.req.param("sessionId"),
        keyId: c.req.param("keyId"),
        playbackToken: c.req.query("pt"),
      };
      const grant = await grantLicense(redis, c.env.PLAYBACK_TOKEN_SECRET, ask, now);
      const { session } = grant;
      const outcome = await fromEdgeState(
        countDelivery(redis, config.license, {
          sessionId: session.id,
          sub: session.sub,
          trackId: session.trackId,
          deviceId: session.deviceId,
          sessionExpiresAt: session.expiresAt,
          now,
        }),
      );
      if (!outcome.ok) {
        const signal = {
          at: now,
          sub: session.sub,
          session: session.id,
          device: session.deviceId,
          limit: outcome.limit,
        };
        c.var.log.warn("licence abuse limit reached", signal);
        c.executionCtx.waitUntil(reportAbuse(redis, signal).catch(() => undefined));
        throw new Problem("rate-limited", LIMIT_DETAIL[outcome.limit], {
          headers: { "retry-after": String(outcome.retryAfterSeconds) },
          extensions: { limit: outcome.limit },
        });
      }
      return await provider.license(grant, c.req.raw, c.env);
    } catch (err) {
      if (err instanceof Problem && err.status < 500) {
        c.executionCtx.waitUntil(recordRefusal(redis, err.code, now).catch(() => undefined));
      }
      throw err;
    }
  });
  return app;
}

const LIMIT_DETAIL = {
  session: "This session has fetched its keys too many times; request a new master playlist.",
  tracks: "Too many different tracks' keys for this account this hour; retry after the Retry-After seconds.",
  devices: "Too many devices fetched keys for this account today; retry after the Retry-After seconds.",
} as const;
