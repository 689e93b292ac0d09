/**
 * Deals license only what their release really contains. A TrackRelease (or any release) in the DealList that holds
 * no SoundRecording of its own (a video track release, say) must license nothing: its deals are a warning in the
 * report, never a grant over the album's audio tracks.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { isPlayable } from "@cadence/shared/catalog/availability";
import { beforeAll, describe, expect, it } from "vitest";
import { buildDelivery, messageFileOf, smallRelease } from "./helpers";
import { ingestOrigin } from "./ingest-helpers";

type IngestOrigin = Awaited<ReturnType<typeof ingestOrigin>>;
interface Report {
  status: string;
  transcodes: number;
  tracks: Array<{ id: string; transcoded: boolean; notStreamed?: true; renditions: unknown[] }>;
  warnings: Array<{ code: string; path: string; message: string }>;
}
let upload: IngestOrigin["upload"];
let edgeTrack: IngestOrigin["edgeTrack"];

beforeAll(async () => {
  ({ upload, edgeTrack } = await ingestOrigin());
}, 60_000);

/** Adds a Video resource, a TrackRelease of it, and a worldwide streaming deal for every tier on that release only. */
function withVideoTrackRelease(xml: string): string {
  const video = `    <Video>
      <ResourceReference>A9</ResourceReference>
      <Type>ShortFormMusicalWorkVideo</Type>
      <VideoEdition><ResourceId><ISRC>QZTST2600099</ISRC></ResourceId></VideoEdition>
      <DisplayTitleText>Video</DisplayTitleText>
      <DisplayTitle><TitleText>Video</TitleText></DisplayTitle>
      <DisplayArtistName>The Test Tones</DisplayArtistName>
      <Duration>PT8S</Duration>
    </Video>
  </ResourceList>`;
  const trackRelease = `    <TrackRelease>
      <ReleaseReference>R9</ReleaseReference>
      <ReleaseId><ProprietaryId Namespace="PADPIDA2025CADENCEDEMO">VIDEO-9</ProprietaryId></ReleaseId>
      <DisplayTitleText>Video</DisplayTitleText>
      <ReleaseResourceReference>A9</ReleaseResourceReference>
      <ReleaseLabelReference>PLabel</ReleaseLabelReference>
    </TrackRelease>
  </ReleaseList>`;
  const videoDeal = `    <ReleaseDeal>
      <DealReleaseReference>R9</DealReleaseReference>
      <Deal><DealTerms><TerritoryCode>Worldwide</TerritoryCode><ValidityPeriod><StartDate>2000-01-01</StartDate></ValidityPeriod><CommercialModelType>SubscriptionModel</CommercialModelType><CommercialModelType>AdvertisementSupportedModel</CommercialModelType><UseType>OnDemandStream</UseType></DealTerms></Deal>
    </ReleaseDeal>
  </DealList>`;
  return xml
    .replace("  </ResourceList>", video)
    .replace("  </ReleaseList>", trackRelease)
    .replace("  </DealList>", videoDeal);
}

describe("a deal on a release without audio of its own", () => {
  let report: Report;

  beforeAll(async () => {
    // The album itself is only licensed for download in GB: no streaming anywhere.
    const folder = await buildDelivery(
      smallRelease({
        messageId: "LICENSING-1",
        icpn: "5012345678900",
        tracks: [
          { isrc: "QZLIC2600001", title: "Download Only One", seconds: 3 },
          { isrc: "QZLIC2600002", title: "Download Only Two", seconds: 3 },
        ],
        deals: [{ models: ["PayAsYouGoModel"], territories: ["GB"], useTypes: ["PermanentDownload"] }],
      }),
    );
    const file = messageFileOf(folder);
    writeFileSync(file, withVideoTrackRelease(readFileSync(file, "utf8")));
    const res = await upload(folder);
    report = (await res.json()) as Report;
    expect(res.status, JSON.stringify(report)).toBe(201);
  }, 60_000);

  it("licenses none of the album's audio tracks", async () => {
    for (const id of ["trk_qzlic2600001", "trk_qzlic2600002"]) {
      const edge = await edgeTrack(id);
      expect(edge, id).toBeDefined();
      expect(edge!.availability.rules).toEqual([]);
      for (const tier of ["free", "premium", "hifi"] as const) {
        expect(isPlayable(edge!, "US", tier, Date.now()).ok).toBe(false);
      }
    }
  });

  it("says so in the report: the deal licenses nothing", () => {
    expect(report.warnings).toContainEqual(
      expect.objectContaining({
        code: "deal-licenses-nothing",
        path: "/NewReleaseMessage/DealList/ReleaseDeal[2]/DealReleaseReference",
      }),
    );
  });
});

