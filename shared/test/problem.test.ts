import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createServiceApp, readJson } from "../src/http";
import { createLogger } from "../src/log";
import { Problem, problemResponse } from "../src/problem";

describe("problem+json envelope", () => {
  it("renders RFC 9457 fields with a stable type from the code and the request id", async () => {
    const res = problemResponse(new Problem("not-available-in-territory", "Not licensed in FR."), "req-1");
    expect(res.status).toBe(451);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(await res.json()).toEqual({
      type: "https://cadence.example/problems/not-available-in-territory",
      title: "Unavailable For Legal Reasons",
      status: 451,
      detail: "Not licensed in FR.",
      code: "not-available-in-territory",
      request_id: "req-1",
    });
  });

  it("turns thrown problems, bad JSON, validation errors and crashes into the envelope", async () => {
    const app = createServiceApp<{ Variables: { requestId: string; log: ReturnType<typeof createLogger> } }>(
      createLogger("test", {}, "error"),
    );
    const body = z.object({ email: z.string().email(), age: z.number().int() });
    app.post("/echo", async (c) => c.json(await readJson(c, body)));
    app.get("/boom", () => {
      throw new Error("secret internals");
    });
    const post = (b: string, type = "application/json") =>
      app.request("/echo", { method: "POST", headers: { "content-type": type, "x-request-id": "abc" }, body: b });

    const invalidJson = await post("{nope");
    expect(invalidJson.status).toBe(400);
    expect(await invalidJson.json()).toMatchObject({ code: "bad-request", request_id: "abc" });

    const invalid = await post(JSON.stringify({ email: "x", age: 1.5 }));
    expect(invalid.status).toBe(400);
    const problem = (await invalid.json()) as { errors: Array<{ path: string }>; detail: string };
    expect(problem.errors.map((e) => e.path).sort()).toEqual(["body.age", "body.email"]);
    expect(problem.detail).toBe("email must be an email address. age must be a whole number.");

    expect((await post("{}", "text/plain")).status).toBe(415);

    const crash = await app.request("/boom");
    expect(crash.status).toBe(500);
    const crashBody = (await crash.json()) as { detail: string };
    expect(crashBody.detail).not.toContain("secret internals");

    const missing = await app.request("/nowhere");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toBe("application/problem+json");
  });

  it("keeps hono's own HTTP errors as 4xx problems", async () => {
    const app = new Hono();
    const { installProblemHandlers } = await import("../src/http");
    installProblemHandlers(app, createLogger("test", {}, "error"));
    app.get("/x", () => {
      throw Object.assign(new Error("Payload Too Large"), { status: 413 });
    });
    const res = await app.request("/x");
    expect(res.status).toBe(413);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
  });
});
