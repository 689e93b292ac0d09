/**
 * Reads an ERN 3.8.x NewReleaseMessage (ern/381, ern/382, ern/383) into the same model as 4.x (ern-model.ts), so a
 * 3.8 delivery ingests, licenses and publishes exactly like a 4.x one. 3.8 has no PartyList: artists, contributors,
 * labels and rights controllers are named inline, so each distinct party (by PartyId, else by name) becomes a party
 * of the model here. Titles, artists, files and credits live in `...DetailsByTerritory` blocks; the Worldwide block
 * is read first, else the first one. A Release is the main one when it says `IsMainRelease="true"` (else the first
 * that is not a `TrackRelease`); one whose ReleaseType is `TrackRelease` is a track release. Deals are read by
 * ern-deal.ts (`Usage/UseType`, `TakeDown`). `UpdateIndicator` is kept for the report.
 */

import { checked, type ErnReader } from "./ern-context";
import { readDeals } from "./ern-deal";
import type { ErnMessage, MessageBase, PartyModel, ReadResult, ReleaseModel, SoundRecordingModel } from "./ern-model";
import { fileRefOf } from "./ern-recording";
import { releaseIds } from "./ern-release";
import { checkIsrc, checkIswc, parseIsoDuration } from "./identifiers";
import { child, children, textOf, type XmlElement } from "./xml";

/** The parties a 3.8 message names inline, made into the model's parties with stable references. */
class InlineParties {
  readonly parties = new Map<string, PartyModel>();

  /** The party a `DisplayArtist`, `ResourceContributor`, `RightsController` (PartyName/PartyId) names. */
  of(el: XmlElement): string | undefined {
    const name = textOf(child(el, "PartyName"), "FullName");
    const idEl = child(el, "PartyId");
    const id = idEl?.text || undefined;
    if (!name && !id) return undefined;
    const ref = id ? `id:${id}` : `name:${name}`;
    if (!this.parties.has(ref)) {
      const isIsni = idEl?.attrs.IsISNI === "true" || (id !== undefined && /^\d{15}[\dX]$/.test(id));
      const isDpid = idEl?.attrs.IsDPID === "true" || id?.startsWith("PADPIDA") === true;
      this.parties.set(ref, {
        ref,
        name: name ?? id ?? ref,
        isni: isIsni ? id : undefined,
        dpid: isDpid ? id : undefined,
        proprietaryIds: id && !isIsni && !isDpid ? [`${idEl?.attrs.Namespace ?? ""}:${id}`] : [],
      });
    }
    return ref;
  }

  /** A label named only by `LabelName`. */
  label(name: string): string {
    const ref = `name:${name}`;
    if (!this.parties.has(ref)) this.parties.set(ref, { ref, name, proprietaryIds: [] });
    return ref;
  }
}

/** The Worldwide details block of a resource or release, else its first. */
function detailsOf(el: XmlElement, name: string): XmlElement | undefined {
  const all = children(el, name);
  return all.find((d) => textOf(d, "TerritoryCode") === "Worldwide") ?? all[0];
}

const displayTitle = (holder: XmlElement | undefined) =>
  textOf(
    children(holder, "Title").find((t) => t.attrs.TitleType === "DisplayTitle") ?? child(holder, "Title"),
    "TitleText",
  );

