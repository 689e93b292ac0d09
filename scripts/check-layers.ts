/**
 * The layer checker run by `npm run lint`: reads the import specifiers of every .ts file in the repository (not
 * node_modules, not build output), resolves relative and `@cadence/<package>/...` imports to files, and fails with a
 * list of what breaks the rules in docs/architecture.md:
 *
 * - `shared/` imports no other package of the repository;
 * - a worker (`workers/<name>/`) imports only itself and `shared/`: never another worker or the origin;
 * - the origin imports only itself and `shared/`: never a worker;
 * - `web/` imports only `shared/` and its own files;
 * - test code (files under a `test/` folder, `*.test.ts`, `vitest.config.ts`, `vitest.<name>.config.ts`) may also
 *   import `local/`, the test stack;
 * - inside a package, no import cycle between the entries of one folder (its sub-folders, each taken whole, and its
 *   files): e.g. `play/` importing `ads/` while `ads/` imports `play/`;
 * - the playback worker's ground layer `workers/playback/src/core/` imports none of the worker's feature folders.
 *
 * `local/`, `e2e/`, `bench/` and `scripts/` may import anything. Type-only imports count: they are dependencies too.
 * Usage: `tsx scripts/check-layers.ts [root]` (exit 1 when something breaks a rule).
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";

/** Folders never read: dependencies, build output, state and reports. Hidden folders (.git, .data, .wrangler) too. */
const SKIPPED_DIRS = new Set(["node_modules", "dist", "artifacts", "coverage"]);
const TS_EXTENSIONS = [".ts", ".tsx", ".d.ts", ".mts"];

export interface SourceImport {
  /** Repository-relative, forward slashes. */
  file: string;
  line: number;
  specifier: string;
  /** Repository-relative path the import resolves to (the path it names when no file exists there). */
  target: string;
}

export interface LayerReport {
  files: number;
  imports: number;
  violations: string[];
}

type PackageKind = "shared" | "origin" | "worker" | "web" | "free";

interface PackageOf {
  /** e.g. `shared`, `workers/playback`, `bench`; `.` for files at the repository root. */
  name: string;
  kind: PackageKind;
}

const posix = (path: string) => path.split(sep).join("/");

/** Which package a repository-relative path belongs to. */
export function packageOf(path: string): PackageOf {
  const [top, second] = path.split("/");
  if (path.split("/").length === 1) return { name: ".", kind: "free" };
  if (top === "shared") return { name: "shared", kind: "shared" };
  if (top === "origin") return { name: "origin", kind: "origin" };
  if (top === "web") return { name: "web", kind: "web" };
  if (top === "workers" && second) return { name: `workers/${second}`, kind: "worker" };
  return { name: top as string, kind: "free" };
}

/** Tests, their helpers and vitest configs: they may also reach the test stack in `local/`. */
export function isTestCode(path: string): boolean {
  const parts = path.split("/");
  const base = parts.at(-1) ?? "";
  return (
    parts.slice(0, -1).includes("test") || /\.test\.ts$/.test(base) || /^vitest(\.[\w-]+)?\.config\.[mc]?ts$/.test(base)
  );
}

export function listSourceFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith(".") || SKIPPED_DIRS.has(entry.name)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && /\.m?tsx?$/.test(entry.name)) files.push(posix(relative(root, path)));
    }
  };
  walk(root);
  return files.sort();
}

