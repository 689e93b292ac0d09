/**
 * The catalog tests' calls through the api worker: a GET with a token, and an upload of one of the delivery zips the
 * project's global setup built with ffmpeg (`catalogDeliveries`, base64: [0] the release, [1] a newer message making
 * it subscription-only).
 */
import { exports } from "cloudflare:workers";
import { inject } from "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    catalogDeliveries: string[];
  }
}

export const API = "http://api.test";
export const TRACK = "trk_qzapi2600001";

export function getWith(token: string, path: string): Promise<Response> {
  return exports.default.fetch(`${API}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
}

export function uploadDelivery(index: number, token: string): Promise<Response> {
  return exports.default.fetch(`${API}/v1/ops/catalog/deliveries`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/zip" },
    body: Uint8Array.from(atob(inject("catalogDeliveries")[index]!), (ch) => ch.charCodeAt(0)),
  });
}
