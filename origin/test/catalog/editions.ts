/**
 * ERN messages shaped as each edition's own schema says, for the edition tests: 3.8.2 (inline parties, details by
 * territory, `SoundRecordingId`, `File/FileName`+`FilePath`, `Usage/UseType`), 4.1, 4.1.1 and 4.2 (ids and
 * `TechnicalDetails/File` directly on the SoundRecording), 4.3 (the demo builder's `SoundRecordingEdition` and
 * `DeliveryFile`), and 4.3.1 (4.3 with a `Role` composite holding its `Value`). Each edition's message is checked with
 * xmllint against that edition's XSD in test-fixtures/ddex/ where the schema is kept.
 */
import { execFileSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type DealSpec, newReleaseMessage, type ReleaseSpec } from "../../src/catalog/demo/delivery-builder";

export const EDITIONS = ["3.8.2", "4.1", "4.1.1", "4.2", "4.3", "4.3.1"] as const;
export type Edition = (typeof EDITIONS)[number];

const FIXTURES = resolve(import.meta.dirname, "../../../test-fixtures/ddex");
const digits = (e: Edition) => e.replaceAll(".", "");

/** The XSD of an edition in test-fixtures, or undefined when the repository does not hold it. */
export function schemaOf(edition: Edition): string | undefined {
  const file = join(FIXTURES, `ern${digits(edition)}`, "release-notification.xsd");
  return existsSync(file) ? file : undefined;
}

