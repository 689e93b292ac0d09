/**
 * What a re-delivery and shared audio report. The same MessageId again with the same bytes is "unchanged"; with
 * different audio (even with matching HashSums) it is refused, never "unchanged" and never applied over the stored
 * audio. Two ISRCs delivered as one file are transcoded once, and the report says which track shares whose audio.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { md5Of, synthesizeAudio } from "../../src/catalog/demo/delivery-builder";
import { buildDelivery, copyOf, messageFileOf, smallRelease } from "./helpers";
import { ingestOrigin } from "./ingest-helpers";

type IngestOrigin = Awaited<ReturnType<typeof ingestOrigin>>;
let upload: IngestOrigin["upload"];
let edgeTrack: IngestOrigin["edgeTrack"];
let delivery: string;

beforeAll(async () => {
  ({ upload, edgeTrack, delivery } = await ingestOrigin());
  const res = await upload(delivery);
  expect(res.status).toBe(201);
}, 60_000);

describe("the same MessageId delivered again", () => {
  it("with the same bytes: unchanged", async () => {
    const res = await upload(await copyOf(delivery));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "unchanged" });
  });

  it("with other audio whose HashSum matches it: refused, saying why, and the stored audio stays", async () => {
    const before = await edgeTrack("trk_qztst2600002");
    const folder = await copyOf(delivery);
    const audio = join(folder, "resources", "QZTST2600002.flac");
    const oldMd5 = await md5Of(audio);
    await synthesizeAudio("ffmpeg", audio, 9, 42);
    const file = messageFileOf(folder);
    writeFileSync(file, readFileSync(file, "utf8").replace(oldMd5, await md5Of(audio)));

    const res = await upload(folder);
    const report = (await res.json()) as {
      status: string;
      errors: Array<{ code: string; path: string; message: string }>;
    };
    expect(res.status).toBe(422);
    expect(report.errors).toEqual([
      {
        code: "redelivery-differs",
        path: "/NewReleaseMessage/ResourceList/SoundRecording[2]/SoundRecordingEdition/TechnicalDetails/DeliveryFile/File/URI",
        message: expect.stringMatching(/ingested before with other audio for ISRC QZTST2600002.*new MessageId/),
      },
    ]);
    expect(await edgeTrack("trk_qztst2600002")).toEqual(before);
  });

  it("naming a recording the first delivery did not have: refused", async () => {
    const folder = await copyOf(delivery);
    const file = messageFileOf(folder);
    writeFileSync(file, readFileSync(file, "utf8").replaceAll("QZTST2600002", "QZTST2600003"));
    writeFileSync(
      join(folder, "resources", "QZTST2600003.flac"),
      readFileSync(join(folder, "resources", "QZTST2600002.flac")),
    );
    const res = await upload(folder);
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({
      errors: [{ code: "redelivery-differs", message: expect.stringContaining("without ISRC QZTST2600003") }],
    });
  });
});

describe("two ISRCs delivered as one file", () => {
  it("are transcoded once, and the report says so", async () => {
    const folder = await buildDelivery(
      smallRelease({
        messageId: "SHARED-AUDIO-1",
        icpn: "5012345678924",
        tracks: [
          { isrc: "QZSHA2600001", title: "Radio Edit", seconds: 3, seed: 7, file: "shared.flac" },
          { isrc: "QZSHA2600002", title: "Radio Edit (Clean)", seconds: 3, seed: 7, file: "shared.flac" },
        ],
      }),
    );
    const res = await upload(folder);
    const report = (await res.json()) as {
      transcodes: number;
      tracks: Array<{ id: string; transcoded: boolean; sharesAudioWith?: string }>;
    };
    expect(res.status, JSON.stringify(report)).toBe(201);
    expect(report.transcodes).toBe(1);
    const byId = new Map(report.tracks.map((t) => [t.id, t]));
    expect(byId.get("trk_qzsha2600001")).toMatchObject({ transcoded: true });
    expect(byId.get("trk_qzsha2600002")).toMatchObject({ transcoded: false, sharesAudioWith: "trk_qzsha2600001" });
  });
});
