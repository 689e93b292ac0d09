/**
 * The catalog's HTTP surface on the origin. Every route answers only the edge (requests carrying the workers'
 * service token): apps reach the catalog through the api worker, which authenticates listeners and caches; the ops
 * ingest endpoint is scoped to ops there.
 *
 * - `GET /v1/catalog/tracks|releases|artists` (cursor pagination) and `/{id}`; `GET /v1/search?q=`
 * - `POST /v1/ops/catalog/deliveries` with a zip of a delivery folder: the ingest report (201 ingested, 200 unchanged,
 *   422 rejected with every error and its element path, 409 older than what the catalog holds, 413 too large)
 * - `POST /v1/ops/catalog/batches` with a zip of delivery folders: 200 with one report per delivery
 */
import { parseWith } from "@cadence/shared/http";
import { Problem, problems } from "@cadence/shared/problem";
import { edgeOnly, requireEdgeCaller } from "@cadence/shared/trust/edge-only";
import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import type { OriginEnv } from "../context";
import { FfmpegMissing } from "../transcode/ffmpeg";
import { ArchiveRejected } from "./ddex/archive";
import type { IngestReport } from "./ingest";
import {
  artistDetail,
  decodeCursor,
  listArtists,
  listReleases,
  listTracks,
  releaseDetail,
  trackDetail,
} from "./queries";
import { searchCatalog } from "./search";
import { type Catalog, UploadTooLarge } from "./service";

const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
});
const searchQuery = z.object({
  q: z.string().trim().min(1, "Give a search text in `q`.").max(200),
  limit: z.coerce.number().int().min(1).max(50).default(20),
  cursor: z.string().max(200).optional(),
});
const ID = /^[a-z]{3}_[A-Za-z0-9_-]{1,80}$/;

/** Catalog answers are the same for every caller: let the edge cache them briefly. */
const CACHEABLE = "public, max-age=30";

const EDGE_ONLY = "This origin endpoint serves the edge only; call it through the api worker.";
const requireEdge = (c: Context<OriginEnv>) => requireEdgeCaller(c.var.fromEdge, EDGE_ONLY);

function pageArgs(c: Context<OriginEnv>) {
  const query = parseWith(pageQuery, c.req.query(), "query");
  let after: string | undefined;
  if (query.cursor !== undefined) {
    after = decodeCursor(query.cursor);
    if (after === undefined) throw problems.badRequest("`cursor` is not a cursor this API returned; start without it.");
  }
  return { after, limit: query.limit };
}

function idParam(c: Context<OriginEnv>, what: string): string {
  const id = c.req.param("id") ?? "";
  if (!ID.test(id)) throw problems.notFound(`No ${what} ${id}.`);
  return id;
}

