/**
 * Raw query parsing for the CDN stand-ins. CloudFront and Akamai read their token parameters as sent, without
 * percent-decoding, so a signed URL re-encoded by a URL parser (`~` -> `%7E`) fails here as it fails there.
 */
export interface RawQuery {
  /** Parameters in order, values exactly as sent. */
  params: Array<[name: string, value: string]>;
  get(name: string): string | undefined;
}

export function rawQuery(rawUrl: string): RawQuery {
  const q = rawUrl.indexOf("?");
  const params: Array<[string, string]> = [];
  if (q >= 0) {
    for (const part of rawUrl.slice(q + 1).split("&")) {
      if (part === "") continue;
      const eq = part.indexOf("=");
      params.push(eq < 0 ? [part, ""] : [part.slice(0, eq), part.slice(eq + 1)]);
    }
  }
  return { params, get: (name) => params.find(([n]) => n === name)?.[1] };
}

/** The path of a raw request target, without the query. */
export function rawPath(rawUrl: string): string {
  const q = rawUrl.indexOf("?");
  return q < 0 ? rawUrl : rawUrl.slice(0, q);
}

/** `*` matches any run of characters (including `/`), `?` one character: the wildcard rules of both CDNs' policies. */
export function wildcardMatch(pattern: string, value: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${regex}$`, "s").test(value);
}
