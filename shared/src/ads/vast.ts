/**
 * Renders a decided pod as VAST 4.2 (namespace http://www.iab.com/VAST): one `Ad adType="audio"` InLine per placed
 * ad with its pod `sequence`, a unique `AdServingId`, signed impression, tracking and error URLs carrying the VAST
 * macros, the creative's `UniversalAdId`, progressive AAC `MediaFile`s at three bitrates, the HLS rendition used for
 * splicing, and the mezzanine for stitchers. No fill is the bare `<VAST version="4.2"/>`.
 *
 * The 4.2 schema's tracking-event list has no `notUsed` (VAST 4.1 added the event, the XSD never did), so the
 * notUsed URL travels in an `Extension`, which the schema allows to hold anything.
 */
import { type BeaconClaims, beaconUrl } from "./beacon";
import type { AdPod, PlacedAd } from "./decide";
import type { BeaconEvent, EdgeAdHls, EdgeCreative } from "./model";

export const VAST_NAMESPACE = "http://www.iab.com/VAST";
export const NO_FILL_VAST =
  '<?xml version="1.0" encoding="UTF-8"?>\n<VAST version="4.2" xmlns="http://www.iab.com/VAST"/>\n';
/** Our own category authority: categories are the advertiser-declared competitive categories. */
export const CATEGORY_AUTHORITY = "https://cadence.example/ad-categories";

const TRACKING_EVENTS = ["start", "firstQuartile", "midpoint", "thirdQuartile", "complete", "skip"] as const;

export interface RenderOptions {
  /** Public base of the ads worker, for beacons and media files (no trailing slash). */
  baseUrl: string;
  beaconSecret: string;
  /** Beacons are accepted until then (epoch ms). */
  beaconExpiresAt: number;
  /** VAST `Expires`: how long the player may keep the answer before playing it, seconds. */
  expiresSeconds: number;
}

/** What a stitcher needs of one ad besides the XML: its beacons and its HLS rendition. */
export interface RenderedAd {
  adServingId: string;
  sequence: number;
  campaignId: string;
  creativeId: string;
  durationMs: number;
  beacons: Record<BeaconEvent, string>;
  /** Base URL of the creative's files on the ads worker. */
  mediaBaseUrl: string;
  hls: EdgeAdHls;
}

export interface RenderedPod {
  xml: string;
  ads: RenderedAd[];
}

/** A URI as the spec asks: CDATA-wrapped (a `]]>` inside, never produced by us, is split across two sections). */
export function cdata(uri: string): string {
  return `<![CDATA[${uri.replaceAll("]]>", "]]]]><![CDATA[>")}]]>`;
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (ch) =>
    ch === "<" ? "&lt;" : ch === ">" ? "&gt;" : ch === "&" ? "&amp;" : ch === '"' ? "&quot;" : "&apos;",
  );
}

