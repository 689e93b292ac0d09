/**
 * Licence refusals: a key goes only to the session's own listener and device with a valid, unexpired, untampered
 * playback token, for a rendition of the session's track that its tier is entitled to. Everything else is refused
 * with 401/403 problem+json that carries no key material and names nothing beyond the rule that failed; each
 * refusal is counted per problem code.
 */
import { env } from "cloudflare:workers";
import { redisFor } from "@cadence/shared/edge";
import { describe, expect, it } from "vitest";
import { type PlaybackClaims, signPlaybackToken } from "../src/core/playback-token";
import { licenseRefusalsKey, utcDay } from "../src/license/deliveries";
import { fetchPath, listenerToken, play, problemOf, publishTrack, tokenOf, withToken } from "./helpers";
import { keyedPlaylist, keyUriFor } from "./licenses";

async function refused(uri: string, status: number, code: string) {
  const res = await fetchPath(uri);
  const body = await res.clone().text();
  expect(res.status, body).toBe(status);
  expect((await problemOf(res)).code).toBe(code);
  return body;
}

const claimsOf = (token: string) =>
  JSON.parse(atob(token.split(".")[0]!.replace(/-/g, "+").replace(/_/g, "/"))) as Record<string, unknown>;

describe("licence refusals", () => {
  it("refuses a missing (401), tampered (403), forged (403) and expired (401) playback token", async () => {
    const track = await publishTrack();
    const played = await play(track.id, { token: await listenerToken() });
    const { keyUri } = await keyedPlaylist(played, "aac-128/cloudflare");
    await refused(keyUri.slice(0, keyUri.indexOf("?")), 401, "playback-token-missing");

    const token = tokenOf(keyUri);
    const [payload, signature] = token.split(".");
    const claims = claimsOf(token) as unknown as PlaybackClaims;
    const upgraded = btoa(JSON.stringify({ ...claims, rnd: ["aac-128", "flac"] }))
      .replace(/\+/g, "-")
      .replace(/\//g, "_")
      .replace(/=+$/, "");
    expect(upgraded).not.toBe(payload);
    await refused(withToken(keyUri, `${upgraded}.${signature}`), 403, "playback-token-invalid");
    const forged = await signPlaybackToken("not-the-secret", claims);
    await refused(withToken(keyUri, forged), 403, "playback-token-invalid");
    const expired = await signPlaybackToken(env.PLAYBACK_TOKEN_SECRET, {
      ...claims,
      exp: Math.floor(Date.now() / 1000) - 1,
    });
    await refused(withToken(keyUri, expired), 401, "license-token-expired");
  });

  it("refuses another listener's token (foreign) and another device's session", async () => {
    const track = await publishTrack();
    const mine = await play(track.id, { token: await listenerToken(), device: "phone" });
    const theirs = await play(track.id, { token: await listenerToken(), device: "tablet" });
    const { keyUri } = await keyedPlaylist(mine, "aac-128/cloudflare");
    const theirToken = tokenOf(theirs.media.get("aac-128/cloudflare")!);
    const body = await refused(withToken(keyUri, theirToken), 403, "token-wrong-session");
    expect(JSON.parse(body).mismatch).toBe("listener");
  });

  it("never gives a free session the 320 or lossless key, nor a premium session the lossless key", async () => {
    const track = await publishTrack();
    const keyOf = (id: string) => track.renditions.find((r) => r.id === id)!.encryption!.keyId;
    const free = await play(track.id, { token: await listenerToken({ tier: "free" }) });
    const freeKey = (await keyedPlaylist(free, "aac-128/cloudflare")).keyUri;
    expect((await fetchPath(freeKey)).status).toBe(200);
    for (const above of ["aac-256", "aac-320", "flac"]) {
      const body = await refused(keyUriFor(freeKey, keyOf(above)), 403, "rendition-not-entitled");
      expect(body).not.toContain(track.renditions.find((r) => r.id === above)!.encryption!.wrappedKey);
    }
    const premium = await play(track.id, { token: await listenerToken({ tier: "premium" }) });
    const premiumKey = (await keyedPlaylist(premium, "aac-320/cloudflare")).keyUri;
    expect((await fetchPath(premiumKey)).status).toBe(200);
    await refused(keyUriFor(premiumKey, keyOf("flac")), 403, "rendition-not-entitled");
  });

  it("refuses a key of a track not in the session, and a malformed key id, alike and without saying more", async () => {
    const [mine, other] = [await publishTrack(), await publishTrack()];
    // Another track with its own keys (as the catalog would give it).
    const otherKeyId = "0123456789abcdef0123456789abcdef";
    await publishTrack({
      id: other.id,
      renditions: other.renditions.map((r) => ({ ...r, encryption: { ...r.encryption!, keyId: otherKeyId } })),
    });
    const played = await play(mine.id, { token: await listenerToken() });
    const { keyUri } = await keyedPlaylist(played, "aac-128/cloudflare");
    const foreignKey = await refused(keyUriFor(keyUri, otherKeyId), 403, "license-key-not-in-session");
    const malformed = await refused(
      keyUri.replace(/\/[0-9a-f]{32}\?/, "/not-a-key-id?"),
      403,
      "license-key-not-in-session",
    );
    const detailOf = (body: string) => JSON.parse(body).detail;
    expect(detailOf(foreignKey)).toBe(detailOf(malformed));
    expect(foreignKey).not.toContain(other.id);
  });

  it("refuses keys to a session a newer one displaced, and counts every refusal by code", async () => {
    const sub = `listener-${crypto.randomUUID()}`;
    const track = await publishTrack();
    const older = await play(track.id, { token: await listenerToken({ sub }), device: "phone" });
    const { keyUri } = await keyedPlaylist(older, "aac-128/cloudflare");
    const key = licenseRefusalsKey(utcDay(Date.now()));
    const before = Number((await redisFor(env).hget(key, "license-session-ended")) ?? 0);
    await play(track.id, { token: await listenerToken({ sub }), device: "laptop" });
    await refused(keyUri, 403, "license-session-ended");
    await expect.poll(async () => Number(await redisFor(env).hget(key, "license-session-ended"))).toBe(before + 1);
  });
});
