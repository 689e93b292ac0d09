/**
 * Forwards a request to the origin as the edge (`serviceFetch`: the service token, the request id and a time budget),
 * with the client's IP (from Cloudflare's `CF-Connecting-IP`) and without the client's own credentials for other
 * services; the service token never travels back to the client.
 */
import { problems } from "@cadence/shared/problem";
import { serviceFetch, stripServiceToken } from "@cadence/shared/trust/service-call";
import type { Context } from "hono";
import type { AppEnv } from "./context";
import { apiSettings } from "./settings";

const FORWARDED_REQUEST_HEADERS = ["content-type", "accept", "authorization", "if-none-match"];

/** Generous: a forwarded upload (an ad creative) is transcoded by the origin before it answers. */
export const FORWARD_TIMEOUT_MS = 60_000;

export async function forwardToOrigin(c: Context<AppEnv>, path = new URL(c.req.url).pathname): Promise<Response> {
  const url = new URL(c.req.url);
  const headers = new Headers();
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = c.req.header(name);
    if (value) headers.set(name, value);
  }
  headers.set("x-client-ip", c.req.header("cf-connecting-ip") ?? "127.0.0.1");
  let response: Response;
  try {
    response = await serviceFetch(apiSettings(c.env).origin, `${path}${url.search}`, {
      method: c.req.method,
      headers,
      body: c.req.method === "GET" || c.req.method === "HEAD" ? undefined : await c.req.arrayBuffer(),
      requestId: c.var.requestId,
      timeoutMs: FORWARD_TIMEOUT_MS,
    });
  } catch (err) {
    c.var.log.error("origin unreachable", { path, err });
    throw problems.unavailable("origin-unavailable", "The origin service is unreachable; try again shortly.");
  }
  const out = new Response(response.body, response);
  stripServiceToken(out.headers);
  return out;
}
