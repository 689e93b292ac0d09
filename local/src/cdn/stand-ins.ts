/**
 * The two CDN stand-ins, wired to their token checks: CloudFront (trusted key group of public keys) and Akamai
 * (EdgeAuth hex key). Used in-process by the test stack and the e2e harness, and as processes by `npm start`.
 */
import { akamaiVerifier } from "./akamai-verify";
import { cloudfrontVerifier } from "./cloudfront-verify";
import { deliveryLog } from "./delivery-log";
import { type CdnName, type RunningCdnEdge, startCdnEdge } from "./edge-server";
import type { Knobs } from "./knobs";
import type { PlaybackSecrets } from "./secrets";

export interface StandInOptions {
  originUrl: string;
  /** The origin's media-only secret (never the service token). */
  mediaPullToken: string;
  secrets: Pick<PlaybackSecrets, "cloudfrontKeyPairId" | "cloudfrontPublicKeyPem" | "akamaiEdgeAuthKey">;
  host?: string;
  port?: number;
  knobs?: Partial<Knobs>;
  /** Where served bytes are reported (the Upstash REST endpoint of the edge state); none: not reported. */
  redis?: { url: string; token: string };
}

export function startCdnStandIn(cdn: CdnName, options: StandInOptions): Promise<RunningCdnEdge> {
  const verifier =
    cdn === "cloudfront"
      ? cloudfrontVerifier({ [options.secrets.cloudfrontKeyPairId]: options.secrets.cloudfrontPublicKeyPem })
      : akamaiVerifier(options.secrets.akamaiEdgeAuthKey);
  const log = options.redis ? deliveryLog(options.redis) : undefined;
  const edge = startCdnEdge({
    cdn,
    host: options.host,
    port: options.port,
    originUrl: options.originUrl,
    mediaPullToken: options.mediaPullToken,
    knobs: options.knobs,
    verify: (request) => verifier.verify(request),
    onServed: log
      ? (e) => {
          if (e.bytes > 0) log.served({ sessionId: e.sessionId, cdn, bytes: e.bytes, requests: 1, at: e.at });
        }
      : undefined,
  });
  return edge.then((running) => ({
    ...running,
    close: async () => {
      await running.close();
      await log?.close();
    },
  }));
}