/** `@cadence/<name>` -> the workspace folder and its `exports` map, from the root package.json's workspaces. */
function workspacePackages(root: string): Map<string, { dir: string; exports: Record<string, string> }> {
  const packages = new Map<string, { dir: string; exports: Record<string, string> }>();
  const rootManifest = join(root, "package.json");
  if (!existsSync(rootManifest)) return packages;
  const workspaces: unknown = JSON.parse(readFileSync(rootManifest, "utf8")).workspaces;
  if (!Array.isArray(workspaces)) return packages;
  for (const dir of workspaces) {
    if (typeof dir !== "string") continue;
    const manifest = join(root, dir, "package.json");
    if (!existsSync(manifest)) continue;
    const pkg = JSON.parse(readFileSync(manifest, "utf8"));
    const exports = typeof pkg.exports === "object" && pkg.exports !== null ? pkg.exports : {};
    if (typeof pkg.name === "string") packages.set(pkg.name, { dir: posix(dir).replace(/\/$/, ""), exports });
  }
  return packages;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The file an import of `base` (absolute, without or with an extension) means, as TypeScript's bundler mode reads it. */
function resolveFile(base: string): string {
  const candidates = [base];
  if (/\.m?js$/.test(base)) candidates.push(base.replace(/\.(m?)js$/, ".$1ts"));
  for (const ext of TS_EXTENSIONS) candidates.push(base + ext);
  for (const ext of TS_EXTENSIONS) candidates.push(join(base, `index${ext}`));
  return candidates.find(isFile) ?? base;
}

function applyExports(rest: string, exports: Record<string, string>): string {
  const subpath = rest ? `./${rest}` : ".";
  if (typeof exports[subpath] === "string") return exports[subpath];
  for (const [pattern, target] of Object.entries(exports)) {
    const star = pattern.indexOf("*");
    if (star === -1 || typeof target !== "string") continue;
    const [before, after] = [pattern.slice(0, star), pattern.slice(star + 1)];
    if (subpath.startsWith(before) && subpath.endsWith(after) && subpath.length >= before.length + after.length) {
      return target.replace("*", subpath.slice(before.length, subpath.length - after.length));
    }
  }
  return subpath;
}

/** Every repository-internal import of the given files; imports of npm packages and `node:` modules are left out. */
export function readImports(root: string, files: string[]): SourceImport[] {
  const packages = workspacePackages(root);
  const imports: SourceImport[] = [];
  for (const file of files) {
    const text = readFileSync(join(root, file), "utf8");
    const lineStarts = [0];
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) lineStarts.push(i + 1);
    for (const { fileName: specifier, pos } of ts.preProcessFile(text, true, true).importedFiles) {
      let base: string | undefined;
      if (specifier.startsWith(".")) {
        base = resolve(root, dirname(file), specifier);
      } else {
        const match = /^(@cadence\/[^/]+)(?:\/(.*))?$/.exec(specifier);
        const pkg = match ? packages.get(match[1] as string) : undefined;
        if (pkg) base = resolve(root, pkg.dir, applyExports(match?.[2] ?? "", pkg.exports));
      }
      if (base === undefined) continue;
      const target = posix(relative(root, resolveFile(base)));
      const line = lineStarts.findLastIndex((start) => start <= pos) + 1;
      imports.push({ file, line, specifier, target });
    }
  }
  return imports;
}

const ALLOWED: Record<Exclude<PackageKind, "free">, string> = {
  shared: "shared/ imports no other package",
  worker: "a worker imports only itself and shared/ (never another worker or the origin)",
  origin: "the origin imports only itself and shared/ (never a worker)",
  web: "web/ imports only shared/ and its own files",
};

function packageRule(imp: SourceImport): string | undefined {
  const from = packageOf(imp.file);
  if (from.kind === "free") return undefined;
  if (imp.target.startsWith("../")) return `${ALLOWED[from.kind]}; this import leaves the repository`;
  const to = packageOf(imp.target);
  if (to.name === from.name || to.kind === "shared") return undefined;
  if (to.name === "local" && isTestCode(imp.file)) return undefined;
  return ALLOWED[from.kind];
}

/** Playback's ground layer: `src/core/` may import core and the worker's top-level files, no feature folder. */
const PLAYBACK_SRC = "workers/playback/src/";
function coreRule(imp: SourceImport): string | undefined {
  if (!imp.file.startsWith(`${PLAYBACK_SRC}core/`) || !imp.target.startsWith(PLAYBACK_SRC)) return undefined;
  const rest = imp.target.slice(PLAYBACK_SRC.length).split("/");
  if (rest.length === 1 || rest[0] === "core") return undefined;
  return `the playback worker's core/ imports none of its feature folders (here ${rest[0]}/)`;
}

