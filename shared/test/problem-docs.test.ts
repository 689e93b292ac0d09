/**
 * docs/problems.md is rendered from the problem-code table (scripts/render-problems.ts); this keeps the two in step,
 * so a code added to shared/src/problem-codes.ts without `npm run docs:problems` fails here.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { PROBLEM_CODES } from "../src/problem-codes";

const ROOT = resolve(import.meta.dirname, "../..");

describe("docs/problems.md", () => {
  it("is up to date with shared/src/problem-codes.ts (run `npm run docs:problems` when this fails)", () => {
    const run = spawnSync(resolve(ROOT, "node_modules/.bin/tsx"), ["scripts/render-problems.ts", "--check"], {
      cwd: ROOT,
      encoding: "utf8",
    });
    expect(run.status, run.stderr).toBe(0);
  });

  it("lists every code once, with its status", () => {
    const page = readFileSync(resolve(ROOT, "docs/problems.md"), "utf8");
    for (const [code, { status }] of Object.entries(PROBLEM_CODES)) {
      const rows = page.split("\n").filter((line) => line.startsWith(`| \`${code}\` |`));
      expect(rows, code).toEqual([expect.stringMatching(new RegExp(`^\\| \`${code}\` \\| ${status} \\| `))]);
    }
  });
});
