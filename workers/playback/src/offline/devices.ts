/**
 * Offline devices and what each holds, in Redis, with the limits enforced atomically in one Lua script: at most
 * `maxDevices` offline devices per account (`offline:devices:{sub}`, a hash device -> JSON {registeredAt}) and at
 * most `maxTracks` tracks per device (`offline:tracks:{sub}:{device}`, a hash track -> JSON {rendition, keyId,
 * expiresAt}). Adding a track to a device registers the device; removing a device frees its slot and its tracks.
 */
import type { Redis } from "@upstash/redis/cloudflare";

export const offlineDevicesKey = (sub: string) => `offline:devices:${sub}`;
export const offlineTracksKey = (sub: string, device: string) => `offline:tracks:${sub}:${device}`;

export interface OfflineTrackRecord {
  rendition: string;
  keyId: string;
  expiresAt: number;
  /** The offline play session its plays are reported under (offline-session.ts). */
  sessionId: string;
}

export type AddOutcome =
  | { ok: true; tracksOnDevice: number }
  | { ok: false; limit: "devices"; devices: string[] }
  | { ok: false; limit: "tracks" };

// KEYS: devices hash, device's tracks hash. ARGV: device, track, record JSON, device JSON, max devices, max tracks.
const ADD_SCRIPT = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then
  if redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[5]) then return {0, 'devices', unpack(redis.call('HKEYS', KEYS[1]))} end
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[4])
end
if redis.call('HEXISTS', KEYS[2], ARGV[2]) == 0 and redis.call('HLEN', KEYS[2]) >= tonumber(ARGV[6]) then
  return {0, 'tracks'}
end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
return {1, redis.call('HLEN', KEYS[2])}
`;

interface Script<T> {
  exec(keys: string[], args: string[]): Promise<T>;
}
const scripts = new WeakMap<Redis, Script<unknown[]>>();

export async function addOfflineTrack(
  redis: Redis,
  limits: { maxDevices: number; maxTracks: number },
  entry: { sub: string; device: string; trackId: string; record: OfflineTrackRecord; now: number },
): Promise<AddOutcome> {
  let script = scripts.get(redis);
  if (!script) {
    script = redis.createScript<unknown[]>(ADD_SCRIPT);
    scripts.set(redis, script);
  }
  const result = await script.exec(
    [offlineDevicesKey(entry.sub), offlineTracksKey(entry.sub, entry.device)],
    [
      entry.device,
      entry.trackId,
      JSON.stringify(entry.record),
      JSON.stringify({ registeredAt: entry.now }),
      String(limits.maxDevices),
      String(limits.maxTracks),
    ],
  );
  if (Number(result[0]) === 1) return { ok: true, tracksOnDevice: Number(result[1]) };
  if (result[1] === "tracks") return { ok: false, limit: "tracks" };
  return { ok: false, limit: "devices", devices: result.slice(2).map(String) };
}

export async function offlineTracks(redis: Redis, sub: string, device: string) {
  return (await redis.hgetall<Record<string, OfflineTrackRecord>>(offlineTracksKey(sub, device))) ?? {};
}

export async function listDevices(redis: Redis, sub: string): Promise<string[]> {
  return redis.hkeys(offlineDevicesKey(sub));
}

export async function removeDevice(redis: Redis, sub: string, device: string): Promise<void> {
  await redis.pipeline().hdel(offlineDevicesKey(sub), device).del(offlineTracksKey(sub, device)).exec();
}

export async function removeOfflineTracks(redis: Redis, sub: string, device: string, trackIds: string[]) {
  if (trackIds.length > 0) await redis.hdel(offlineTracksKey(sub, device), ...trackIds);
}

export async function renewOfflineTracks(
  redis: Redis,
  sub: string,
  device: string,
  records: Record<string, OfflineTrackRecord>,
): Promise<void> {
  if (Object.keys(records).length > 0) await redis.hset(offlineTracksKey(sub, device), records);
}
