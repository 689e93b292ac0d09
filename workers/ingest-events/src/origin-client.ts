/**
 * Calls to the origin's events endpoints, signed with the secret only this worker and the origin hold, and made like
 * every other origin call (`serviceFetch`: service token, time budget). A network failure or a 5xx is an
 * `OriginUnavailable` (retry later); a 4xx is a bug on one side and is thrown as is.
 */
import { EVENTS_SIGNATURE_HEADER, signEventsRequest } from "@cadence/shared/events/signature";
import { serviceFetch } from "@cadence/shared/trust/service-call";
import type { Env } from "./context";

export class OriginUnavailable extends Error {
  override readonly name = "OriginUnavailable";
}

export class OriginRefused extends Error {
  override readonly name = "OriginRefused";
  constructor(
    readonly status: number,
    detail: string,
  ) {
    super(`origin refused (${status}): ${detail}`);
  }
}

const TIMEOUT_MS = 20_000;

export async function callOrigin<T>(
  env: Pick<Env, "ORIGIN_URL" | "EVENTS_INGEST_SECRET" | "SERVICE_TOKEN">,
  method: "GET" | "POST",
  pathWithQuery: string,
  body = "",
): Promise<T> {
  const signature = await signEventsRequest(env.EVENTS_INGEST_SECRET, method, pathWithQuery, body);
  let res: Response;
  try {
    res = await serviceFetch({ baseUrl: env.ORIGIN_URL, token: env.SERVICE_TOKEN }, pathWithQuery, {
      method,
      headers: { "content-type": "application/json", [EVENTS_SIGNATURE_HEADER]: signature },
      body: method === "GET" ? undefined : body,
      timeoutMs: TIMEOUT_MS,
    });
  } catch (err) {
    throw new OriginUnavailable(`origin unreachable: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (res.status >= 500) throw new OriginUnavailable(`origin answered ${res.status}: ${await res.text()}`);
  if (!res.ok) throw new OriginRefused(res.status, await res.text());
  return (await res.json()) as T;
}
