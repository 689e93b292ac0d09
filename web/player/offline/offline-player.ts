/**
 * Plays a stored download with no network: hls.js with a loader that answers every request from the browser's
 * storage (offline-store.ts) instead of the network: the playlists are made from the licence, the init and segments
 * are the encrypted bytes as downloaded, and the key is the content key decrypted with this device's private key,
 * given to hls.js only while the licence has not lapsed. A lapsed licence stops playback until it is renewed online.
 */
import Hls, { type LoaderCallbacks, type LoaderConfiguration, type LoaderContext, type LoaderStats } from "hls.js";
import { offlineMediaPlaylist } from "./downloads";
import type { OfflineLicence, OfflineStore } from "./offline-store";

export class LicenceLapsed extends Error {
  constructor(readonly expiresAt: string) {
    super(`The offline licence lapsed on ${new Date(expiresAt).toLocaleString()}; go online to renew it.`);
  }
}

export function isLapsed(licence: OfflineLicence, now = Date.now()): boolean {
  return Date.parse(licence.expiresAt) <= now;
}

/** Answers `offline://` URLs from storage: master, media playlist, files and the key. */
async function answer(store: OfflineStore, url: string): Promise<string | ArrayBuffer> {
  const [, kind, encodedId, file] = /^offline:\/\/(master|media|file|key)\/([^/]+)(?:\/(.+))?$/.exec(url) ?? [];
  const trackId = decodeURIComponent(encodedId ?? "");
  const licence = await store.licence(trackId);
  if (!licence) throw new Error(`${trackId} is not downloaded`);
  if (kind === "master") {
    return `#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1000000,CODECS="${licence.codec}"\noffline://media/${encodedId}\n`;
  }
  if (kind === "media") return offlineMediaPlaylist(licence);
  if (kind === "key") {
    if (isLapsed(licence)) throw new LicenceLapsed(licence.expiresAt);
    const { privateKey } = await store.deviceKeys();
    const sealed = Uint8Array.from(atob(licence.encryptedKey.replace(/-/g, "+").replace(/_/g, "/")), (c) =>
      c.charCodeAt(0),
    );
    return crypto.subtle.decrypt({ name: "RSA-OAEP" }, privateKey, sealed);
  }
  const bytes = await store.file(trackId, file ?? "");
  if (!bytes) throw new Error(`${trackId}/${file} is missing from storage`);
  return bytes;
}

function loaderFor(store: OfflineStore) {
  return class OfflineLoader {
    context: LoaderContext | null = null;
    stats: LoaderStats = {
      aborted: false,
      loaded: 0,
      retry: 0,
      total: 0,
      chunkCount: 0,
      bwEstimate: 0,
      loading: { start: 0, first: 0, end: 0 },
      parsing: { start: 0, end: 0 },
      buffering: { start: 0, first: 0, end: 0 },
    };

    load(context: LoaderContext, _config: LoaderConfiguration, callbacks: LoaderCallbacks<LoaderContext>): void {
      this.context = context;
      const started = performance.now();
      this.stats.loading.start = started;
      answer(store, context.url).then(
        (data) => {
          const size = typeof data === "string" ? data.length : data.byteLength;
          const now = performance.now();
          Object.assign(this.stats, { loaded: size, total: size });
          Object.assign(this.stats.loading, { first: now, end: now });
          callbacks.onSuccess({ url: context.url, data }, this.stats, context, null);
        },
        (err: unknown) => {
          callbacks.onError(
            { code: 403, text: err instanceof Error ? err.message : String(err) },
            context,
            null,
            this.stats,
          );
        },
      );
    }

    abort(): void {
      this.stats.aborted = true;
    }

    destroy(): void {
      this.context = null;
    }
  };
}

/** Plays a download in `audio`; rejects with LicenceLapsed when its licence has lapsed. */
export async function playOffline(store: OfflineStore, trackId: string, audio: HTMLAudioElement): Promise<Hls> {
  const licence = await store.licence(trackId);
  if (!licence) throw new Error("This track is not downloaded.");
  if (isLapsed(licence)) throw new LicenceLapsed(licence.expiresAt);
  const hls = new Hls({ enableWorker: false, loader: loaderFor(store) as unknown as typeof Hls.DefaultConfig.loader });
  hls.on(Hls.Events.ERROR, (_e, data) => {
    if (data.fatal) hls.destroy();
  });
  hls.on(Hls.Events.MANIFEST_PARSED, () => void audio.play().catch(() => undefined));
  hls.attachMedia(audio);
  hls.loadSource(`offline://master/${encodeURIComponent(trackId)}`);
  return hls;
}
