/**
 * A local stand-in for Upstash's REST API in front of a real `redis-server`, so the workers' `@upstash/redis` client
 * talks to Redis locally exactly as it talks to Upstash in production.
 *
 * Protocol (as Upstash serves it): `POST /` with a JSON array command, `POST /pipeline` and `POST /multi-exec` with an
 * array of commands, or the path form `GET /set/key/value`. `Authorization: Bearer <token>` (or `?_token=`) is
 * required. Replies are `{"result": ...}` or `{"error": "..."}` (HTTP 400 for a single command, per item with 200
 * for a pipeline). With `Upstash-Encoding: base64` every string in a result is base64 of its bytes, which is what
 * the client asks for by default.
 */
import { Hono } from "hono";
import type { Redis as IORedis } from "ioredis";

type Arg = string | number;
type Reply = null | number | string | Buffer | Reply[] | Error | { [field: string]: Reply };
type WireValue = null | number | string | WireValue[];

export interface BridgeOptions {
  redis: IORedis;
  token: string;
}

export function createUpstashBridge({ redis, token }: BridgeOptions): Hono {
  const app = new Hono();

  app.use("*", async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const given = header.startsWith("Bearer ") ? header.slice(7) : c.req.query("_token");
    if (given !== token) return c.json({ error: "Unauthorized" }, 401);
    await next();
  });

  app.post("/pipeline", async (c) => {
    const commands = await commandList(c.req.raw);
    if (typeof commands === "string") return c.json({ error: commands }, 400);
    const pipeline = redis.pipeline();
    for (const [name, ...args] of commands) pipeline.callBuffer(String(name), ...args);
    const replies = (await pipeline.exec()) ?? [];
    const b64 = wantsBase64(c.req.raw);
    return c.json(
      replies.map(([err, value]) => (err ? { error: err.message } : { result: encode(value as Reply, b64) })),
    );
  });

  app.post("/multi-exec", async (c) => {
    const commands = await commandList(c.req.raw);
    if (typeof commands === "string") return c.json({ error: commands }, 400);
    const multi = redis.multi();
    for (const [name, ...args] of commands) multi.callBuffer(String(name), ...args);
    try {
      const replies = (await multi.exec()) ?? [];
      const b64 = wantsBase64(c.req.raw);
      return c.json(
        replies.map(([err, value]) => (err ? { error: err.message } : { result: encode(value as Reply, b64) })),
      );
    } catch (err) {
      // EXECABORT: a command was refused while queueing, so nothing ran.
      return c.json({ error: errorText(err) }, 400);
    }
  });

  const single = async (command: Arg[], req: Request) => {
    if (command.length === 0) return Response.json({ error: "ERR empty command" }, { status: 400 });
    try {
      const [name, ...args] = command;
      const value = (await redis.callBuffer(String(name), ...args)) as Reply;
      return Response.json({ result: encode(value, wantsBase64(req)) });
    } catch (err) {
      return Response.json({ error: errorText(err) }, { status: 400 });
    }
  };

  app.post("/", async (c) => {
    const command = await jsonBody(c.req.raw);
    if (!isCommand(command)) return c.json({ error: 'ERR the body must be a JSON array: ["COMMAND", ...args]' }, 400);
    return single(command, c.req.raw);
  });

  // Path form: /get/key, /set/key/value (URL-decoded segments), as Upstash allows for curl.
  app.on(["GET", "POST"], "/*", async (c) => {
    const segments = new URL(c.req.url).pathname.split("/").filter(Boolean).map(decodeURIComponent);
    if (c.req.method === "POST") {
      const body = await c.req.text();
      if (body) segments.push(body);
    }
    return single(segments, c.req.raw);
  });

  return app;
}

function wantsBase64(req: Request): boolean {
  return (req.headers.get("upstash-encoding") ?? "").toLowerCase() === "base64";
}

async function jsonBody(req: Request): Promise<unknown> {
  try {
    return await req.json();
  } catch {
    return undefined;
  }
}

function isCommand(value: unknown): value is Arg[] {
  return Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === "string" || typeof v === "number");
}

async function commandList(req: Request): Promise<Arg[][] | string> {
  const body = await jsonBody(req);
  if (!Array.isArray(body) || body.length === 0 || !body.every(isCommand)) {
    return 'ERR the body must be a JSON array of commands: [["COMMAND", ...args], ...]';
  }
  return body;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Redis reply -> Upstash JSON: strings as UTF-8 (or base64 of their bytes), integers as numbers, nil as null. */
function encode(value: Reply, base64: boolean): WireValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") return value;
  if (Buffer.isBuffer(value)) return base64 ? value.toString("base64") : value.toString("utf8");
  if (typeof value === "string") return base64 ? Buffer.from(value).toString("base64") : value;
  if (value instanceof Error) return base64 ? Buffer.from(value.message).toString("base64") : value.message;
  if (Array.isArray(value)) return value.map((v) => encode(v, base64));
  // ioredis turns HGETALL (and friends) into an object; Upstash sends the flat RESP array [field, value, ...].
  return Object.entries(value as Record<string, Reply>).flatMap(([k, v]) => [encode(k, base64), encode(v, base64)]);
}
