/**
 * Runs the Upstash REST bridge as an HTTP server in front of a Redis URL.
 */
import { serve } from "@hono/node-server";
import { Redis as IORedis } from "ioredis";
import { createUpstashBridge } from "./upstash-bridge";

export interface RunningBridge {
  url: string;
  token: string;
  close(): Promise<void>;
}

export async function startUpstashBridge(options: {
  redisUrl: string;
  token: string;
  host?: string;
  port?: number;
}): Promise<RunningBridge> {
  const redis = new IORedis(options.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: true });
  redis.on("error", () => {}); // surfaced per command as Upstash-shaped errors
  const app = createUpstashBridge({ redis, token: options.token });
  const host = options.host ?? "127.0.0.1";
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, hostname: host, port: options.port ?? 0 }, (info) => {
      resolve({
        url: `http://${host}:${info.port}`,
        token: options.token,
        close: () =>
          new Promise<void>((done) => {
            redis.disconnect();
            server.close(() => done());
          }),
      });
    });
  });
}
