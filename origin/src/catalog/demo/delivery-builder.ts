/**
 * Writes DDEX ERN 4.3 deliveries from a compact spec: a schema-valid `NewReleaseMessage` (or `PurgeReleaseMessage`)
 * plus synthetic FLAC audio made by ffmpeg's signal generators, with real MD5 HashSums. The demo catalog, the tests
 * and the benchmark all build their deliveries here, so what they ingest is what a label would send.
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { run } from "../../transcode/ffmpeg";

export interface DealSpec {
  territories?: string[];
  excluded?: string[];
  /** YYYY-MM-DD or a full ISO date-time. */
  start?: string;
  end?: string;
  models: Array<"SubscriptionModel" | "AdvertisementSupportedModel" | "PayAsYouGoModel" | "FreeOfChargeModel">;
  useTypes?: string[];
}

export interface TrackSpec {
  isrc: string;
  title: string;
  /** Display artist; defaults to the release's. */
  artist?: string;
  seconds: number;
  iswc?: string;
  /** A seed for the synthesised music (chord and tempo), so tracks differ audibly. */
  seed?: number;
  /** Audio file name inside `resources/`; defaults to `<isrc>.flac`. */
  file?: string;
}

export interface ReleaseSpec {
  messageId: string;
  /** ISO 8601 date-time; later messages about the same release must be newer. */
  createdAt: string;
  senderName: string;
  icpn: string;
  title: string;
  artist: string;
  label: string;
  genre: string;
  releaseDate: string;
  releaseType?: "Album" | "Single" | "EP";
  tracks: TrackSpec[];
  deals: DealSpec[];
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const SENDER_DPID = "PADPIDA2025CADENCEDEMO";
const RECIPIENT_DPID = "PADPIDA2025CADENCEDSP";

function header(messageId: string, createdAt: string, senderName: string): string {
  return `  <MessageHeader>
    <MessageThreadId>${esc(messageId)}</MessageThreadId>
    <MessageId>${esc(messageId)}</MessageId>
    <MessageSender>
      <PartyId>${SENDER_DPID}</PartyId>
      <PartyName><FullName>${esc(senderName)}</FullName></PartyName>
    </MessageSender>
    <MessageRecipient>
      <PartyId>${RECIPIENT_DPID}</PartyId>
      <PartyName><FullName>Cadence</FullName></PartyName>
    </MessageRecipient>
    <MessageCreatedDateTime>${esc(createdAt)}</MessageCreatedDateTime>
    <MessageControlType>LiveMessage</MessageControlType>
  </MessageHeader>`;
}

const period = (d: DealSpec) => {
  const isDateTime = (v: string) => v.includes("T");
  const start = d.start ?? "2000-01-01";
  const el = (name: string, v: string) =>
    `<${name}${isDateTime(v) ? "Time" : ""}>${esc(v)}</${name}${isDateTime(v) ? "Time" : ""}>`;
  return `<ValidityPeriod>${el("StartDate", start)}${d.end ? el("EndDate", d.end) : ""}</ValidityPeriod>`;
};

/** The ERN 4.3 NewReleaseMessage for a release spec, given each track's audio MD5. */
export function newReleaseMessage(spec: ReleaseSpec, md5ByIsrc: Map<string, string>): string {
  const artists = [...new Set([spec.artist, ...spec.tracks.map((t) => t.artist ?? spec.artist)])];
  const partyRef = (name: string) => `P${artists.indexOf(name) + 1}`;
  const parties = [
    ...artists.map(
      (name) =>
        `    <Party><PartyReference>${partyRef(name)}</PartyReference><PartyName><FullName>${esc(name)}</FullName></PartyName></Party>`,
    ),
    `    <Party><PartyReference>PLabel</PartyReference><PartyName><FullName>${esc(spec.label)}</FullName></PartyName></Party>`,
  ];
  const year = spec.releaseDate.slice(0, 4);
  const resources = spec.tracks.map((t, i) => {
    const artist = t.artist ?? spec.artist;
    return `    <SoundRecording>
      <ResourceReference>A${i + 1}</ResourceReference>
      <Type>MusicalWorkSoundRecording</Type>
      <SoundRecordingEdition>
        <ResourceId><ISRC>${esc(t.isrc)}</ISRC></ResourceId>
        <PLine><Year>${year}</Year><PLineText>${year} ${esc(spec.label)}</PLineText></PLine>
        <TechnicalDetails>
          <TechnicalResourceDetailsReference>T${i + 1}</TechnicalResourceDetailsReference>
          <DeliveryFile>
            <Type>AudioFile</Type>
            <AudioCodecType>FLAC</AudioCodecType>
            <NumberOfChannels>2</NumberOfChannels>
            <SamplingRate UnitOfMeasure="kHz">44.1</SamplingRate>
            <BitsPerSample>16</BitsPerSample>
            <File>
              <URI>resources/${esc(t.file ?? `${t.isrc}.flac`)}</URI>
              <HashSum><Algorithm>MD5</Algorithm><HashSumValue>${md5ByIsrc.get(t.isrc) ?? ""}</HashSumValue></HashSum>
            </File>
          </DeliveryFile>
        </TechnicalDetails>
      </SoundRecordingEdition>${t.iswc ? `\n      <WorkId><ISWC>${esc(t.iswc)}</ISWC></WorkId>` : ""}
      <DisplayTitleText>${esc(t.title)}</DisplayTitleText>
      <DisplayTitle><TitleText>${esc(t.title)}</TitleText></DisplayTitle>
      <DisplayArtistName>${esc(artist)}</DisplayArtistName>
      <DisplayArtist SequenceNumber="1"><ArtistPartyReference>${partyRef(artist)}</ArtistPartyReference><DisplayArtistRole>MainArtist</DisplayArtistRole></DisplayArtist>
      <Contributor SequenceNumber="1"><ContributorPartyReference>${partyRef(artist)}</ContributorPartyReference><Role>Composer</Role></Contributor>
      <ResourceRightsController>
        <RightsControllerPartyReference>PLabel</RightsControllerPartyReference>
        <RightsControlType>RightsController</RightsControlType>
        <RightSharePercentage>100</RightSharePercentage>
      </ResourceRightsController>
      <Duration>PT${Math.floor(t.seconds / 60)}M${(t.seconds % 60).toFixed(3)}S</Duration>
      <ParentalWarningType>NotExplicit</ParentalWarningType>
    </SoundRecording>`;
  });
  const items = spec.tracks
    .map(
      (_, i) =>
        `        <ResourceGroupContentItem><SequenceNumber>${i + 1}</SequenceNumber><ReleaseResourceReference>A${i + 1}</ReleaseResourceReference></ResourceGroupContentItem>`,
    )
    .join("\n");
  const deals = spec.deals.map((d) => {
    const territories = d.excluded?.length
      ? d.excluded.map((t) => `<ExcludedTerritoryCode>${esc(t)}</ExcludedTerritoryCode>`).join("")
      : (d.territories ?? ["Worldwide"]).map((t) => `<TerritoryCode>${esc(t)}</TerritoryCode>`).join("");
    const models = d.models.map((m) => `<CommercialModelType>${m}</CommercialModelType>`).join("");
    const uses = (d.useTypes ?? ["OnDemandStream", "NonInteractiveStream"])
      .map((u) => `<UseType>${esc(u)}</UseType>`)
      .join("");
    return `      <Deal><DealTerms>${territories}${period(d)}${models}${uses}</DealTerms></Deal>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<ern:NewReleaseMessage xmlns:ern="http://ddex.net/xml/ern/43" AvsVersionId="3" LanguageAndScriptCode="en">
${header(spec.messageId, spec.createdAt, spec.senderName)}
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

/** The ERN 4.3 PurgeReleaseMessage that takes a release down. */
export function purgeReleaseMessage(p: {
  messageId: string;
  createdAt: string;
  senderName: string;
  icpn: string;
  title: string;
}): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<ern:PurgeReleaseMessage xmlns:ern="http://ddex.net/xml/ern/43" AvsVersionId="3" LanguageAndScriptCode="en">
${header(p.messageId, p.createdAt, p.senderName)}
  <PurgedRelease>
    <ReleaseId><ICPN>${esc(p.icpn)}</ICPN></ReleaseId>
    <Title><TitleText>${esc(p.title)}</TitleText></Title>
  </PurgedRelease>
</ern:PurgeReleaseMessage>
`;
}

/**
 * Synthesises a piece of "music" (a chord with tremolo over soft pink noise) as 16-bit 44.1 kHz stereo FLAC, from
 * ffmpeg's table-driven sine and noise sources (an expression source would cost several times the CPU).
 */
export async function synthesizeAudio(ffmpeg: string, file: string, seconds: number, seed = 0): Promise<void> {
  const roots = [220, 246.94, 261.63, 293.66, 329.63, 349.23, 392];
  const root = roots[seed % roots.length]!;
  const third = root * (seed % 2 === 0 ? 1.26 : 1.189);
  const fifth = root * 1.498;
  const tremolo = 1.5 + (seed % 5) * 0.5;
  const source = (spec: string) => ["-f", "lavfi", "-i", spec];
  await run(ffmpeg, [
    "-hide_banner",
    "-loglevel",
    "error",
    "-nostdin",
    "-y",
    ...source(`sine=f=${root}:r=44100:d=${seconds}`),
    ...source(`sine=f=${third.toFixed(2)}:r=44100:d=${seconds}`),
    ...source(`sine=f=${fifth.toFixed(2)}:r=44100:d=${seconds}`),
    ...source(`anoisesrc=d=${seconds}:c=pink:a=0.1:r=44100:s=${seed + 1}`),
    "-filter_complex",
    `[0]tremolo=f=${tremolo}:d=0.5[root];[root][1][2][3]amix=inputs=4:normalize=0:weights=1.6 1.2 1 1,aformat=sample_fmts=s16:channel_layouts=stereo`,
    "-c:a",
    "flac",
    file,
  ]);
}

export const md5Of = async (file: string) =>
  createHash("md5")
    .update(await readFile(file))
    .digest("hex");

/**
 * Writes a delivery folder: `resources/<isrc>.flac` for each track
 * and the message `<messageId>.xml`. Returns the folder.
 */
export async function writeDelivery(
  folder: string,
  spec: ReleaseSpec,
  options: { ffmpeg?: string } = {},
): Promise<string> {
  await mkdir(join(folder, "resources"), { recursive: true });
  const md5 = new Map<string, string>();
  for (const [i, track] of spec.tracks.entries()) {
    const file = join(folder, "resources", track.file ?? `${track.isrc}.flac`);
    await synthesizeAudio(options.ffmpeg ?? "ffmpeg", file, track.seconds, track.seed ?? i);
    md5.set(track.isrc, await md5Of(file));
  }
  await writeFile(join(folder, `${spec.messageId}.xml`), newReleaseMessage(spec, md5));
  return folder;
}
