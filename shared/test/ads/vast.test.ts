/**
 * The VAST answers a player gets: every shape the decision can produce validates against the official 4.2 XSD with
 * xmllint and parses without a single warning in a real VAST client (@dailymotion/vast-client).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { VASTParser } from "@dailymotion/vast-client";
import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import { verifyBeacon } from "../../src/ads/beacon";
import type { AdPod } from "../../src/ads/decide";
import { NO_FILL_VAST, renderPod } from "../../src/ads/vast";
import { campaign, creative } from "./fixtures";

const XSD = resolve(import.meta.dirname, "../../../test-fixtures/vast/vast_4.2.xsd");
const dir = mkdtempSync(join(tmpdir(), "cadence-vast-"));
let n = 0;

/** Runs the real xmllint against the official schema; returns its complaints ("" when valid). */
export function xmllintErrors(xml: string): string {
  const file = join(dir, `answer-${n++}.xml`);
  writeFileSync(file, xml);
  try {
    execFileSync("xmllint", ["--nonet", "--noout", "--schema", XSD, file], { stdio: "pipe" });
    return "";
  } catch (err) {
    return String((err as { stderr?: Buffer }).stderr ?? err);
  }
}

/** The part of vast-client's parsed ad these tests read (its own types say `any`). */
interface ParsedAd {
  id: string;
  sequence: string;
  adType: string;
  adServingId: string;
  title: string;
  impressionURLTemplates: Array<{ url: string }>;
  errorURLTemplates: string[];
  creatives: Array<{ type: string; duration: number; universalAdIds: Array<{ idRegistry: string; value: string }> }>;
}

export async function parseWithVastClient(
  xml: string,
): Promise<{ response: { version: string; ads: ParsedAd[] }; warnings: unknown[] }> {
  const parser = new VASTParser();
  const warnings: unknown[] = [];
  parser.on("VAST-warning", (w: unknown) => warnings.push(w));
  // A browser-grade DOM (element.children included), so the client's required-element checks really run.
  const doc = new new JSDOM("").window.DOMParser().parseFromString(xml, "text/xml");
  const response = (await parser.parseVAST(doc as unknown as Document)) as unknown as {
    version: string;
    ads: ParsedAd[];
  };
  return { response, warnings };
}

const SECRET = "test-beacon-secret-0123456789";
const options = {
  baseUrl: "https://ads.test",
  beaconSecret: SECRET,
  beaconExpiresAt: Date.now() + 3_600_000,
  expiresSeconds: 900,
};

function pod(...ads: Array<Parameters<typeof campaign>[0]>): AdPod {
  return {
    ads: ads.map((overrides, i) => {
      const c = campaign(overrides);
      return {
        adServingId: crypto.randomUUID(),
        sequence: i + 1,
        campaign: c,
        creative: c.creatives[0]!,
        priceMilli: c.cpmMinor,
      };
    }),
  };
}

describe("VAST 4.2 answers", () => {
  it("no fill is a bare VAST 4.2 element that validates and parses to zero ads", async () => {
    expect(xmllintErrors(NO_FILL_VAST)).toBe("");
    const { response, warnings } = await parseWithVastClient(NO_FILL_VAST);
    expect(response.ads).toHaveLength(0);
    expect(warnings).toEqual([]);
    expect(NO_FILL_VAST).toMatch(/<VAST version="4\.2" xmlns="http:\/\/www\.iab\.com\/VAST"\/>/);
  });

  it("a single audio ad validates against the XSD and parses without warnings", async () => {
    const { xml } = await renderPod(pod({ category: "automotive" }), options);
    expect(xmllintErrors(xml)).toBe("");
    const { response, warnings } = await parseWithVastClient(xml);
    expect(warnings).toEqual([]);
    expect(response.version).toBe("4.2");
    expect(response.ads).toHaveLength(1);
    const ad = response.ads[0]!;
    expect(ad.adType).toBe("audio");
    expect(ad.adServingId).toMatch(/^[0-9a-f-]{36}$/);
    expect(ad.impressionURLTemplates[0]?.url).toContain("%5BTIMESTAMP%5D");
    expect(ad.errorURLTemplates[0]).toContain("%5BERRORCODE%5D");
    const linear = ad.creatives[0]!;
    expect(linear.type).toBe("linear");
    expect(linear.universalAdIds[0]).toMatchObject({ idRegistry: "cadence.example" });
    const files = (linear as unknown as { mediaFiles: Array<{ mimeType: string; bitrate: number; width: number }> })
      .mediaFiles;
    expect(files.map((f) => f.mimeType)).toEqual(["audio/aac", "audio/aac", "audio/aac", "application/x-mpegURL"]);
    expect(files.every((f) => f.width === 0)).toBe(true);
    const tracking = (linear as unknown as { trackingEvents: Record<string, string[]> }).trackingEvents;
    for (const event of ["start", "firstQuartile", "midpoint", "thirdQuartile", "complete", "skip"]) {
      expect(tracking[event]?.[0]).toContain(`/v1/ads/track/${event}?`);
    }
  });

  it("a pod of several ads keeps sequence order and distinct AdServingIds", async () => {
    const p = pod({}, { creatives: [creative({ durationMs: 30_000 })] }, { category: "travel" });
    const { xml, ads } = await renderPod(p, options);
    expect(xmllintErrors(xml)).toBe("");
    const { response, warnings } = await parseWithVastClient(xml);
    expect(warnings).toEqual([]);
    expect(response.ads.map((a) => Number(a.sequence))).toEqual([1, 2, 3]);
    expect(new Set(response.ads.map((a) => a.adServingId)).size).toBe(3);
    expect(response.ads[1]!.creatives[0]!.duration).toBe(30);
    expect(ads.map((a) => a.adServingId)).toEqual(response.ads.map((a) => a.adServingId));
  });

  it("escapes advertiser text so hostile titles cannot break the document", async () => {
    const hostile = creative({ title: `]]><Impression>https://evil.example</Impression> & "quotes" 'single'` });
    const { xml } = await renderPod(pod({ creatives: [hostile], category: "<cat>&" }), options);
    expect(xmllintErrors(xml)).toBe("");
    const { response } = await parseWithVastClient(xml);
    expect(response.ads[0]!.title).toBe(hostile.title);
    expect(response.ads[0]!.impressionURLTemplates).toHaveLength(1);
  });

  it("the checks above can fail: an ad without AdServingId is refused by the XSD and warned about by the client", async () => {
    const { xml } = await renderPod(pod({}), options);
    const broken = xml.replace(/<AdServingId>[^<]*<\/AdServingId>/, "");
    expect(xmllintErrors(broken)).toContain("AdServingId");
    const { warnings } = await parseWithVastClient(broken);
    expect(JSON.stringify(warnings)).toContain("AdServingId");
  });

  it("every beacon URL in the answer carries a signature the worker accepts", async () => {
    const { ads } = await renderPod(pod({}), options);
    for (const [event, url] of Object.entries(ads[0]!.beacons)) {
      const u = new URL(url);
      const params = Object.fromEntries(u.searchParams);
      const check = await verifyBeacon(SECRET, { event: u.pathname.split("/").pop()!, ...params }, Date.now());
      expect(check.ok, event).toBe(true);
      const forged = await verifyBeacon(SECRET, { event: "complete", ...params }, Date.now());
      if (event !== "complete") expect(forged).toMatchObject({ ok: false, status: 403 });
    }
  });
});
