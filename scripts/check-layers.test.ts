/**
 * The layer checker on small repositories written to a temp folder: a tree that keeps every rule passes, and each
 * rule, broken once, is reported with the file, the line and what it imports.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { checkLayers, isTestCode, packageOf } from "./check-layers";

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A repository with workspaces shared, origin, local and two workers, plus the given files. */
function repo(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "check-layers-"));
  roots.push(root);
  const workspaces = ["shared", "origin", "local", "workers/playback", "workers/ads"];
  const all: Record<string, string> = {
    "package.json": JSON.stringify({ workspaces }),
    "shared/package.json": JSON.stringify({ name: "@cadence/shared", exports: { "./*": "./src/*.ts" } }),
    "origin/package.json": JSON.stringify({ name: "@cadence/origin" }),
    "local/package.json": JSON.stringify({ name: "@cadence/local" }),
    "workers/playback/package.json": JSON.stringify({ name: "@cadence/playback-worker" }),
    "workers/ads/package.json": JSON.stringify({ name: "@cadence/ads-worker" }),
    "shared/src/problem.ts": `export const problem = 1;\n`,
    "shared/src/cdn/cdn-id.ts": `import { problem } from "../problem";\nexport const cdn = problem;\n`,
    "local/src/test-bindings.ts": `export type Stack = { url: string };\n`,
    "origin/src/db/client.ts": `import { problem } from "@cadence/shared/problem";\nexport const db = problem;\n`,
    "origin/src/catalog/service.ts": `import { db } from "../db/client";\nexport const catalog = db;\n`,
    "origin/src/app.ts": `import { catalog } from "./catalog/service";\nexport default catalog;\n`,
    "origin/test/app.test.ts": `import type {} from "@cadence/local/src/test-bindings";\nimport app from "../src/app";\n`,
    "workers/playback/src/context.ts": `export interface Env { A: string }\n`,
    "workers/playback/src/core/session.ts": `import type { Env } from "../context";\nimport { cdn } from "@cadence/shared/cdn/cdn-id";\nexport const s = cdn;\n`,
    "workers/playback/src/play/master.ts": `import { s } from "../core/session";\nexport const m = s;\n`,
    "workers/playback/src/ads/insert.ts": `import { s } from "../core/session";\nexport const i = s;\n`,
    "workers/playback/src/index.ts": `import { m } from "./play/master";\nimport { i } from "./ads/insert";\n`,
    "workers/playback/vitest.config.ts": `import type { Stack } from "../../local/src/test-bindings.ts";\n`,
    "workers/ads/src/index.ts": `import { problem } from "@cadence/shared/problem";\n`,
    "web/player/main.ts": `import { cdn } from "@cadence/shared/cdn/cdn-id";\nimport { api } from "../common/api";\n`,
    "web/common/api.ts": `export const api = 1;\n`,
    "scripts/start.ts": `import { catalog } from "@cadence/origin/src/catalog/service";\nimport "../workers/ads/src/index";\n`,
    "e2e/player.test.ts": `import "../origin/src/app";\nimport "@cadence/local/src/test-bindings";\n`,
    "node_modules/x/index.ts": `import "../../workers/ads/src/index";\nimport "../../origin/src/app";\n`,
    ...files,
  };
  for (const [path, text] of Object.entries(all)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe("check-layers", () => {
  it("passes a tree that keeps every rule (tests may reach local/, scripts and e2e anything)", () => {
    const report = checkLayers(repo({}));
    expect(report.violations).toEqual([]);
    expect(report.files).toBe(18);
    expect(report.imports).toBeGreaterThan(15);
  });

  it("refuses shared importing another package, even from its tests' helpers", () => {
    const report = checkLayers(
      repo({
        "shared/src/steering/steer.ts": `import { db } from "@cadence/origin/src/db/client";\n`,
        "shared/test/helpers.ts": `\nimport "../../workers/ads/src/index";\n`,
      }),
    );
    expect(report.violations).toEqual([
      `shared/src/steering/steer.ts:1 imports origin/src/db/client.ts ("@cadence/origin/src/db/client"): shared/ imports no other package`,
      `shared/test/helpers.ts:2 imports workers/ads/src/index.ts ("../../workers/ads/src/index"): shared/ imports no other package`,
    ]);
  });

  it("refuses a worker importing another worker or the origin, and local/ outside tests", () => {
    const report = checkLayers(
      repo({
        "workers/ads/src/break.ts": [
          `import { m } from "../../playback/src/play/master";`,
          `import { db } from "@cadence/origin/src/db/client";`,
          `import type { Stack } from "@cadence/local/src/test-bindings";`,
        ].join("\n"),
      }),
    );
    expect(report.violations).toHaveLength(3);
    expect(report.violations[0]).toContain("workers/ads/src/break.ts:1 imports workers/playback/src/play/master.ts");
    expect(report.violations[0]).toContain("never another worker or the origin");
    expect(report.violations[1]).toContain("workers/ads/src/break.ts:2 imports origin/src/db/client.ts");
    expect(report.violations[2]).toContain("workers/ads/src/break.ts:3 imports local/src/test-bindings.ts");
  });

  it("refuses the origin importing a worker", () => {
    const report = checkLayers(
      repo({ "origin/src/events/land.ts": `export * from "../../../workers/ads/src/index";\n` }),
    );
    expect(report.violations).toEqual([
      `origin/src/events/land.ts:1 imports workers/ads/src/index.ts ("../../../workers/ads/src/index"): the origin imports only itself and shared/ (never a worker)`,
    ]);
  });

  it("refuses web importing anything but shared and its own files", () => {
    const report = checkLayers(
      repo({
        "web/ops/main.ts": `import { s } from "../../workers/playback/src/core/session";\nimport "../common/api";\n`,
      }),
    );
    expect(report.violations).toHaveLength(1);
    expect(report.violations[0]).toMatch(
      /^web\/ops\/main\.ts:1 imports workers\/playback\/src\/core\/session\.ts .*web\/ imports only shared\/ and its own files$/,
    );
  });

  it("reports a folder cycle with one import per edge, including one through a third folder", () => {
    const report = checkLayers(
      repo({
        "workers/playback/src/ads/insert.ts": `import { m } from "../play/master";\n`,
        "workers/playback/src/play/master.ts": `import { s } from "../core/session";\nimport "../ads/insert";\n`,
        "origin/src/db/client.ts": `import type { Catalog } from "../media/store";\nexport const db = 1;\n`,
        "origin/src/media/store.ts": `import { catalog } from "../catalog/service";\nexport type Catalog = 1;\n`,
      }),
    );
    expect(report.violations).toEqual([
      [
        "folder cycle in origin/src/: catalog/ <-> db/ <-> media/",
        "    catalog/ -> db/: origin/src/catalog/service.ts:1 imports origin/src/db/client.ts",
        "    db/ -> media/: origin/src/db/client.ts:1 imports origin/src/media/store.ts",
        "    media/ -> catalog/: origin/src/media/store.ts:1 imports origin/src/catalog/service.ts",
      ].join("\n"),
      [
        "folder cycle in workers/playback/src/: ads/ <-> play/",
        "    ads/ -> play/: workers/playback/src/ads/insert.ts:1 imports workers/playback/src/play/master.ts",
        "    play/ -> ads/: workers/playback/src/play/master.ts:2 imports workers/playback/src/ads/insert.ts",
      ].join("\n"),
    ]);
  });

  it("reports files of one folder importing each other, and a top-level file in a cycle with a folder", () => {
    const report = checkLayers(
      repo({
        "origin/src/media/store.ts": `import { local } from "./local";\nexport const store = 1;\n`,
        "origin/src/media/local.ts": `import { store } from "./store";\nexport const local = 1;\n`,
        "origin/src/context.ts": `import { catalog } from "./catalog/service";\n`,
        "origin/src/catalog/routes.ts": `import type {} from "../context";\n`,
      }),
    );
    expect(report.violations).toEqual([
      expect.stringMatching(/^folder cycle in origin\/src\/: catalog\/ <-> context\.ts\n/),
      expect.stringMatching(/^folder cycle in origin\/src\/media\/: local\.ts <-> store\.ts\n/),
    ]);
  });

  it("refuses the playback worker's core importing a feature folder", () => {
    const report = checkLayers(
      repo({
        "workers/playback/src/core/playlist.ts": `import type { Env } from "../context";\nimport { i } from "../ads/insert";\n`,
      }),
    );
    expect(report.violations).toEqual([
      `workers/playback/src/core/playlist.ts:2 imports workers/playback/src/ads/insert.ts ("../ads/insert"): the playback worker's core/ imports none of its feature folders (here ads/)`,
      expect.stringMatching(/^folder cycle in workers\/playback\/src\/: ads\/ <-> core\/\n/),
    ]);
  });

  it("tells test code from production code and files from packages", () => {
    expect(isTestCode("shared/test/ads/redis.ts")).toBe(true);
    expect(isTestCode("workers/api/src/ops/steering.test.ts")).toBe(true);
    expect(isTestCode("workers/api/vitest.config.ts")).toBe(true);
    expect(isTestCode("workers/api/src/ops/steering.ts")).toBe(false);
    expect(packageOf("workers/playback/src/core/session.ts")).toEqual({ name: "workers/playback", kind: "worker" });
    expect(packageOf("web/common/api.ts")).toEqual({ name: "web", kind: "web" });
    expect(packageOf("bench/steering/sim.ts")).toEqual({ name: "bench", kind: "free" });
    expect(packageOf("vitest.config.ts")).toEqual({ name: ".", kind: "free" });
  });
});
