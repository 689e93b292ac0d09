/**
 * A delivery per ERN edition (3.8.2, 4.1, 4.1.1, 4.2, 4.3, 4.3.1), each message shaped by its own schema and checked
 * against it with xmllint where the repository keeps the XSD, ingests through the HTTP endpoint with the availability
 * its deals give: streamable on subscription in US and GB only. The message encodings XML allows (UTF-8 with a byte
 * order mark, UTF-16 with one) ingest the same; bytes that are not in the declared encoding are refused with an
 * error that names the encoding problem.
 */
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isPlayable } from "@cadence/shared/catalog/availability";
import { beforeAll, describe, expect, it } from "vitest";
import { gs1CheckDigit } from "../../src/catalog/ddex/identifiers";
import { md5Of, type ReleaseSpec, synthesizeAudio } from "../../src/catalog/demo/delivery-builder";
import { EDITIONS, type Edition, ernMessage, purgeMessage, schemaOf, xmllintErrors } from "./editions";
import { smallRelease, tempDir } from "./helpers";
import { ingestOrigin } from "./ingest-helpers";

type IngestOrigin = Awaited<ReturnType<typeof ingestOrigin>>;
let upload: IngestOrigin["upload"];
let edgeTrack: IngestOrigin["edgeTrack"];
/** Two short pieces of audio, made once; every edition's delivery carries copies (so they transcode once). */
let audio: string;
const md5ByFile = new Map<string, string>();

beforeAll(async () => {
  ({ upload, edgeTrack } = await ingestOrigin());
  audio = tempDir();
  for (const [i, name] of ["one.flac", "two.flac"].entries()) {
    await synthesizeAudio("ffmpeg", join(audio, name), 3, 20 + i);
    md5ByFile.set(name, await md5Of(join(audio, name)));
  }
}, 60_000);

/** A release for case `n`: its own ICPN (a 14-digit GTIN for odd n) and ISRCs, licensed US+GB on subscription. */
function releaseFor(n: number, messageId: string): ReleaseSpec {
  const body = `50${String(n).padStart(10, "0")}`;
  const ean = `${body}${gs1CheckDigit(body)}`;
  return smallRelease({
    messageId,
    icpn: n % 2 === 1 ? `0${ean}` : ean,
    title: `Edition Test ${n}`,
    tracks: [
      { isrc: `QZED${n % 10}2600001`, title: `Edition ${n} One`, seconds: 3, file: "one.flac" },
      { isrc: `QZED${n % 10}2600002`, title: `Edition ${n} Two`, seconds: 3, file: "two.flac" },
    ],
    deals: [{ models: ["SubscriptionModel"], territories: ["US", "GB"] }],
  });
}

/** A delivery folder holding the audio and this message (as bytes, so tests choose the encoding). */
function deliveryOf(spec: ReleaseSpec, message: Buffer): string {
  const folder = tempDir();
  mkdirSync(join(folder, "resources"));
  for (const t of spec.tracks) copyFileSync(join(audio, t.file!), join(folder, "resources", t.file!));
  writeFileSync(join(folder, `${spec.messageId}.xml`), message);
  return folder;
}

const md5s = (spec: ReleaseSpec) => new Map(spec.tracks.map((t) => [t.isrc, md5ByFile.get(t.file!)!]));

async function expectIngestedWithAvailability(spec: ReleaseSpec, message: Buffer, version: string) {
  const res = await upload(deliveryOf(spec, message));
  const report = (await res.json()) as { status: string; message: { ernVersion: string }; tracks: unknown[] };
  expect(res.status, JSON.stringify(report)).toBe(201);
  expect(report.message.ernVersion).toBe(version);
  expect(report.tracks).toHaveLength(2);
  const now = Date.now();
  for (const t of spec.tracks) {
    const edge = (await edgeTrack(`trk_${t.isrc.toLowerCase()}`))!;
    expect(edge.title).toBe(t.title);
    expect(isPlayable(edge, "US", "premium", now)).toEqual({ ok: true });
    expect(isPlayable(edge, "GB", "hifi", now)).toEqual({ ok: true });
    expect(isPlayable(edge, "DE", "premium", now)).toMatchObject({ ok: false, reason: "territory" });
    expect(isPlayable(edge, "US", "free", now)).toMatchObject({ ok: false, reason: "tier-not-licensed" });
  }
}

describe("a delivery per ERN edition", () => {
  for (const [n, edition] of EDITIONS.entries()) {
    it(`ERN ${edition} ingests with the availability its deals give`, async () => {
      const spec = releaseFor(n, `EDITION-${edition}`);
      const xml = ernMessage(edition as Edition, spec, md5s(spec));
      if (schemaOf(edition)) expect(xmllintErrors(xml, edition)).toBe("");
      await expectIngestedWithAvailability(spec, Buffer.from(xml, "utf8"), edition);
    });
  }
});

