/**
 * `POST /v1/offline/devices/{device}/tracks/{trackId}` (listener access token): the download licence of one track
 * for one device. Premium and hifi only; the track must be playable for the listener here and now, encrypted, and in
 * a rendition the tier includes (the highest it includes by default, or `rendition` in the body). The device joins
 * the account's offline devices (at most OFFLINE_MAX_DEVICES) and the track the device's downloads (at most
 * OFFLINE_MAX_TRACKS_PER_DEVICE), atomically.
 *
 * The content key is never sent in the clear: the body carries the device's RSA-OAEP public key (a non-extractable
 * key pair the browser made and keeps in its storage), and the licence holds the key encrypted to it, with the
 * rendition's key id and IV base and an expiry OFFLINE_LICENSE_DAYS away. The player decrypts offline segments only
 * while the licence has not lapsed, and renews it (renew.ts) whenever it is online. Its offline plays are reported
 * later under the download's own session (offline-session.ts).
 */
import { isPlayable } from "@cadence/shared/catalog/availability";
import { RENDITION_IDS, type RenditionId } from "@cadence/shared/catalog/edge-track";
import { unwrapKey } from "@cadence/shared/drm/wrapped-key";
import { redisFor } from "@cadence/shared/edge";
import { Problem, problems } from "@cadence/shared/problem";
import { base64url } from "@cadence/shared/trust/encoding";
import { requestGeo } from "@cadence/shared/trust/geo";
import type { Context } from "hono";
import type { AppEnv } from "../context";
import { playbackConfig } from "../core/config";
import { fromEdgeState } from "../core/edge-state";
import { unplayableProblem } from "../play/availability-problem";
import { TIER_LADDER } from "../play/ladder";
import { readTrack } from "../play/track-store";
import { addOfflineTrack } from "./devices";
import { OFFLINE_TIERS, offlineDevice, offlineTrackId } from "./ids";
import { newOfflineSessionId, openOfflineSession } from "./offline-session";

export async function downloadLicense(c: Context<AppEnv>): Promise<Response> {
  const claims = c.var.claims!;
  const config = playbackConfig(c.env);
  const now = Date.now();
  const device = offlineDevice(c.req.param("device"));
  const trackId = offlineTrackId(c.req.param("trackId"));
  if (!OFFLINE_TIERS.includes(claims.tier)) {
    throw new Problem("offline-not-entitled", "Downloads for offline listening come with premium and hifi plans.");
  }
  const body = (await c.req.json().catch(() => undefined)) as { publicKey?: unknown; rendition?: unknown } | undefined;
  if (!body || typeof body !== "object") {
    throw problems.badRequest("Send JSON {publicKey: <the device's RSA-OAEP-256 public key as a JWK>, rendition?}.");
  }
  const deviceKey = await importDeviceKey(body.publicKey);
  const redis = redisFor(c.env);
  const track = await fromEdgeState(readTrack(redis, trackId));
  if (!track) throw new Problem("unknown-track", `No track ${trackId} is published.`);
  const geo = requestGeo(c.req.raw, { devOverrides: config.devOverrides });
  const verdict = isPlayable(track, geo.country, claims.tier, now);
  if (!verdict.ok) throw unplayableProblem(verdict, { country: geo.country, tier: claims.tier });

  const entitled = TIER_LADDER[claims.tier];
  const wanted = body.rendition;
  if (wanted !== undefined && !(RENDITION_IDS as readonly unknown[]).includes(wanted)) {
    throw problems.badRequest(`rendition must be one of ${RENDITION_IDS.join(", ")}.`);
  }
  if (wanted !== undefined && !entitled.includes(wanted as RenditionId)) {
    throw new Problem("rendition-not-entitled", `Your ${claims.tier} plan does not include ${String(wanted)}.`);
  }
  const rendition = track.renditions
    .filter((r) => (wanted === undefined ? entitled.includes(r.id) : r.id === wanted))
    .sort((a, b) => b.bandwidth - a.bandwidth)[0];
  if (!rendition) throw new Problem("no-playable-rendition", "This track has no rendition your plan includes.");
  if (!rendition.encryption) {
    throw new Problem("offline-not-encrypted", "This track is not encrypted yet; it can be streamed, not downloaded.");
  }
  const { keyId, ivBase, wrappedKey } = rendition.encryption;
  const expiresAt = now + config.offline.licenseDays * 86_400_000;
  const sessionId = newOfflineSessionId();
  const added = await fromEdgeState(
    addOfflineTrack(
      redis,
      { maxDevices: config.offline.maxDevices, maxTracks: config.offline.maxTracksPerDevice },
      { sub: claims.sub, device, trackId, record: { rendition: rendition.id, keyId, expiresAt, sessionId }, now },
    ),
  );
  if (!added.ok && added.limit === "devices") {
    throw new Problem(
      "offline-device-limit",
      `Your account already has ${config.offline.maxDevices} offline devices; remove one (DELETE /v1/offline/devices/{device}) to add this one.`,
      { extensions: { devices: added.devices, limit: config.offline.maxDevices } },
    );
  }
  if (!added.ok) {
    throw new Problem(
      "offline-track-limit",
      `This device already holds ${config.offline.maxTracksPerDevice} offline tracks; remove some to download more.`,
      { extensions: { limit: config.offline.maxTracksPerDevice } },
    );
  }
  await fromEdgeState(
    openOfflineSession(redis, claims, geo, { id: sessionId, trackId, device, rendition: rendition.id, expiresAt, now }),
  );
  const key = await unwrapKey(c.env.LICENSE_WRAP_KEY, "edge", keyId, wrappedKey, "LICENSE_WRAP_KEY");
  if (!key) throw problems.internal(new Error(`content key ${keyId} does not unwrap under LICENSE_WRAP_KEY`));
  const sealed = await crypto.subtle.encrypt({ name: "RSA-OAEP" }, deviceKey, key as Uint8Array<ArrayBuffer>);
  return c.json(
    {
      device,
      trackId,
      rendition: rendition.id,
      codec: rendition.codec,
      method: "AES-128",
      keyId,
      ivBase,
      encryptedKey: base64url(new Uint8Array(sealed)),
      issuedAt: new Date(now).toISOString(),
      expiresAt: new Date(expiresAt).toISOString(),
      tracksOnDevice: added.tracksOnDevice,
      /** Offline plays are reported under this session when the device is online again. */
      sessionId,
    },
    201,
    { "cache-control": "private, no-store" },
  );
}

/** The device's public key: an RSA-OAEP-256 JWK of at least 2048 bits. */
async function importDeviceKey(jwk: unknown): Promise<CryptoKey> {
  const key = jwk as JsonWebKey | undefined;
  const bits = typeof key?.n === "string" ? Math.floor((key.n.length * 6) / 8) * 8 : 0;
  if (key?.kty !== "RSA" || (key.alg !== undefined && key.alg !== "RSA-OAEP-256") || bits < 2040) {
    throw problems.badRequest("publicKey must be the device's RSA-OAEP-256 public key (JWK, at least 2048 bits).");
  }
  try {
    return await crypto.subtle.importKey(
      "jwk",
      { kty: "RSA", n: key.n, e: key.e, alg: "RSA-OAEP-256" },
      {
        name: "RSA-OAEP",
        hash: "SHA-256",
      },
      false,
      ["encrypt"],
    );
  } catch {
    throw problems.badRequest("publicKey is not a usable RSA-OAEP-256 public key.");
  }
}
