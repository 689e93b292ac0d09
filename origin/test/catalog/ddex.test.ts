/**
 * What the ingester says about messages: the official ERN 4.3 sample is accepted, and deliberately broken deliveries
 * each get their precise error (code and element path), all problems of a delivery at once, and nothing written:
 * no catalog row, no media file, no edge state.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { join, resolve } from "node:path";
import { SERVICE_TOKEN_HEADER } from "@cadence/shared/trust/service-call";
import { sql } from "drizzle-orm";
import { zipSync } from "fflate";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { inspectDelivery } from "../../src/catalog/ddex/delivery";
import { readErn } from "../../src/catalog/ddex/ern";
import { checkIcpn, checkIsrc, checkIswc, parseIsoDuration } from "../../src/catalog/ddex/identifiers";
import { parseXml } from "../../src/catalog/ddex/xml";
import { md5Of, newReleaseMessage, synthesizeAudio } from "../../src/catalog/demo/delivery-builder";
import { availabilityOf } from "../../src/catalog/model";
import { freshOrigin } from "../helpers";
import { EDITIONS, ernMessage, schemaOf, xmllintErrors } from "./editions";
import { buildDelivery, copyOf, messageFileOf, smallRelease, tempDir, zipFolder } from "./helpers";

const SAMPLE = resolve(import.meta.dirname, "../../../test-fixtures/ddex/samples/SimpleAudioSingle.xml");
const SAMPLE_AUDIO = "resources/190295810726_00001_LL.flac";

describe("identifiers", () => {
  it("ISRC: form only, hyphens stripped, upper-cased", () => {
    expect(checkIsrc("gb-ayc-17-00598")).toEqual({ ok: true, value: "GBAYC1700598" });
    expect(checkIsrc("GBAYC170059").ok).toBe(false);
    expect(checkIsrc("G1AYC1700598").ok).toBe(false);
  });
  it("ICPN: UPC-A, EAN-13 and a GTIN-14 starting with 0, with the GS1 check digit, stored as one GTIN-13", () => {
    expect(checkIcpn("190295810726")).toEqual({ ok: true, value: "0190295810726" });
    expect(checkIcpn("0190295810726")).toEqual({ ok: true, value: "0190295810726" });
    expect(checkIcpn("00190295810726")).toEqual({ ok: true, value: "0190295810726" });
    expect(checkIcpn("00094631432057")).toEqual({ ok: true, value: "0094631432057" });
    expect(checkIcpn("10190295810723")).toMatchObject({ ok: false, problem: expect.stringContaining("packaging") });
    expect(checkIcpn("00190295810727")).toMatchObject({ ok: false, problem: expect.stringContaining("check digit") });
    expect(checkIcpn("4006381333931").ok).toBe(true);
    expect(checkIcpn("4006381333932")).toMatchObject({
      ok: false,
      problem: expect.stringContaining("check digit is 1"),
    });
    expect(checkIcpn("12345").ok).toBe(false);
  });
  it("ISWC: T-034.524.680-1 is valid, any other check digit is not", () => {
    expect(checkIswc("T-034.524.680-1")).toEqual({ ok: true, value: "T0345246801" });
    expect(checkIswc("T-034.524.680-7")).toMatchObject({
      ok: false,
      problem: expect.stringContaining("check digit is 1"),
    });
  });
  it("ISO 8601 durations", () => {
    expect(parseIsoDuration("PT4M23.583S")).toBe(263_583);
    expect(parseIsoDuration("PT1H")).toBe(3_600_000);
    expect(parseIsoDuration("PT")).toBeUndefined();
    expect(parseIsoDuration("4:23")).toBeUndefined();
  });
});

describe("the official ERN 4.3 sample (SimpleAudioSingle.xml)", () => {
  it("parses and validates at message level without a single issue", () => {
    const { message, issues } = readErn(parseXml(readFileSync(SAMPLE, "utf8")));
    expect(issues).toEqual([]);
    expect(message).toMatchObject({ kind: "NewReleaseMessage", version: "4.3", messageId: "W83814161" });
    expect(message?.recordings[0]).toMatchObject({
      isrc: "GBAYC1700598",
      title: "RIOPY: I Love You",
      durationMs: 263_583,
    });
    expect(message?.releases[0]).toMatchObject({ key: "grid:A10302B0003989564F", recordingRefs: ["A1"] });
    expect(message?.deals).toHaveLength(747);
  });

  it("its 747 per-territory deals compact to two streaming rules (downloads license no tier)", () => {
    const { message } = readErn(parseXml(readFileSync(SAMPLE, "utf8")));
    const rows = message!.deals!.map((d) => ({ ...d, startAt: d.start ?? null, endAt: d.end ?? null }));
    const { rules } = availabilityOf(rows, null);
    expect(rules.map((r) => r.tiers)).toEqual([["free"], ["hifi", "premium"]]);
    expect(rules[0]?.territories).toContain("DE");
    expect(rules[0]?.territories.length).toBeGreaterThan(200);
  });

  it("as delivered (without its audio file) is refused for exactly that: the missing file, with its path", async () => {
    const folder = tempDir();
    copyFileSync(SAMPLE, join(folder, "SimpleAudioSingle.xml"));
    const { issues } = await inspectDelivery(folder);
    expect(issues).toEqual([
      {
        path: "/NewReleaseMessage/ResourceList/SoundRecording/SoundRecordingEdition/TechnicalDetails/DeliveryFile/File/URI",
        code: "file-missing",
        message: `${SAMPLE_AUDIO} is referenced by the message but is not in the delivery.`,
      },
    ]);
  });
});

describe("each ERN edition, shaped as its own schema says", () => {
  const md5 = new Map([
    ["QZTST2600001", "0".repeat(32)],
    ["QZTST2600002", "1".repeat(32)],
  ]);

  for (const edition of EDITIONS) {
    it(`ERN ${edition}: ${schemaOf(edition) ? "valid against its XSD, and" : "(no XSD kept)"} read into the same model`, () => {
      const xml = ernMessage(edition, smallRelease(), md5);
      if (schemaOf(edition)) expect(xmllintErrors(xml, edition)).toBe("");
      const { message, issues } = readErn(parseXml(xml));
      expect(issues).toEqual([]);
      expect(message).toMatchObject({
        version: edition,
        messageId: "TEST-MSG-1",
        recordings: [
          { isrc: "QZTST2600001", title: "First Test", displayArtist: "The Test Tones", durationMs: 8000 },
          { isrc: "QZTST2600002", title: "Second Test", durationMs: 9000 },
        ],
        releases: [{ kind: "main", key: "icpn:4006381333931", title: "Test Signals", recordingRefs: ["A1", "A2"] }],
        deals: [
          {
            territories: ["Worldwide"],
            commercialModels: ["SubscriptionModel", "AdvertisementSupportedModel"],
            useTypes: ["OnDemandStream", "NonInteractiveStream"],
          },
        ],
      });
      expect(message?.recordings[1]?.file).toEqual({
        uri: "resources/QZTST2600002.flac",
        path: expect.stringMatching(/\/(URI|FileName)$/),
        hash: { algorithm: "MD5", value: "1".repeat(32) },
      });
      const artist = message!.recordings[0]!.artists[0]!;
      expect(artist.role).toBe("MainArtist");
      expect(message!.parties.get(artist.partyRef)?.name).toBe("The Test Tones");
      const [contributor] = message!.recordings[0]!.contributors;
      expect(contributor?.roles).toEqual([edition === "3.8.2" ? "Producer" : "Composer"]);
    });
  }

  it("4.1 and 4.2 keep File directly in TechnicalDetails; a 4.3-shaped DeliveryFile is read too", () => {
    const xml = ernMessage("4.2", smallRelease(), md5);
    expect(xml).toMatch(
      /<TechnicalDetails>\s*<TechnicalResourceDetailsReference>T1<\/TechnicalResourceDetailsReference>[\s\S]*?<File>/,
    );
    expect(xml).not.toContain("DeliveryFile");
  });

  it("refuses other namespaces and message types", () => {
    const xml43 = newReleaseMessage(smallRelease(), md5);
    const { issues } = readErn(parseXml(xml43.replaceAll("http://ddex.net/xml/ern/43", "http://ddex.net/xml/ern/37")));
    expect(issues).toMatchObject([{ code: "not-ern", path: "/NewReleaseMessage" }]);
  });
});

describe("broken deliveries", () => {
  let good: string;
  beforeAll(async () => {
    good = await buildDelivery(smallRelease());
  }, 60_000);

  const broken = async (edit: (folder: string, xml: string) => string | undefined) => {
    const folder = await copyOf(good);
    const file = messageFileOf(folder);
    const xml = edit(folder, readFileSync(file, "utf8"));
    if (xml !== undefined) writeFileSync(file, xml);
    return folder;
  };
  const issuesOf = async (folder: string) => (await inspectDelivery(folder)).issues;

  it("a bad ICPN check digit", async () => {
    const folder = await broken((_, x) => x.replace("<ICPN>4006381333931<", "<ICPN>4006381333932<"));
    expect(await issuesOf(folder)).toEqual([
      {
        path: "/NewReleaseMessage/ReleaseList/Release/ReleaseId/ICPN",
        code: "invalid-icpn",
        message: 'ICPN "4006381333932" has check digit 2; the GS1 check digit is 1.',
      },
    ]);
  });

  it("a bad ISWC check digit and a malformed ISRC, both reported at once", async () => {
    const folder = await broken((_, x) =>
      x.replace("T-034.524.680-1", "T-034.524.680-9").replace("<ISRC>QZTST2600002<", "<ISRC>QZTST26002<"),
    );
    const issues = await issuesOf(folder);
    expect(issues.map((i) => [i.code, i.path])).toEqual([
      ["invalid-iswc", "/NewReleaseMessage/ResourceList/SoundRecording[1]/WorkId/ISWC"],
      ["invalid-isrc", "/NewReleaseMessage/ResourceList/SoundRecording[2]/SoundRecordingEdition/ResourceId/ISRC"],
    ]);
  });

  it("a missing file", async () => {
    const folder = await broken((f) => {
      unlinkSync(join(f, "resources", "QZTST2600002.flac"));
      return undefined;
    });
    expect(await issuesOf(folder)).toMatchObject([
      {
        code: "file-missing",
        path: "/NewReleaseMessage/ResourceList/SoundRecording[2]/SoundRecordingEdition/TechnicalDetails/DeliveryFile/File/URI",
      },
    ]);
  });

  it("a wrong hash (the file changed after the message was made)", async () => {
    const folder = await broken((f) => {
      const audio = join(f, "resources", "QZTST2600001.flac");
      const bytes = readFileSync(audio);
      bytes[bytes.length - 10] = (bytes[bytes.length - 10]! + 1) % 256;
      writeFileSync(audio, bytes);
      return undefined;
    });
    const [issue] = await issuesOf(folder);
    expect(issue).toMatchObject({ code: "hash-mismatch", path: expect.stringContaining("SoundRecording[1]") });
    expect(issue?.message).toMatch(/its MD5 is [0-9a-f]{32}, but the message declares [0-9a-f]{32}/);
  });

  it("a malformed hash value (wrong length for MD5) is its own error, not a mismatch", async () => {
    const folder = await broken((_, x) => x.replace(/(<HashSumValue>[0-9a-f]{31})[0-9a-f]/, "$1"));
    expect(await issuesOf(folder)).toMatchObject([
      {
        code: "malformed-hash",
        path: "/NewReleaseMessage/ResourceList/SoundRecording[1]/SoundRecordingEdition/TechnicalDetails/DeliveryFile/File/HashSum/HashSumValue",
        message: expect.stringContaining("expected 32 hexadecimal digits"),
      },
    ]);
  });

  it("every file of a resource is checked: a second DeliveryFile and the artwork's Image file", async () => {
    const coverMd5 = "0".repeat(32);
    const folder = await broken((f, x) => {
      writeFileSync(join(f, "resources", "cover.jpg"), "not the declared bytes");
      const second = `<DeliveryFile><Type>AudioFile</Type><File><URI>resources/missing-hires.flac</URI></File></DeliveryFile>
        </TechnicalDetails>`;
      const image = `    <Image>
      <ResourceReference>A9</ResourceReference>
      <Type>FrontCoverImage</Type>
      <ResourceId><ProprietaryId Namespace="PADPIDA2025CADENCEDEMO">COVER-1</ProprietaryId></ResourceId>
      <ParentalWarningType>NotExplicit</ParentalWarningType>
      <TechnicalDetails>
        <TechnicalResourceDetailsReference>T9</TechnicalResourceDetailsReference>
        <File><URI>resources/cover.jpg</URI><HashSum><Algorithm>MD5</Algorithm><HashSumValue>${coverMd5}</HashSumValue></HashSum></File>
      </TechnicalDetails>
    </Image>
  </ResourceList>`;
      const xml = x.replace("</TechnicalDetails>", second).replace("  </ResourceList>", image);
      expect(xmllintErrors(xml, "4.3")).toBe("");
      return xml;
    });
    expect((await issuesOf(folder)).map((i) => [i.code, i.path])).toEqual([
      [
        "file-missing",
        "/NewReleaseMessage/ResourceList/SoundRecording[1]/SoundRecordingEdition/TechnicalDetails/DeliveryFile[2]/File/URI",
      ],
      ["hash-mismatch", "/NewReleaseMessage/ResourceList/Image/TechnicalDetails/File/URI"],
    ]);
  });

  it("a supplemental recording in no release needs neither an ISRC nor a file", async () => {
    const folder = await broken((_, x) =>
      x.replace(
        "  </ResourceList>",
        `    <SoundRecording IsSupplemental="true">
      <ResourceReference>A7</ResourceReference>
      <Type>MusicalWorkSoundRecording</Type>
      <DisplayTitleText>Studio Chatter</DisplayTitleText>
      <DisplayArtistName>The Test Tones</DisplayArtistName>
      <Duration>PT10S</Duration>
    </SoundRecording>
  </ResourceList>`,
      ),
    );
    const inspected = await inspectDelivery(folder);
    expect(inspected.issues).toEqual([]);
    expect(inspected.message?.recordings.map((r) => r.ref)).toEqual(["A1", "A2"]);
  });

  it("a supplemental recording that a release does contain is checked like any other", async () => {
    const folder = await broken((_, x) =>
      x
        .replace("<SoundRecording>", '<SoundRecording IsSupplemental="true">')
        .replace(/<ResourceId><ISRC>QZTST2600001<\/ISRC><\/ResourceId>/, ""),
    );
    expect((await issuesOf(folder)).map((i) => [i.code, i.path])).toEqual([
      ["required", "/NewReleaseMessage/ResourceList/SoundRecording[1]/SoundRecordingEdition"],
    ]);
  });

  it("an entity expansion bomb is refused before any expansion", async () => {
    const folder = await broken((_, x) => {
      const lol = Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`).join("");
      return x
        .replace(
          '<?xml version="1.0" encoding="UTF-8"?>',
          `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">${lol}]>`,
        )
        .replace("<DisplayTitleText>First Test<", "<DisplayTitleText>&lol9;<");
    });
    expect(await issuesOf(folder)).toMatchObject([{ code: "xml-dtd-refused" }]);
  });

  it("a path traversal reference, and a symlink out of the delivery", async () => {
    const folder = await broken((f, x) => {
      symlinkSync("/etc/hostname", join(f, "resources", "link.flac"));
      return x
        .replace("resources/QZTST2600001.flac", "../../../../etc/passwd")
        .replace("resources/QZTST2600002.flac", "resources/link.flac");
    });
    const issues = await issuesOf(folder);
    expect(issues.map((i) => i.code)).toEqual(["path-outside-delivery", "path-outside-delivery"]);
    expect(issues[0]?.message).toContain("../../../../etc/passwd");
    expect(issues[1]?.message).toContain("through a link");
  });

  it("dangling references between PartyList, ResourceList, ReleaseList and DealList", async () => {
    const folder = await broken((_, x) =>
      x
        .replace("<DealReleaseReference>R0<", "<DealReleaseReference>R9<")
        .replace("<ReleaseResourceReference>A2<", "<ReleaseResourceReference>A9<")
        .replace("<ReleaseLabelReference>PLabel<", "<ReleaseLabelReference>PNobody<"),
    );
    const issues = await issuesOf(folder);
    expect(issues.map((i) => [i.code, i.path, i.message])).toEqual([
      [
        "dangling-reference",
        "/NewReleaseMessage/ReleaseList/Release/ReleaseLabelReference",
        "ReleaseLabelReference PNobody is not in the PartyList.",
      ],
      [
        "dangling-reference",
        "/NewReleaseMessage/ReleaseList/Release/ResourceGroup/ResourceGroupContentItem[2]/ReleaseResourceReference",
        "ReleaseResourceReference A9 is not in the ResourceList.",
      ],
      [
        "dangling-reference",
        "/NewReleaseMessage/DealList/ReleaseDeal/DealReleaseReference",
        "DealReleaseReference R9 is not in the ReleaseList.",
      ],
    ]);
  });

  it("a bad duration, a missing required composite and a bad territory", async () => {
    const folder = await broken((_, x) =>
      x
        .replace(/<Duration>PT0M8\.000S<\/Duration>/, "<Duration>8 seconds</Duration>")
        .replace(/<DisplayArtistName>The Test Tones<\/DisplayArtistName>/, "")
        .replace("<TerritoryCode>Worldwide<", "<TerritoryCode>Germany<"),
    );
    const issues = await issuesOf(folder);
    expect(issues.map((i) => [i.code, i.path])).toEqual([
      ["required", "/NewReleaseMessage/ResourceList/SoundRecording[1]"],
      ["invalid-duration", "/NewReleaseMessage/ResourceList/SoundRecording[1]/Duration"],
      ["invalid-territory", "/NewReleaseMessage/DealList/ReleaseDeal/Deal/DealTerms/TerritoryCode"],
    ]);
    expect(issues[0]?.message).toContain("DisplayArtistName");
    // Every path names an element the message really has (a missing one is reported at its parent).
    const paths = new Set<string>();
    const walk = (el: ReturnType<typeof parseXml>) => {
      paths.add(el.path);
      el.children.forEach(walk);
    };
    walk(parseXml(readFileSync(messageFileOf(folder), "utf8")));
    for (const issue of issues) expect(paths, issue.path).toContain(issue.path);
  });

  it("through the HTTP endpoint: each is a 422 listing its errors, and nothing is written anywhere", async () => {
    const origin = await freshOrigin();
    const token = inject("stack").serviceToken;
    const post = (body: Uint8Array<ArrayBuffer>) =>
      origin.request("/v1/ops/catalog/deliveries", {
        method: "POST",
        headers: { "content-type": "application/zip", [SERVICE_TOKEN_HEADER]: token },
        body,
      });
    const deliveries = [
      await broken((_, x) => x.replace("<ICPN>4006381333931<", "<ICPN>4006381333932<")),
      await broken((f) => {
        unlinkSync(join(f, "resources", "QZTST2600002.flac"));
        return undefined;
      }),
      await broken((_, x) => x.replace("<DealReleaseReference>R0<", "<DealReleaseReference>R9<")),
    ];
    for (const folder of deliveries) {
      const res = await post(zipFolder(folder));
      expect(res.status).toBe(422);
      const body = (await res.json()) as { code: string; errors: unknown[] };
      expect(body.code).toBe("delivery-rejected");
      expect(body.errors.length).toBe(1);
    }
    // A zip whose entry climbs out of the folder ("zip slip").
    const slip = await post(new Uint8Array(zipSync({ "../escape.xml": new TextEncoder().encode("<x/>") })));
    expect(slip.status).toBe(422);
    expect(await slip.json()).toMatchObject({ errors: [{ code: "archive-unsafe-path" }] });

    for (const table of ["catalog_tracks", "catalog_releases", "catalog_deals", "catalog_ingests", "catalog_artists"]) {
      const [row] = await origin.services.db.all<{ n: number }>(sql.raw(`SELECT count(*) AS n FROM ${table}`));
      expect(row?.n, table).toBe(0);
    }
    expect(origin.services.catalog.packager.transcodes).toBe(0);
    expect(existsSync(join(origin.dataDir, "media"))).toBe(false);
  });
});

describe("the official sample with an audio file of the referenced name", () => {
  it("is ingested: every check passes once the file is there and its MD5 matches", async () => {
    const folder = tempDir();
    mkdirSync(join(folder, "resources"));
    await synthesizeAudio("ffmpeg", join(folder, SAMPLE_AUDIO), 6, 3);
    // The sample's HashSum is of the label's real file, which is not public: declare our file's MD5 instead.
    const xml = readFileSync(SAMPLE, "utf8").replace(
      "db7dd2f3bb9b322646e3f4d7b65b47ab",
      await md5Of(join(folder, SAMPLE_AUDIO)),
    );
    writeFileSync(join(folder, "SimpleAudioSingle.xml"), xml);
    const origin = await freshOrigin();
    const report = await origin.services.catalog.ingestFolder(folder);
    expect(report.errors).toEqual([]);
    expect(report).toMatchObject({
      status: "ingested",
      tracks: [{ id: "trk_gbayc1700598", title: "RIOPY: I Love You" }],
    });
    expect(report.warnings.map((w) => w.code)).toContain("duration-mismatch");
    rmSync(folder, { recursive: true, force: true });
  }, 30_000);
});