describe("message encodings", () => {
  it("UTF-8 with a byte order mark", async () => {
    const spec = releaseFor(6, "ENCODING-UTF8-BOM");
    const xml = ernMessage("4.3", spec, md5s(spec));
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml, "utf8")]);
    await expectIngestedWithAvailability(spec, bytes, "4.3");
  });

  it("UTF-16 (little-endian, with its byte order mark), valid against the schema as xmllint reads it", async () => {
    const spec = releaseFor(7, "ENCODING-UTF16");
    const xml = ernMessage("3.8.2", spec, md5s(spec)).replace('encoding="UTF-8"', 'encoding="UTF-16"');
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, "utf16le")]);
    expect(xmllintErrors(bytes, "3.8.2")).toBe("");
    await expectIngestedWithAvailability(spec, bytes, "3.8.2");
  });

  it("bytes that are not UTF-8 in a UTF-8 message: refused, naming the encoding problem", async () => {
    const spec = releaseFor(8, "ENCODING-BROKEN");
    const xml = ernMessage("4.3", { ...spec, title: "Caf\u00e9 Sessions" }, md5s(spec));
    const bytes = Buffer.from(xml, "latin1"); // é as one byte 0xE9: not UTF-8
    const res = await upload(deliveryOf(spec, bytes));
    const body = (await res.json()) as { errors: Array<{ code: string; message: string }> };
    expect(res.status).toBe(422);
    expect(body.errors).toEqual([
      expect.objectContaining({ code: "xml-encoding", message: expect.stringMatching(/not valid utf-8/i) }),
    ]);
  });
});

describe("takedowns in each edition", () => {
  for (const [n, edition] of EDITIONS.entries()) {
    it(`ERN ${edition}: a PurgeReleaseMessage takes the release's tracks down`, async () => {
      const spec = releaseFor(n, `EDITION-${edition}`);
      const at = "2026-03-01T00:00:00Z";
      const xml = purgeMessage(edition, { messageId: `PURGE-${edition}`, createdAt: at, icpn: spec.icpn });
      if (schemaOf(edition)) expect(xmllintErrors(xml, edition)).toBe("");
      const res = await upload(deliveryOf({ ...spec, messageId: `PURGE-${edition}`, tracks: [] }, Buffer.from(xml)));
      const report = (await res.json()) as { status: string; message: { kind: string; ernVersion: string } };
      expect(res.status, JSON.stringify(report)).toBe(201);
      expect(report.message).toMatchObject({ kind: "PurgeReleaseMessage", ernVersion: edition });
      const edge = (await edgeTrack(`trk_${spec.tracks[0]!.isrc.toLowerCase()}`))!;
      expect(isPlayable(edge, "US", "premium", Date.now())).toMatchObject({ ok: false, reason: "taken-down" });
    });
  }

  it("ERN 3.8.2: an UpdateMessage whose deals all say TakeDown takes the release down from their start", async () => {
    const spec = releaseFor(9, "TAKEDOWN-382-1");
    const first = ernMessage("3.8.2", spec, md5s(spec));
    expect((await upload(deliveryOf(spec, Buffer.from(first)))).status).toBe(201);
    const takedown = ernMessage(
      "3.8.2",
      { ...spec, messageId: "TAKEDOWN-382-2", createdAt: "2026-02-01T00:00:00Z" },
      md5s(spec),
    )
      .replace("<UpdateIndicator>OriginalMessage<", "<UpdateIndicator>UpdateMessage<")
      .replace(
        /<Deal><DealTerms>[\s\S]*?<\/DealTerms><\/Deal>/,
        "<Deal><DealTerms><TakeDown>true</TakeDown><TerritoryCode>Worldwide</TerritoryCode><ValidityPeriod><StartDate>2026-02-01</StartDate></ValidityPeriod></DealTerms></Deal>",
      );
    expect(xmllintErrors(takedown, "3.8.2")).toBe("");
    const res = await upload(deliveryOf({ ...spec, messageId: "TAKEDOWN-382-2" }, Buffer.from(takedown)));
    const report = (await res.json()) as { releases: Array<{ takedownAt?: string }> };
    expect(res.status, JSON.stringify(report)).toBe(201);
    expect(report.releases[0]?.takedownAt).toBe("2026-02-01T00:00:00.000Z");
    const edge = (await edgeTrack(`trk_${spec.tracks[1]!.isrc.toLowerCase()}`))!;
    expect(isPlayable(edge, "US", "premium", Date.now())).toMatchObject({ ok: false, reason: "taken-down" });
    expect(isPlayable(edge, "US", "premium", Date.parse("2026-01-15T00:00:00Z"))).toEqual({ ok: true });
  });
});
