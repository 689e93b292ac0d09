/**
 * The floor for `npm run bench:playback`: the cheapest worker that still does what every play must do, verify the
 * listener's access token (shared/src/edge.ts edgeAuth, as the playback worker does), then answer a fixed playlist.
 * Whatever the playback worker costs above this is the price of its decisions, Redis and signing.
 */
import type { AuthVariables } from "@cadence/shared/auth/middleware";
import { type EdgeBaseEnv, edgeAuth } from "@cadence/shared/edge";
import { createWorkerApp } from "@cadence/shared/worker-app";

const PLAYLIST = `#EXTM3U
#EXT-X-VERSION:7
#EXT-X-INDEPENDENT-SEGMENTS
#EXT-X-STREAM-INF:BANDWIDTH=130349,AVERAGE-BANDWIDTH=130405,CODECS="mp4a.40.2"
/fixed/aac-128.m3u8
`;

const app = createWorkerApp<EdgeBaseEnv, Partial<AuthVariables>>("bench-floor");
app.get(
  "/v1/play/:trackId/master.m3u8",
  edgeAuth({ scopes: ["listener"], allowQueryToken: true }),
  () =>
    new Response(PLAYLIST, {
      headers: { "content-type": "application/vnd.apple.mpegurl", "cache-control": "private, no-store" },
    }),
);

export default app;
