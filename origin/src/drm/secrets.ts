/**
 * The origin's two content-protection secrets: the key-encryption key (MEDIA_KEK) that wraps every content key at rest,
 * and the licence wrapping key (LICENSE_WRAP_KEY) under which content keys are published to the edge, which only the
 * playback worker also holds. In production both must come from the environment (a secret manager); elsewhere they are
 * generated once into `<DATA_DIR>/keys/drm-secrets.json` (mode 600), so a fresh clone needs no setup and the local
 * stack hands the wrapping key to the playback worker from there.
 */
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { WRAP_SECRET_PATTERN, WrapSecretInvalid } from "@cadence/shared/drm/wrapped-key";
import type { DrmSettings } from "../config";

export interface DrmSecrets {
  kek: string;
  /** Names the KEK in the key store without revealing it: first 8 hex characters of its SHA-256. */
  kekId: string;
  licenseWrapKey: string;
}

export const drmSecretsPath = (dataDir: string) => join(dataDir, "keys", "drm-secrets.json");

export function loadDrmSecrets(settings: DrmSettings): DrmSecrets {
  let kek = settings.MEDIA_KEK;
  let licenseWrapKey = settings.LICENSE_WRAP_KEY;
  if (settings.CADENCE_ENV === "production" && (!kek || !licenseWrapKey)) {
    throw new Error("MEDIA_KEK and LICENSE_WRAP_KEY must be set in production (32 random bytes each, base64url).");
  }
  if (!kek || !licenseWrapKey) {
    const local = localSecrets(settings.dataDir);
    kek ??= local.kek;
    licenseWrapKey ??= local.licenseWrapKey;
  }
  if (!WRAP_SECRET_PATTERN.test(kek)) throw new WrapSecretInvalid("MEDIA_KEK");
  if (!WRAP_SECRET_PATTERN.test(licenseWrapKey)) throw new WrapSecretInvalid("LICENSE_WRAP_KEY");
  return { kek, kekId: createHash("sha256").update(kek).digest("hex").slice(0, 8), licenseWrapKey };
}

/** The generated local secrets (created on first use). */
export function localSecrets(dataDir: string): { kek: string; licenseWrapKey: string } {
  const path = drmSecretsPath(dataDir);
  if (existsSync(path)) return JSON.parse(readFileSync(path, "utf8")) as { kek: string; licenseWrapKey: string };
  const secrets = { kek: randomBytes(32).toString("base64url"), licenseWrapKey: randomBytes(32).toString("base64url") };
  mkdirSync(join(dataDir, "keys"), { recursive: true });
  writeFileSync(path, JSON.stringify(secrets, null, 2), { mode: 0o600, flag: "wx" });
  return secrets;
}
