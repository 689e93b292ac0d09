/**
 * The one place that turns a validation library's issues into sentences a person reads: one per field, in plain
 * words, saying what the value must be ("name must be at most 200 characters."), never the library's own wording
 * ("Too big: expected string to have <=200 characters") and never the value's internals. `plainIssue` is passed to
 * zod as the per-parse error map, so a schema's own message (`.max(10, "...")`) still wins where one was written.
 */
import type { z } from "zod";

type RawIssue = z.core.$ZodRawIssue;

const TYPE_NAMES: Record<string, string> = {
  string: "text",
  number: "a number",
  int: "a whole number",
  bigint: "a whole number",
  boolean: "true or false",
  object: "an object",
  array: "a list",
  date: "a date",
  null: "null",
};

const FORMAT_NAMES: Record<string, string> = {
  email: "an email address",
  url: "an absolute URL",
  uuid: "a UUID",
  datetime: "an ISO 8601 date and time, e.g. 2026-12-01T00:00:00Z",
  date: "an ISO 8601 date, e.g. 2026-12-01",
  time: "an ISO 8601 time",
  ipv4: "an IPv4 address",
  ipv6: "an IPv6 address",
};

const count = (n: number | bigint, one: string, many: string) => `${n} ${Number(n) === 1 ? one : many}`;

function limit(origin: string, bound: number | bigint, inclusive: boolean | undefined, big: boolean): string {
  const word = big ? (inclusive === false ? "less than" : "at most") : inclusive === false ? "more than" : "at least";
  switch (origin) {
    case "string":
      if (!big && Number(bound) === 1 && inclusive !== false) return "must not be empty";
      return `must be ${word} ${count(bound, "character", "characters")} long`;
    case "array":
    case "set":
      if (!big && Number(bound) === 1 && inclusive !== false) return "must list at least one item";
      return `must list ${word} ${count(bound, "item", "items")}`;
    case "file":
      return `must be ${word} ${count(bound, "byte", "bytes")}`;
    default:
      return `must be ${word} ${Number(bound).toLocaleString("en-US")}`;
  }
}

/** A zod issue as the end of a sentence whose subject is the field ("must be ..."); a full sentence for the root. */
export function plainIssue(issue: RawIssue): string {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return "is required";
      return `must be ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
    case "too_big":
      return limit(issue.origin, issue.maximum, issue.inclusive, true);
    case "too_small":
      return limit(issue.origin, issue.minimum, issue.inclusive, false);
    case "invalid_format":
      return FORMAT_NAMES[issue.format] ? `must be ${FORMAT_NAMES[issue.format]}` : "is not in the expected format";
    case "not_multiple_of":
      return `must be a multiple of ${issue.divisor}`;
    case "unrecognized_keys":
      return `has ${issue.keys.length === 1 ? "a field" : "fields"} this API does not know: ${issue.keys.join(", ")}`;
    case "invalid_value":
      if (issue.input === undefined) return "is required";
      return `must be ${issue.values.length === 1 ? String(issue.values[0]) : `one of ${issue.values.map(String).join(", ")}`}`;
    case "invalid_union":
      return "is not any of the accepted shapes";
    case "invalid_key":
      return "has a key that is not allowed";
    case "invalid_element":
      return "has a value that is not allowed";
    default:
      return "is not valid";
  }
}

/** `where` (body, query, ...) plus the issue's path, as people name the field. */
export function fieldName(where: string, path: ReadonlyArray<PropertyKey>): string {
  if (path.length === 0) return `The ${where}`;
  return path
    .map((p) => (typeof p === "number" ? `[${p}]` : String(p)))
    .join(".")
    .replace(/\.\[/g, "[");
}

/**
 * One sentence: a message that already reads as a sentence (starts with a capital or with the field's own name) is
 * kept; a fragment ("must be ...") gets the field as its subject.
 */
export function sentence(field: string, message: string): string {
  const text = message.trim().replace(/[.\s]+$/, "");
  const last = field.split(/[.[]/).at(-1) ?? field;
  const whole = /^[A-Z]/.test(text) || text.startsWith(last) || text.startsWith(field);
  return `${whole ? text : `${field} ${text}`}.`;
}

/** The issues as one sentence per field (the first issue of each field only), each with its dotted path. */
export function describeIssues(
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>,
  where: string,
): Array<{ path: string; message: string }> {
  const out: Array<{ path: string; message: string }> = [];
  const seen = new Set<string>();
  for (const issue of issues) {
    const path = [where, ...issue.path.map(String)].join(".");
    if (seen.has(path)) continue;
    seen.add(path);
    out.push({ path, message: sentence(fieldName(where, issue.path), issue.message) });
  }
  return out;
}
