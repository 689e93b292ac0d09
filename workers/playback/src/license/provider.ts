/**
 * The licence-provider interface: what the licence route hands a key system once it has decided that a session may
 * have a key (a `LicenseGrant`), and what the key system answers. The route owns every rule (token, session,
 * device, tier, track, abuse limits); a provider only turns a granted content key into its system's licence:
 *
 * - `aes-128` (local, providers/aes-128.ts): HLS AES-128, the raw 16-byte key (hls.js, Safari, ffmpeg).
 * - FairPlay Streaming (`com.apple.streamingkeydelivery`): the player POSTs an SPC; the provider runs Apple's KSM
 *   with the deployment's FPS certificate and private key and answers the CKC (docs/drm.md).
 * - Widevine (`urn:uuid:edef8ba9-79d6-4ace-a3c8-27dcd51d21ed`): the player POSTs a licence challenge; the provider
 *   proxies it, signed with the provider credentials, to the Widevine licence service with the key id, key and
 *   policy (docs/drm.md).
 */
import type { RenditionId } from "@cadence/shared/catalog/edge-track";
import type { EdgeEncryption } from "@cadence/shared/drm/content-key";
import type { PlaybackSession } from "@cadence/shared/playback/session";
import type { Env } from "../context";

export interface LicenseGrant {
  session: PlaybackSession;
  rendition: RenditionId;
  /** The rendition's encryption, with the content key still wrapped under LICENSE_WRAP_KEY. */
  encryption: EdgeEncryption;
  /** Epoch ms after which the licence must not be used (the session's expiry). */
  expiresAt: number;
}

export interface LicenseProvider {
  /** The key system, as `#EXT-X-KEY` KEYFORMAT names it (`identity` for AES-128). */
  readonly keyFormat: string;
  /** The licence for a granted key; `request` carries what the player sent (an SPC or a Widevine challenge). */
  license(grant: LicenseGrant, request: Request, env: Env): Promise<Response>;
}

/** A provider that cannot deliver (misconfigured secret, vendor service down) throws; the route answers 5xx. */
export class LicenseProviderError extends Error {}
