/**
 * Offline downloads: a premium or hifi listener gets a download licence per track and device, with the content key
 * encrypted to the device's own RSA-OAEP key (the same key the licence path gives a streaming session) and a 30-day
 * expiry; renewals extend what is still on the device and playable, and revoke the rest with a reason. At most 5
 * devices per account and N tracks per device; a free listener, or a lapsed plan at renewal, gets nothing.
 */
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { redisFor } from "@cadence/shared/edge";
import { type PlaybackSession, playbackSessionKey } from "@cadence/shared/playback/session";
import { describe, expect, it } from "vitest";
import worker from "../src/index";
import { fetchPath, listenerToken, play, problemOf, publishTrack } from "./helpers";
import { keyedPlaylist } from "./licenses";

const DAY = 86_400_000;

async function deviceKeys(): Promise<CryptoKeyPair> {
  return (await crypto.subtle.generateKey(
    { name: "RSA-OAEP", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
    true,
    ["encrypt", "decrypt"],
  )) as CryptoKeyPair;
}

async function offline(
  token: string,
  method: string,
  path: string,
  body?: unknown,
  overrides: Record<string, string> = {},
): Promise<Response> {
  const ctx = createExecutionContext();
  const init: RequestInit = {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
  };
  if (body !== undefined) init.body = JSON.stringify(body);
  const res = await worker.fetch(new Request(`http://playback.test${path}`, init), { ...env, ...overrides }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

async function download(token: string, device: string, trackId: string, keys: CryptoKeyPair, extra = {}) {
  const publicKey = await crypto.subtle.exportKey("jwk", keys.publicKey);
  return offline(token, "POST", `/v1/offline/devices/${device}/tracks/${trackId}`, { publicKey, ...extra });
}

const fromB64url = (s: string) =>
  Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/")), (ch) => ch.charCodeAt(0));

describe("download licences", () => {
  it("gives a premium device the key of the best AAC, encrypted to the device, for 30 days", async () => {
    const sub = `listener-${crypto.randomUUID()}`;
    const track = await publishTrack();
    const keys = await deviceKeys();
    const token = await listenerToken({ sub, tier: "premium" });
    const res = await download(token, "laptop", track.id, keys);
    const licence = (await res.json()) as Record<string, string>;
    expect(res.status, JSON.stringify(licence)).toBe(201);
    const aac320 = track.renditions.find((r) => r.id === "aac-320")!.encryption!;
    expect(licence).toMatchObject({ device: "laptop", trackId: track.id, rendition: "aac-320", keyId: aac320.keyId });
    expect(licence.ivBase).toBe(aac320.ivBase);
    expect(Date.parse(licence.expiresAt!) - Date.parse(licence.issuedAt!)).toBe(30 * DAY);
    expect(JSON.stringify(licence)).not.toContain(aac320.wrappedKey);

    const key = new Uint8Array(
      await crypto.subtle.decrypt({ name: "RSA-OAEP" }, keys.privateKey, fromB64url(licence.encryptedKey!)),
    );
    const played = await play(track.id, { token: await listenerToken({ sub, tier: "premium" }), device: "laptop" });
    const streamed = new Uint8Array(
      await (await fetchPath((await keyedPlaylist(played, "aac-320/cloudflare")).keyUri)).arrayBuffer(),
    );
    expect(key).toEqual(streamed);

    // The download's own session, for reporting its offline plays later: this account, track and device, until the
    // licence lapses; no playback token names it, so it opens no key.
    const session = await redisFor(env).get<PlaybackSession>(playbackSessionKey(licence.sessionId!));
    expect(session).toMatchObject({ sub, trackId: track.id, deviceId: "laptop", tier: "premium", pathways: [] });
    expect(session!.expiresAt).toBe(Date.parse(licence.expiresAt!));
    const ownToken = (await keyedPlaylist(played, "aac-320/cloudflare")).keyUri.split("?pt=")[1];
    const viaOffline = await fetchPath(`/v1/license/${licence.sessionId}/${aac320.keyId}?pt=${ownToken}`);
    expect(viaOffline.status).toBe(403);
  });

  it("gives a hifi device FLAC by default, and another rendition when asked", async () => {
    const track = await publishTrack();
    const token = await listenerToken({ tier: "hifi" });
    const keys = await deviceKeys();
    expect(await (await download(token, "phone", track.id, keys)).json()).toMatchObject({ rendition: "flac" });
    const aac = await download(token, "phone", track.id, keys, { rendition: "aac-256" });
    expect(await aac.json()).toMatchObject({ rendition: "aac-256", tracksOnDevice: 1 });
  });

  it("renews what is still on the device and playable; revokes a takedown and what was never downloaded", async () => {
    const sub = `listener-${crypto.randomUUID()}`;
    const token = await listenerToken({ sub, tier: "premium" });
    const keys = await deviceKeys();
    const [kept, removed] = [await publishTrack(), await publishTrack()];
    for (const t of [kept, removed]) expect((await download(token, "tablet", t.id, keys)).status).toBe(201);
    await publishTrack({ ...removed, availability: { ...removed.availability, takedownAt: Date.now() - 1000 } });
    const res = await offline(token, "POST", "/v1/offline/devices/tablet/renew", {
      tracks: [kept.id, removed.id, "trk-never"],
    });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { renewed: Array<{ trackId: string; expiresAt: string }>; revoked: unknown[] };
    expect(answer.renewed.map((r) => r.trackId)).toEqual([kept.id]);
    expect(Date.parse(answer.renewed[0]!.expiresAt)).toBeGreaterThan(Date.now() + 29 * DAY);
    expect(answer.revoked).toEqual([
      { trackId: removed.id, reason: "taken-down" },
      { trackId: "trk-never", reason: "not-downloaded" },
    ]);
    const devices = await (await offline(token, "GET", "/v1/offline/devices")).json();
    expect(devices).toEqual({
      devices: [{ id: "tablet", tracks: 1 }],
      limits: { devices: 5, tracksPerDevice: 10_000 },
    });
  });
});

describe("download licence limits and refusals", () => {
  it("refuses a free listener, and a lapsed plan at renewal", async () => {
    const track = await publishTrack();
    const free = await listenerToken({ tier: "free" });
    const res = await download(free, "phone", track.id, await deviceKeys());
    expect(res.status).toBe(403);
    expect((await problemOf(res)).code).toBe("offline-not-entitled");
    const renewal = await offline(free, "POST", "/v1/offline/devices/phone/renew", { tracks: [track.id] });
    expect(renewal.status).toBe(403);
    expect((await problemOf(renewal)).code).toBe("offline-not-entitled");
  });

  it("allows 5 offline devices per account; a 6th is refused until one is removed", async () => {
    const sub = `listener-${crypto.randomUUID()}`;
    const token = await listenerToken({ sub, tier: "hifi" });
    const track = await publishTrack();
    const keys = await deviceKeys();
    for (let i = 1; i <= 5; i++) expect((await download(token, `device-${i}`, track.id, keys)).status).toBe(201);
    const sixth = await download(token, "device-6", track.id, keys);
    expect(sixth.status).toBe(403);
    const problem = await problemOf(sixth);
    expect(problem.code).toBe("offline-device-limit");
    expect((problem.devices as string[]).sort()).toEqual(["device-1", "device-2", "device-3", "device-4", "device-5"]);
    expect((await offline(token, "DELETE", "/v1/offline/devices/device-3")).status).toBe(204);
    expect((await download(token, "device-6", track.id, keys)).status).toBe(201);
  });

  it("refuses more tracks on one device than allowed", async () => {
    const token = await listenerToken({ tier: "premium" });
    const keys = await deviceKeys();
    const publicKey = await crypto.subtle.exportKey("jwk", keys.publicKey);
    const limit = { OFFLINE_MAX_TRACKS_PER_DEVICE: "2" };
    const tracks = [await publishTrack(), await publishTrack(), await publishTrack()];
    const add = (id: string) => offline(token, "POST", `/v1/offline/devices/phone/tracks/${id}`, { publicKey }, limit);
    expect((await add(tracks[0]!.id)).status).toBe(201);
    expect((await add(tracks[1]!.id)).status).toBe(201);
    const third = await add(tracks[2]!.id);
    expect(third.status).toBe(403);
    expect(await problemOf(third)).toMatchObject({ code: "offline-track-limit", limit: 2 });
    expect((await add(tracks[0]!.id)).status).toBe(201); // already on the device: a re-download, not a new track
  });

  it("says what to fix in a request without a usable device key, a rendition above the plan, or no token", async () => {
    const track = await publishTrack();
    const token = await listenerToken({ tier: "premium" });
    const noKey = await offline(token, "POST", `/v1/offline/devices/phone/tracks/${track.id}`, {
      publicKey: { kty: "EC" },
    });
    expect(noKey.status).toBe(400);
    expect((await problemOf(noKey)).detail).toContain("RSA-OAEP-256");
    const flac = await download(token, "phone", track.id, await deviceKeys(), { rendition: "flac" });
    expect(flac.status).toBe(403);
    expect((await problemOf(flac)).code).toBe("rendition-not-entitled");
    const anonymous = await fetchPath(`/v1/offline/devices/phone/tracks/${track.id}`, { method: "POST" });
    expect(anonymous.status).toBe(401);
  });
});