/** xs:time as VAST wants it: HH:MM:SS.mmm. */
export function vastDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms));
  const h = Math.floor(total / 3_600_000);
  const m = Math.floor((total % 3_600_000) / 60_000);
  const s = Math.floor((total % 60_000) / 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${pad(h)}:${pad(m)}:${pad(s)}.${pad(total % 1000, 3)}`;
}

export const creativeMediaBase = (baseUrl: string, creative: Pick<EdgeCreative, "path">) =>
  `${baseUrl}/v1/ads/media/${creative.path}`;

async function beaconsFor(ad: PlacedAd, options: RenderOptions): Promise<Record<BeaconEvent, string>> {
  const events: BeaconEvent[] = ["impression", ...TRACKING_EVENTS, "notUsed", "error"];
  const urls = await Promise.all(
    events.map((event) => {
      const claims: BeaconClaims = {
        adServingId: ad.adServingId,
        campaignId: ad.campaign.id,
        event,
        exp: options.beaconExpiresAt,
      };
      return beaconUrl(options.baseUrl, options.beaconSecret, claims);
    }),
  );
  return Object.fromEntries(events.map((e, i) => [e, urls[i] as string])) as Record<BeaconEvent, string>;
}

function renderAd(
  ad: PlacedAd,
  beacons: Record<BeaconEvent, string>,
  mediaBase: string,
  options: RenderOptions,
): string {
  const { campaign, creative } = ad;
  const x = escapeXml;
  const mediaFiles = creative.mediaFiles
    .map(
      (f) =>
        `<MediaFile id="${x(f.file)}" delivery="progressive" type="${x(f.mimeType)}" width="0" height="0" codec="${x(f.codec)}" bitrate="${f.bitrateKbps}" fileSize="${f.bytes}">${cdata(`${mediaBase}/${f.file}`)}</MediaFile>`,
    )
    .join("");
  const hls = `<MediaFile id="hls" delivery="streaming" type="application/x-mpegURL" width="0" height="0" codec="${x(creative.hls.codec)}" bitrate="${Math.round(creative.hls.bandwidth / 1000)}">${cdata(`${mediaBase}/${creative.hls.playlist}`)}</MediaFile>`;
  const m = creative.mezzanine;
  const mezzanine = `<Mezzanine delivery="progressive" type="${x(m.mimeType)}" width="0" height="0" codec="${x(m.codec)}" fileSize="${m.bytes}">${cdata(`${mediaBase}/${m.file}`)}</Mezzanine>`;
  const tracking = TRACKING_EVENTS.map((e) => `<Tracking event="${e}">${cdata(beacons[e])}</Tracking>`).join("");
  const category = campaign.category
    ? `<Category authority="${CATEGORY_AUTHORITY}">${x(campaign.category)}</Category>`
    : "";
  return [
    `<Ad id="${x(campaign.id)}" sequence="${ad.sequence}" adType="audio">`,
    "<InLine>",
    '<AdSystem version="1">Cadence</AdSystem>',
    `<Error>${cdata(beacons.error)}</Error>`,
    `<Extensions><Extension type="cadence-tracking"><Tracking event="notUsed">${cdata(beacons.notUsed)}</Tracking></Extension></Extensions>`,
    `<Impression id="cadence">${cdata(beacons.impression)}</Impression>`,
    `<AdServingId>${x(ad.adServingId)}</AdServingId>`,
    `<AdTitle>${x(creative.title)}</AdTitle>`,
    `<Advertiser>${x(campaign.advertiserDomain)}</Advertiser>`,
    category,
    "<Creatives>",
    `<Creative id="${x(creative.id)}" adId="${x(creative.universalAdId)}" sequence="1">`,
    "<Linear>",
    `<TrackingEvents>${tracking}</TrackingEvents>`,
    `<Duration>${vastDuration(creative.durationMs)}</Duration>`,
    `<MediaFiles>${mediaFiles}${hls}${mezzanine}</MediaFiles>`,
    "</Linear>",
    `<UniversalAdId idRegistry="${x(creative.universalAdIdRegistry)}">${x(creative.universalAdId)}</UniversalAdId>`,
    "</Creative>",
    "</Creatives>",
    `<Expires>${options.expiresSeconds}</Expires>`,
    "</InLine>",
    "</Ad>",
  ].join("");
}

export async function renderPod(pod: AdPod, options: RenderOptions): Promise<RenderedPod> {
  if (pod.ads.length === 0) return { xml: NO_FILL_VAST, ads: [] };
  const rendered = await Promise.all(
    pod.ads.map(async (ad) => {
      const beacons = await beaconsFor(ad, options);
      const mediaBaseUrl = creativeMediaBase(options.baseUrl, ad.creative);
      return {
        xml: renderAd(ad, beacons, mediaBaseUrl, options),
        ad: {
          adServingId: ad.adServingId,
          sequence: ad.sequence,
          campaignId: ad.campaign.id,
          creativeId: ad.creative.id,
          durationMs: ad.creative.durationMs,
          beacons,
          mediaBaseUrl,
          hls: ad.creative.hls,
        } satisfies RenderedAd,
      };
    }),
  );
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<VAST version="4.2" xmlns="${VAST_NAMESPACE}">${rendered.map((r) => r.xml).join("")}</VAST>\n`;
  return { xml, ads: rendered.map((r) => r.ad) };
}
