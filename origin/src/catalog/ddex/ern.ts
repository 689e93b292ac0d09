/**
 * Reads a DDEX ERN 4.x message (`NewReleaseMessage` or `PurgeReleaseMessage`, namespaces ern/43, ern/42, ern/41)
 * into the catalog's model, validating as it goes and reporting every problem at once with its element path: required
 * composites, identifier forms and check digits, durations, dates, territory codes, and references between PartyList,
 * ResourceList, ReleaseList and DealList. Files are checked separately (delivery.ts), because that needs the disk.
 *
 * 4.1 and 4.2 differ from 4.3 mostly in where a SoundRecording keeps its ids and technical details (directly on the
 * SoundRecording rather than in a SoundRecordingEdition); both places are read.
 */
import { checkIcpn, checkIsrc, checkIswc, type IdCheck, parseIsoDuration } from "./identifiers";
import { child, children, textOf, type XmlElement } from "./xml";

export interface Issue {
  /** Element path in the message (or `file:<uri>` for delivery files). */
  path: string;
  code: string;
  message: string;
}

export interface PartyModel {
  ref: string;
  name: string;
  isni?: string;
  dpid?: string;
  proprietaryIds: string[];
}

export interface FileRef {
  uri: string;
  path: string;
  hash?: { algorithm: string; value: string };
}

export interface SoundRecordingModel {
  ref: string;
  path: string;
  isrc: string;
  title: string;
  displayArtist: string;
  artists: Array<{ partyRef: string; role: string }>;
  contributors: Array<{ partyRef: string; roles: string[] }>;
  rightsControllers: Array<{ partyRef: string; roles: string[]; sharePercent?: number }>;
  iswcs: string[];
  durationMs: number;
  parentalWarning?: string;
  file?: FileRef;
}

export interface ReleaseModel {
  ref: string;
  path: string;
  kind: "main" | "track";
  icpn?: string;
  grid?: string;
  proprietaryIds: string[];
  /** The release's identity across messages: ICPN, else GRid, else its first proprietary id. */
  key: string;
  title: string;
  displayArtist: string;
  releaseType?: string;
  labelRefs: string[];
  genres: string[];
  releaseDate?: string;
  /** SoundRecording references in track order. */
  recordingRefs: string[];
}

export interface DealModel {
  path: string;
  releaseRefs: string[];
  territories: string[];
  excluded: string[];
  start?: number;
  end?: number;
  commercialModels: string[];
  useTypes: string[];
}

export interface ErnMessage {
  kind: "NewReleaseMessage" | "PurgeReleaseMessage";
  version: string;
  messageId: string;
  sender: { partyId: string; name?: string };
  createdAt: number;
  isTest: boolean;
  parties: Map<string, PartyModel>;
  recordings: SoundRecordingModel[];
  releases: ReleaseModel[];
  /** Undefined when the message has no DealList (a metadata-only update: deals stay as they were). */
  deals?: DealModel[];
  /** PurgeReleaseMessage: the identity key of the release to purge. */
  purgedReleaseKey?: string;
}

const ERN_NAMESPACE = /^http:\/\/ddex\.net\/xml\/ern\/(41|42|43)$/;
const TERRITORY = /^([A-Z]{2}|Worldwide)$/;
const HASH_ALGORITHMS: Record<string, string> = {
  MD5: "md5",
  SHA1: "sha1",
  SHA: "sha1",
  "SHA-224": "sha224",
  "SHA-256": "sha256",
  SHA2: "sha256",
  "SHA-384": "sha384",
  "SHA-512": "sha512",
};

/** Node crypto's name for a DDEX HashSum algorithm, or undefined when we cannot check it. */
export function nodeHashAlgorithm(ddex: string): string | undefined {
  return HASH_ALGORITHMS[ddex.toUpperCase()];
}

export interface ReadResult {
  message?: ErnMessage;
  issues: Issue[];
  warnings: Issue[];
}

