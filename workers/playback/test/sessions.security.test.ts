/**
 * The two abuse limits on sessions: a new session ends the account's oldest beyond the tier's concurrent limit (its
 * media playlists and Cloudflare-pathway segments then answer 410 `session-ended`), and minting is rate-limited per
 * account (429 with Retry-After) without affecting other accounts.
 */
import { env } from "cloudflare:workers";
import { redisFor } from "@cadence/shared/edge";
import { accountSessionsKey, type PlaybackSession, playbackSessionKey } from "@cadence/shared/playback/session";
import { describe, expect, it } from "vitest";
import { fetchPath, listenerToken, parseHls, play, problemOf, publishTrack, requestMaster, textOf } from "./helpers";

describe("session limits", () => {
  it("ends the older session when the account starts another (limit 1): its URLs then answer 410", async () => {
    const sub = `listener-${crypto.randomUUID()}`;
    const track = await publishTrack();
    const older = await play(track.id, { token: await listenerToken({ sub }), device: "phone" });
    const olderMedia = older.media.get("aac-128/cloudflare")!;
    const olderPlaylist = await fetchPath(olderMedia);
    expect(olderPlaylist.status).toBe(200);
    const olderSegment = parseHls(await textOf(olderPlaylist)).segments[0]!.uri;

    const newer = await play(track.id, { token: await listenerToken({ sub }), device: "laptop" });
    const res = await fetchPath(olderMedia);
    expect(res.status).toBe(410);
    expect(await problemOf(res)).toMatchObject({ code: "session-ended", ended_reason: "displaced-by-newer-session" });
    expect((await fetchPath(newer.media.get("aac-128/cloudflare")!)).status).toBe(200);
    // Our own pathway knows sessions, so the older session's segment URLs stop too (third-party CDNs only know expiry).
    const segment = await fetchPath(olderSegment);
    expect(segment.status).toBe(410);
    expect((await problemOf(segment)).code).toBe("session-ended");

    const ended = await redisFor(env).get<PlaybackSession>(playbackSessionKey(older.sessionId));
    expect(ended?.endedAt).toBeGreaterThan(0);
    expect(await redisFor(env).zrange(accountSessionsKey(sub), 0, -1)).toEqual([newer.sessionId]);
  });

  it("rate-limits minting per account with 429 and Retry-After", async () => {
    const sub = `listener-${crypto.randomUUID()}`;
    const track = await publishTrack();
    const token = await listenerToken({ sub });
    const limit = Number(env.MINT_RATE_LIMIT_PER_MINUTE);
    const statuses: number[] = [];
    for (let i = 0; i < limit; i++) statuses.push((await requestMaster(track.id, { token })).status);
    const over = await requestMaster(track.id, { token });
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(over.status).toBe(429);
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(Number(over.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    expect((await problemOf(over)).code).toBe("rate-limited");
    // Another account is not affected.
    expect((await requestMaster(track.id, { token: await listenerToken() })).status).toBe(200);
  });
});