/** xmllint's verdict on a message against its edition's schema: "" when valid, else its complaints. */
export function xmllintErrors(xml: string | Buffer, edition: Edition): string {
  const schema = schemaOf(edition);
  if (!schema) throw new Error(`no schema for ERN ${edition} in test-fixtures`);
  const file = join(tmpdir(), `ern-${digits(edition)}-${process.pid}-${Math.random().toString(36).slice(2)}.xml`);
  writeFileSync(file, xml);
  try {
    execFileSync("xmllint", ["--nonet", "--noout", "--schema", schema, file], { stdio: "pipe" });
    return "";
  } catch (err) {
    return String((err as { stderr?: Buffer }).stderr ?? err);
  }
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const SENDER = "PADPIDA2025CADENCEDEMO";
const RECIPIENT = "PADPIDA2025CADENCEDSP";
const duration = (seconds: number) => `PT${Math.floor(seconds / 60)}M${(seconds % 60).toFixed(3)}S`;
const fileName = (t: ReleaseSpec["tracks"][number]) => t.file ?? `${t.isrc}.flac`;

function header(spec: ReleaseSpec): string {
  return `  <MessageHeader>
    <MessageThreadId>${esc(spec.messageId)}</MessageThreadId>
    <MessageId>${esc(spec.messageId)}</MessageId>
    <MessageSender><PartyId>${SENDER}</PartyId><PartyName><FullName>${esc(spec.senderName)}</FullName></PartyName></MessageSender>
    <MessageRecipient><PartyId>${RECIPIENT}</PartyId><PartyName><FullName>Cadence</FullName></PartyName></MessageRecipient>
    <MessageCreatedDateTime>${esc(spec.createdAt)}</MessageCreatedDateTime>
    <MessageControlType>LiveMessage</MessageControlType>
  </MessageHeader>`;
}

const period = (d: DealSpec) => {
  const el = (name: string, v: string) =>
    v.includes("T") ? `<${name}Time>${v}</${name}Time>` : `<${name}>${v}</${name}>`;
  return `<ValidityPeriod>${el("StartDate", d.start ?? "2000-01-01")}${d.end ? el("EndDate", d.end) : ""}</ValidityPeriod>`;
};
const territoriesOf = (d: DealSpec) =>
  d.excluded?.length
    ? d.excluded.map((t) => `<ExcludedTerritoryCode>${t}</ExcludedTerritoryCode>`).join("")
    : (d.territories ?? ["Worldwide"]).map((t) => `<TerritoryCode>${t}</TerritoryCode>`).join("");
const useTypesOf = (d: DealSpec) => d.useTypes ?? ["OnDemandStream", "NonInteractiveStream"];

/** An edition's NewReleaseMessage for a release spec, given each track's audio MD5. */
export function ernMessage(edition: Edition, spec: ReleaseSpec, md5ByIsrc: Map<string, string>): string {
  if (edition === "4.3") return newReleaseMessage(spec, md5ByIsrc);
  if (edition === "4.3.1") return ern431(spec, md5ByIsrc);
  if (edition === "3.8.2") return ern382(spec, md5ByIsrc);
  return ern41x(edition, spec, md5ByIsrc);
}

/** 4.1, 4.1.1 and 4.2: a SoundRecording holds its ResourceId and TechnicalDetails/File directly. */
function ern41x(edition: "4.1" | "4.1.1" | "4.2", spec: ReleaseSpec, md5ByIsrc: Map<string, string>): string {
  const artists = [...new Set([spec.artist, ...spec.tracks.map((t) => t.artist ?? spec.artist)])];
  const partyRef = (name: string) => `P${artists.indexOf(name) + 1}`;
  const year = spec.releaseDate.slice(0, 4);
  const parties = [
    ...artists.map(
      (n) =>
        `    <Party><PartyReference>${partyRef(n)}</PartyReference><PartyName><FullName>${esc(n)}</FullName></PartyName></Party>`,
    ),
    `    <Party><PartyReference>PLabel</PartyReference><PartyName><FullName>${esc(spec.label)}</FullName></PartyName></Party>`,
  ];
  const resources = spec.tracks.map((t, i) => {
    const artist = t.artist ?? spec.artist;
    return `    <SoundRecording>
      <ResourceReference>A${i + 1}</ResourceReference>
      <Type>MusicalWorkSoundRecording</Type>
      <ResourceId><ISRC>${esc(t.isrc)}</ISRC></ResourceId>${t.iswc ? `\n      <WorkId><ISWC>${esc(t.iswc)}</ISWC></WorkId>` : ""}
      <DisplayTitleText>${esc(t.title)}</DisplayTitleText>
      <DisplayTitle><TitleText>${esc(t.title)}</TitleText></DisplayTitle>
      <DisplayArtistName>${esc(artist)}</DisplayArtistName>
      <DisplayArtist SequenceNumber="1"><ArtistPartyReference>${partyRef(artist)}</ArtistPartyReference><DisplayArtistRole>MainArtist</DisplayArtistRole></DisplayArtist>
      <Contributor SequenceNumber="1"><ContributorPartyReference>${partyRef(artist)}</ContributorPartyReference><Role>Composer</Role></Contributor>
      <PLine><Year>${year}</Year><PLineText>${year} ${esc(spec.label)}</PLineText></PLine>
      <Duration>${duration(t.seconds)}</Duration>
      <ParentalWarningType>NotExplicit</ParentalWarningType>
      <TechnicalDetails>
        <TechnicalResourceDetailsReference>T${i + 1}</TechnicalResourceDetailsReference>
        <AudioCodecType>FLAC</AudioCodecType>
        <NumberOfChannels>2</NumberOfChannels>
        <File>
          <URI>resources/${esc(fileName(t))}</URI>
          <HashSum><Algorithm>MD5</Algorithm><HashSumValue>${md5ByIsrc.get(t.isrc) ?? ""}</HashSumValue></HashSum>
        </File>
      </TechnicalDetails>
    </SoundRecording>`;
  });
  const items = spec.tracks
    .map(
      (_, i) =>
        `        <ResourceGroupContentItem><SequenceNumber>${i + 1}</SequenceNumber><ReleaseResourceReference>A${i + 1}</ReleaseResourceReference></ResourceGroupContentItem>`,
    )
    .join("\n");
  const deals = spec.deals.map((d) => {
    const models = d.models.map((m) => `<CommercialModelType>${m}</CommercialModelType>`).join("");
    const uses = useTypesOf(d)
      .map((u) => `<UseType>${u}</UseType>`)
      .join("");
    return `      <Deal><DealTerms>${territoriesOf(d)}${period(d)}${models}${uses}</DealTerms></Deal>`;
  });
  const ns = edition === "4.1" ? "41" : edition === "4.1.1" ? "411" : "42";
  return `<?xml version="1.0" encoding="UTF-8"?>
<ern:NewReleaseMessage xmlns:ern="http://ddex.net/xml/ern/${ns}" ReleaseProfileVersionId="Audio" LanguageAndScriptCode="en">
${header(spec)}
  <PartyList>
${parties.join("\n")}
  </PartyList>
  <ResourceList>
${resources.join("\n")}
  </ResourceList>
  <ReleaseList>
    <Release>
      <ReleaseReference>R0</ReleaseReference>
      <ReleaseType>${spec.releaseType ?? "Album"}</ReleaseType>
      <ReleaseId><ICPN>${esc(spec.icpn)}</ICPN></ReleaseId>
      <DisplayTitleText>${esc(spec.title)}</DisplayTitleText>
      <DisplayTitle><TitleText>${esc(spec.title)}</TitleText></DisplayTitle>
      <DisplayArtistName>${esc(spec.artist)}</DisplayArtistName>
      <DisplayArtist SequenceNumber="1"><ArtistPartyReference>${partyRef(spec.artist)}</ArtistPartyReference><DisplayArtistRole>MainArtist</DisplayArtistRole></DisplayArtist>
      <ReleaseLabelReference>PLabel</ReleaseLabelReference>
      <PLine><Year>${year}</Year><PLineText>${year} ${esc(spec.label)}</PLineText></PLine>
      <Genre><GenreText>${esc(spec.genre)}</GenreText></Genre>
      <ReleaseDate>${esc(spec.releaseDate)}</ReleaseDate>
      <ParentalWarningType>NotExplicit</ParentalWarningType>
      <ResourceGroup>
${items}
      </ResourceGroup>
    </Release>
  </ReleaseList>
  <DealList>
    <ReleaseDeal>
      <DealReleaseReference>R0</DealReleaseReference>
${deals.join("\n")}
    </ReleaseDeal>
  </DealList>
</ern:NewReleaseMessage>
`;
}

/** 4.3.1: the 4.3 message in the 431 namespace, each contributor's role in a `Role/Value` composite. */
function ern431(spec: ReleaseSpec, md5ByIsrc: Map<string, string>): string {
  return newReleaseMessage(spec, md5ByIsrc)
    .replace('xmlns:ern="http://ddex.net/xml/ern/43"', 'xmlns:ern="http://ddex.net/xml/ern/431"')
    .replace(/<Role>([A-Za-z]+)<\/Role>/g, "<Role><Value>$1</Value></Role>");
}

/** 3.8.2: parties inline, details by territory, Release + TrackRelease as Releases, Usage/UseType in deals. */
function ern382(spec: ReleaseSpec, md5ByIsrc: Map<string, string>): string {
  const year = spec.releaseDate.slice(0, 4);
  const artist = (name: string, role = "MainArtist") =>
    `<DisplayArtist><PartyName><FullName>${esc(name)}</FullName></PartyName><ArtistRole>${role}</ArtistRole></DisplayArtist>`;
  const resources = spec.tracks.map((t, i) => {
    const name = t.artist ?? spec.artist;
    return `    <SoundRecording>
      <SoundRecordingType>MusicalWorkSoundRecording</SoundRecordingType>
      <SoundRecordingId><ISRC>${esc(t.isrc)}</ISRC></SoundRecordingId>
      <ResourceReference>A${i + 1}</ResourceReference>
      <ReferenceTitle><TitleText>${esc(t.title)}</TitleText></ReferenceTitle>
      <Duration>${duration(t.seconds)}</Duration>
      <SoundRecordingDetailsByTerritory>
        <TerritoryCode>Worldwide</TerritoryCode>
        <Title TitleType="DisplayTitle"><TitleText>${esc(t.title)}</TitleText></Title>
        ${artist(name)}
        <ResourceContributor><PartyName><FullName>${esc(name)}</FullName></PartyName><ResourceContributorRole>Producer</ResourceContributorRole></ResourceContributor>
        <LabelName>${esc(spec.label)}</LabelName>
        <PLine><Year>${year}</Year><PLineText>${year} ${esc(spec.label)}</PLineText></PLine>
        <Genre><GenreText>${esc(spec.genre)}</GenreText></Genre>
        <ParentalWarningType>NotExplicit</ParentalWarningType>
        <TechnicalSoundRecordingDetails>
          <TechnicalResourceDetailsReference>T${i + 1}</TechnicalResourceDetailsReference>
          <AudioCodecType>FLAC</AudioCodecType>
          <File>
            <FileName>${esc(fileName(t))}</FileName>
            <FilePath>resources/</FilePath>
            <HashSum><HashSum>${md5ByIsrc.get(t.isrc) ?? ""}</HashSum><HashSumAlgorithmType>MD5</HashSumAlgorithmType></HashSum>
          </File>
        </TechnicalSoundRecordingDetails>
      </SoundRecordingDetailsByTerritory>
    </SoundRecording>`;
  });
  const refs = spec.tracks
    .map(
      (_, i) => `<ReleaseResourceReference ReleaseResourceType="PrimaryResource">A${i + 1}</ReleaseResourceReference>`,
    )
    .join("");
  const items = spec.tracks
    .map(
      (_, i) =>
        `<ResourceGroupContentItem><SequenceNumber>${i + 1}</SequenceNumber><ResourceType>SoundRecording</ResourceType><ReleaseResourceReference>A${i + 1}</ReleaseResourceReference></ResourceGroupContentItem>`,
    )
    .join("");
  const deals = spec.deals.map((d) => {
    const models = d.models.map((m) => `<CommercialModelType>${m}</CommercialModelType>`).join("");
    const uses = useTypesOf(d)
      .map((u) => `<UseType>${u}</UseType>`)
      .join("");
    return `      <Deal><DealTerms>${models}<Usage>${uses}</Usage>${territoriesOf(d)}${period(d)}</DealTerms></Deal>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<ern:NewReleaseMessage xmlns:ern="http://ddex.net/xml/ern/382" MessageSchemaVersionId="ern/382" LanguageAndScriptCode="en">
${header(spec)}
  <UpdateIndicator>OriginalMessage</UpdateIndicator>
  <ResourceList>
${resources.join("\n")}
  </ResourceList>
  <ReleaseList>
    <Release IsMainRelease="true">
      <ReleaseId><ICPN>${esc(spec.icpn)}</ICPN></ReleaseId>
      <ReleaseReference>R0</ReleaseReference>
      <ReferenceTitle><TitleText>${esc(spec.title)}</TitleText></ReferenceTitle>
      <ReleaseResourceReferenceList>${refs}</ReleaseResourceReferenceList>
      <ReleaseType>${spec.releaseType ?? "Album"}</ReleaseType>
      <ReleaseDetailsByTerritory>
        <TerritoryCode>Worldwide</TerritoryCode>
        <DisplayArtistName>${esc(spec.artist)}</DisplayArtistName>
        <LabelName>${esc(spec.label)}</LabelName>
        <Title TitleType="DisplayTitle"><TitleText>${esc(spec.title)}</TitleText></Title>
        ${artist(spec.artist)}
        <ParentalWarningType>NotExplicit</ParentalWarningType>
        <ResourceGroup>${items}</ResourceGroup>
        <Genre><GenreText>${esc(spec.genre)}</GenreText></Genre>
        <OriginalReleaseDate>${esc(spec.releaseDate)}</OriginalReleaseDate>
      </ReleaseDetailsByTerritory>
      <PLine><Year>${year}</Year><PLineText>${year} ${esc(spec.label)}</PLineText></PLine>
    </Release>
  </ReleaseList>
  <DealList>
    <ReleaseDeal>
      <DealReleaseReference>R0</DealReleaseReference>
${deals.join("\n")}
    </ReleaseDeal>
  </DealList>
</ern:NewReleaseMessage>
`;
}

/** An edition's PurgeReleaseMessage for the release with this ICPN. */
export function purgeMessage(edition: Edition, p: { messageId: string; createdAt: string; icpn: string }): string {
  const ns = `http://ddex.net/xml/ern/${digits(edition)}`;
  const attrs =
    edition === "3.8.2"
      ? ` MessageSchemaVersionId="ern/382" LanguageAndScriptCode="en"`
      : edition === "4.3" || edition === "4.3.1"
        ? ` AvsVersionId="${edition === "4.3" ? 3 : 12}" LanguageAndScriptCode="en"`
        : ` LanguageAndScriptCode="en"`;
  const spec = { messageId: p.messageId, createdAt: p.createdAt, senderName: "Test Distributor" } as ReleaseSpec;
  return `<?xml version="1.0" encoding="UTF-8"?>
<ern:PurgeReleaseMessage xmlns:ern="${ns}"${attrs}>
${header(spec)}
  <PurgedRelease><ReleaseId><ICPN>${p.icpn}</ICPN></ReleaseId></PurgedRelease>
</ern:PurgeReleaseMessage>
`;
}