/** Strongly connected components with more than one node (Tarjan). */
function cycles(nodes: string[], edges: Map<string, Set<string>>): string[][] {
  let index = 0;
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    indexOf.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!indexOf.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) as number, indexOf.get(w) as number));
      }
    }
    if (low.get(v) === indexOf.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop() as string;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of nodes) if (!indexOf.has(v)) visit(v);
  return found;
}

/**
 * Folder cycles inside each package: for every folder, its entries (each sub-folder taken whole, each file) are the
 * nodes, and an import from a file under one entry to a file under another is an edge. A cycle among the entries of
 * one folder is reported with one import per edge, so the reader sees where to cut.
 */
function folderCycles(imports: SourceImport[], files: string[]): string[] {
  const known = new Set(files);
  const internal = imports.filter(
    (imp) =>
      known.has(imp.target) && packageOf(imp.file).name === packageOf(imp.target).name && imp.file !== imp.target,
  );
  const folders = new Set<string>();
  for (const file of files) {
    const parts = file.split("/");
    for (let i = 1; i < parts.length; i++) folders.add(parts.slice(0, i).join("/"));
  }
  const reports: string[] = [];
  for (const folder of [...folders].sort()) {
    if (packageOf(`${folder}/x`).name === ".") continue;
    const prefix = `${folder}/`;
    const entryOf = (path: string) => {
      const rest = path.slice(prefix.length);
      const slash = rest.indexOf("/");
      return slash === -1 ? rest : `${rest.slice(0, slash)}/`;
    };
    const edges = new Map<string, Set<string>>();
    const witness = new Map<string, SourceImport>();
    for (const imp of internal) {
      if (!imp.file.startsWith(prefix) || !imp.target.startsWith(prefix)) continue;
      const [a, b] = [entryOf(imp.file), entryOf(imp.target)];
      if (a === b) continue;
      if (!edges.has(a)) edges.set(a, new Set());
      edges.get(a)?.add(b);
      if (!witness.has(`${a} ${b}`)) witness.set(`${a} ${b}`, imp);
    }
    for (const component of cycles([...edges.keys()].sort(), edges)) {
      const members = new Set(component);
      const lines = [`folder cycle in ${folder}/: ${component.join(" <-> ")}`];
      for (const a of component) {
        for (const b of [...(edges.get(a) ?? [])].sort()) {
          if (!members.has(b)) continue;
          const imp = witness.get(`${a} ${b}`) as SourceImport;
          lines.push(`    ${a} -> ${b}: ${imp.file}:${imp.line} imports ${imp.target}`);
        }
      }
      reports.push(lines.join("\n"));
    }
  }
  return reports;
}

export function checkLayers(root: string): LayerReport {
  const files = listSourceFiles(root);
  const imports = readImports(root, files);
  const violations: string[] = [];
  for (const imp of imports) {
    const broken = packageRule(imp) ?? coreRule(imp);
    if (broken) violations.push(`${imp.file}:${imp.line} imports ${imp.target} ("${imp.specifier}"): ${broken}`);
  }
  violations.push(...folderCycles(imports, files));
  return { files: files.length, imports: imports.length, violations };
}

function main(): void {
  const root = resolve(process.argv[2] ?? join(import.meta.dirname, ".."));
  const report = checkLayers(root);
  if (report.violations.length === 0) {
    console.log(`check-layers: ${report.files} files, ${report.imports} internal imports, every layer rule holds`);
    return;
  }
  console.error(`check-layers: ${report.violations.length} problem(s) in ${report.files} files (docs/architecture.md)`);
  for (const v of report.violations) console.error(`  ${v}`);
  process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();
