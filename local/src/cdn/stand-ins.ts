/**
 * The two CDN stand-ins, wired to their token checks: CloudFront (trusted key group of public keys) and Akamai
 * (EdgeAuth hex key). Used in-process by the test stack and the e2e harness, and as processes by `npm start`.
 */
import { akamaiVerifier } from "./akamai-verify";
import { cloudfrontVerifier } from "./cloudfront-verify";
import { type CdnName, type RunningCdnEdge, startCdnEdge } from "./edge-server";
import type { Knobs } from "./knobs";
import type { PlaybackSecrets } from "./secrets";

export interface StandInOptions {
  originUrl: string;
  serviceToken: string;
  secrets: Pick<PlaybackSecrets, "cloudfrontKeyPairId" | "cloudfrontPublicKeyPem" | "akamaiEdgeAuthKey">;
  host?: string;
  port?: number;
  knobs?: Partial<Knobs>;
}

export function startCdnStandIn(cdn: CdnName, options: StandInOptions): Promise<RunningCdnEdge> {
  const verifier =
    cdn === "cloudfront"
      ? cloudfrontVerifier({ [options.secrets.cloudfrontKeyPairId]: options.secrets.cloudfrontPublicKeyPem })
      : akamaiVerifier(options.secrets.akamaiEdgeAuthKey);
  return startCdnEdge({
    cdn,
    host: options.host,
    port: options.port,
    originUrl: options.originUrl,
    serviceToken: options.serviceToken,
    knobs: options.knobs,
    verify: (request) => verifier.verify(request),
  });
}
