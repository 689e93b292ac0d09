/**
 * Forwards a request to the origin as the edge: with the service token, the request id and the client's IP (from
 * Cloudflare's `CF-Connecting-IP`), and without the client's own credentials for other services.
 */
import { problems } from "@cadence/shared/problem";
import type { Context } from "hono";
import type { AppEnv } from "./context";

const FORWARDED_REQUEST_HEADERS = ["content-type", "accept", "authorization", "if-none-match"];

export async function forwardToOrigin(c: Context<AppEnv>, path = new URL(c.req.url).pathname): Promise<Response> {
  const url = new URL(c.req.url);
  const target = `${c.env.ORIGIN_URL.replace(/\/$/, "")}${path}${url.search}`;
  const headers = new Headers();
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = c.req.header(name);
    if (value) headers.set(name, value);
  }
  headers.set("x-service-token", c.env.SERVICE_TOKEN);
  headers.set("x-request-id", c.var.requestId);
  headers.set("x-client-ip", c.req.header("cf-connecting-ip") ?? "127.0.0.1");
  let response: Response;
  try {
    response = await fetch(target, {
      method: c.req.method,
      headers,
      body: c.req.method === "GET" || c.req.method === "HEAD" ? undefined : await c.req.arrayBuffer(),
    });
  } catch (err) {
    c.var.log.error("origin unreachable", { target, err });
    throw problems.unavailable("origin-unavailable", "The origin service is unreachable; try again shortly.");
  }
  const out = new Response(response.body, response);
  out.headers.delete("x-service-token");
  return out;
}
