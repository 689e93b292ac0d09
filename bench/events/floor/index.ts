/**
 * The events benchmark floor: the unavoidable work of event intake and nothing more. It verifies the listener's JWT
 * exactly as the ingest-events worker does (the same shared verifier, the same ES256 key set fetched from the origin's
 * JWKS and cached per isolate), reads the body and hands it to the queue with one `sendBatch` (split into messages
 * under the queue's 128 KB limit), and its consumer acks everything. No validation, no dedupe, no Redis, no
 * enrichment: the queue gets the bytes the client sent (the intake's messages carry the same events plus their edge
 * context, a little more). Whatever the real intake costs beyond this is the price of validating, deduping, enriching
 * and packing.
 */
import { createTokenVerifier, type TokenVerifier } from "@cadence/shared/auth/verify";

interface Env {
  QUEUE: Queue<string>;
  JWKS_URL: string;
  AUTH_ISSUER: string;
  AUTH_AUDIENCE: string;
}

const MESSAGE_BYTES = 120 * 1024;
let verifier: TokenVerifier | undefined;

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    if (new URL(request.url).pathname === "/health") return Response.json({ status: "ok" });
    verifier ??= createTokenVerifier({ jwks: env.JWKS_URL, issuer: env.AUTH_ISSUER, audience: env.AUTH_AUDIENCE });
    const header = request.headers.get("authorization") ?? "";
    const verdict = await verifier.verify(header.startsWith("Bearer ") ? header.slice(7) : undefined);
    if (!verdict.ok) return Response.json({ code: verdict.code }, { status: 401 });
    const body = await request.text();
    const messages: Array<{ body: string; contentType: "text" }> = [];
    for (let i = 0; i < body.length; i += MESSAGE_BYTES) {
      messages.push({ body: body.slice(i, i + MESSAGE_BYTES), contentType: "text" });
    }
    await env.QUEUE.sendBatch(messages);
    return Response.json({ queued: messages.length });
  },
  async queue(batch: MessageBatch<unknown>): Promise<void> {
    batch.ackAll();
  },
} satisfies ExportedHandler<Env, unknown>;