export function readErn(root: XmlElement): ReadResult {
  const issues: Issue[] = [];
  const warnings: Issue[] = [];
  const fail = (el: XmlElement | string, code: string, message: string) =>
    issues.push({ path: typeof el === "string" ? el : el.path, code, message });
  const required = (parent: XmlElement, name: string): string | undefined => {
    const value = textOf(parent, name);
    if (value === undefined) fail(`${parent.path}/${name}`, "required", `${name} is required here.`);
    return value;
  };

  const ns = ERN_NAMESPACE.exec(root.ns);
  if (!ns || (root.name !== "NewReleaseMessage" && root.name !== "PurgeReleaseMessage")) {
    fail(
      root,
      "not-ern",
      `Expected an ERN 4.1-4.3 NewReleaseMessage or PurgeReleaseMessage (namespace http://ddex.net/xml/ern/43); found ${root.name} in namespace "${root.ns}".`,
    );
    return { issues, warnings };
  }
  const version = `4.${ns[1]?.slice(1)}`;

  const header = child(root, "MessageHeader");
  if (!header) {
    fail(`${root.path}/MessageHeader`, "required", "MessageHeader is required.");
    return { issues, warnings };
  }
  const messageId = required(header, "MessageId") ?? "";
  const senderEl = child(header, "MessageSender");
  const senderId = senderEl ? required(senderEl, "PartyId") : undefined;
  if (!senderEl) fail(`${header.path}/MessageSender`, "required", "MessageSender is required.");
  const createdRaw = required(header, "MessageCreatedDateTime");
  const createdAt = createdRaw ? Date.parse(createdRaw) : Number.NaN;
  if (createdRaw && Number.isNaN(createdAt)) {
    fail(child(header, "MessageCreatedDateTime")!, "invalid-datetime", `"${createdRaw}" is not an ISO 8601 date-time.`);
  }
  const base = {
    version,
    messageId,
    sender: { partyId: senderId ?? "", name: textOf(child(senderEl, "PartyName"), "FullName") },
    createdAt,
    isTest: textOf(header, "MessageControlType") === "TestMessage",
  };

  if (root.name === "PurgeReleaseMessage") {
    const purged = child(root, "PurgedRelease");
    const ids = purged ? releaseIds(child(purged, "ReleaseId"), fail) : undefined;
    if (!purged || !ids?.key) {
      fail(`${root.path}/PurgedRelease/ReleaseId`, "required", "PurgedRelease/ReleaseId must identify the release.");
    }
    const message: ErnMessage = {
      ...base,
      kind: "PurgeReleaseMessage",
      parties: new Map(),
      recordings: [],
      releases: [],
      purgedReleaseKey: ids?.key,
    };
    return { message: issues.length ? undefined : message, issues, warnings };
  }

  // PartyList
  const parties = new Map<string, PartyModel>();
  const partyList = child(root, "PartyList");
  if (!partyList) fail(`${root.path}/PartyList`, "required", "PartyList is required.");
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
  const partyRef = (el: XmlElement | undefined, what: string): string | undefined => {
    if (!el) return undefined;
    if (el.text === "") {
      fail(el, "required", `${what} is empty.`);
      return undefined;
    }
    if (!parties.has(el.text)) fail(el, "dangling-reference", `${what} ${el.text} is not in the PartyList.`);
    return el.text;
  };

  // ResourceList
  const resourceList = child(root, "ResourceList");
  if (!resourceList) fail(`${root.path}/ResourceList`, "required", "ResourceList is required.");
  const resourceRefs = new Set<string>();
  for (const resource of resourceList?.children ?? []) {
    const ref = textOf(resource, "ResourceReference");
    if (!ref) continue;
    if (resourceRefs.has(ref)) fail(resource, "duplicate-reference", `ResourceReference ${ref} is used twice.`);
    resourceRefs.add(ref);
  }
  const recordings: SoundRecordingModel[] = [];
  for (const sr of children(resourceList, "SoundRecording")) {
    const recording = readSoundRecording(sr, { fail, required, partyRef, warn: (w) => warnings.push(w) });
    if (recording) recordings.push(recording);
  }
  const recordingRefs = new Set(recordings.map((r) => r.ref));
  if (resourceList && children(resourceList, "SoundRecording").length === 0) {
    fail(resourceList, "required", "The ResourceList has no SoundRecording: there is nothing to stream.");
  }

  // ReleaseList
  const releases: ReleaseModel[] = [];
  const releaseList = child(root, "ReleaseList");
  if (!releaseList) fail(`${root.path}/ReleaseList`, "required", "ReleaseList is required.");
  for (const el of releaseList?.children ?? []) {
    if (el.name !== "Release" && el.name !== "TrackRelease") continue;
    const release = readRelease(el, { fail, required, partyRef, resourceRefs, recordingRefs });
    if (release) releases.push(release);
  }
  const releaseRefs = new Set<string>();
  for (const r of releases) {
    if (releaseRefs.has(r.ref)) fail(r.path, "duplicate-reference", `ReleaseReference ${r.ref} is used twice.`);
    releaseRefs.add(r.ref);
  }
  if (releaseList && releases.length === 0) fail(releaseList, "required", "The ReleaseList has no Release.");

  // DealList
  const dealList = child(root, "DealList");
  const deals = dealList ? readDeals(dealList, { fail, releaseRefs }) : undefined;

  if (issues.length > 0) return { issues, warnings };
  return {
    message: { ...base, kind: "NewReleaseMessage", parties, recordings, releases, deals },
    issues,
    warnings,
  };
}

