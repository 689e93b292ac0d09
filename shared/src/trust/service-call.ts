/**
 * Service-to-service calls: how a worker proves to the origin (or to another internal endpoint) that it is one of
 * ours. The caller presents a shared secret in `x-service-token`; the callee compares it in constant time. Every call
 * has a time budget, so a slow dependency turns into a clear error instead of a hung request.
 *
 * `serviceFetch` is the only place a worker sets the header; `sameSecret` the only place anyone compares it.
 */
import { Problem } from "../problem";
import { timingSafeEqual, utf8 } from "./encoding";

export const SERVICE_TOKEN_HEADER = "x-service-token";

/** Default time budget of a call to the origin. */
export const SERVICE_CALL_TIMEOUT_MS = 10_000;

/** Constant-time comparison of a presented secret with the expected one; an empty expected secret never matches. */
export function sameSecret(presented: string | null | undefined, expected: string | undefined): boolean {
  if (!expected || presented === null || presented === undefined) return false;
  return timingSafeEqual(utf8(presented), utf8(expected));
}

/** Whether a request carries the service token. */
export function hasServiceToken(headers: Headers, expected: string | undefined): boolean {
  return sameSecret(headers.get(SERVICE_TOKEN_HEADER), expected);
}

export interface ServiceTarget {
  /** Base URL of the service, e.g. the origin's. */
  baseUrl: string;
  /** The secret presented in `x-service-token` (or in `header`). */
  token: string;
  /** The header the secret travels in; default `x-service-token` (media pulls use `x-media-pull-token`). */
  header?: string;
}

export interface ServiceFetchInit extends RequestInit {
  /** Propagated as `x-request-id` so logs on both sides line up. */
  requestId?: string;
  /** Time budget; the call is aborted after it. */
  timeoutMs?: number;
  /** A service binding's fetch (or a test double of one); default: global fetch. */
  via?: (request: Request) => Promise<Response>;
}

/** Calls `path` on a service with the service token, the request id and a time budget. */
export async function serviceFetch(
  target: ServiceTarget,
  path: string,
  init: ServiceFetchInit = {},
): Promise<Response> {
  const { requestId, timeoutMs = SERVICE_CALL_TIMEOUT_MS, via, ...rest } = init;
  const headers = new Headers(rest.headers);
  headers.set(target.header ?? SERVICE_TOKEN_HEADER, target.token);
  if (requestId) headers.set("x-request-id", requestId);
  const signal = rest.signal ?? AbortSignal.timeout(timeoutMs);
  const request = new Request(`${target.baseUrl.replace(/\/+$/, "")}${path}`, { ...rest, headers, signal });
  return via ? via(request) : fetch(request);
}

/** Removes the service token from a response or request headed back out (it must never leak to a client). */
export function stripServiceToken(headers: Headers): Headers {
  headers.delete(SERVICE_TOKEN_HEADER);
  return headers;
}

/**
 * Throws 401 `service-token-invalid` unless the request carries the expected service token. For endpoints that
 * only other services call (internal edge-to-edge routes).
 */
export function requireServiceToken(headers: Headers, expected: string | undefined): void {
  if (!hasServiceToken(headers, expected)) {
    throw new Problem(
      "service-token-invalid",
      "This endpoint is for Cadence's own services; present the service token.",
    );
  }
}
