/**
 * Ingestion end to end on a real origin (temporary libSQL file, the test run's real Redis through the Upstash bridge,
 * real ffmpeg): a two-track delivery uploaded as a zip becomes the four-rendition ladder, measured and published to
 * edge state; re-deliveries are ordered; the same audio is never transcoded twice; a purge takes tracks down.
 * What is refused: ingest.errors.test.ts (older messages, unknown purges, bodies that are not a zip, no ffmpeg) and
 * ingest.security.test.ts (anyone but the edge).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isPlayable } from "@cadence/shared/catalog/availability";
import { CATALOG_TRACK_INDEX_KEY } from "@cadence/shared/catalog/edge-track";
import { beforeAll, describe, expect, it } from "vitest";
import { purgeReleaseMessage } from "../../src/catalog/demo/delivery-builder";
import { decryptFile } from "../../src/drm/segment-cipher";
import { tempDir } from "./helpers";
import { ingestOrigin } from "./ingest-helpers";

type IngestOrigin = Awaited<ReturnType<typeof ingestOrigin>>;
let origin: IngestOrigin["origin"];
let delivery: string;
let upload: IngestOrigin["upload"];
let edgeTrack: IngestOrigin["edgeTrack"];
let count: IngestOrigin["count"];
let redelivery: IngestOrigin["redelivery"];

beforeAll(async () => {
  ({ origin, delivery, upload, edgeTrack, count, redelivery } = await ingestOrigin());
}, 60_000);

describe("ingesting a delivery", () => {
  let first: Record<string, unknown> & { tracks: Array<{ id: string; transcoded: boolean }> };

  beforeAll(async () => {
    const res = await upload(delivery);
    first = (await res.json()) as typeof first;
    expect(res.status, JSON.stringify(first)).toBe(201);
  }, 60_000);

  it("reports the release and both tracks, transcoded, with the ladder", () => {
    expect(first).toMatchObject({ status: "ingested", message: { id: "TEST-MSG-1", ernVersion: "4.3" } });
    expect(first.tracks.map((t) => t.id).sort()).toEqual(["trk_qztst2600001", "trk_qztst2600002"]);
    expect(first.tracks.every((t) => t.transcoded)).toBe(true);
  });

  it("publishes each track's EdgeTrack to Redis with measured renditions and availability", async () => {
    const edge = await edgeTrack("trk_qztst2600001");
    expect(edge).toMatchObject({
      id: "trk_qztst2600001",
      isrc: "QZTST2600001",
      title: "First Test",
      artist: "The Test Tones",
    });
    expect(edge?.durationSamples).toBe(8 * 44_100);
    expect(edge?.durationMs).toBe(8000);
    expect(edge?.loudnessLufs).toBeLessThan(-5);
    expect(edge?.loudnessLufs).toBeGreaterThan(-40);
    expect(edge?.truePeakDbtp).toBeLessThan(0);
    expect(edge?.renditions.map((r) => [r.id, r.codec])).toEqual([
      ["aac-128", "mp4a.40.2"],
      ["aac-256", "mp4a.40.2"],
      ["aac-320", "mp4a.40.2"],
      ["flac", "fLaC"],
    ]);
    for (const r of edge?.renditions ?? []) {
      expect(r.path).toMatch(/^[0-9a-f]{64}-l1-aes\/(aac-128|aac-256|aac-320|flac)$/);
      expect(r.encryption).toMatchObject({ method: "AES-128", keyId: expect.stringMatching(/^[0-9a-f]{32}$/) });
      expect(r.init).toBe("init.mp4");
      expect(r.segments[0]?.uri).toBe("seg-00001.m4s");
      expect(r.bandwidth).toBeGreaterThanOrEqual(r.averageBandwidth);
      const seconds = r.segments.reduce((s, x) => s + x.duration, 0);
      expect(Math.abs(seconds - 8)).toBeLessThan(0.2);
    }
    expect(isPlayable(edge!, "US", "free", Date.now())).toEqual({ ok: true });
    expect(await origin.services.redis.sismember(CATALOG_TRACK_INDEX_KEY, "trk_qztst2600001")).toBe(1);
  });

  it("every rendition is stored encrypted: it decodes with ffprobe/ffmpeg only with its key, with the stated codec and bit rate", async () => {
    const edge = (await edgeTrack("trk_qztst2600002"))!;
    const root = join(origin.dataDir, "media");
    const nominal: Record<string, number> = { "aac-128": 128_000, "aac-256": 256_000, "aac-320": 320_000 };
    const work = tempDir();
    for (const r of edge.renditions) {
      const whole = join(work, `${r.id}.mp4`);
      const parts = [r.init, ...r.segments.map((s) => s.uri)].map((f) => readFileSync(join(root, r.path, f)));
      const sealed = join(work, `${r.id}-sealed.mp4`);
      writeFileSync(sealed, Buffer.concat(parts));
      expect(spawnSync("ffprobe", ["-v", "error", "-show_streams", sealed]).status).not.toBe(0);
      const key = (await origin.services.catalog.vault.byId(r.encryption!.keyId))!;
      writeFileSync(whole, Buffer.concat(parts.map((bytes, index) => decryptFile(bytes, key, index))));
      const probe = JSON.parse(
        execFileSync("ffprobe", ["-v", "error", "-show_streams", "-show_format", "-of", "json", whole]).toString(),
      ) as { streams: Array<Record<string, string | number>>; format: Record<string, string> };
      const stream = probe.streams[0]!;
      expect(stream.codec_name).toBe(r.id === "flac" ? "flac" : "aac");
      if (r.id !== "flac") expect(stream.profile).toBe("LC");
      expect(Number(stream.sample_rate)).toBe(r.sampleRate);
      expect(Number(stream.channels)).toBe(2);
      // Decodes end to end without an error.
      execFileSync("ffmpeg", ["-v", "error", "-xerror", "-i", whole, "-f", "null", "-"]);
      const mediaBytes = r.segments.reduce((s, x) => s + x.bytes, 0);
      const mediaSeconds = r.segments.reduce((s, x) => s + x.duration, 0);
      expect(r.averageBandwidth).toBe(Math.ceil((mediaBytes * 8) / mediaSeconds));
      const target = nominal[r.id];
      if (target) {
        expect(r.averageBandwidth).toBeGreaterThan(target * 0.8);
        expect(r.averageBandwidth).toBeLessThan(target * 1.15);
      } else {
        expect(r.averageBandwidth).toBeGreaterThan(400_000); // lossless stereo 16-bit/44.1 kHz
      }
    }
    const averages = edge.renditions.map((r) => r.averageBandwidth);
    expect([...averages].sort((a, b) => a - b)).toEqual(averages);
  }, 60_000);

  it("the same message again is 'unchanged': nothing transcoded, nothing written", async () => {
    const transcodes = origin.services.catalog.packager.transcodes;
    const ingests = await count("catalog_ingests");
    const res = await upload(delivery);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "unchanged" });
    expect(origin.services.catalog.packager.transcodes).toBe(transcodes);
    expect(await count("catalog_ingests")).toBe(ingests);
  });

  it("a newer message updates the release (new deals) without transcoding the same audio again", async () => {
    const transcodes = origin.services.catalog.packager.transcodes;
    const before = (await edgeTrack("trk_qztst2600001"))!;
    const folder = await redelivery("TEST-MSG-2", "2026-02-01T00:00:00Z", (xml) =>
      xml.replace(/<CommercialModelType>AdvertisementSupportedModel<\/CommercialModelType>/g, ""),
    );
    const res = await upload(folder);
    const body = (await res.json()) as { tracks: Array<{ transcoded: boolean }> };
    expect(res.status, JSON.stringify(body)).toBe(201);
    expect(body.tracks.every((t) => !t.transcoded)).toBe(true);
    expect(origin.services.catalog.packager.transcodes).toBe(transcodes);
    const after = (await edgeTrack("trk_qztst2600001"))!;
    expect(after.version).toBeGreaterThan(before.version);
    expect(after.renditions[0]?.path).toBe(before.renditions[0]?.path);
    expect(isPlayable(after, "US", "free", Date.now())).toMatchObject({ ok: false, reason: "tier-not-licensed" });
    expect(isPlayable(after, "US", "premium", Date.now())).toEqual({ ok: true });
  });

  it("a newer message that drops a track from the release takes that track's deals away at the edge", async () => {
    const before = (await edgeTrack("trk_qztst2600001"))!;
    const folder = await redelivery("TEST-MSG-2B", "2026-02-15T00:00:00Z", (xml) =>
      xml.replace(/<ResourceGroupContentItem><SequenceNumber>1<\/SequenceNumber>.*?<\/ResourceGroupContentItem>/, ""),
    );
    const res = await upload(folder);
    expect(res.status, await res.clone().text()).toBe(201);
    const dropped = (await edgeTrack("trk_qztst2600001"))!;
    expect(dropped.version).toBeGreaterThan(before.version);
    expect(dropped.availability.rules).toEqual([]);
    expect(isPlayable(dropped, "US", "premium", Date.now())).toMatchObject({ ok: false, reason: "territory" });
    expect(isPlayable((await edgeTrack("trk_qztst2600002"))!, "US", "premium", Date.now())).toEqual({ ok: true });
  });

  it("a PurgeReleaseMessage takes the tracks down from its date (410 reason at the edge)", async () => {
    const folder = tempDir();
    writeFileSync(
      join(folder, "purge.xml"),
      purgeReleaseMessage({
        messageId: "TEST-MSG-3",
        createdAt: "2026-03-01T00:00:00Z",
        senderName: "Test Distributor",
        icpn: "4006381333931",
        title: "Test Signals",
      }),
    );
    const res = await upload(folder);
    expect(res.status).toBe(201);
    const edge = (await edgeTrack("trk_qztst2600002"))!;
    expect(edge.availability.takedownAt).toBe(Date.parse("2026-03-01T00:00:00Z"));
    expect(isPlayable(edge, "US", "premium", Date.parse("2026-02-28T00:00:00Z")).ok).toBe(true);
    expect(isPlayable(edge, "US", "premium", Date.parse("2026-03-01T00:00:00Z"))).toMatchObject({
      reason: "taken-down",
    });
  });
});
