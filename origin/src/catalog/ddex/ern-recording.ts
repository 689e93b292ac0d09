/**
 * A SoundRecording of an ERN message: its ISRC, title and artist, the parties that play on it and control its
 * rights (with shares), its works (ISWCs), its duration, and the audio file it is delivered as (URI and HashSum).
 *
 * 4.3 keeps ids and technical details in a SoundRecordingEdition, each file in a DeliveryFile; 4.1, 4.1.1 and 4.2
 * keep ids and TechnicalDetails directly on the SoundRecording, with `File` directly inside TechnicalDetails. Every
 * place is read, and every file of the resource is kept so each is checked for presence and hash.
 *
 * A supplemental recording (`IsSupplemental="true"`) that no release contains is not ours to stream: it needs neither
 * an ISRC nor a file, and it is left out of the model.
 */

import { checked, type ErnReader, type Fail, type PartyRef } from "./ern-context";
import type { FileRef, SoundRecordingModel } from "./ern-model";
import { checkIsrc, checkIswc, parseIsoDuration } from "./identifiers";
import { child, children, textOf, type XmlElement } from "./xml";

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

/** Expected hex length of each algorithm's digest: a value of another length is malformed, not a mismatch. */
const HEX_LENGTH: Record<string, number> = { md5: 32, sha1: 40, sha224: 56, sha256: 64, sha384: 96, sha512: 128 };

export function readSoundRecording(
  sr: XmlElement,
  ctx: Pick<ErnReader, "fail" | "required"> & { partyRef: PartyRef; releasedRefs: ReadonlySet<string> },
): SoundRecordingModel | undefined {
  const { fail, required } = ctx;
  const ref = required(sr, "ResourceReference");
  if (ref && sr.attrs.IsSupplemental === "true" && !ctx.releasedRefs.has(ref)) return undefined;
  // 4.3 keeps ids and files in SoundRecordingEdition; 4.1/4.2 directly on the SoundRecording.
  const editions = children(sr, "SoundRecordingEdition");
  const holders = editions.length > 0 ? editions : [sr];
  const isrc = isrcOf(sr, holders, fail);
  const title =
    textOf(sr, "DisplayTitleText") ??
    textOf(child(sr, "DisplayTitle"), "TitleText") ??
    textOf(child(sr, "ReferenceTitle"), "TitleText");
  if (!title) fail(sr, "required", "A SoundRecording needs a DisplayTitleText.");
  const displayArtist = textOf(sr, "DisplayArtistName");
  if (!displayArtist) fail(sr, "required", "A SoundRecording needs a DisplayArtistName.");
  const parties = partiesOf(sr, ctx.partyRef, fail);
  const iswcs = iswcsOf(sr, fail);
  const durationMs = durationOf(sr, fail);
  const files = filesOf(sr, holders, fail);
  if (!ref || !isrc || !title || !displayArtist || durationMs === 0) return undefined;
  return {
    ref,
    path: sr.path,
    isrc,
    title,
    displayArtist,
    ...parties,
    iswcs,
    durationMs,
    parentalWarning: textOf(sr, "ParentalWarningType"),
    file: files[0],
    extraFiles: files.slice(1),
  };
}

/** The recording's ISRC, checked; "" when it is missing or invalid (both recorded). */
function isrcOf(sr: XmlElement, holders: XmlElement[], fail: Fail): string {
  const resourceIds = holders.flatMap((h) => children(h, "ResourceId"));
  const isrcEl = resourceIds.map((r) => child(r, "ISRC")).find((e) => e !== undefined);
  if (!isrcEl) {
    fail(resourceIds[0] ?? holders[0] ?? sr, "required", "A SoundRecording needs an ISRC.");
    return "";
  }
  return checked(checkIsrc(isrcEl.text), isrcEl, "invalid-isrc", fail) ?? "";
}

