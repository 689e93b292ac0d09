/**
 * Reads a DDEX ERN message (`NewReleaseMessage` or `PurgeReleaseMessage`; editions 3.8.1, 3.8.2, 3.8.3 in the
 * ern/38x namespaces, 4.1, 4.1.1, 4.2, 4.3 and 4.3.1 in ern/41, ern/411, ern/42, ern/43 and ern/431) into the catalog's model (ern-model.ts), validating as it goes and reporting every problem at once with its element
 * path: required composites, identifier forms and check digits, durations, dates, territory codes, and references
 * between PartyList, ResourceList, ReleaseList and DealList. Files are checked separately (delivery.ts), because that
 * needs the disk.
 *
 * This module reads the header and walks the lists; each kind of entry has its own reader: ern-recording.ts,
 * ern-release.ts, ern-deal.ts. 4.1 and 4.2 differ from 4.3 mostly in where a SoundRecording keeps its ids and
 * technical details, which ern-recording.ts reads from both places. 3.8 is shaped differently enough (parties inline,
 * details by territory) to have its own reader, ern38.ts, which produces the same model.
 */
import { type ErnReader, ernReader, type PartyRef, partyRefIn } from "./ern-context";
import { readDeals } from "./ern-deal";
import type {
  ErnMessage,
  FileRef,
  MessageBase,
  PartyModel,
  ReadResult,
  ReleaseModel,
  SoundRecordingModel,
} from "./ern-model";
import { fileRefOf, readSoundRecording } from "./ern-recording";
import { readRelease, releaseIds } from "./ern-release";
import { readErn38 } from "./ern38";
import { child, children, textOf, type XmlElement } from "./xml";

export type { DealModel, ErnMessage, FileRef, PartyModel, ReleaseModel, SoundRecordingModel } from "./ern-model";

/** The ERN namespaces read, with the edition each names (4.1.1 was also published under service.ddex.net). */
const ERN_NAMESPACE = /^http:\/\/(?:service\.)?ddex\.net\/xml\/ern\/(381|382|383|41|411|42|43|431)$/;
const EDITION: Record<string, string> = {
  "381": "3.8.1",
  "382": "3.8.2",
  "383": "3.8.3",
  "41": "4.1",
  "411": "4.1.1",
  "42": "4.2",
  "43": "4.3",
  "431": "4.3.1",
};

export type { MessageBase, ReadResult } from "./ern-model";

export function readErn(root: XmlElement): ReadResult {
  const reader = ernReader();
  const { issues, warnings } = reader;
  const version = ernVersion(root, reader);
  if (version === undefined) return { issues, warnings };
  const base = readHeader(root, version, reader);
  if (!base) return { issues, warnings };
  if (root.name === "PurgeReleaseMessage") return readPurge(root, base, reader);
  if (version.startsWith("3.8")) return readErn38(root, base, reader);

  const parties = readParties(root, reader);
  const partyRef = partyRefIn(parties, reader.fail);
  const releasedRefs = new Set(
    collect(child(root, "ReleaseList"), ["ReleaseResourceReference", "LinkedReleaseResourceReference"]),
  );
  const { recordings, resourceRefs, otherFiles } = readResources(root, { ...reader, partyRef, releasedRefs });
  const releases = readReleases(root, {
    ...reader,
    partyRef,
    resourceRefs,
    recordingRefs: new Set(recordings.map((r) => r.ref)),
  });
  const dealList = child(root, "DealList");
  const deals = dealList
    ? readDeals(dealList, {
        fail: reader.fail,
        warn: reader.warn,
        recordingsOf: new Map(releases.map((r) => [r.ref, r.recordingRefs])),
      })
    : undefined;

  if (issues.length > 0) return { issues, warnings };
  return {
    message: { ...base, kind: "NewReleaseMessage", parties, recordings, releases, deals, otherFiles },
    issues,
    warnings,
  };
}

/** The text of every descendant element with one of these names. */
function collect(el: XmlElement | undefined, names: string[]): string[] {
  if (!el) return [];
  return el.children.flatMap((c) => [...(names.includes(c.name) ? [c.text] : []), ...collect(c, names)]);
}

/** The edition (`3.8.2`, `4.1.1`, `4.3`...) from the root's namespace; undefined (recorded) for anything else. */
function ernVersion(root: XmlElement, { fail }: ErnReader): string | undefined {
  const ns = ERN_NAMESPACE.exec(root.ns);
  if (!ns || (root.name !== "NewReleaseMessage" && root.name !== "PurgeReleaseMessage")) {
    fail(
      root,
      "not-ern",
      `Expected an ERN NewReleaseMessage or PurgeReleaseMessage of edition 3.8.1-3.8.3, 4.1, 4.1.1, 4.2, 4.3 or 4.3.1 (namespace http://ddex.net/xml/ern/43 and the like); found ${root.name} in namespace "${root.ns}".`,
    );
    return undefined;
  }
  return EDITION[ns[1]!];
}

