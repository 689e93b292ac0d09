/**
 * Talking to the platform's HTTP APIs from a page. Every service answers errors as RFC 9457 problem+json, so one
 * `ApiError` carries the `code`, the human `detail` and, for validation failures, the per-field `errors` that forms
 * show next to the field. A network failure becomes an `ApiError` with status 0, so callers handle one error type.
 */

export interface FieldError {
  path: string;
  message: string;
}

export interface ProblemDetails {
  status: number;
  code: string;
  title: string;
  detail: string;
  errors?: FieldError[];
  request_id?: string;
}

export class ApiError extends Error {
  readonly problem: ProblemDetails;

  constructor(problem: ProblemDetails) {
    super(problem.detail);
    this.name = "ApiError";
    this.problem = problem;
  }

  get status(): number {
    return this.problem.status;
  }

  /** Worth trying again later: the network, a timeout, or the server's own trouble. */
  get retryable(): boolean {
    return this.status === 0 || this.status === 408 || this.status === 429 || this.status >= 500;
  }
}

/** Turns a non-2xx response into an ApiError, reading problem+json when the server sent it. */
export async function problemOf(res: Response): Promise<ApiError> {
  let body: Partial<ProblemDetails> = {};
  try {
    body = (await res.json()) as Partial<ProblemDetails>;
  } catch {
    // not JSON: keep the status line
  }
  return new ApiError({
    status: res.status,
    code: body.code ?? `http-${res.status}`,
    title: body.title ?? res.statusText,
    detail: body.detail ?? `The server answered ${res.status} ${res.statusText}.`,
    errors: body.errors,
    request_id: body.request_id,
  });
}

export function networkError(err: unknown): ApiError {
  return new ApiError({
    status: 0,
    code: "network",
    title: "Network error",
    detail: `The request did not reach the server (${err instanceof Error ? err.message : String(err)}).`,
  });
}

/** fetch() that throws ApiError for network failures and non-2xx answers, and parses JSON bodies. */
export async function requestJson<T>(url: string, init: RequestInit = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch (err) {
    throw networkError(err);
  }
  if (!res.ok) throw await problemOf(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

export function jsonBody(value: unknown): RequestInit {
  return { headers: { "content-type": "application/json" }, body: JSON.stringify(value) };
}

/** A message for people: the problem's detail plus, for validation failures, what each field needs. */
export function describeError(err: unknown): string {
  if (err instanceof ApiError) {
    const fields = err.problem.errors?.map((e) => `${e.path}: ${e.message}`) ?? [];
    return fields.length > 0 ? `${err.problem.detail} (${fields.join("; ")})` : err.problem.detail;
  }
  return err instanceof Error ? err.message : String(err);
}
