/**
 * The CDN stand-ins' delivery log: what a real CDN's access logs say (CloudFront real-time logs, Akamai DataStream),
 * reduced to what the platform uses, bytes and requests served per playback session, and reported into the edge state
 * the way a production log consumer would (shared/src/playback/served-media.ts): per-session served media (evidence
 * for earned plays) and the CDN's month-to-date bytes (commit usage for steering). Entries are buffered and written
 * every `flushMs` in one pipeline; a failed write is retried with the next flush, so a Redis blip loses nothing.
 *
 * The session comes from the `sid` query parameter the playback worker appends to every segment URL (both CDNs log the
 * query string). It is not signed, and needs not be: whoever forges it still had to download the bytes it reports.
 */
import { recordServed, type ServedEntry } from "@cadence/shared/playback/served-media";
import { Redis } from "@upstash/redis";

export interface DeliveryLog {
  served(entry: ServedEntry): void;
  flush(): Promise<void>;
  close(): Promise<void>;
}

export function deliveryLog(redis: { url: string; token: string }, flushMs = 200): DeliveryLog {
  const client = new Redis({ url: redis.url, token: redis.token, enableTelemetry: false });
  let pending: ServedEntry[] = [];
  let flushing: Promise<void> = Promise.resolve();
  const flush = (): Promise<void> => {
    flushing = flushing.then(async () => {
      if (pending.length === 0) return;
      const batch = pending;
      pending = [];
      try {
        await recordServed(client, batch);
      } catch {
        pending = [...batch, ...pending].slice(-100_000); // retried next time; bounded if Redis stays away
      }
    });
    return flushing;
  };
  const timer = setInterval(() => void flush(), flushMs);
  timer.unref();
  return {
    served(entry) {
      pending.push(entry);
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}
