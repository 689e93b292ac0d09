/**
 * The playback token of media playlist URLs: missing (401), forged or tampered (403) and expired (410) tokens are
 * refused, and a token opens only the session it was issued for: not another track's, device's or session's
 * (403 `token-wrong-session`, with `mismatch` naming what differs).
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { signPlaybackToken } from "../src/core/playback-token";
import { fetchPath, listenerToken, play, problemOf, publishTrack, tokenOf, withToken } from "./helpers";

describe("the playback token", () => {
  it("rejects a missing (401), forged (403) and expired (410) token", async () => {
    const track = await publishTrack();
    const { media } = await play(track.id, { token: await listenerToken() });
    const uri = media.get("aac-128/cloudflare")!;
    const missing = await fetchPath(uri.slice(0, uri.indexOf("?")));
    expect(missing.status).toBe(401);

    const [payload, signature] = tokenOf(uri).split(".");
    const claims = JSON.parse(atob(payload!.replace(/-/g, "+").replace(/_/g, "/")));
    const upgraded = btoa(JSON.stringify({ ...claims, rnd: ["aac-128", "flac"] }))
      .replace(/\+/g, "-")
      .replace(/\//g, "_")
      .replace(/=+$/, "");
    const tampered = await fetchPath(withToken(uri, `${upgraded}.${signature}`));
    expect(tampered.status).toBe(403);
    expect((await problemOf(tampered)).code).toBe("playback-token-invalid");
    const otherKey = await signPlaybackToken("not-the-secret", claims);
    expect((await fetchPath(withToken(uri, otherKey))).status).toBe(403);

    const expired = await signPlaybackToken(env.PLAYBACK_TOKEN_SECRET, {
      ...claims,
      exp: Math.floor(Date.now() / 1000) - 1,
    });
    const res = await fetchPath(withToken(uri, expired));
    expect(res.status).toBe(410);
    expect((await problemOf(res)).code).toBe("playback-token-expired");
  });

  it("does not let a token of one track open another track's session (replay across tracks)", async () => {
    const sub = `listener-${crypto.randomUUID()}`;
    const [first, second] = [await publishTrack(), await publishTrack()];
    const a = await play(first.id, { token: await listenerToken({ sub }), device: "phone" });
    // A second account plays the other track, so the first session stays live.
    const b = await play(second.id, { token: await listenerToken(), device: "phone" });
    const replay = withToken(b.media.get("aac-128/akamai")!, tokenOf(a.media.get("aac-128/akamai")!));
    const res = await fetchPath(replay);
    expect(res.status).toBe(403);
    const problem = await problemOf(res);
    expect(problem.code).toBe("token-wrong-session");
    expect(problem.mismatch).toMatch(/^(listener|track)$/);
  });

  it("does not let a token of one device open another device's session", async () => {
    const sub = `listener-${crypto.randomUUID()}`;
    const track = await publishTrack();
    const onPhone = await play(track.id, { token: await listenerToken({ sub }), device: "phone" });
    const onLaptop = await play(track.id, { token: await listenerToken({ sub }), device: "laptop" });
    const laptopUri = onLaptop.media.get("aac-128/cloudfront")!;
    expect((await fetchPath(laptopUri)).status).toBe(200);
    const res = await fetchPath(withToken(laptopUri, tokenOf(onPhone.media.get("aac-128/cloudfront")!)));
    expect(res.status).toBe(403);
    expect(await problemOf(res)).toMatchObject({ code: "token-wrong-session", mismatch: "device" });
  });

  it("refuses a token presented for another session of the same listener, track and device", async () => {
    const sub = `listener-${crypto.randomUUID()}`;
    const track = await publishTrack();
    const first = await play(track.id, { token: await listenerToken({ sub, tier: "hifi" }) });
    const second = await play(track.id, { token: await listenerToken({ sub, tier: "hifi" }) });
    const res = await fetchPath(
      withToken(second.media.get("aac-128/akamai")!, tokenOf(first.media.get("aac-128/akamai")!)),
    );
    expect(res.status).toBe(403);
    expect(await problemOf(res)).toMatchObject({ code: "token-wrong-session", mismatch: "session" });
  });
});