describe("a release whose deals grant no streaming", () => {
  it("is ingested without transcoding, the report says so, and a later streaming deal transcodes it", async () => {
    const spec = smallRelease({
      messageId: "DOWNLOAD-ONLY-1",
      icpn: "5012345678931",
      tracks: [{ isrc: "QZDLO2600001", title: "Download Only", seconds: 3, seed: 11 }],
      deals: [{ models: ["PayAsYouGoModel"], useTypes: ["PermanentDownload"] }],
    });
    const first = (await (await upload(await buildDelivery(spec))).json()) as Report;
    expect(first).toMatchObject({ status: "ingested", transcodes: 0 });
    expect(first.tracks).toMatchObject([
      { id: "trk_qzdlo2600001", transcoded: false, notStreamed: true, renditions: [] },
    ]);
    expect(first.warnings).toContainEqual(
      expect.objectContaining({ code: "not-streamed", path: "/NewReleaseMessage/ResourceList/SoundRecording" }),
    );
    const edge = (await edgeTrack("trk_qzdlo2600001"))!;
    expect(edge.renditions).toEqual([]);
    expect(isPlayable(edge, "US", "premium", Date.now()).ok).toBe(false);

    const later = await buildDelivery({
      ...spec,
      messageId: "DOWNLOAD-ONLY-2",
      createdAt: "2026-02-10T10:00:00Z",
      deals: [{ models: ["SubscriptionModel"] }],
    });
    const second = (await (await upload(later)).json()) as Report;
    expect(second).toMatchObject({ status: "ingested", transcodes: 1 });
    expect(second.tracks[0]).toMatchObject({ transcoded: true });
    const streamed = (await edgeTrack("trk_qzdlo2600001"))!;
    expect(streamed.renditions).toHaveLength(4);
    expect(isPlayable(streamed, "US", "premium", Date.now())).toEqual({ ok: true });
  });
});

describe("a deal on a second Release that holds one of the album's tracks", () => {
  beforeAll(async () => {
    const folder = await buildDelivery(
      smallRelease({
        messageId: "LICENSING-2",
        icpn: "5012345678917",
        tracks: [
          { isrc: "QZLIC2600011", title: "Single Track", seconds: 3 },
          { isrc: "QZLIC2600012", title: "Album Only", seconds: 3 },
        ],
        deals: [{ models: ["PayAsYouGoModel"], useTypes: ["PermanentDownload"] }],
      }),
    );
    const file = messageFileOf(folder);
    const single = `    <Release>
      <ReleaseReference>R1</ReleaseReference>
      <ReleaseType>Single</ReleaseType>
      <ReleaseId><ProprietaryId Namespace="PADPIDA2025CADENCEDEMO">SINGLE-1</ProprietaryId></ReleaseId>
      <DisplayTitleText>Single Track</DisplayTitleText>
      <ResourceGroup><ResourceGroupContentItem><SequenceNumber>1</SequenceNumber><ReleaseResourceReference>A1</ReleaseResourceReference></ResourceGroupContentItem></ResourceGroup>
    </Release>
  </ReleaseList>`;
    const singleDeal = `    <ReleaseDeal>
      <DealReleaseReference>R1</DealReleaseReference>
      <Deal><DealTerms><TerritoryCode>US</TerritoryCode><ValidityPeriod><StartDate>2000-01-01</StartDate></ValidityPeriod><CommercialModelType>SubscriptionModel</CommercialModelType><UseType>OnDemandStream</UseType></DealTerms></Deal>
    </ReleaseDeal>
  </DealList>`;
    writeFileSync(
      file,
      readFileSync(file, "utf8").replace("  </ReleaseList>", single).replace("  </DealList>", singleDeal),
    );
    const res = await upload(folder);
    expect(res.status, await res.clone().text()).toBe(201);
  }, 60_000);

  it("streams that track where the single's deal says, and not the rest of the album", async () => {
    const single = (await edgeTrack("trk_qzlic2600011"))!;
    const albumOnly = (await edgeTrack("trk_qzlic2600012"))!;
    expect(isPlayable(single, "US", "premium", Date.now()).ok).toBe(true);
    expect(isPlayable(single, "US", "free", Date.now()).ok).toBe(false);
    expect(isPlayable(albumOnly, "US", "premium", Date.now())).toMatchObject({ ok: false });
    expect(albumOnly.availability.rules).toEqual([]);
  });
});