type Fail = (el: XmlElement | string, code: string, message: string) => void;

function readSoundRecording(
  sr: XmlElement,
  ctx: {
    fail: Fail;
    required: (parent: XmlElement, name: string) => string | undefined;
    partyRef: (el: XmlElement | undefined, what: string) => string | undefined;
    warn: (issue: Issue) => void;
  },
): SoundRecordingModel | undefined {
  const { fail, required, partyRef } = ctx;
  const ref = required(sr, "ResourceReference");
  // 4.3 keeps ids and files in SoundRecordingEdition; 4.1/4.2 directly on the SoundRecording.
  const editions = children(sr, "SoundRecordingEdition");
  const holders = editions.length > 0 ? editions : [sr];
  const resourceIds = holders.flatMap((h) => children(h, "ResourceId"));
  const isrcEl = resourceIds.map((r) => child(r, "ISRC")).find((e) => e !== undefined);
  let isrc = "";
  if (!isrcEl) {
    fail(`${(resourceIds[0] ?? holders[0] ?? sr).path}/ISRC`, "required", "A SoundRecording needs an ISRC.");
  } else {
    isrc = checked(checkIsrc(isrcEl.text), isrcEl, "invalid-isrc", fail) ?? "";
  }
  const title =
    textOf(sr, "DisplayTitleText") ??
    textOf(child(sr, "DisplayTitle"), "TitleText") ??
    textOf(child(sr, "ReferenceTitle"), "TitleText");
  if (!title) fail(`${sr.path}/DisplayTitleText`, "required", "A SoundRecording needs a DisplayTitleText.");
  const displayArtist = textOf(sr, "DisplayArtistName");
  if (!displayArtist) fail(`${sr.path}/DisplayArtistName`, "required", "A SoundRecording needs a DisplayArtistName.");
  const artists = children(sr, "DisplayArtist").flatMap((a) => {
    const p = partyRef(child(a, "ArtistPartyReference"), "ArtistPartyReference");
    return p ? [{ partyRef: p, role: textOf(a, "DisplayArtistRole") ?? "MainArtist" }] : [];
  });
  const contributors = children(sr, "Contributor").flatMap((c) => {
    const p = partyRef(child(c, "ContributorPartyReference"), "ContributorPartyReference");
    return p ? [{ partyRef: p, roles: children(c, "Role").map((r) => r.text) }] : [];
  });
  const rightsControllers = children(sr, "ResourceRightsController").flatMap((rc) => {
    const p = partyRef(child(rc, "RightsControllerPartyReference"), "RightsControllerPartyReference");
    const shareEl = child(rc, "RightSharePercentage");
    let sharePercent: number | undefined;
    if (shareEl) {
      sharePercent = Number(shareEl.text);
      if (!Number.isFinite(sharePercent) || sharePercent < 0 || sharePercent > 100) {
        fail(shareEl, "invalid-share", `RightSharePercentage "${shareEl.text}" must be a number from 0 to 100.`);
      }
    }
    return p ? [{ partyRef: p, roles: children(rc, "RightsControlType").map((r) => r.text), sharePercent }] : [];
  });
  const totalShare = rightsControllers.reduce((sum, rc) => sum + (rc.sharePercent ?? 0), 0);
  if (totalShare > 100.0001) {
    fail(sr, "invalid-share", `The ResourceRightsController shares add up to ${totalShare}%, more than 100%.`);
  }
  const iswcs = children(sr, "WorkId").flatMap((w) => {
    const el = child(w, "ISWC");
    if (!el) return [];
    const value = checked(checkIswc(el.text), el, "invalid-iswc", fail);
    return value ? [value] : [];
  });
  const durationEl = child(sr, "Duration");
  let durationMs = 0;
  if (!durationEl)
    fail(`${sr.path}/Duration`, "required", "A SoundRecording needs a Duration (ISO 8601, e.g. PT3M25S).");
  else {
    const ms = parseIsoDuration(durationEl.text);
    if (ms === undefined || ms <= 0) {
      fail(durationEl, "invalid-duration", `"${durationEl.text}" is not a positive ISO 8601 duration such as PT3M25S.`);
    } else durationMs = ms;
  }
  const technical = holders.flatMap((h) => children(h, "TechnicalDetails"));
  const deliveryFiles = technical.flatMap((t) => children(t, "DeliveryFile"));
  const fileEl = deliveryFiles.map((d) => child(d, "File")).find((f) => f !== undefined);
  let file: FileRef | undefined;
  if (!fileEl) {
    fail(
      `${(technical[0] ?? sr).path}/DeliveryFile/File`,
      "required",
      "A SoundRecording needs TechnicalDetails/DeliveryFile/File with the audio's URI.",
    );
  } else {
    const uriEl = child(fileEl, "URI") ?? child(fileEl, "FileName");
    if (!uriEl || uriEl.text === "") fail(`${fileEl.path}/URI`, "required", "File/URI is required.");
    const hashEl = child(fileEl, "HashSum");
    let hash: FileRef["hash"];
    if (hashEl) {
      const algorithm = textOf(hashEl, "Algorithm") ?? textOf(hashEl, "HashSumAlgorithmType") ?? "";
      const value = (textOf(hashEl, "HashSumValue") ?? textOf(hashEl, "HashSum") ?? "").toLowerCase();
      if (!nodeHashAlgorithm(algorithm)) {
        fail(
          hashEl,
          "unsupported-hash",
          `HashSum Algorithm "${algorithm}" is not one we can check (MD5, SHA1, SHA-256, SHA-384, SHA-512).`,
        );
      } else if (!/^[0-9a-f]+$/.test(value)) {
        fail(hashEl, "invalid-hash", "HashSumValue must be hexadecimal.");
      } else hash = { algorithm, value };
    }
    if (uriEl && uriEl.text !== "") file = { uri: uriEl.text, path: uriEl.path, hash };
  }
  if (!ref || !isrc || !title || !displayArtist || durationMs === 0) return undefined;
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
    parentalWarning: textOf(sr, "ParentalWarningType"),
    file,
  };
}

