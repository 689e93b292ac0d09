/** The stand-in knob routes through the api worker: GET the knobs, or POST a change (an empty body when none). */
import { exports } from "cloudflare:workers";

export function knobs(path: string, token: string, body?: unknown) {
  return exports.default.fetch(`http://api.test/v1/ops/cdn-stand-ins${path}`, {
    method: body === undefined && path === "" ? "GET" : "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? (path === "" ? undefined : "{}") : JSON.stringify(body),
  });
}
