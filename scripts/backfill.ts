/**
 * `npm run backfill -- <file.ndjson|dir> [...]`: imports historical events into the warehouse through the ops API
 * (`POST /v1/ops/history/backfill`), chunk by chunk, with progress. Each line is one event as a player would send it
 * plus a `listener` object ({"user_id", "tier", "account_country", "country"}); events of any age are accepted, every
 * other intake rule applies (schema, dedupe by event_id, enrichment). Re-running imports nothing twice. A directory is
 * read file by file (`*.ndjson`, `*.jsonl`, sorted by name). At the end it prints what was stored and what was refused
 * by reason, with the first refusals (file:line, event id, what to fix); `--report <file>` writes every refusal the
 * server reported as JSON.
 *
 * Where: API_URL (default the local api worker, honouring PORT_OFFSET). Token: CADENCE_TOKEN, else a login as
 * OPS_EMAIL / OPS_PASSWORD (default: the demo ops account, local only).
 */
import { createReadStream, readdirSync, statSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { localPorts } from "./ports";

const ports = localPorts();
const apiUrl = process.env.API_URL ?? `http://${ports.HOST}:${ports.EDGE_PORT}`;
const CHUNK_LINES = 10_000;

interface ChunkReport {
  lines: number;
  stored: number;
  duplicates: number;
  already_landed: boolean;
  refused: {
    total: number;
    by_reason: Record<string, number>;
    samples: Array<{ line: number; event_id: string | null; reason: string; detail: string }>;
  };
}

async function opsToken(): Promise<string> {
  if (process.env.CADENCE_TOKEN) return process.env.CADENCE_TOKEN;
  const email = process.env.OPS_EMAIL ?? "ops@demo.test";
  const res = await fetch(`${apiUrl}/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password: process.env.OPS_PASSWORD ?? "demo-password" }),
  });
  if (!res.ok) throw new Error(`login as ${email} at ${apiUrl} failed (${res.status}): ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

function inputFiles(paths: string[]): string[] {
  return paths.flatMap((p) =>
    statSync(p).isDirectory()
      ? readdirSync(p)
          .filter((f) => /\.(ndjson|jsonl)$/.test(f))
          .sort()
          .map((f) => join(p, f))
      : [p],
  );
}

async function send(token: string, file: string, firstLine: number, text: string): Promise<ChunkReport> {
  const query = `first_line=${firstLine}&source=${encodeURIComponent(basename(file).replace(/[^\w.\-/]/g, "_"))}`;
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(`${apiUrl}/v1/ops/history/backfill?${query}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/x-ndjson" },
      body: text,
    });
    if (res.ok) return (await res.json()) as ChunkReport;
    // The warehouse or origin away for a moment: the same chunk again is safe (it lands once).
    if (res.status >= 500 && attempt < 5) {
      await new Promise((r) => setTimeout(r, 1000 * 2 ** attempt));
      continue;
    }
    throw new Error(`${file} from line ${firstLine}: ${res.status} ${await res.text()}`);
  }
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { report: { type: "string" } } });
  if (positionals.length === 0) {
    console.error("Usage: npm run backfill -- <file.ndjson|dir> [...] [--report refused.json]");
    process.exitCode = 2;
    return;
  }
  const token = await opsToken();
  const totals = { lines: 0, stored: 0, duplicates: 0, refused: 0, by_reason: {} as Record<string, number> };
  const refusals: Array<{ file: string; line: number; event_id: string | null; reason: string; detail: string }> = [];
  const started = Date.now();
  for (const file of inputFiles(positionals)) {
    const reader = createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY });
    let chunk: string[] = [];
    let firstLine = 1;
    let lineNo = 0;
    const flush = async () => {
      if (chunk.length === 0) return;
      const report = await send(token, file, firstLine, `${chunk.join("\n")}\n`);
      totals.lines += report.lines;
      totals.stored += report.stored;
      totals.duplicates += report.duplicates;
      totals.refused += report.refused.total;
      for (const [reason, n] of Object.entries(report.refused.by_reason)) {
        totals.by_reason[reason] = (totals.by_reason[reason] ?? 0) + n;
      }
      for (const s of report.refused.samples) refusals.push({ file, ...s });
      const rate = Math.round(totals.lines / Math.max(0.001, (Date.now() - started) / 1000));
      console.log(
        `${basename(file)} lines ${firstLine}-${lineNo}: stored ${report.stored}, duplicates ${report.duplicates}, refused ${report.refused.total}${report.already_landed ? " (already imported)" : ""} | total ${totals.lines} lines, ${rate}/s`,
      );
      chunk = [];
      firstLine = lineNo + 1;
    };
    for await (const line of reader) {
      lineNo += 1;
      chunk.push(line);
      if (chunk.length >= CHUNK_LINES) await flush();
    }
    await flush();
  }
  console.log(
    `Done: ${totals.lines} lines, ${totals.stored} stored, ${totals.duplicates} already there, ${totals.refused} refused.`,
  );
  if (totals.refused) {
    console.log("Refused by reason:", totals.by_reason);
    for (const r of refusals.slice(0, 20))
      console.log(`  ${r.file}:${r.line} ${r.event_id ?? "-"} ${r.reason}: ${r.detail}`);
    if (refusals.length > 20)
      console.log(`  ... ${refusals.length - 20} more${values.report ? "" : " (--report <file> writes them all)"}`);
  }
  if (values.report) {
    writeFileSync(values.report, JSON.stringify({ totals, refusals }, null, 2));
    console.log(`Refusals written to ${values.report}.`);
  }
  if (totals.refused) process.exitCode = 3;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