function readRelease(
  el: XmlElement,
  ctx: {
    fail: Fail;
    required: (parent: XmlElement, name: string) => string | undefined;
    partyRef: (el: XmlElement | undefined, what: string) => string | undefined;
    resourceRefs: Set<string>;
    recordingRefs: Set<string>;
  },
): ReleaseModel | undefined {
  const { fail, required, partyRef } = ctx;
  const ref = required(el, "ReleaseReference");
  const idEl = child(el, "ReleaseId");
  if (!idEl) fail(`${el.path}/ReleaseId`, "required", "ReleaseId is required.");
  const ids = releaseIds(idEl, fail);
  if (idEl && !ids.key) fail(idEl, "required", "ReleaseId needs an ICPN, a GRid or a ProprietaryId.");
  const title =
    textOf(el, "DisplayTitleText") ??
    textOf(child(el, "DisplayTitle"), "TitleText") ??
    textOf(child(el, "ReferenceTitle"), "TitleText");
  const labelRefs = children(el, "ReleaseLabelReference").flatMap((l) => {
    const p = partyRef(l, "ReleaseLabelReference");
    return p ? [p] : [];
  });
  children(el, "DisplayArtist").forEach((a) => {
    partyRef(child(a, "ArtistPartyReference"), "ArtistPartyReference");
  });
  const recordingRefs: string[] = [];
  const resourceRef = (r: XmlElement) => {
    if (!ctx.resourceRefs.has(r.text)) {
      fail(r, "dangling-reference", `${r.name} ${r.text} is not in the ResourceList.`);
    } else if (ctx.recordingRefs.has(r.text) && !recordingRefs.includes(r.text)) recordingRefs.push(r.text);
  };
  if (el.name === "TrackRelease") {
    const r = child(el, "ReleaseResourceReference");
    if (!r) fail(`${el.path}/ReleaseResourceReference`, "required", "A TrackRelease needs a ReleaseResourceReference.");
    else resourceRef(r);
  } else {
    const group = child(el, "ResourceGroup");
    if (!group) fail(`${el.path}/ResourceGroup`, "required", "A Release needs a ResourceGroup listing its tracks.");
    const walk = (g: XmlElement) => {
      for (const item of children(g, "ResourceGroupContentItem")) {
        const r = child(item, "ReleaseResourceReference");
        if (r) resourceRef(r);
        else fail(`${item.path}/ReleaseResourceReference`, "required", "ReleaseResourceReference is required.");
        for (const linked of children(item, "LinkedReleaseResourceReference")) resourceRef(linked);
      }
      for (const sub of children(g, "ResourceGroup")) walk(sub);
    };
    if (group) walk(group);
  }
  if (!ref || !ids.key) return undefined;
  return {
    ref,
    path: el.path,
    kind: el.name === "TrackRelease" ? "track" : "main",
    icpn: ids.icpn,
    grid: ids.grid,
    proprietaryIds: ids.proprietary,
    key: ids.key,
    title: title ?? "",
    displayArtist: textOf(el, "DisplayArtistName") ?? "",
    releaseType: textOf(el, "ReleaseType"),
    labelRefs,
    genres: [...new Set(children(el, "Genre").flatMap((g) => [textOf(g, "GenreText"), textOf(g, "SubGenre")]))].filter(
      (g): g is string => g !== undefined,
    ),
    releaseDate: textOf(el, "ReleaseDate") ?? textOf(el, "OriginalReleaseDate"),
    recordingRefs,
  };
}

