/**
 * Renders `docs/problems.md`, the reference of every problem code, from the one table that defines them,
 * `shared/src/problem-codes.ts`: each code with its HTTP status and meaning, grouped as the table groups them (by the
 * comment above each group). `npm run docs:problems` writes the page; `--check` only compares and exits 1 when the
 * page is out of date (a test in shared/test runs it, so a new code cannot ship undocumented).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { PROBLEM_CODES } from "@cadence/shared/problem-codes";
import ts from "typescript";

const ROOT = resolve(import.meta.dirname, "..");
export const SOURCE = "shared/src/problem-codes.ts";
export const TARGET = "docs/problems.md";

type Codes = Record<string, { status: number; meaning: string }>;

/** The codes in source order, each under the `// Group` comment that precedes it. */
export function groupsOf(source: string): Array<{ title: string; codes: string[] }> {
  const file = ts.createSourceFile(SOURCE, source, ts.ScriptTarget.Latest, true);
  let table: ts.ObjectLiteralExpression | undefined;
  const find = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && node.name.getText(file) === "PROBLEM_CODES" && node.initializer) {
      let init: ts.Expression = node.initializer;
      while (ts.isSatisfiesExpression(init) || ts.isAsExpression(init) || ts.isParenthesizedExpression(init)) {
        init = init.expression;
      }
      if (ts.isObjectLiteralExpression(init)) table = init;
    }
    ts.forEachChild(node, find);
  };
  find(file);
  if (!table) throw new Error(`${SOURCE}: no PROBLEM_CODES object literal found`);
  const groups: Array<{ title: string; codes: string[] }> = [];
  for (const property of table.properties) {
    if (!ts.isPropertyAssignment(property)) continue;
    const comments = ts.getLeadingCommentRanges(source, property.pos) ?? [];
    const title = comments
      .map((c) => source.slice(c.pos, c.end))
      .filter((c) => c.startsWith("//"))
      .map((c) => c.replace(/^\/\/\s*/, "").trim())
      .at(-1);
    if (title || groups.length === 0) groups.push({ title: title ?? "General", codes: [] });
    const name = property.name;
    const code = ts.isStringLiteral(name) || ts.isIdentifier(name) ? name.text : name.getText(file);
    groups.at(-1)?.codes.push(code);
  }
  return groups;
}

const cell = (text: string) => text.replaceAll("|", "\\|").replaceAll("\n", " ");

export function renderProblems(source: string, codes: Codes): string {
  const groups = groupsOf(source);
  const listed = new Set(groups.flatMap((g) => g.codes));
  const missing = Object.keys(codes).filter((code) => !listed.has(code));
  if (missing.length > 0) throw new Error(`${SOURCE}: codes not found in the table's source: ${missing.join(", ")}`);
  const lines = [
    "# Problem codes",
    "",
    "<!-- Rendered from shared/src/problem-codes.ts by `npm run docs:problems`: edit that table, not this page. -->",
    "",
    "Every Cadence service answers errors as RFC 9457 `application/problem+json`:",
    '`{"type":"https://cadence.example/problems/<code>","title","status","detail","code","request_id"}`. A client',
    "switches on `code` (or `type`) and shows `detail`, which says what to fix. Each code has one HTTP status and one",
    "meaning; 4xx are the caller's to fix, 5xx are ours (the only ones logged as errors). Validation problems add",
    "`errors: [{path, message}]`. The table below is the closed set: no service answers with a code not listed here.",
    "",
    `${listed.size} codes in ${groups.length} groups: ${groups.map((g) => g.title).join(", ")}.`,
  ];
  for (const group of groups) {
    lines.push("", `## ${group.title}`, "", "| code | status | meaning |", "| --- | --- | --- |");
    for (const code of group.codes) {
      const entry = codes[code];
      if (!entry) throw new Error(`${SOURCE}: ${code} is in the source but not in PROBLEM_CODES`);
      lines.push(`| \`${code}\` | ${entry.status} | ${cell(entry.meaning)} |`);
    }
  }
  return `${lines.join("\n")}\n`;
}

function main(): void {
  const rendered = renderProblems(readFileSync(join(ROOT, SOURCE), "utf8"), PROBLEM_CODES);
  const path = join(ROOT, TARGET);
  if (process.argv.includes("--check")) {
    let current = "";
    try {
      current = readFileSync(path, "utf8");
    } catch {}
    if (current !== rendered) {
      console.error(`${TARGET} is out of date with ${SOURCE}: run \`npm run docs:problems\` and commit the result.`);
      process.exitCode = 1;
    }
    return;
  }
  writeFileSync(path, rendered);
  console.log(`wrote ${TARGET} (${Object.keys(PROBLEM_CODES).length} codes)`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();
