/**
 * A local stand-in for Braze's REST endpoint `POST /users/track`, for lifecycle webhooks: it checks the API key
 * (`Authorization: Bearer`), the `x-cadence-signature` (HMAC of time and body, at most five minutes old) and the
 * request shape Braze accepts (`attributes`, `events`, `purchases` arrays, each item with an `external_id`, events
 * with `name` and `time`), answers as Braze does (`201 {"message":"success"}`, or 4xx with `errors`), and records
 * what it accepted. `GET /received` lists it; `POST /fail?times=n` makes the next n requests answer 503, to show
 * retries.
 */
import { createServer, type Server } from "node:http";
import { LIFECYCLE_SIGNATURE_HEADER, verifyLifecycleSignature } from "@cadence/origin/src/lifecycle/signature";

export interface BrazeStandIn {
  url: string;
  /** The `users/track` URL to configure as BRAZE_USERS_TRACK_URL. */
  usersTrackUrl: string;
  received: Array<{ body: unknown; at: number }>;
  close(): Promise<void>;
}

type Item = Record<string, unknown>;

function shapeProblem(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return "body must be a JSON object";
  const b = body as Record<string, unknown>;
  const lists = ["attributes", "events", "purchases"].filter((k) => k in b);
  if (lists.length === 0) return "one of attributes, events or purchases is required";
  for (const k of lists) {
    const list = b[k];
    if (!Array.isArray(list) || list.length > 75) return `${k} must be an array of at most 75 objects`;
    for (const item of list as Item[]) {
      if (typeof item?.external_id !== "string") return `${k}[].external_id is required`;
      if (k === "events" && (typeof item.name !== "string" || Number.isNaN(Date.parse(String(item.time))))) {
        return "events[] need a name and an ISO 8601 time";
      }
    }
  }
  return undefined;
}

export async function startBrazeStandIn(options: {
  apiKey: string;
  secret: string;
  port?: number;
}): Promise<BrazeStandIn> {
  const received: BrazeStandIn["received"] = [];
  let failNext = 0;
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const answer = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    const url = new URL(req.url ?? "/", "http://stand-in");
    if (req.method === "GET" && url.pathname === "/received") return answer(200, { received });
    if (req.method === "POST" && url.pathname === "/fail") {
      failNext = Number(url.searchParams.get("times") ?? 1);
      return answer(200, { fail_next: failNext });
    }
    if (req.method !== "POST" || url.pathname !== "/users/track") return answer(404, { message: "not found" });
    if (failNext > 0) {
      failNext -= 1;
      return answer(503, { message: "service unavailable (stand-in knob)" });
    }
    if (req.headers.authorization !== `Bearer ${options.apiKey}`) return answer(401, { message: "Invalid API key" });
    const check = await verifyLifecycleSignature(
      options.secret,
      req.headers[LIFECYCLE_SIGNATURE_HEADER] as string,
      text,
    );
    if (!check.ok) return answer(401, { message: `Invalid signature: ${check.detail}` });
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return answer(400, { message: "Invalid JSON" });
    }
    const problem = shapeProblem(body);
    if (problem) return answer(400, { message: "Invalid request", errors: [problem] });
    received.push({ body, at: Date.now() });
    return answer(201, { message: "success", attributes_processed: 1, events_processed: 1 });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    usersTrackUrl: `${url}/users/track`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
