/**
 * The demo catalog npm start ingests: its ERN 4.3 messages validate against the official schema (xmllint, offline),
 * and it has what the demo needs: 3+ labels, 10 releases, 40 tracks of 20-40 s, most playable by every demo account,
 * and releases that exercise territories, a future date, subscription-only, ad-supported-only and a takedown.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { isPlayable } from "@cadence/shared/catalog/availability";
import { describe, expect, it } from "vitest";
import { readErn } from "../../src/catalog/ddex/ern";
import { parseXml } from "../../src/catalog/ddex/xml";
import { demoCatalog } from "../../src/catalog/demo/catalog";
import { newReleaseMessage, purgeReleaseMessage } from "../../src/catalog/demo/delivery-builder";
import { availabilityOf } from "../../src/catalog/model";
import { tempDir } from "./helpers";

const SCHEMA = resolve(import.meta.dirname, "../../../test-fixtures/ddex/ern43/release-notification.xsd");
const NOW = new Date("2026-11-01T12:00:00Z");
const demo = demoCatalog(NOW);
const fakeMd5 = (spec: (typeof demo)[number]["spec"]) => new Map(spec.tracks.map((t) => [t.isrc, "0".repeat(32)]));

describe("demo catalog", () => {
  it("every message validates against the ERN 4.3 schema with xmllint", () => {
    const dir = tempDir();
    const files: string[] = [];
    for (const { spec, purge } of demo) {
      files.push(join(dir, `${spec.messageId}.xml`));
      writeFileSync(files.at(-1)!, newReleaseMessage(spec, fakeMd5(spec)));
      if (purge) {
        files.push(join(dir, `${purge.messageId}.xml`));
        writeFileSync(files.at(-1)!, purgeReleaseMessage(purge));
      }
    }
    // xmllint exits non-zero if any file does not validate; stderr names each file "validates".
    const out = execFileSync("xmllint", ["--nonet", "--noout", "--schema", SCHEMA, ...files], { stdio: "pipe" });
    expect(out.toString()).toBe("");
    expect(files).toHaveLength(11);
  });

  it("has 3+ labels, 10 releases and 40 tracks of 20-40 s", () => {
    expect(new Set(demo.map((d) => d.spec.label)).size).toBeGreaterThanOrEqual(3);
    expect(demo).toHaveLength(10);
    const tracks = demo.flatMap((d) => d.spec.tracks);
    expect(tracks).toHaveLength(40);
    for (const t of tracks) {
      expect(t.seconds).toBeGreaterThanOrEqual(20);
      expect(t.seconds).toBeLessThanOrEqual(40);
    }
    expect(new Set(tracks.map((t) => t.isrc)).size).toBe(40);
  });

  it("most tracks play for every demo account; the rest show each rule", () => {
    const accounts = [
      ["US", "free"],
      ["DE", "premium"],
      ["GB", "hifi"],
    ] as const;
    const reasons = new Set<string>();
    let everywhere = 0;
    for (const { spec, purge } of demo) {
      const { message, issues } = readErn(parseXml(newReleaseMessage(spec, fakeMd5(spec))));
      expect(issues).toEqual([]);
      const rows = message!.deals!.map((d) => ({ ...d, startAt: d.start ?? null, endAt: d.end ?? null }));
      const availability = availabilityOf(rows, purge ? Date.parse(purge.createdAt) : null);
      const results = accounts.map(([country, tier]) => isPlayable({ availability }, country, tier, NOW.getTime()));
      if (results.every((r) => r.ok)) everywhere += spec.tracks.length;
      for (const r of results) if (!r.ok) reasons.add(r.reason);
      if (spec.title === "Signal Fires") {
        expect(isPlayable({ availability }, "JP", "premium", NOW.getTime())).toMatchObject({ reason: "territory" });
      }
    }
    expect(everywhere).toBeGreaterThanOrEqual(30);
    expect([...reasons].sort()).toEqual(["not-yet-released", "taken-down", "territory", "tier-not-licensed"]);
  });
});
