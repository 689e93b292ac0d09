/**
 * The DealList of an ERN message: each ReleaseDeal's releases, and per Deal its territories (included or excluded),
 * validity periods, commercial models and use types. A Deal with several validity periods becomes one DealModel per
 * period; a Deal without DealTerms (communicated out of band) carries nothing for us. 3.8 wraps use types in `Usage`
 * and can mark a deal `TakeDown`; both are read here so every edition's deals come out the same.
 */
import type { Fail } from "./ern-context";
import type { DealModel } from "./ern-model";
import { child, children, textOf, type XmlElement } from "./xml";

const TERRITORY = /^([A-Z]{2}|Worldwide)$/;

export function readDeals(
  dealList: XmlElement,
  ctx: { fail: Fail; warn: Fail; recordingsOf: ReadonlyMap<string, readonly string[]> },
): DealModel[] {
  const { fail, warn } = ctx;
  const deals: DealModel[] = [];
  for (const releaseDeal of children(dealList, "ReleaseDeal")) {
    const refs = children(releaseDeal, "DealReleaseReference").map((r) => {
      const recordings = ctx.recordingsOf.get(r.text);
      if (!recordings) fail(r, "dangling-reference", `DealReleaseReference ${r.text} is not in the ReleaseList.`);
      else if (recordings.length === 0) {
        // A deal licenses what its release contains and nothing more: a release without audio (a video
        // TrackRelease, say) gets no streaming grant, and it must never fall back to the album's tracks.
        warn(
          r,
          "deal-licenses-nothing",
          `Release ${r.text} holds no SoundRecording, so the deals for it license nothing in this catalog.`,
        );
      }
      return r.text;
    });
    if (refs.length === 0) fail(releaseDeal, "required", "DealReleaseReference is required.");
    for (const deal of children(releaseDeal, "Deal")) deals.push(...readDeal(deal, refs, fail));
  }
  return deals;
}

/** One Deal's terms, one DealModel per validity period. */
function readDeal(deal: XmlElement, releaseRefs: string[], fail: Fail): DealModel[] {
  const terms = child(deal, "DealTerms");
  if (!terms) return []; // a Deal communicated out of band carries no terms for us
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
    fail(terms, "required", "DealTerms need a TerritoryCode or an ExcludedTerritoryCode.");
  }
  if (territories.length === 0) territories = ["Worldwide"]; // ExcludedTerritoryCode alone = worldwide except
  const periods = children(terms, "ValidityPeriod");
  const bounds = periods.length > 0 ? periods.map((p) => readPeriod(p, fail)) : [{}];
  return bounds.map(({ start, end }) => ({
    path: deal.path,
    releaseRefs,
    territories,
    excluded,
    start,
    end,
    commercialModels: children(terms, "CommercialModelType").map((c) => c.text),
    useTypes: [...children(terms, "UseType"), ...children(terms, "Usage").flatMap((u) => children(u, "UseType"))].map(
      (u) => u.text,
    ),
    ...(textOf(terms, "TakeDown") === "true" ? { takedown: true } : {}),
  }));
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
