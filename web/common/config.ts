/**
 * The page's view of the deployment, asked once from the api worker (`GET /v1/web/config`): where the playback and
 * ingest-events workers are, and which local CDN stand-ins the ops console may drive. An empty base URL means the
 * page's own origin (the edge front door routes by path).
 */
import type { WebConfig } from "@cadence/shared/web/config";
import { requestJson } from "./api";

export type { WebConfig };

let config: Promise<WebConfig> | undefined;

export function webConfig(): Promise<WebConfig> {
  config ??= requestJson<WebConfig>("/v1/web/config");
  return config;
}

/** CDN pathway colours (Okabe-Ito, distinguishable with colour-blindness) and dash patterns. */
export const CDN_STYLE: Record<string, { color: string; dash?: string; label: string }> = {
  cloudfront: { color: "#0072B2", label: "CloudFront" },
  akamai: { color: "#D55E00", dash: "8 4", label: "Akamai" },
  cloudflare: { color: "#009E73", dash: "2 3", label: "Cloudflare" },
};

export function cdnStyle(cdn: string): { color: string; dash?: string; label: string } {
  return CDN_STYLE[cdn] ?? { color: "#555", label: cdn };
}