/** Display artists, contributors with their roles, and rights controllers with shares that add up to at most 100 %. */
function partiesOf(
  sr: XmlElement,
  partyRef: PartyRef,
  fail: Fail,
): Pick<SoundRecordingModel, "artists" | "contributors" | "rightsControllers"> {
  const artists = children(sr, "DisplayArtist").flatMap((a) => {
    const p = partyRef(child(a, "ArtistPartyReference"), "ArtistPartyReference");
    return p ? [{ partyRef: p, role: textOf(a, "DisplayArtistRole") ?? "MainArtist" }] : [];
  });
  const contributors = children(sr, "Contributor").flatMap((c) => {
    const p = partyRef(child(c, "ContributorPartyReference"), "ContributorPartyReference");
    return p ? [{ partyRef: p, roles: rolesOf(c) }] : [];
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
  return { artists, contributors, rightsControllers };
}

/** The ISWCs of the works the recording performs, each checked. */
function iswcsOf(sr: XmlElement, fail: Fail): string[] {
  return children(sr, "WorkId").flatMap((w) => {
    const el = child(w, "ISWC");
    if (!el) return [];
    const value = checked(checkIswc(el.text), el, "invalid-iswc", fail);
    return value ? [value] : [];
  });
}

/** The declared Duration in ms; 0 when it is missing or not a positive ISO 8601 duration (both recorded). */
function durationOf(sr: XmlElement, fail: Fail): number {
  const durationEl = child(sr, "Duration");
  if (!durationEl) {
    fail(sr, "required", "A SoundRecording needs a Duration (ISO 8601, e.g. PT3M25S).");
    return 0;
  }
  const ms = parseIsoDuration(durationEl.text);
  if (ms === undefined || ms <= 0) {
    fail(durationEl, "invalid-duration", `"${durationEl.text}" is not a positive ISO 8601 duration such as PT3M25S.`);
    return 0;
  }
  return ms;
}

/** A contributor's roles: `<Role>Composer</Role>` up to 4.3, `<Role><Value>Composer</Value></Role>` in 4.3.1. */
export function rolesOf(contributor: XmlElement): string[] {
  return children(contributor, "Role").flatMap((r) => {
    const value = textOf(r, "Value") ?? r.text;
    if (!value) return [];
    // A UserDefined role names itself in the UserDefinedValue attribute.
    return [
      value === "UserDefined"
        ? (r.attrs.UserDefinedValue ?? child(r, "Value")?.attrs.UserDefinedValue ?? value)
        : value,
    ];
  });
}

/**
 * Every delivered file of the recording, the audio first: TechnicalDetails/DeliveryFile/File (4.3) or
 * TechnicalDetails/File (4.1, 4.1.1, 4.2), each with its URI and, if declared, a checkable HashSum.
 */
function filesOf(sr: XmlElement, holders: XmlElement[], fail: Fail): FileRef[] {
  const technical = holders.flatMap((h) => children(h, "TechnicalDetails"));
  const fileEls = technical.flatMap((t) => [
    ...children(t, "File"),
    ...children(t, "DeliveryFile").flatMap((d) => children(d, "File")),
  ]);
  if (fileEls.length === 0) {
    const where = technical[0] ?? holders[0] ?? sr;
    fail(
      where,
      "required",
      "A SoundRecording needs TechnicalDetails with a File (4.3: DeliveryFile/File) giving the audio's URI.",
    );
    return [];
  }
  return fileEls.flatMap((f) => {
    const ref = fileRefOf(f, fail);
    return ref ? [ref] : [];
  });
}

/** A File element: URI (4.x), or FileName with an optional FilePath (3.8), and its HashSum. */
export function fileRefOf(fileEl: XmlElement, fail: Fail): FileRef | undefined {
  const uriEl = child(fileEl, "URI") ?? child(fileEl, "URL") ?? child(fileEl, "FileName");
  if (!uriEl || uriEl.text === "") {
    fail(uriEl ?? fileEl, "required", "File needs a URI (3.8: a FileName) naming the file in the delivery.");
    return undefined;
  }
  const folder = uriEl.name === "FileName" ? (textOf(fileEl, "FilePath") ?? "") : "";
  const uri = folder ? `${folder.replace(/\/+$/, "")}/${uriEl.text}` : uriEl.text;
  return { uri, path: uriEl.path, hash: hashOf(child(fileEl, "HashSum"), fail) };
}

function hashOf(hashEl: XmlElement | undefined, fail: Fail): FileRef["hash"] {
  if (!hashEl) return undefined;
  // 4.x: Algorithm + HashSumValue; 3.8: HashSumAlgorithmType + a nested HashSum.
  const algorithm = textOf(hashEl, "Algorithm") ?? textOf(hashEl, "HashSumAlgorithmType") ?? "";
  const valueEl = child(hashEl, "HashSumValue") ?? child(hashEl, "HashSum");
  const value = (valueEl?.text ?? "").toLowerCase();
  const node = nodeHashAlgorithm(algorithm);
  if (!node) {
    fail(
      child(hashEl, "Algorithm") ?? child(hashEl, "HashSumAlgorithmType") ?? hashEl,
      "unsupported-hash",
      `HashSum Algorithm "${algorithm}" is not one we can check (MD5, SHA1, SHA-256, SHA-384, SHA-512).`,
    );
    return undefined;
  }
  if (!/^[0-9a-f]+$/.test(value) || value.length !== HEX_LENGTH[node]) {
    fail(
      valueEl ?? hashEl,
      "malformed-hash",
      `"${valueEl?.text ?? ""}" is not a ${algorithm} value: expected ${HEX_LENGTH[node]} hexadecimal digits.`,
    );
    return undefined;
  }
  return { algorithm, value };
}
