/**
 * The events benchmark floor: reads the request body and sends it to a queue with one `sendBatch` (split into messages
 * under the queue's 128 KB limit), no auth, no validation, no Redis. Its consumer acks everything. Whatever the real
 * intake costs beyond this is the price of validating, deduping, enriching and packing.
 */
interface Env {
  QUEUE: Queue<string>;
}

const MESSAGE_BYTES = 120 * 1024;

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    if (new URL(request.url).pathname === "/health") return Response.json({ status: "ok" });
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
