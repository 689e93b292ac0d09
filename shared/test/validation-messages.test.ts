/**
 * Validation failures read as plain sentences, one per field: what the value must be, in words a person uses, never
 * the library's wording, never repeated for a field that breaks two rules; a schema's own message still wins.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { parseWith } from "../src/http";
import { Problem } from "../src/problem";

function failure(
  schema: z.ZodType,
  value: unknown,
): { detail: string; errors: Array<{ path: string; message: string }> } {
  try {
    parseWith(schema, value, "body");
  } catch (err) {
    if (!(err instanceof Problem)) throw err;
    return { detail: err.message, errors: err.extensions.errors as Array<{ path: string; message: string }> };
  }
  throw new Error("expected a validation failure");
}

const profile = z
  .object({
    name: z.string().trim().min(1).max(200),
    age: z.number().int().min(0),
    email: z.email(),
    tags: z.array(z.string()).min(1),
    kind: z.enum(["artist", "label"]),
    q: z.string().min(1, "Give a search text in `q`."),
  })
  .strict();

describe("validation messages", () => {
  it("say what each field must be, one sentence per field, in plain words", () => {
    const { detail, errors } = failure(profile, {
      name: "x".repeat(300),
      age: -1,
      email: "nope",
      tags: [],
      kind: "band",
      q: "",
      colour: "red",
    });
    expect(errors).toEqual([
      { path: "body.name", message: "name must be at most 200 characters long." },
      { path: "body.age", message: "age must be at least 0." },
      { path: "body.email", message: "email must be an email address." },
      { path: "body.tags", message: "tags must list at least one item." },
      { path: "body.kind", message: "kind must be one of artist, label." },
      { path: "body.q", message: "Give a search text in `q`." },
      { path: "body", message: "The body has a field this API does not know: colour." },
    ]);
    expect(detail).toBe(errors.map((e) => e.message).join(" "));
    expect(detail).not.toMatch(/Too big|Too small|expected|Invalid/);
  });

  it("name a field once even when it breaks two rules", () => {
    const { errors } = failure(
      z.object({
        code: z
          .string()
          .min(5)
          .regex(/^[0-9]+$/),
      }),
      { code: "ab" },
    );
    expect(errors).toEqual([{ path: "body.code", message: "code must be at least 5 characters long." }]);
  });

  it("say a missing field is required, and name nested fields by their place", () => {
    const { errors } = failure(z.object({ caps: z.array(z.object({ count: z.number() })), kind: z.enum(["a"]) }), {
      caps: [{}],
    });
    expect(errors.map((e) => e.message)).toEqual(["caps[0].count is required.", "kind is required."]);
  });
});
