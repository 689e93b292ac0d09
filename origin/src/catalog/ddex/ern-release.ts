/**
 * A Release or TrackRelease of an ERN message: its ids and identity key, title and artist, labels and genres, and the
 * SoundRecordings it contains in track order, with every reference checked against the ResourceList.
 */

import { checked, type ErnReader, type Fail, type PartyRef } from "./ern-context";
import type { ReleaseModel } from "./ern-model";
import { checkIcpn } from "./identifiers";
import { child, children, textOf, type XmlElement } from "./xml";

export function readRelease(
  el: XmlElement,
  ctx: Pick<ErnReader, "fail" | "required"> & {
    partyRef: PartyRef;
    resourceRefs: Set<string>;
    recordingRefs: Set<string>;
  },
): ReleaseModel | undefined {
  const { fail, required, partyRef } = ctx;
  const ref = required(el, "ReleaseReference");
  const idEl = child(el, "ReleaseId");
  if (!idEl) fail(el, "required", "ReleaseId is required.");
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
  const recordingRefs = trackRefsOf(el, ctx);
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

/**
 * The SoundRecordings of a release in track order: a TrackRelease's one resource, or a Release's ResourceGroup walked
 * depth first. Every reference must be in the ResourceList; references to other resources (images) are skipped.
 */
function trackRefsOf(
  el: XmlElement,
  ctx: { fail: Fail; resourceRefs: Set<string>; recordingRefs: Set<string> },
): string[] {
  const { fail } = ctx;
  const recordingRefs: string[] = [];
  const resourceRef = (r: XmlElement) => {
    if (!ctx.resourceRefs.has(r.text)) {
      fail(r, "dangling-reference", `${r.name} ${r.text} is not in the ResourceList.`);
    } else if (ctx.recordingRefs.has(r.text) && !recordingRefs.includes(r.text)) recordingRefs.push(r.text);
  };
  if (el.name === "TrackRelease") {
    const r = child(el, "ReleaseResourceReference");
    if (!r) fail(el, "required", "A TrackRelease needs a ReleaseResourceReference.");
    else resourceRef(r);
  } else {
    const group = child(el, "ResourceGroup");
    if (!group) fail(el, "required", "A Release needs a ResourceGroup listing its tracks.");
    const walk = (g: XmlElement) => {
      for (const item of children(g, "ResourceGroupContentItem")) {
        const r = child(item, "ReleaseResourceReference");
        if (r) resourceRef(r);
        else fail(item, "required", "ReleaseResourceReference is required.");
        for (const linked of children(item, "LinkedReleaseResourceReference")) resourceRef(linked);
      }
      for (const sub of children(g, "ResourceGroup")) walk(sub);
    };
    if (group) walk(group);
  }
  return recordingRefs;
}

/** The ids of a release and the key that identifies it across messages: ICPN, else GRid, else a ProprietaryId. */
export function releaseIds(idEl: XmlElement | undefined, fail: Fail) {
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
