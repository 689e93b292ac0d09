/**
 * The one error envelope of every service: RFC 9457 `application/problem+json`.
 *
 * A `Problem` is thrown (or returned) wherever a request cannot be served; `problemResponse` renders it with a stable
 * `type` URI built from the machine-readable `code`, so clients switch on `code`/`type` and show `detail` to people.
 * 4xx are the caller's mistakes and say what to fix; 5xx are ours and are the only ones logged as errors.
 */
import { PROBLEM_CODES, type ProblemCode } from "./problem-codes";

export type { ProblemCode } from "./problem-codes";

export const PROBLEM_BASE = "https://cadence.example/problems/";
export const PROBLEM_CONTENT_TYPE = "application/problem+json";

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ProblemCode;
  request_id?: string;
  [extension: string]: unknown;
}

export class Problem extends Error {
  readonly status: number;
  readonly code: ProblemCode;
  readonly title: string;
  readonly extensions: Record<string, unknown>;
  readonly headers: Record<string, string>;

  /** The status comes from the code (see problem-codes.ts), so one code always means one status. */
  constructor(
    code: ProblemCode,
    detail: string,
    options: {
      title?: string;
      extensions?: Record<string, unknown>;
      headers?: Record<string, string>;
      cause?: unknown;
    } = {},
  ) {
    super(detail, { cause: options.cause });
    this.name = "Problem";
    this.status = PROBLEM_CODES[code].status;
    this.code = code;
    this.title = options.title ?? defaultTitle(this.status);
    this.extensions = options.extensions ?? {};
    this.headers = options.headers ?? {};
  }

  body(requestId?: string): ProblemBody {
    return {
      ...this.extensions,
      type: PROBLEM_BASE + this.code,
      title: this.title,
      status: this.status,
      detail: this.message,
      code: this.code,
      ...(requestId ? { request_id: requestId } : {}),
    };
  }
}

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  410: "Gone",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  451: "Unavailable For Legal Reasons",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
};

function defaultTitle(status: number): string {
  return TITLES[status] ?? (status >= 500 ? "Server Error" : "Client Error");
}

export function problemResponse(problem: Problem, requestId?: string): Response {
  const headers = new Headers(problem.headers);
  headers.set("content-type", PROBLEM_CONTENT_TYPE);
  headers.set("cache-control", "no-store");
  if (requestId) headers.set("x-request-id", requestId);
  return new Response(JSON.stringify(problem.body(requestId)), { status: problem.status, headers });
}

/** Common problems, so the same mistake reads the same everywhere. */
export const problems = {
  badRequest: (detail: string, extensions?: Record<string, unknown>) =>
    new Problem("bad-request", detail, { extensions }),
  validation: (detail: string, errors: Array<{ path: string; message: string }>) =>
    new Problem("validation-failed", detail, { extensions: { errors } }),
  notFound: (detail: string) => new Problem("not-found", detail),
  tooMany: (detail: string, retryAfterSeconds: number) =>
    new Problem("rate-limited", detail, {
      headers: { "retry-after": String(Math.max(1, Math.ceil(retryAfterSeconds))) },
      extensions: { retry_after: Math.max(1, Math.ceil(retryAfterSeconds)) },
    }),
  /** A 503 with `Retry-After`: the code must be one whose status is 503. */
  unavailable: (code: ProblemCode, detail: string, retryAfterSeconds = 5) =>
    new Problem(code, detail, { headers: { "retry-after": String(retryAfterSeconds) } }),
  internal: (cause: unknown) => new Problem("internal", "An unexpected error occurred; it has been logged.", { cause }),
};
