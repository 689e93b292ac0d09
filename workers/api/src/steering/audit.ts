/**
 * The api worker's client of the origin's audit log (`/v1/internal/audit`, service token): appending an entry for a
 * steering change, and reading entries back for ops. A failure to append is an error the caller must act on (the
 * change is rolled back), never ignored.
 */
import { problems } from "@cadence/shared/problem";
import { serviceFetch } from "@cadence/shared/trust/service-call";
import type { Env } from "../context";
import { apiSettings } from "../settings";

export interface AuditAppend {
  actor: { sub: string; email?: string };
  action: string;
  entity: string;
  entityVersion: number;
  old: unknown;
  new: unknown;
  requestId: string;
}

const AUDIT_TIMEOUT_MS = 5_000;

/** Appends an entry; resolves to its id, rejects if the origin did not store it. */
export async function appendAudit(env: Env, entry: AuditAppend): Promise<string> {
  const res = await serviceFetch(apiSettings(env).origin, "/v1/internal/audit", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(entry),
    requestId: entry.requestId,
    timeoutMs: AUDIT_TIMEOUT_MS,
  });
  if (res.status !== 201) throw new Error(`audit log answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

/** Entries newest first, passing `limit` and `before` through (the origin validates them). */
export async function listAudit(env: Env, query: URLSearchParams, requestId: string): Promise<Response> {
  const params = new URLSearchParams({ entity: "steering-config" });
  for (const key of ["limit", "before"]) {
    const value = query.get(key);
    if (value !== null) params.set(key, value);
  }
  let res: Response;
  try {
    res = await serviceFetch(apiSettings(env).origin, `/v1/internal/audit?${params}`, {
      requestId,
      timeoutMs: AUDIT_TIMEOUT_MS,
    });
  } catch {
    throw problems.unavailable("audit-log-unavailable", "The audit log cannot be read right now; try again shortly.");
  }
  return new Response(res.body, {
    status: res.status,
    headers: { "content-type": res.headers.get("content-type") ?? "application/json" },
  });
}
