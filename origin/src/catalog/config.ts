/**
 * The catalog's configuration knobs, merged into the origin's typed env (origin/src/config.ts), so a wrong value
 * fails the start with the variable's name like every other setting.
 */
import { z } from "zod";

export const catalogEnv = {
  /** `local` (a folder under DATA_DIR, the default) or `s3` (any S3-compatible store: AWS S3, Cloudflare R2, MinIO). */
  MEDIA_STORE: z.enum(["local", "s3"]).default("local"),
  /** Local store folder; default `<DATA_DIR>/media`. */
  MEDIA_DIR: z.string().optional(),
  /** S3-compatible endpoint, e.g. `https://<account>.r2.cloudflarestorage.com` or `https://s3.eu-west-1.amazonaws.com`. */
  MEDIA_S3_ENDPOINT: z.string().url().optional(),
  MEDIA_S3_BUCKET: z.string().min(3).optional(),
  MEDIA_S3_REGION: z.string().default("auto"),
  MEDIA_S3_ACCESS_KEY_ID: z.string().optional(),
  MEDIA_S3_SECRET_ACCESS_KEY: z.string().optional(),
  /** Key prefix inside the bucket, e.g. `media/`. */
  MEDIA_S3_PREFIX: z.string().default(""),
  FFMPEG_PATH: z.string().default("ffmpeg"),
  FFPROBE_PATH: z.string().default("ffprobe"),
  /** Transcodes running at once (each is one ffmpeg process using about one core). */
  TRANSCODE_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  /** Largest delivery archive the HTTP ingest endpoint accepts. */
  INGEST_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(2 * 1024 ** 3),
};

const catalogSchema = z.object(catalogEnv);
export type CatalogSettings = z.infer<typeof catalogSchema>;
