/** Requests through the front door, and what the echoing service bindings (vitest.config.ts) say they received. */
import { exports } from "cloudflare:workers";

export interface Echo {
  worker: "api" | "playback" | "ingest-events" | "ads";
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

export const EDGE = "https://edge.cadence.test";

export function door(path: string, init: RequestInit = {}): Promise<Response> {
  return exports.default.fetch(`${EDGE}${path}`, init);
}

/** The request as the worker behind the front door received it. */
export async function echoed(res: Response): Promise<Echo> {
  if (res.status !== 200) throw new Error(`expected a worker's echo, got ${res.status}: ${await res.text()}`);
  return (await res.json()) as Echo;
}
