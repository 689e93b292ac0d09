/**
 * `npm run dlq`: inspect and replay the events dead-letter queue.
 *
 * How it works: when the events consumer gives up on a message (the origin kept failing past the queue's retry
 * limit), the queue moves it to `cadence-events-dlq`; that queue's consumer (the same worker) stores the message whole
 * at the origin (`dead_letters` table). `list` shows the stored ones; `replay` asks the ingest-events worker (ops
 * token) to re-enqueue them unchanged on the events queue and mark them replayed. Landing is idempotent per batch and
 * per event id, so replaying something that landed after all stores nothing twice.
 *
 *   npm run dlq -- list [--status pending|replayed|all] [--limit 100]
 *   npm run dlq -- replay [--limit 100] [<batch_id> ...]
 *
 * Where: EVENTS_URL (default the local ingest-events worker, honouring PORT_OFFSET) and API_URL for login. Token:
 * CADENCE_TOKEN if set, else a login as OPS_EMAIL / OPS_PASSWORD (default: the demo ops account, local only).
 */
import { parseArgs } from "node:util";
import { localPorts } from "./ports";

const ports = localPorts();
const eventsUrl = process.env.EVENTS_URL ?? `http://${ports.HOST}:${ports.EDGE_PORT}`;
const apiUrl = process.env.API_URL ?? `http://${ports.HOST}:${ports.EDGE_PORT}`;

interface DeadLetter {
  batch_id: string;
  events: number;
  failures: number;
  attempts: number;
  dead_at: string;
  dead_count: number;
  replayed_at: string | null;
  replay_count: number;
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

async function call<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${eventsUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${await opsToken()}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
  return JSON.parse(text) as T;
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { status: { type: "string", default: "pending" }, limit: { type: "string", default: "100" } },
  });
  const [command, ...batchIds] = positionals;
  if (command === "list") {
    const { dead_letters } = await call<{ dead_letters: DeadLetter[] }>(
      "GET",
      `/v1/ops/events/dead-letters?status=${encodeURIComponent(values.status)}&limit=${encodeURIComponent(values.limit)}`,
    );
    if (dead_letters.length === 0) return console.log(`No ${values.status} dead letters.`);
    console.table(
      dead_letters.map((d) => ({
        batch_id: d.batch_id,
        events: d.events,
        failed_events: d.failures,
        dead_at: d.dead_at,
        times_dead: d.dead_count,
        replayed_at: d.replayed_at ?? "",
      })),
    );
    const events = dead_letters.reduce((n, d) => n + d.events, 0);
    return console.log(`${dead_letters.length} batch(es), ${events} event(s).`);
  }
  if (command === "replay") {
    const body = batchIds.length ? { batch_ids: batchIds } : { limit: Number(values.limit) };
    const result = await call<{ replayed: number; events: number; failed_events: number }>(
      "POST",
      "/v1/ops/events/dead-letters/replay",
      body,
    );
    return console.log(
      `Replayed ${result.replayed} batch(es): ${result.events} event(s) and ${result.failed_events} failed event(s) re-enqueued.`,
    );
  }
  console.error("Usage: npm run dlq -- list [--status pending|replayed|all] [--limit N]");
  console.error("       npm run dlq -- replay [--limit N] [<batch_id> ...]");
  process.exitCode = 2;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
