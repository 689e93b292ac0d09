/**
 * What the ingest endpoint refuses from the edge: a message older than what the catalog holds (409, nothing changes),
 * a purge of an unknown release, a body that is not a zip (415 by type, 422 by content), and any ingest without
 * ffmpeg (503 that says what to install, nothing written).
 */
import { readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SERVICE_TOKEN_HEADER } from "@cadence/shared/trust/service-call";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { purgeReleaseMessage } from "../../src/catalog/demo/delivery-builder";
import { freshOrigin } from "../helpers";
import { copyOf, tempDir, zipFolder } from "./helpers";
import { ingestOrigin } from "./ingest-helpers";

type IngestOrigin = Awaited<ReturnType<typeof ingestOrigin>>;
let origin: IngestOrigin["origin"];
let delivery: string;
let upload: IngestOrigin["upload"];
let edgeTrack: IngestOrigin["edgeTrack"];
let redelivery: IngestOrigin["redelivery"];

beforeAll(async () => {
  ({ origin, delivery, upload, edgeTrack, redelivery } = await ingestOrigin());
}, 60_000);

describe("re-deliveries out of order", () => {
  beforeAll(async () => {
    expect((await upload(delivery)).status).toBe(201);
    expect((await upload(await redelivery("TEST-MSG-2", "2026-02-01T00:00:00Z"))).status).toBe(201);
  }, 60_000);

  it("an older message about the same release is refused with 409 and changes nothing", async () => {
    const folder = await redelivery("TEST-MSG-0", "2026-01-05T00:00:00Z");
    const before = await edgeTrack("trk_qztst2600001");
    const res = await upload(folder);
    expect(res.status).toBe(409);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const body = (await res.json()) as { code: string; errors: Array<{ code: string; message: string }> };
    expect(body.code).toBe("stale-delivery");
    expect(body.errors[0]?.message).toContain("TEST-MSG-2");
    expect(await edgeTrack("trk_qztst2600001")).toEqual(before);
  });
});

describe("purges", () => {
  it("a purge of a release the catalog does not have is rejected", async () => {
    const folder = tempDir();
    writeFileSync(
      join(folder, "purge.xml"),
      purgeReleaseMessage({
        messageId: "X-1",
        createdAt: "2026-03-01T00:00:00Z",
        senderName: "T",
        icpn: "5901234123457",
        title: "?",
      }),
    );
    const res = await upload(folder);
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ code: "delivery-rejected", errors: [{ code: "unknown-release" }] });
  });
});

describe("the ingest endpoint itself", () => {
  it("wants a zip", async () => {
    const res = await origin.request("/v1/ops/catalog/deliveries", {
      method: "POST",
      headers: { "content-type": "application/json", [SERVICE_TOKEN_HEADER]: inject("stack").serviceToken },
      body: "{}",
    });
    expect(res.status).toBe(415);
  });

  it("without ffmpeg, says exactly what to install (503) and writes nothing", async () => {
    const bare = await freshOrigin({ FFMPEG_PATH: "/nonexistent/ffmpeg", FFPROBE_PATH: "/nonexistent/ffprobe" });
    const res = await bare.request("/v1/ops/catalog/deliveries", {
      method: "POST",
      headers: { "content-type": "application/zip", [SERVICE_TOKEN_HEADER]: inject("stack").serviceToken },
      body: zipFolder(delivery),
    });
    expect(res.status).toBe(503);
    const body = (await res.json()) as { code: string; detail: string };
    expect(body.code).toBe("transcoder-unavailable");
    expect(body.detail).toContain("apt-get install ffmpeg");
    const [row] = await bare.services.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM catalog_tracks`);
    expect(row?.n).toBe(0);
  });

  it("names a broken or missing audio file of an uploaded archive without showing where the server unpacked it", async () => {
    const folder = await copyOf(delivery);
    const audio = readdirSync(folder, { recursive: true, encoding: "utf8" }).filter((f) => /\.(wav|flac)$/i.test(f));
    expect(audio.length).toBeGreaterThan(1);
    writeFileSync(join(folder, audio[0] as string), "not audio at all");
    rmSync(join(folder, audio[1] as string));
    const res = await origin.request("/v1/ops/catalog/deliveries", {
      method: "POST",
      headers: { "content-type": "application/zip", [SERVICE_TOKEN_HEADER]: inject("stack").serviceToken },
      body: zipFolder(folder),
    });
    expect(res.status).toBe(422);
    const text = await res.text();
    expect(text).toContain(audio[1]?.split("/").at(-1));
    expect(text).not.toContain(tmpdir());
    expect(text).not.toContain("cadence-delivery-");
  });

  it("refuses a body that is not a zip with a precise error", async () => {
    const res = await origin.request("/v1/ops/catalog/deliveries", {
      method: "POST",
      headers: { "content-type": "application/zip", [SERVICE_TOKEN_HEADER]: inject("stack").serviceToken },
      body: "this is not a zip archive",
    });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ code: "delivery-rejected", errors: [{ path: "archive" }] });
  });
});