export function readErn38(root: XmlElement, base: MessageBase, reader: ErnReader): ReadResult {
  const { issues, warnings, fail } = reader;
  const parties = new InlineParties();
  const releasedRefs = new Set<string>();
  const releaseList = child(root, "ReleaseList");
  if (!releaseList) fail(root, "required", "ReleaseList is required.");
  for (const r of children(releaseList, "Release")) {
    for (const list of children(r, "ReleaseResourceReferenceList")) {
      for (const ref of children(list, "ReleaseResourceReference")) releasedRefs.add(ref.text);
    }
  }

  const resourceList = child(root, "ResourceList");
  if (!resourceList) fail(root, "required", "ResourceList is required.");
  const resourceRefs = new Set<string>();
  for (const resource of resourceList?.children ?? []) {
    const ref = textOf(resource, "ResourceReference");
    if (!ref) continue;
    if (resourceRefs.has(ref)) fail(resource, "duplicate-reference", `ResourceReference ${ref} is used twice.`);
    resourceRefs.add(ref);
  }
  const recordings = children(resourceList, "SoundRecording").flatMap((sr) => {
    const r = readRecording38(sr, reader, parties, releasedRefs);
    return r ? [r] : [];
  });
  if (resourceList && children(resourceList, "SoundRecording").length === 0) {
    fail(resourceList, "required", "The ResourceList has no SoundRecording: there is nothing to stream.");
  }
  const otherFiles = (resourceList?.children ?? [])
    .filter((r) => r.name !== "SoundRecording")
    .flatMap((r) => children(r, `${r.name}DetailsByTerritory`))
    .flatMap((d) => d.children.filter((t) => t.name.startsWith("Technical")))
    .flatMap((t) => children(t, "File"))
    .flatMap((f) => {
      const ref = fileRefOf(f, fail);
      return ref ? [ref] : [];
    });

  const recordingRefs = new Set(recordings.map((r) => r.ref));
  const releases = children(releaseList, "Release").flatMap((el) => {
    const r = readRelease38(el, reader, parties, resourceRefs, recordingRefs);
    return r ? [r] : [];
  });
  // The model's main release is the first "main" one: put the one the message marks main first.
  const marked = children(releaseList, "Release").findIndex((r) => r.attrs.IsMainRelease === "true");
  const markedRef = marked >= 0 ? textOf(children(releaseList, "Release")[marked], "ReleaseReference") : undefined;
  releases.sort((a, b) => Number(b.ref === markedRef) - Number(a.ref === markedRef));
  const seen = new Set<string>();
  for (const r of releases) {
    if (seen.has(r.ref)) fail(r.path, "duplicate-reference", `ReleaseReference ${r.ref} is used twice.`);
    seen.add(r.ref);
  }
  if (releaseList && releases.length === 0) fail(releaseList, "required", "The ReleaseList has no Release.");

  const dealList = child(root, "DealList");
  const deals = dealList
    ? readDeals(dealList, {
        fail,
        warn: reader.warn,
        recordingsOf: new Map(releases.map((r) => [r.ref, r.recordingRefs])),
      })
    : undefined;
  // A 3.8 takedown: every deal of the message says TakeDown. The releases come down from the earliest start given.
  const takedownAt =
    deals && deals.length > 0 && deals.every((d) => d.takedown)
      ? Math.min(...deals.map((d) => d.start ?? base.createdAt))
      : undefined;

  if (issues.length > 0) return { issues, warnings };
  const message: ErnMessage = {
    ...base,
    kind: "NewReleaseMessage",
    parties: parties.parties,
    recordings,
    releases,
    // A takedown keeps the deals the release had (they still say where it was licensed until the takedown).
    deals: takedownAt === undefined ? deals?.filter((d) => !d.takedown) : undefined,
    otherFiles,
    updateIndicator: textOf(root, "UpdateIndicator"),
    ...(takedownAt === undefined ? {} : { takedownAt }),
  };
  return { message, issues, warnings };
}

function readRecording38(
  sr: XmlElement,
  { fail, required }: ErnReader,
  parties: InlineParties,
  releasedRefs: ReadonlySet<string>,
): SoundRecordingModel | undefined {
  const ref = required(sr, "ResourceReference");
  if (ref && sr.attrs.IsSupplemental === "true" && !releasedRefs.has(ref)) return undefined;
  const idEl = child(sr, "SoundRecordingId");
  const isrcEl = child(idEl, "ISRC");
  if (!isrcEl) fail(idEl ?? sr, "required", "A SoundRecording needs an ISRC.");
  const isrc = isrcEl ? (checked(checkIsrc(isrcEl.text), isrcEl, "invalid-isrc", fail) ?? "") : "";
  const details = detailsOf(sr, "SoundRecordingDetailsByTerritory");
  if (!details) {
    fail(sr, "required", "A SoundRecording needs SoundRecordingDetailsByTerritory.");
  }
  const title = displayTitle(details) ?? textOf(child(sr, "ReferenceTitle"), "TitleText");
  if (!title) fail(sr, "required", "A SoundRecording needs a title.");

  const artists = children(details, "DisplayArtist").flatMap((a) => {
    const p = parties.of(a);
    return p ? [{ partyRef: p, role: textOf(a, "ArtistRole") ?? "MainArtist" }] : [];
  });
  const displayArtist =
    textOf(details, "DisplayArtistName") ??
    artists
      .map((a) => parties.parties.get(a.partyRef)?.name)
      .filter(Boolean)
      .join(", ");
  if (!displayArtist) {
    fail(details ?? sr, "required", "A SoundRecording needs a DisplayArtist or a DisplayArtistName.");
  }
  const contributors = [
    ...children(details, "ResourceContributor").map((c) => [c, "ResourceContributorRole"] as const),
    ...children(details, "IndirectResourceContributor").map((c) => [c, "IndirectResourceContributorRole"] as const),
  ].flatMap(([c, roleName]) => {
    const p = parties.of(c);
    const roles = children(c, roleName).map((r) =>
      r.text === "UserDefined" ? (r.attrs.UserDefinedValue ?? r.text) : r.text,
    );
    return p ? [{ partyRef: p, roles }] : [];
  });
  const rightsControllers = children(details, "RightsController").flatMap((rc) => {
    const p = parties.of(rc);
    const shareEl = child(rc, "RightSharePercentage");
    const sharePercent = shareEl ? Number(shareEl.text) : undefined;
    if (shareEl && (!Number.isFinite(sharePercent) || sharePercent! < 0 || sharePercent! > 100)) {
      fail(shareEl, "invalid-share", `RightSharePercentage "${shareEl.text}" must be a number from 0 to 100.`);
    }
    return p ? [{ partyRef: p, roles: children(rc, "RightsControllerRole").map((r) => r.text), sharePercent }] : [];
  });
  const iswcs = children(sr, "IndirectSoundRecordingId").flatMap((w) => {
    const el = child(w, "ISWC");
    const value = el ? checked(checkIswc(el.text), el, "invalid-iswc", fail) : undefined;
    return value ? [value] : [];
  });

  const durationEl = child(sr, "Duration");
  const durationMs = durationEl ? parseIsoDuration(durationEl.text) : undefined;
  if (!durationEl) fail(sr, "required", "A SoundRecording needs a Duration (ISO 8601, e.g. PT3M25S).");
  else if (!durationMs) {
    fail(durationEl, "invalid-duration", `"${durationEl.text}" is not a positive ISO 8601 duration such as PT3M25S.`);
  }

  const technical = children(details, "TechnicalSoundRecordingDetails");
  const fileEls = technical.flatMap((t) => children(t, "File"));
  if (details && fileEls.length === 0) {
    fail(
      technical[0] ?? details,
      "required",
      "A SoundRecording needs TechnicalSoundRecordingDetails/File with the audio's FileName.",
    );
  }
  const files = fileEls.flatMap((f) => {
    const file = fileRefOf(f, fail);
    return file ? [file] : [];
  });
  if (!ref || !isrc || !title || !displayArtist || !durationMs) return undefined;
  return {
    ref,
    path: sr.path,
    isrc,
    title,
    displayArtist,
    artists,
    contributors,
    rightsControllers,
    iswcs,
    durationMs,
    parentalWarning: textOf(details, "ParentalWarningType"),
    file: files[0],
    extraFiles: files.slice(1),
  };
}

