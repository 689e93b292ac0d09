/**
 * A transparent recorder in front of the origin for the CDN pathways of the test stack: it forwards every request as
 * received (raw path, headers, body) and remembers which paths were asked for and with which credential, so traversal
 * tests can show that no pathway ever asked the origin for something outside `/media/`. `GET /__origin-requests`
 * answers what it saw (`?since=<n>` for those after the n-th); nothing else about the origin changes.
 */
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedOriginRequest {
  seq: number;
  method: string;
  /** The request target as the origin received it (path and query, raw). */
  target: string;
  credential: "service-token" | "media-pull" | "none";
  /** `x-request-id` of the request, when the caller propagated one (the playback worker does). */
  requestId?: string;
}

export interface RunningOriginRecorder {
  url: string;
  requests(): RecordedOriginRequest[];
  close(): Promise<void>;
}

const KEEP = 20_000;

export async function startOriginRecorder(originUrl: string): Promise<RunningOriginRecorder> {
  const upstream = new URL(originUrl);
  const seen: RecordedOriginRequest[] = [];
  let seq = 0;

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const target = req.url ?? "/";
    if (target.startsWith("/__origin-requests")) {
      const since = Number(new URL(target, "http://x").searchParams.get("since") ?? 0);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ seq, requests: seen.filter((r) => r.seq > since) }));
      return;
    }
    seq += 1;
    seen.push({
      seq,
      method: req.method ?? "GET",
      target,
      credential: req.headers["x-service-token"]
        ? "service-token"
        : req.headers["x-media-pull-token"]
          ? "media-pull"
          : "none",
      ...(typeof req.headers["x-request-id"] === "string" ? { requestId: req.headers["x-request-id"] } : {}),
    });
    if (seen.length > KEEP) seen.splice(0, seen.length - KEEP);
    const forward = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: target,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on("error", () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(forward);
  };

  const server: Server = createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => [...seen],
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