function releaseIds(idEl: XmlElement | undefined, fail: Fail) {
  const icpnEl = child(idEl, "ICPN");
  const icpn = icpnEl ? checked(checkIcpn(icpnEl.text), icpnEl, "invalid-icpn", fail) : undefined;
  const grid = textOf(idEl, "GRid");
  if (grid && !/^[A-Z0-9]{18}$/i.test(grid)) {
    fail(child(idEl, "GRid")!, "invalid-grid", `GRid "${grid}" must be 18 letters and digits.`);
  }
  const proprietary = children(idEl, "ProprietaryId").map((p) => `${p.attrs.Namespace ?? ""}:${p.text}`);
  // An invalid ICPN is already reported; keying the release on it anyway keeps that one error from cascading into
  // "missing release" and "dangling reference" errors that would only be noise.
  const code = icpn ?? (icpnEl?.text || undefined);
  const key = code
    ? `icpn:${code}`
    : grid
      ? `grid:${grid.toUpperCase()}`
      : proprietary[0]
        ? `pid:${proprietary[0]}`
        : "";
  return { icpn, grid, proprietary, key };
}

function readDeals(dealList: XmlElement, ctx: { fail: Fail; releaseRefs: Set<string> }): DealModel[] {
  const { fail } = ctx;
  const deals: DealModel[] = [];
  for (const releaseDeal of children(dealList, "ReleaseDeal")) {
    const refs = children(releaseDeal, "DealReleaseReference").map((r) => {
      if (!ctx.releaseRefs.has(r.text))
        fail(r, "dangling-reference", `DealReleaseReference ${r.text} is not in the ReleaseList.`);
      return r.text;
    });
    if (refs.length === 0)
      fail(`${releaseDeal.path}/DealReleaseReference`, "required", "DealReleaseReference is required.");
    for (const deal of children(releaseDeal, "Deal")) {
      const terms = child(deal, "DealTerms");
      if (!terms) continue; // a Deal communicated out of band carries no terms for us
      const codes = (name: string) =>
        children(terms, name).map((t) => {
          if (!TERRITORY.test(t.text)) {
            fail(t, "invalid-territory", `"${t.text}" is not an ISO 3166-1 alpha-2 code or "Worldwide".`);
          }
          return t.text;
        });
      let territories = codes("TerritoryCode");
      const excluded = codes("ExcludedTerritoryCode");
      if (territories.length === 0 && excluded.length === 0) {
        fail(`${terms.path}/TerritoryCode`, "required", "DealTerms need a TerritoryCode or an ExcludedTerritoryCode.");
      }
      if (territories.length === 0) territories = ["Worldwide"]; // ExcludedTerritoryCode alone = worldwide except
      const periods = children(terms, "ValidityPeriod");
      const bounds = periods.length > 0 ? periods.map((p) => readPeriod(p, fail)) : [{}];
      for (const { start, end } of bounds) {
        deals.push({
          path: deal.path,
          releaseRefs: refs,
          territories,
          excluded,
          start,
          end,
          commercialModels: children(terms, "CommercialModelType").map((c) => c.text),
          useTypes: children(terms, "UseType").map((u) => u.text),
        });
      }
    }
  }
  return deals;
}

