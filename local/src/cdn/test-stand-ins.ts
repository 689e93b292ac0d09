/**
 * The playback part of the test stack: secrets generated into the run's data folder, the fixture track's media
 * (encrypted, as the catalog packages it) in the origin's media store, and both CDN stand-ins in-process, pulling
 * from the test origin through a recorder of origin requests (origin-recorder.ts), which the playback worker's
 * Cloudflare pathway pulls through as well. The licence wrapping key is the one the origin generated.
 */
import { join } from "node:path";
import { localSecrets } from "@cadence/origin/src/drm/secrets";
import { buildEncryptedSineMedia } from "../encrypted-fixture";
import type { PlaybackStackInfo, TestStackInfo } from "../test-bindings";
import { startOriginRecorder } from "./origin-recorder";
import { playbackSecrets } from "./secrets";
import { startCdnStandIn } from "./stand-ins";

export async function startPlaybackStandIns(
  stack: Pick<TestStackInfo, "dataDir" | "originUrl" | "mediaPullToken"> & { redis?: { url: string; token: string } },
): Promise<{ info: PlaybackStackInfo; close(): Promise<void> }> {
  const secrets = { ...playbackSecrets(stack.dataDir), licenseWrapKey: localSecrets(stack.dataDir).licenseWrapKey };
  const recorder = await startOriginRecorder(stack.originUrl);
  const options = { originUrl: recorder.url, mediaPullToken: stack.mediaPullToken, secrets, redis: stack.redis };
  const [fixture, cloudfront, akamai] = await Promise.all([
    buildEncryptedSineMedia(join(stack.dataDir, "media"), secrets.licenseWrapKey),
    startCdnStandIn("cloudfront", options),
    startCdnStandIn("akamai", options),
  ]);
  return {
    info: {
      ...secrets,
      cloudfrontUrl: cloudfront.url,
      akamaiUrl: akamai.url,
      originRecorderUrl: recorder.url,
      fixture,
    },
    close: async () => {
      await Promise.all([cloudfront.close(), akamai.close()]);
      await recorder.close();
    },
  };
}
