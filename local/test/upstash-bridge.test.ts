/**
 * The Upstash REST bridge, exercised with the real `@upstash/redis` client against a real redis-server: the same
 * client code the workers run in production against Upstash.
 */
import { Redis } from "@upstash/redis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type {} from "../src/test-bindings";

const stack = inject("stack");
let redis: Redis;
const prefix = `bridge-test:${Date.now()}:`;

beforeAll(() => {
  redis = new Redis({ url: stack.redisRestUrl, token: stack.redisRestToken, enableTelemetry: false });
});

afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
});

describe("single commands", () => {
  it("sets and gets strings, including unicode and JSON the client serialises", async () => {
    expect(await redis.set(`${prefix}a`, "héllo ✓ 🎵")).toBe("OK");
    expect(await redis.get(`${prefix}a`)).toBe("héllo ✓ 🎵");
    await redis.set(`${prefix}json`, { track: "t1", ms: 30_000 });
    expect(await redis.get(`${prefix}json`)).toEqual({ track: "t1", ms: 30_000 });
  });

  it("returns integers as numbers and nil as null", async () => {
    expect(await redis.incrby(`${prefix}n`, 5)).toBe(5);
    expect(await redis.get(`${prefix}missing`)).toBeNull();
    expect(await redis.set(`${prefix}nx`, "1", { nx: true, ex: 60 })).toBe("OK");
    expect(await redis.set(`${prefix}nx`, "2", { nx: true, ex: 60 })).toBeNull();
  });

  it("returns arrays and hashes", async () => {
    await redis.hset(`${prefix}h`, { a: "1", b: "two" });
    expect(await redis.hgetall(`${prefix}h`)).toEqual({ a: 1, b: "two" });
    await redis.rpush(`${prefix}l`, "x", "y", "z");
    expect(await redis.lrange(`${prefix}l`, 0, -1)).toEqual(["x", "y", "z"]);
    await redis.zadd(`${prefix}z`, { score: 2, member: "b" }, { score: 1, member: "a" });
    expect(await redis.zrange(`${prefix}z`, 0, -1, { withScores: true })).toEqual(["a", 1, "b", 2]);
  });

  it("surfaces Redis errors as UpstashError with Redis's message", async () => {
    await redis.set(`${prefix}str`, "text");
    await expect(redis.lpush(`${prefix}str`, "x")).rejects.toThrow(/WRONGTYPE/);
    await expect(redis.incr(`${prefix}str`)).rejects.toThrow(/not an integer/);
  });
});

describe("EVAL", () => {
  it("runs Lua scripts with keys and args", async () => {
    const script = "redis.call('SET', KEYS[1], ARGV[1]); return {redis.call('GET', KEYS[1]), tonumber(ARGV[2]) + 1}";
    expect(await redis.eval(script, [`${prefix}lua`], ["from-lua", "41"])).toEqual(["from-lua", 42]);
  });

  it("reports script errors", async () => {
    await expect(redis.eval("return redis.call('NOSUCHCMD')", [], [])).rejects.toThrow(
      /Unknown Redis command|unknown command/i,
    );
  });
});

describe("pipelines and transactions", () => {
  it("pipelines many commands in one request, with per-command results", async () => {
    const p = redis.pipeline();
    p.set(`${prefix}p1`, "v1");
    p.incr(`${prefix}p2`);
    p.get(`${prefix}p1`);
    expect(await p.exec()).toEqual(["OK", 1, "v1"]);
  });

  it("keeps going past a failing command in a pipeline and reports it", async () => {
    await redis.set(`${prefix}ps`, "text");
    const p = redis.pipeline();
    p.incr(`${prefix}ps`);
    p.get(`${prefix}ps`);
    const results = await p.exec({ keepErrors: true });
    expect(results[0]?.error).toMatch(/not an integer/);
    expect(results[1]?.result).toBe("text");
  });

  it("runs /multi-exec atomically", async () => {
    const tx = redis.multi();
    tx.set(`${prefix}t1`, "a");
    tx.incrby(`${prefix}t2`, 10);
    tx.get(`${prefix}t1`);
    expect(await tx.exec()).toEqual(["OK", 10, "a"]);
  });
});

describe("the REST protocol itself", () => {
  it("refuses a wrong token with 401 Unauthorized", async () => {
    const wrong = new Redis({ url: stack.redisRestUrl, token: "wrong-token", enableTelemetry: false });
    await expect(wrong.get("x")).rejects.toThrow(/Unauthorized/);
  });

  it("answers the raw shapes Upstash documents", async () => {
    const headers = { authorization: `Bearer ${stack.redisRestToken}` };
    const single = await fetch(stack.redisRestUrl, {
      method: "POST",
      headers,
      body: JSON.stringify(["SET", `${prefix}raw`, "v"]),
    });
    expect(await single.json()).toEqual({ result: "OK" });
    const path = await fetch(`${stack.redisRestUrl}/get/${encodeURIComponent(`${prefix}raw`)}`, { headers });
    expect(await path.json()).toEqual({ result: "v" });
    const error = await fetch(stack.redisRestUrl, { method: "POST", headers, body: JSON.stringify(["GET"]) });
    expect(error.status).toBe(400);
    expect(((await error.json()) as { error: string }).error).toMatch(/wrong number of arguments/);
    const notArray = await fetch(`${stack.redisRestUrl}/pipeline`, { method: "POST", headers, body: "{}" });
    expect(notArray.status).toBe(400);
    const base64 = await fetch(stack.redisRestUrl, {
      method: "POST",
      headers: { ...headers, "upstash-encoding": "base64" },
      body: JSON.stringify(["GET", `${prefix}raw`]),
    });
    expect(await base64.json()).toEqual({ result: Buffer.from("v").toString("base64") });
  });
});
