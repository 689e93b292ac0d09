/**
 * Steering when something is off: a malformed player report is answered and flagged `ignored`; a session that a
 * newer one ended, or that never existed, answers 410 `session-ended` (players stop steering); and with Redis
 * unreachable the session's last good manifest is served, and another session still gets a valid manifest.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { redisFor } from "@cadence/shared/edge";
import { createWorkerApp } from "@cadence/shared/worker-app";
import { Redis } from "@upstash/redis/cloudflare";
import { describe, expect, it } from "vitest";
import type { Env } from "../src/context";
import { signPlaybackToken } from "../src/core/playback-token";
import { steeringRoutes } from "../src/steering/manifest-route";
import { fetchPath, problemOf } from "./helpers";
import { type Manifest, manifestOf, startPlay, steeringUri } from "./steering-play";

describe("the steering manifest: refusals", () => {
  it("answers a malformed player report and flags it ignored", async () => {
    const p = await startPlay();
    const odd = await manifestOf(`${steeringUri(p)}&_HLS_pathway=akamai&_HLS_throughput=fast`);
    expect(odd.res.headers.get("x-steering-measurement")).toMatch(/^ignored: _HLS_throughput/);
  });

  it("answers 410 for a session a newer one ended, and for one that never existed", async () => {
    const sub = `listener-${crypto.randomUUID()}`;
    const first = await startPlay(sub);
    await startPlay(sub); // the tier allows one session: this ends the first
    const gone = await fetchPath(steeringUri(first));
    expect(gone.status).toBe(410);
    expect((await problemOf(gone)).code).toBe("session-ended");

    const sid = "NeverMintedSession0001";
    const pt = await signPlaybackToken(env.PLAYBACK_TOKEN_SECRET, {
      sid,
      sub,
      trk: "trk-none",
      dev: "device-1",
      rnd: ["aac-128"],
      exp: Math.floor(Date.now() / 1000) + 600,
    });
    expect((await fetchPath(`/v1/steering/${sid}?pt=${pt}`)).status).toBe(410);
  });
});

describe("when Redis cannot be reached", () => {
  it("serves the session's last good manifest, and a manifest from the last known state for others", async () => {
    let down = false;
    const unreachable = new Redis({ url: "http://127.0.0.1:9", token: "x", enableTelemetry: false, retry: false });
    const app = createWorkerApp<Env>("playback-test");
    app.route("/", steeringRoutes({ redis: (e) => (down ? unreachable : redisFor(e)) }));
    const call = async (path: string) => {
      const ctx = createExecutionContext();
      const res = await app.fetch(new Request(`http://playback.test${path}`), env, ctx);
      await waitOnExecutionContext(ctx);
      return res;
    };

    const p = await startPlay();
    const good = await call(steeringUri(p));
    expect(good.status).toBe(200);
    const goodBody = await good.json();

    down = true;
    const again = await call(steeringUri(p));
    expect(again.status).toBe(200);
    expect(again.headers.get("x-steering-source")).toBe("last-good");
    expect(await again.json()).toEqual(goodBody);

    down = false;
    const unseen = await startPlay();
    down = true;
    const fallback = await call(steeringUri(unseen));
    expect(fallback.status).toBe(200);
    const body = (await fallback.json()) as Manifest;
    expect(body.VERSION).toBe(1);
    expect(body["PATHWAY-PRIORITY"].length).toBeGreaterThanOrEqual(2);
  });
});
