/**
 * A SoundRecording of an ERN message: its ISRC, title and artist, the parties that play on it and control its
 * rights (with shares), its works (ISWCs), its duration, and the audio file it is delivered as (URI and HashSum).
 *
 * 4.3 keeps ids and technical details in a SoundRecordingEdition; 4.1 and 4.2 directly on the SoundRecording. Both
 * places are read.
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

export function readSoundRecording(
  sr: XmlElement,
  ctx: Pick<ErnReader, "fail" | "required"> & { partyRef: PartyRef },
): SoundRecordingModel | undefined {
  const { fail, required } = ctx;
  const ref = required(sr, "ResourceReference");
  // 4.3 keeps ids and files in SoundRecordingEdition; 4.1/4.2 directly on the SoundRecording.
  const editions = children(sr, "SoundRecordingEdition");
  const holders = editions.length > 0 ? editions : [sr];
  const isrc = isrcOf(sr, holders, fail);
  const title =
    textOf(sr, "DisplayTitleText") ??
    textOf(child(sr, "DisplayTitle"), "TitleText") ??
    textOf(child(sr, "ReferenceTitle"), "TitleText");
  if (!title) fail(`${sr.path}/DisplayTitleText`, "required", "A SoundRecording needs a DisplayTitleText.");
  const displayArtist = textOf(sr, "DisplayArtistName");
  if (!displayArtist) fail(`${sr.path}/DisplayArtistName`, "required", "A SoundRecording needs a DisplayArtistName.");
  const parties = partiesOf(sr, ctx.partyRef, fail);
  const iswcs = iswcsOf(sr, fail);
  const durationMs = durationOf(sr, fail);
  const file = fileOf(sr, holders, fail);
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
    file,
  };
}

/** The recording's ISRC, checked; "" when it is missing or invalid (both recorded). */
function isrcOf(sr: XmlElement, holders: XmlElement[], fail: Fail): string {
  const resourceIds = holders.flatMap((h) => children(h, "ResourceId"));
  const isrcEl = resourceIds.map((r) => child(r, "ISRC")).find((e) => e !== undefined);
  if (!isrcEl) {
    fail(`${(resourceIds[0] ?? holders[0] ?? sr).path}/ISRC`, "required", "A SoundRecording needs an ISRC.");
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
    fail(`${sr.path}/Duration`, "required", "A SoundRecording needs a Duration (ISO 8601, e.g. PT3M25S).");
    return 0;
  }
  const ms = parseIsoDuration(durationEl.text);
  if (ms === undefined || ms <= 0) {
    fail(durationEl, "invalid-duration", `"${durationEl.text}" is not a positive ISO 8601 duration such as PT3M25S.`);
    return 0;
  }
  return ms;
}

/** The delivered audio file: TechnicalDetails/DeliveryFile/File with its URI and, if declared, a checkable HashSum. */
function fileOf(sr: XmlElement, holders: XmlElement[], fail: Fail): FileRef | undefined {
  const technical = holders.flatMap((h) => children(h, "TechnicalDetails"));
  const deliveryFiles = technical.flatMap((t) => children(t, "DeliveryFile"));
  const fileEl = deliveryFiles.map((d) => child(d, "File")).find((f) => f !== undefined);
  if (!fileEl) {
    fail(
      `${(technical[0] ?? sr).path}/DeliveryFile/File`,
      "required",
      "A SoundRecording needs TechnicalDetails/DeliveryFile/File with the audio's URI.",
    );
    return undefined;
  }
  const uriEl = child(fileEl, "URI") ?? child(fileEl, "FileName");
  if (!uriEl || uriEl.text === "") fail(`${fileEl.path}/URI`, "required", "File/URI is required.");
  const hash = hashOf(child(fileEl, "HashSum"), fail);
  return uriEl && uriEl.text !== "" ? { uri: uriEl.text, path: uriEl.path, hash } : undefined;
}

function hashOf(hashEl: XmlElement | undefined, fail: Fail): FileRef["hash"] {
  if (!hashEl) return undefined;
  const algorithm = textOf(hashEl, "Algorithm") ?? textOf(hashEl, "HashSumAlgorithmType") ?? "";
  const value = (textOf(hashEl, "HashSumValue") ?? textOf(hashEl, "HashSum") ?? "").toLowerCase();
  if (!nodeHashAlgorithm(algorithm)) {
    fail(
      hashEl,
      "unsupported-hash",
      `HashSum Algorithm "${algorithm}" is not one we can check (MD5, SHA1, SHA-256, SHA-384, SHA-512).`,
    );
    return undefined;
  }
  if (!/^[0-9a-f]+$/.test(value)) {
    fail(hashEl, "invalid-hash", "HashSumValue must be hexadecimal.");
    return undefined;
  }
  return { algorithm, value };
}
