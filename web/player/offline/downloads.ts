/**
 * Downloading a track for offline listening and keeping its licence current. A download is: the download licence
 * from the playback worker (`POST /v1/offline/devices/{device}/tracks/{id}` with this device's public key), then the
 * licensed rendition's encrypted init and segments fetched through the ordinary playlists (a session minted for the
 * download, signed CDN URLs), all stored as they are, still encrypted. Renewal (whenever the browser is online) asks
 * for new expiries and deletes what the platform revoked, or everything when the plan no longer includes downloads.
 */
import { hlsIv } from "@cadence/shared/drm/content-key";
import type { AuthSession } from "../../common/auth";
import type { OfflineLicence, OfflineStore } from "./offline-store";

export interface DownloadContext {
  auth: AuthSession;
  store: OfflineStore;
  playbackUrl: string;
  deviceId: string;
  /** Codec families this browser decodes (`aac`, `aac,flac`). */
  codecs: string;
}

export interface DownloadTrack {
  id: string;
  title: string;
  artist: string;
}

interface LicenceAnswer {
  rendition: string;
  codec: string;
  keyId: string;
  ivBase: string;
  encryptedKey: string;
  issuedAt: string;
  expiresAt: string;
  sessionId: string;
}

export async function downloadTrack(ctx: DownloadContext, track: DownloadTrack): Promise<OfflineLicence> {
  const { publicKey } = await ctx.store.deviceKeys();
  const tier = ctx.auth.me?.tier;
  // A hifi listener on a browser without FLAC gets the best AAC instead of a file it cannot play.
  const rendition = tier === "hifi" && !ctx.codecs.includes("flac") ? { rendition: "aac-320" } : {};
  const granted = await ctx.auth.json<LicenceAnswer>(
    `${ctx.playbackUrl}/v1/offline/devices/${encodeURIComponent(ctx.deviceId)}/tracks/${encodeURIComponent(track.id)}`,
    {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ publicKey, ...rendition }),
    },
  );
  const params = new URLSearchParams({ device: ctx.deviceId, codecs: ctx.codecs });
  const master = await text(
    await ctx.auth.fetch(`${ctx.playbackUrl}/v1/play/${encodeURIComponent(track.id)}/master.m3u8?${params}`),
  );
  const variant = master.split("\n").find((line) => line.includes(`/${granted.rendition}/`));
  if (!variant) throw new Error(`the platform offered no ${granted.rendition} stream to download`);
  // An empty playback URL means the page's own origin (the front door).
  const base = new URL(variant, ctx.playbackUrl || location.origin);
  const media = await text(await fetch(base));
  const init = /#EXT-X-MAP:URI="([^"]+)"/.exec(media)?.[1];
  if (!init) throw new Error("the media playlist has no init segment");
  const lines = media.split("\n");
  const segments: Array<{ url: string; duration: number }> = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.startsWith("#EXTINF:")) {
      segments.push({ url: lines[i + 1]!.trim(), duration: Number.parseFloat(lines[i]!.slice(8)) });
    }
  }
  await ctx.store.putFile(track.id, "init", await bytes(new URL(init, base)));
  const stored: OfflineLicence["segments"] = [];
  for (const [i, segment] of segments.entries()) {
    const file = `seg-${i + 1}`;
    await ctx.store.putFile(track.id, file, await bytes(new URL(segment.url, base)));
    stored.push({ file, duration: segment.duration });
  }
  const licence: OfflineLicence = {
    trackId: track.id,
    title: track.title,
    artist: track.artist,
    rendition: granted.rendition,
    codec: granted.codec,
    keyId: granted.keyId,
    ivBase: granted.ivBase,
    encryptedKey: granted.encryptedKey,
    issuedAt: granted.issuedAt,
    expiresAt: granted.expiresAt,
    sessionId: granted.sessionId,
    targetDuration: Math.max(1, ...stored.map((s) => Math.round(s.duration))),
    init: "init",
    segments: stored,
  };
  await ctx.store.putLicence(licence);
  return licence;
}

export interface RenewalOutcome {
  renewed: number;
  removed: string[];
}

/** Renews every download's licence; deletes what was revoked (or all of them when the plan lapsed). */
export async function renewDownloads(ctx: DownloadContext): Promise<RenewalOutcome> {
  const licences = await ctx.store.licences();
  if (licences.length === 0) return { renewed: 0, removed: [] };
  const res = await ctx.auth.fetch(`${ctx.playbackUrl}/v1/offline/devices/${encodeURIComponent(ctx.deviceId)}/renew`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ tracks: licences.map((l) => l.trackId) }),
  });
  if (res.status === 403) {
    const problem = (await res.json()) as { code?: string };
    if (problem.code === "offline-not-entitled") {
      for (const l of licences) await ctx.store.remove(l.trackId);
      return { renewed: 0, removed: licences.map((l) => l.trackId) };
    }
  }
  if (!res.ok) throw new Error(`renewal answered ${res.status}`);
  const answer = (await res.json()) as {
    renewed: Array<{ trackId: string; expiresAt: string }>;
    revoked: Array<{ trackId: string }>;
  };
  for (const r of answer.renewed) {
    const licence = licences.find((l) => l.trackId === r.trackId);
    if (licence) await ctx.store.putLicence({ ...licence, expiresAt: r.expiresAt });
  }
  for (const r of answer.revoked) await ctx.store.remove(r.trackId);
  return { renewed: answer.renewed.length, removed: answer.revoked.map((r) => r.trackId) };
}

/** The media playlist of a stored download, for the offline loader (offline-player.ts). */
export function offlineMediaPlaylist(licence: OfflineLicence): string {
  const id = encodeURIComponent(licence.trackId);
  const key = (i: number) => `#EXT-X-KEY:METHOD=AES-128,URI="offline://key/${id}",IV=${hlsIv(licence.ivBase, i)}`;
  const lines = ["#EXTM3U", "#EXT-X-VERSION:7", `#EXT-X-TARGETDURATION:${licence.targetDuration}`];
  lines.push("#EXT-X-MEDIA-SEQUENCE:0", "#EXT-X-PLAYLIST-TYPE:VOD", key(0));
  lines.push(`#EXT-X-MAP:URI="offline://file/${id}/${licence.init}"`);
  for (const [i, segment] of licence.segments.entries()) {
    lines.push(key(i + 1), `#EXTINF:${segment.duration.toFixed(6)},`, `offline://file/${id}/${segment.file}`);
  }
  lines.push("#EXT-X-ENDLIST");
  return `${lines.join("\n")}\n`;
}

async function text(res: Response): Promise<string> {
  if (!res.ok) throw new Error(`${res.url} answered ${res.status}`);
  return res.text();
}

async function bytes(url: URL): Promise<ArrayBuffer> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`a segment answered ${res.status}`);
  return res.arrayBuffer();
}