/** The MessageHeader; undefined (recorded) when there is none. */
function readHeader(root: XmlElement, version: string, { fail, required }: ErnReader): MessageBase | undefined {
  const header = child(root, "MessageHeader");
  if (!header) {
    fail(root, "required", "MessageHeader is required.");
    return undefined;
  }
  const messageId = required(header, "MessageId") ?? "";
  const senderEl = child(header, "MessageSender");
  const senderId = senderEl ? required(senderEl, "PartyId") : undefined;
  if (!senderEl) fail(header, "required", "MessageSender is required.");
  const createdRaw = required(header, "MessageCreatedDateTime");
  const createdAt = createdRaw ? Date.parse(createdRaw) : Number.NaN;
  if (createdRaw && Number.isNaN(createdAt)) {
    fail(child(header, "MessageCreatedDateTime")!, "invalid-datetime", `"${createdRaw}" is not an ISO 8601 date-time.`);
  }
  return {
    version,
    messageId,
    sender: { partyId: senderId ?? "", name: textOf(child(senderEl, "PartyName"), "FullName") },
    createdAt,
    isTest: textOf(header, "MessageControlType") === "TestMessage",
  };
}

/** A PurgeReleaseMessage: the one release it names. */
function readPurge(root: XmlElement, base: MessageBase, { issues, warnings, fail }: ErnReader): ReadResult {
  const purged = child(root, "PurgedRelease");
  const ids = purged ? releaseIds(child(purged, "ReleaseId"), fail) : undefined;
  if (!purged || !ids?.key) {
    fail(purged ?? root, "required", "PurgedRelease/ReleaseId must identify the release.");
  }
  const message: ErnMessage = {
    ...base,
    kind: "PurgeReleaseMessage",
    parties: new Map(),
    recordings: [],
    releases: [],
    otherFiles: [],
    purgedReleaseKey: ids?.key,
  };
  return { message: issues.length ? undefined : message, issues, warnings };
}

function readParties(root: XmlElement, { fail, required }: ErnReader): Map<string, PartyModel> {
  const parties = new Map<string, PartyModel>();
  const partyList = child(root, "PartyList");
  if (!partyList) fail(root, "required", "PartyList is required.");
  for (const party of children(partyList, "Party")) {
    const ref = required(party, "PartyReference");
    if (!ref) continue;
    if (parties.has(ref)) fail(party, "duplicate-reference", `PartyReference ${ref} is used twice.`);
    const partyId = child(party, "PartyId");
    const name = textOf(child(party, "PartyName"), "FullName");
    if (!name && !partyId) fail(party, "required", "A Party needs a PartyName/FullName or a PartyId.");
    parties.set(ref, {
      ref,
      name: name ?? ref,
      isni: textOf(partyId, "ISNI"),
      dpid: textOf(partyId, "DPID"),
      proprietaryIds: children(partyId, "ProprietaryId").map((p) => `${p.attrs.Namespace ?? ""}:${p.text}`),
    });
  }
  return parties;
}

/** The ResourceList: every resource reference (unique), the SoundRecordings among them, and other resources' files. */
function readResources(
  root: XmlElement,
  ctx: ErnReader & { partyRef: PartyRef; releasedRefs: ReadonlySet<string> },
): { recordings: SoundRecordingModel[]; resourceRefs: Set<string>; otherFiles: FileRef[] } {
  const { fail } = ctx;
  const resourceList = child(root, "ResourceList");
  if (!resourceList) fail(root, "required", "ResourceList is required.");
  const resourceRefs = new Set<string>();
  for (const resource of resourceList?.children ?? []) {
    const ref = textOf(resource, "ResourceReference");
    if (!ref) continue;
    if (resourceRefs.has(ref)) fail(resource, "duplicate-reference", `ResourceReference ${ref} is used twice.`);
    resourceRefs.add(ref);
  }
  const recordings: SoundRecordingModel[] = [];
  for (const sr of children(resourceList, "SoundRecording")) {
    const recording = readSoundRecording(sr, ctx);
    if (recording) recordings.push(recording);
  }
  if (resourceList && children(resourceList, "SoundRecording").length === 0) {
    fail(resourceList, "required", "The ResourceList has no SoundRecording: there is nothing to stream.");
  }
  // Artwork and other resources: their files must be in the delivery and match their HashSums too.
  const otherFiles = (resourceList?.children ?? [])
    .filter((r) => r.name !== "SoundRecording")
    .flatMap((r) => [r, ...children(r, "ImageEdition"), ...children(r, "VideoEdition")])
    .flatMap((h) => children(h, "TechnicalDetails"))
    .flatMap((t) => [...children(t, "File"), ...children(t, "DeliveryFile").flatMap((d) => children(d, "File"))])
    .flatMap((f) => {
      const ref = fileRefOf(f, fail);
      return ref ? [ref] : [];
    });
  return { recordings, resourceRefs, otherFiles };
}

/** The ReleaseList: Releases and TrackReleases, each reference used once. */
function readReleases(
  root: XmlElement,
  ctx: ErnReader & { partyRef: PartyRef; resourceRefs: Set<string>; recordingRefs: Set<string> },
): ReleaseModel[] {
  const { fail } = ctx;
  const releases: ReleaseModel[] = [];
  const releaseList = child(root, "ReleaseList");
  if (!releaseList) fail(root, "required", "ReleaseList is required.");
  for (const el of releaseList?.children ?? []) {
    if (el.name !== "Release" && el.name !== "TrackRelease") continue;
    const release = readRelease(el, ctx);
    if (release) releases.push(release);
  }
  const releaseRefs = new Set<string>();
  for (const r of releases) {
    if (releaseRefs.has(r.ref)) fail(r.path, "duplicate-reference", `ReleaseReference ${r.ref} is used twice.`);
    releaseRefs.add(r.ref);
  }
  if (releaseList && releases.length === 0) fail(releaseList, "required", "The ReleaseList has no Release.");
  return releases;
}
