/**
 * The licence providers this deployment runs, by key format. The local AES-128 provider is always there; a
 * production deployment adds FairPlay and Widevine providers here (docs/drm.md says what each needs), and the
 * licence route picks one by the `keyformat` query parameter (default `identity`).
 */
import type { LicenseProvider } from "../provider";
import { aes128Provider } from "./aes-128";

export const LICENSE_PROVIDERS: ReadonlyMap<string, LicenseProvider> = new Map([
  [aes128Provider.keyFormat, aes128Provider],
]);
