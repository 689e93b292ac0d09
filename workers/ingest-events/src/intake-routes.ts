/**
 * `POST /v1/events`: a listener's app sends events with its access token. `POST /v1/internal/events/server`: another
 * worker (the ads worker's tracking beacons) sends events on a listener's behalf with the edge's service token; the
 * account is then taken from the playback session each event names. Both answer per event (accepted, duplicate,
 * rejected with the reason); if the queue refused some, the answer is a retryable 503 that still says which were
 * accepted.
 */
import { edgeAuth, redisFor } from "@cadence/shared/edge";
import { Problem, problems } from "@cadence/shared/problem";
import { requestGeo } from "@cadence/shared/trust/geo";
import { requireServiceToken } from "@cadence/shared/trust/service-call";
import type { Context } from "hono";
import { Hono } from "hono";
import { bodyFormat, readLimitedBody, splitEvents } from "./body";
import { PENDING_CLAIM_SECONDS } from "./claim";
import type { AppEnv } from "./context";
import { intake, type RequestOrigin, type Sender } from "./intake";
import { feedSteering, qoeSamplesOf } from "./qoe";

/** Intake for other workers (internal: service token only). */
export const SERVER_EVENTS_PATH = "/v1/internal/events/server";

/** Where the request came from (request.cf); what Cloudflare does not know is null, never a made-up value. */
function requestOrigin(request: Request): RequestOrigin {
  const geo = requestGeo(request);
  return {
    country: geo.country !== "XX" ? geo.country : null,
    continent: geo.continent !== "XX" ? geo.continent : null,
    colo: geo.colo ?? null,
    asn: geo.asn ?? null,
  };
}

async function handle<E extends AppEnv>(c: Context<E>, sender: Sender): Promise<Response> {
  const format = bodyFormat(c.req.header("content-type"));
  const raw = splitEvents(await readLimitedBody(c.req.raw), format);
  const where = requestOrigin(c.req.raw);
  const redis = redisFor(c.env);
  const outcome = await intake(
    {
      redis,
      queue: c.env.EVENTS_QUEUE,
      log: c.var.log,
    },
    raw,
    sender,
    where,
    c.var.requestId,
  );
  const qoe = qoeSamplesOf(outcome.queued, where, outcome.sessions);
  if (qoe.samples.length || qoe.ignored.length) c.executionCtx.waitUntil(feedSteering(redis, qoe, c.var.log));
  const summary = {
    accepted: outcome.accepted,
    duplicate: outcome.duplicate,
    rejected: outcome.rejected,
    retry: outcome.retry,
    results: outcome.results,
  };
  c.header("cache-control", "no-store");
  if (outcome.retry > outcome.inFlight) {
    throw new Problem(
      "events-queue-unavailable",
      `The queue refused ${outcome.retry - outcome.inFlight} of the events (status "retry"); send those again shortly. The others were answered as listed.`,
      { headers: { "retry-after": "2" }, extensions: summary },
    );
  }
  if (outcome.inFlight > 0) {
    throw new Problem(
      "events-in-flight",
      `${outcome.inFlight} of the events are still being queued by an earlier request with the same event ids (status "retry"); send those again after Retry-After (an earlier request that died lets go within ${PENDING_CLAIM_SECONDS} s). The others were answered as listed.`,
      // The earlier request normally finishes in milliseconds; one killed mid-way frees its claim within
      // PENDING_CLAIM_SECONDS, so a client retrying every 2 s gets the events in within that.
      { headers: { "retry-after": "2" }, extensions: summary },
    );
  }
  return c.json(summary);
}

export function intakeRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.post("/v1/events", edgeAuth(), (c) => {
    const claims = c.var.claims;
    if (!claims) throw problems.internal(new Error("auth middleware set no claims"));
    return handle(c, { source: "client", claims });
  });

  app.post(SERVER_EVENTS_PATH, (c) => {
    requireServiceToken(c.req.raw.headers, c.env.SERVICE_TOKEN);
    return handle(c, { source: "server" });
  });

  return app;
}
