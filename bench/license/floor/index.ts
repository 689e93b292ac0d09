/**
 * The floor for `npm run bench:license`: the cheapest licence server that still checks what every key request
 * carries, the session's playback token (the playback worker's own verifier, HMAC-SHA256), then answers a fixed
 * 16-byte key. Whatever the licence path costs above this is the price of its rules: the session and track read from
 * Redis, the entitlement checks, counting the delivery, and unwrapping the key.
 */
import { verifyPlaybackToken } from "../../../workers/playback/src/core/playback-token";

interface Env {
  PLAYBACK_TOKEN_SECRET: string;
}

const KEY = new Uint8Array(16).fill(7);

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/health") return Response.json({ status: "ok" });
    if (!url.pathname.startsWith("/v1/license/")) return new Response("not found", { status: 404 });
    const check = await verifyPlaybackToken(
      env.PLAYBACK_TOKEN_SECRET,
      url.searchParams.get("pt") ?? undefined,
      Math.floor(Date.now() / 1000),
    );
    if (!check.ok) return new Response(check.reason, { status: 403 });
    return new Response(KEY, {
      headers: { "content-type": "application/octet-stream", "cache-control": "private, no-store" },
    });
  },
} satisfies ExportedHandler<Env>;
