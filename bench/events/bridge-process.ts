/**
 * The Upstash REST bridge in a process of its own, for `npm run bench:events`: the workers' Redis then does not share
 * an event loop with the origin, whose SQLite writes block it (in production Upstash and the origin are apart too).
 * Env: REDIS_URL, BRIDGE_TOKEN. Prints `BRIDGE_URL=<url>` once listening.
 */
import { startUpstashBridge } from "@cadence/local/src/bridge-server";

const bridge = await startUpstashBridge({
  redisUrl: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
  token: process.env.BRIDGE_TOKEN ?? "",
});
process.stdout.write(`BRIDGE_URL=${bridge.url}\n`);
const stop = () => void bridge.close().then(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
