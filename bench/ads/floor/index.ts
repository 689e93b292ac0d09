/**
 * The floor for `npm run bench:ads`: the cheapest worker that still does what every decision request must do, verify
 * the listener's access token (shared/src/edge.ts edgeAuth, as the ads worker does), then answer a fixed VAST of the
 * size a two-ad pod has. Whatever the ads worker costs above this is the price of deciding: targeting over the
 * campaign index, the atomic reservation in Redis, and rendering with signed beacons.
 */
import type { AuthVariables } from "@cadence/shared/auth/middleware";
import { type EdgeBaseEnv, edgeAuth } from "@cadence/shared/edge";
import { createWorkerApp } from "@cadence/shared/worker-app";

const TRACKING = ["start", "firstQuartile", "midpoint", "thirdQuartile", "complete", "skip"];
const beacon = (event: string) =>
  `<![CDATA[https://ads.example/v1/ads/track/${event}?id=00000000-0000-4000-8000-000000000000&c=cmp_fixed&exp=1&sig=${"x".repeat(43)}&ts=%5BTIMESTAMP%5D&cb=%5BCACHEBUSTING%5D]]>`;
const AD = (n: number) =>
  `<Ad id="cmp_fixed${n}" sequence="${n}" adType="audio"><InLine><AdSystem version="1">Cadence</AdSystem><Error>${beacon("error")}</Error>` +
  `<Impression id="cadence">${beacon("impression")}</Impression><AdServingId>00000000-0000-4000-8000-00000000000${n}</AdServingId>` +
  `<AdTitle>Fixed</AdTitle><Advertiser>fixed.example</Advertiser><Creatives><Creative id="cr_fixed" adId="CADFIXED" sequence="1"><Linear>` +
  `<TrackingEvents>${TRACKING.map((e) => `<Tracking event="${e}">${beacon(e)}</Tracking>`).join("")}</TrackingEvents>` +
  "<Duration>00:00:15.000</Duration><MediaFiles>" +
  [64, 128, 192]
    .map(
      (k) =>
        `<MediaFile delivery="progressive" type="audio/aac" width="0" height="0" bitrate="${k}"><![CDATA[https://ads.example/v1/ads/media/ads/fixed/aac-${k}.aac]]></MediaFile>`,
    )
    .join("") +
  '</MediaFiles></Linear><UniversalAdId idRegistry="cadence.example">CADFIXED</UniversalAdId></Creative></Creatives></InLine></Ad>';
const VAST = `<?xml version="1.0" encoding="UTF-8"?>\n<VAST version="4.2" xmlns="http://www.iab.com/VAST">${AD(1)}${AD(2)}</VAST>\n`;

const app = createWorkerApp<EdgeBaseEnv, Partial<AuthVariables>>("bench-ads-floor");
app.get("/v1/ads/vast", edgeAuth({ allowQueryToken: true }), (c) =>
  c.body(VAST, 200, { "content-type": "application/xml; charset=utf-8", "cache-control": "private, no-store" }),
);

export default app;
