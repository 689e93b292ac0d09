/**
 * The local licence provider: HLS AES-128. It unwraps the granted content key with LICENSE_WRAP_KEY (AES-256-GCM,
 * bound to the key id) and answers its 16 raw bytes, never cached anywhere (`no-store`). The key exists in clear only
 * in this request's memory; the edge's caches (the track cache, Redis) hold only the wrapped form.
 */
import { unwrapKey } from "@cadence/shared/drm/wrapped-key";
import { type LicenseProvider, LicenseProviderError } from "../provider";

export const aes128Provider: LicenseProvider = {
  keyFormat: "identity",
  async license(grant, _request, env) {
    const { keyId, wrappedKey } = grant.encryption;
    const key = await unwrapKey(env.LICENSE_WRAP_KEY, "edge", keyId, wrappedKey, "LICENSE_WRAP_KEY");
    if (key?.length !== 16) {
      throw new LicenseProviderError(`content key ${keyId} does not unwrap under LICENSE_WRAP_KEY`);
    }
    return new Response(key as Uint8Array<ArrayBuffer>, {
      headers: {
        "content-type": "application/octet-stream",
        "cache-control": "private, no-store",
        "x-license-expires": new Date(grant.expiresAt).toISOString(),
      },
    });
  },
};