export function catalogRoutes(catalog: Catalog) {
  const { db } = catalog;
  const app = new Hono<OriginEnv>();
  app.use("/v1/catalog/*", edgeOnly(EDGE_ONLY));

  app.get("/v1/catalog/tracks", async (c) => {
    const { after, limit } = pageArgs(c);
    c.header("cache-control", CACHEABLE);
    return c.json(await listTracks(db, after, limit));
  });
  app.get("/v1/catalog/tracks/:id", async (c) => {
    const track = await trackDetail(db, catalog.packager, idParam(c, "track"));
    if (!track) throw problems.notFound(`No track ${c.req.param("id")}.`);
    c.header("cache-control", CACHEABLE);
    return c.json(track);
  });
  app.get("/v1/catalog/releases", async (c) => {
    const { after, limit } = pageArgs(c);
    c.header("cache-control", CACHEABLE);
    return c.json(await listReleases(db, after, limit));
  });
  app.get("/v1/catalog/releases/:id", async (c) => {
    const release = await releaseDetail(db, idParam(c, "release"));
    if (!release) throw problems.notFound(`No release ${c.req.param("id")}.`);
    c.header("cache-control", CACHEABLE);
    return c.json(release);
  });
  app.get("/v1/catalog/artists", async (c) => {
    const { after, limit } = pageArgs(c);
    c.header("cache-control", CACHEABLE);
    return c.json(await listArtists(db, after, limit));
  });
  app.get("/v1/catalog/artists/:id", async (c) => {
    const artist = await artistDetail(db, idParam(c, "artist"));
    if (!artist) throw problems.notFound(`No artist ${c.req.param("id")}.`);
    c.header("cache-control", CACHEABLE);
    return c.json(artist);
  });

  app.get("/v1/search", async (c) => {
    requireEdge(c);
    const query = parseWith(searchQuery, c.req.query(), "query");
    let offset = 0;
    if (query.cursor !== undefined) {
      const decoded = Number(decodeCursor(query.cursor));
      if (!Number.isInteger(decoded) || decoded < 0) {
        throw problems.badRequest("`cursor` is not a cursor this API returned; start without it.");
      }
      offset = decoded;
    }
    const result = await searchCatalog(db, query.q, query.limit, offset);
    const next = offset + query.limit < result.total ? String(offset + query.limit) : null;
    c.header("cache-control", CACHEABLE);
    return c.json({
      ...result,
      next_cursor: next === null ? null : Buffer.from(JSON.stringify({ after: next })).toString("base64url"),
    });
  });

  app.post("/v1/ops/catalog/deliveries", async (c) => {
    requireEdge(c);
    const type = (c.req.header("content-type") ?? "").toLowerCase();
    if (!type.startsWith("application/zip") && !type.startsWith("application/octet-stream")) {
      throw new Problem(
        "unsupported-media-type",
        "Upload the delivery folder as a zip (`content-type: application/zip`).",
      );
    }
    const body = c.req.raw.body;
    if (!body) throw problems.badRequest("The request has no body: upload the delivery as a zip.");
    let report: IngestReport;
    try {
      // A caller that goes away cancels the ingest (nothing is written before the final transaction).
      report = await catalog.ingestArchive(body, c.req.raw.signal);
    } catch (err) {
      if (err instanceof UploadTooLarge) throw new Problem("delivery-too-large", err.message);
      if (err instanceof FfmpegMissing) throw problems.unavailable("transcoder-unavailable", err.message, 60);
      if (c.req.raw.signal.aborted) {
        // The caller went away (499, as proxies log it): the ingest stopped before its transaction; not our error.
        throw new Problem(
          "client-closed-request",
          "The caller disconnected; the ingest was cancelled, nothing written.",
        );
      }
      throw err;
    }
    return reportResponse(c, report);
  });

  // A batch: a zip of delivery folders (or zips), ingested in parallel within the transcode pool. 200 with one report
  // per delivery once all are done; a delivery's failure is in its own report, never the batch's status.
  app.post("/v1/ops/catalog/batches", async (c) => {
    requireEdge(c);
    const type = (c.req.header("content-type") ?? "").toLowerCase();
    if (!type.startsWith("application/zip") && !type.startsWith("application/octet-stream")) {
      throw new Problem(
        "unsupported-media-type",
        "Upload the batch as a zip whose top-level folders are deliveries (`content-type: application/zip`).",
      );
    }
    const body = c.req.raw.body;
    if (!body) throw problems.badRequest("The request has no body: upload the batch of deliveries as a zip.");
    try {
      const batch = await catalog.ingestBatchArchive(body, c.req.raw.signal);
      c.header("cache-control", "no-store");
      return c.json(batch, 200);
    } catch (err) {
      if (err instanceof UploadTooLarge) throw new Problem("delivery-too-large", err.message);
      if (err instanceof FfmpegMissing) throw problems.unavailable("transcoder-unavailable", err.message, 60);
      if (err instanceof ArchiveRejected) {
        throw new Problem("delivery-rejected", `The batch archive: ${err.message}`, {
          extensions: { errors: [{ path: "archive", code: err.code, message: err.message }] },
        });
      }
      if (c.req.raw.signal.aborted) {
        throw new Problem(
          "client-closed-request",
          "The caller disconnected; deliveries not finished were not written.",
        );
      }
      throw err;
    }
  });
  return app;
}

function reportResponse(c: Context<OriginEnv>, report: IngestReport): Response {
  c.header("cache-control", "no-store");
  if (report.status === "ingested") return c.json(report, 201);
  if (report.status === "unchanged") return c.json(report, 200);
  const first = report.errors[0];
  const summary = first
    ? `${first.path}: ${first.message}${report.errors.length > 1 ? ` (and ${report.errors.length - 1} more)` : ""}`
    : "The delivery was refused.";
  const problem =
    report.status === "stale"
      ? new Problem("stale-delivery", summary, { extensions: { errors: report.errors, report } })
      : new Problem("delivery-rejected", summary, { extensions: { errors: report.errors, report } });
  throw problem;
}