function readPeriod(period: XmlElement, fail: Fail): { start?: number; end?: number } {
  const at = (name: string): number | undefined => {
    const el = child(period, name);
    if (!el) return undefined;
    const ms = name.endsWith("DateTime") ? Date.parse(el.text) : isoDateMs(el.text);
    if (ms === undefined || Number.isNaN(ms)) {
      fail(
        el,
        "invalid-date",
        `"${el.text}" is not a valid ${name.endsWith("DateTime") ? "date-time" : "date (YYYY-MM-DD)"}.`,
      );
      return undefined;
    }
    return ms;
  };
  const start = at("StartDateTime") ?? at("StartDate");
  // An end date is inclusive in DDEX (the last day of the deal): availability ends at the next midnight UTC.
  const endDate = at("EndDate");
  const end = at("EndDateTime") ?? (endDate === undefined ? undefined : endDate + 86_400_000);
  if (start !== undefined && end !== undefined && end <= start) {
    fail(period, "invalid-period", "The ValidityPeriod ends before it starts.");
  }
  return { start, end };
}

/** `YYYY`, `YYYY-MM` or `YYYY-MM-DD` as epoch ms at UTC midnight of its first day. */
export function isoDateMs(text: string): number | undefined {
  const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$/.exec(text.trim());
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2] ?? 1);
  const day = Number(m[3] ?? 1);
  const ms = Date.UTC(year, month - 1, day);
  const d = new Date(ms);
  if (d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return undefined;
  return ms;
}

function checked(result: IdCheck, el: XmlElement, code: string, fail: Fail): string | undefined {
  if (result.ok) return result.value;
  fail(el, code, result.problem);
  return undefined;
}
