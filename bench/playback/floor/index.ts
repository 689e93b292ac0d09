/**
 * The floors for `npm run bench:playback`: the cheapest worker that still does what every play must do.
 * - Master playlist: verify the listener's access token (shared/src/edge.ts edgeAuth, as the playback worker does:
 *   ES256 against the origin's JWKS, the revocation check), then answer a fixed playlist.
 * - Media playlist: verify the HMAC playback token (`pt`) with the playback worker's own verifier, then answer a fixed
 *   playlist. A media playlist request carries no JWT, so its floor verifies none.
 * Whatever the playback worker costs above these is the price of its decisions, Redis and signing.
 */
import type { AuthVariables } from "@cadence/shared/auth/middleware";
import { type EdgeBaseEnv, edgeAuth } from "@cadence/shared/edge";
import { createWorkerApp } from "@cadence/shared/worker-app";
import { verifyPlaybackToken } from "../../../workers/playback/src/core/playback-token";

interface FloorEnv extends EdgeBaseEnv {
  PLAYBACK_TOKEN_SECRET: string;
}

const PLAYLIST = `#EXTM3U
#EXT-X-VERSION:7
#EXT-X-INDEPENDENT-SEGMENTS
#EXT-X-STREAM-INF:BANDWIDTH=130349,AVERAGE-BANDWIDTH=130405,CODECS="mp4a.40.2"
/fixed/aac-128.m3u8
`;

const MEDIA = `#EXTM3U
#EXT-X-VERSION:7
#EXT-X-TARGETDURATION:6
#EXT-X-PLAYLIST-TYPE:VOD
#EXT-X-MAP:URI="/fixed/init.mp4"
${Array.from({ length: 10 }, (_, i) => `#EXTINF:6.000,\n/fixed/seg-${String(i + 1).padStart(5, "0")}.m4s`).join("\n")}
#EXT-X-ENDLIST
`;

const headers = { "content-type": "application/vnd.apple.mpegurl", "cache-control": "private, no-store" };
const app = createWorkerApp<FloorEnv, Partial<AuthVariables>>("bench-floor");
app.get(
  "/v1/play/:trackId/master.m3u8",
  edgeAuth({ scopes: ["listener"], allowQueryToken: true }),
  () => new Response(PLAYLIST, { headers }),
);
app.get("/v1/play/:sessionId/:rendition/:playlist{[a-z]+\\.m3u8}", async (c) => {
  const check = await verifyPlaybackToken(
    c.env.PLAYBACK_TOKEN_SECRET,
    c.req.query("pt"),
    Math.floor(Date.now() / 1000),
  );
  if (!check.ok) return c.json({ code: check.reason }, 401);
  return new Response(MEDIA, { headers });
});

export default app;