function readRelease38(
  el: XmlElement,
  { fail, required }: ErnReader,
  parties: InlineParties,
  resourceRefs: ReadonlySet<string>,
  recordingRefs: ReadonlySet<string>,
): ReleaseModel | undefined {
  const ref = required(el, "ReleaseReference");
  const idEl = child(el, "ReleaseId");
  if (!idEl) fail(el, "required", "ReleaseId is required.");
  const ids = releaseIds(idEl, fail);
  if (idEl && !ids.key) fail(idEl, "required", "ReleaseId needs an ICPN, a GRid or a ProprietaryId.");
  const details = detailsOf(el, "ReleaseDetailsByTerritory");
  const releaseType = textOf(el, "ReleaseType");

  // Track order: the details' ResourceGroup walked depth first, else the ReleaseResourceReferenceList.
  const order: XmlElement[] = [];
  const walk = (g: XmlElement) => {
    for (const item of children(g, "ResourceGroupContentItem")) {
      order.push(...children(item, "ReleaseResourceReference"), ...children(item, "LinkedReleaseResourceReference"));
    }
    for (const sub of children(g, "ResourceGroup")) walk(sub);
  };
  for (const g of children(details, "ResourceGroup")) walk(g);
  for (const list of children(el, "ReleaseResourceReferenceList"))
    order.push(...children(list, "ReleaseResourceReference"));
  const refs: string[] = [];
  for (const r of order) {
    if (!resourceRefs.has(r.text)) fail(r, "dangling-reference", `${r.name} ${r.text} is not in the ResourceList.`);
    else if (recordingRefs.has(r.text) && !refs.includes(r.text)) refs.push(r.text);
  }
  const label = textOf(details, "LabelName");
  if (!ref || !ids.key) return undefined;
  return {
    ref,
    path: el.path,
    kind: releaseType === "TrackRelease" ? "track" : "main",
    icpn: ids.icpn,
    grid: ids.grid,
    proprietaryIds: ids.proprietary,
    key: ids.key,
    title: displayTitle(details) ?? textOf(child(el, "ReferenceTitle"), "TitleText") ?? "",
    displayArtist: textOf(details, "DisplayArtistName") ?? "",
    releaseType,
    labelRefs: label ? [parties.label(label)] : [],
    genres: [
      ...new Set(children(details, "Genre").flatMap((g) => [textOf(g, "GenreText"), textOf(g, "SubGenre")])),
    ].filter((g): g is string => g !== undefined),
    releaseDate:
      textOf(details, "OriginalReleaseDate") ??
      textOf(el, "GlobalOriginalReleaseDate") ??
      textOf(details, "ReleaseDate"),
    recordingRefs: refs,
  };
}
