/**
 * Reads an events request body within its limits and splits it into events: a JSON array, or NDJSON (one event per
 * line) when the content type says so. Too large (bytes or count) is a 413 naming both limits; a body that does not
 * parse is a 400 saying where it broke (line and column, or the NDJSON line). Each event keeps its own JSON text and
 * size, so the validator can judge and the failed-events store can keep what was sent.
 */
import { MAX_BODY_BYTES, MAX_EVENTS_PER_REQUEST } from "@cadence/shared/events/limits";
import { utf8Length } from "@cadence/shared/events/message";
import { Problem, problems } from "@cadence/shared/problem";
import { describeJsonBreak } from "./json-position";

export interface RawEvent {
  value: unknown;
  /** The event's JSON text (re-serialized for array bodies) and its UTF-8 size. */
  text: string;
  bytes: number;
}

const LIMITS = `at most ${MAX_EVENTS_PER_REQUEST} events and ${MAX_BODY_BYTES / 1024} KB (${MAX_BODY_BYTES} bytes) per request`;

function tooLarge(what: string): Problem {
  return new Problem("payload-too-large", `${what}; send ${LIMITS}, split into more requests.`, {
    extensions: { max_events: MAX_EVENTS_PER_REQUEST, max_bytes: MAX_BODY_BYTES },
  });
}

/** Reads the body, refusing it as soon as it passes the byte limit (the Content-Length is not trusted alone). */
export async function readLimitedBody(request: Request): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw tooLarge(`The body is ${declared} bytes`);
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > MAX_BODY_BYTES) {
      await reader.cancel();
      throw tooLarge(`The body is more than ${MAX_BODY_BYTES} bytes`);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw problems.badRequest("The body is not valid UTF-8.");
  }
}

export type BodyFormat = "json" | "ndjson";

export function bodyFormat(contentType: string | undefined): BodyFormat {
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (type === "application/json") return "json";
  if (type === "application/x-ndjson" || type === "application/jsonl" || type === "application/ndjson") return "ndjson";
  throw new Problem(
    "unsupported-media-type",
    "Send events as a JSON array (`content-type: application/json`) or NDJSON (`content-type: application/x-ndjson`).",
  );
}

export function splitEvents(text: string, format: BodyFormat): RawEvent[] {
  const events = format === "json" ? fromJsonArray(text) : fromNdjson(text);
  if (events.length === 0) throw problems.badRequest("The body holds no events; send at least one.");
  if (events.length > MAX_EVENTS_PER_REQUEST) throw tooLarge(`The body holds ${events.length} events`);
  return events;
}

function fromJsonArray(text: string): RawEvent[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw problems.badRequest(`The body is not valid JSON: ${describeJsonBreak(text)}.`, { format: "json" });
  }
  if (!Array.isArray(parsed)) {
    throw problems.badRequest(
      "The body must be a JSON array of events (or NDJSON with content-type application/x-ndjson).",
    );
  }
  if (parsed.length > MAX_EVENTS_PER_REQUEST) throw tooLarge(`The body holds ${parsed.length} events`);
  return parsed.map((value) => {
    const json = JSON.stringify(value) ?? "null";
    return { value, text: json, bytes: utf8Length(json) };
  });
}

function fromNdjson(text: string): RawEvent[] {
  const out: RawEvent[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? "").replace(/\r$/, "");
    if (line.trim() === "") continue;
    if (out.length >= MAX_EVENTS_PER_REQUEST)
      throw tooLarge(`The body holds more than ${MAX_EVENTS_PER_REQUEST} events`);
    try {
      out.push({ value: JSON.parse(line), text: line, bytes: utf8Length(line) });
    } catch {
      throw problems.badRequest(`NDJSON line ${i + 1} is not valid JSON: ${describeJsonBreak(line)}.`, {
        format: "ndjson",
        line: i + 1,
      });
    }
  }
  return out;
}
