/**
 * What the api worker tells its static pages (web player, ops and advertiser consoles) at `GET /v1/web/config`.
 * The pages are plain files, the same in every deployment, so where the other workers live is asked at run time.
 *
 * Contract between the api worker (writer) and the pages in web/ (reader).
 */
import type { CdnId } from "../cdn/cdn-id";

export interface WebConfig {
  /** `development`, `test` or `production`. */
  environment: string;
  /** Base URL of the playback worker for a browser; "" = the page's own origin (behind the edge front door). */
  playback_url: string;
  /** Base URL of the ingest-events worker for a browser; "" = the page's own origin. */
  events_url: string;
  /** Base URL of the ads worker for a browser (creative media an advertiser previews); "" = the page's own origin. */
  ads_url: string;
  /** CDNs whose local stand-in has operator knobs the ops console may drive (development only). */
  cdn_stand_ins: CdnId[];
}
