/**
 * Opens the media store the configuration asks for: a local folder (the default) or an S3-compatible bucket, whose
 * settings must then all be present.
 */
import type { MediaStoreSettings } from "../config";
import { LocalMediaStore } from "./local";
import { S3MediaStore } from "./s3";
import type { MediaStore } from "./store";

export function createMediaStore(settings: MediaStoreSettings, dataDir: string): MediaStore {
  if (settings.MEDIA_STORE === "s3") {
    const missing = (
      ["MEDIA_S3_ENDPOINT", "MEDIA_S3_BUCKET", "MEDIA_S3_ACCESS_KEY_ID", "MEDIA_S3_SECRET_ACCESS_KEY"] as const
    ).filter((k) => !settings[k]);
    if (missing.length > 0) throw new Error(`MEDIA_STORE=s3 needs ${missing.join(", ")}.`);
    return new S3MediaStore({
      endpoint: settings.MEDIA_S3_ENDPOINT!,
      bucket: settings.MEDIA_S3_BUCKET!,
      region: settings.MEDIA_S3_REGION,
      accessKeyId: settings.MEDIA_S3_ACCESS_KEY_ID!,
      secretAccessKey: settings.MEDIA_S3_SECRET_ACCESS_KEY!,
      prefix: settings.MEDIA_S3_PREFIX,
    });
  }
  return new LocalMediaStore(settings.MEDIA_DIR ?? `${dataDir}/media`);
}
