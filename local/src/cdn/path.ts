/**
 * How a CDN edge reads a request path before it matches a signed policy and asks its origin, modelled on what
 * CloudFront and Akamai do (docs/security.md#cdn-paths): percent-encoded unreserved characters are decoded
 * (`%2e` and `%2E` are `.`, RFC 3986 6.2.2.2), runs of slashes collapse to one, and dot segments are removed
 * (RFC 3986 5.2.4, never above the root), so `/t/aac-128/%2e%2e/flac/x` is `/t/flac/x` both for the token check and for
 * the origin pull. What neither CDN documents a meaning for is refused outright (400): a backslash, raw or encoded, an
 * encoded slash (`%2F`), a NUL or other control byte, and malformed percent-encoding. The stand-in then matches and
 * pulls only this one canonical path, so no form of the URL can verify against one folder and fetch another.
 */
export type CanonicalPath = { ok: true; path: string } | { ok: false; reason: string };

const UNRESERVED = /[A-Za-z0-9._~-]/;

/** The canonical form of a raw request path (no query), or why the edge refuses it. */
export function canonicalPath(rawPath: string): CanonicalPath {
  if (!rawPath.startsWith("/")) return { ok: false, reason: "path must start with /" };
  if (rawPath.includes("\\")) return { ok: false, reason: "backslash in path" };
  let decoded = "";
  for (let i = 0; i < rawPath.length; i += 1) {
    const ch = rawPath[i]!;
    if (ch.charCodeAt(0) < 0x21 || ch.charCodeAt(0) === 0x7f) return { ok: false, reason: "control byte in path" };
    if (ch !== "%") {
      decoded += ch;
      continue;
    }
    const hex = rawPath.slice(i + 1, i + 3);
    if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return { ok: false, reason: "malformed percent-encoding" };
    const byte = String.fromCharCode(Number.parseInt(hex, 16));
    if (byte === "/") return { ok: false, reason: "encoded slash in path" };
    if (byte === "\\") return { ok: false, reason: "encoded backslash in path" };
    if (byte.charCodeAt(0) < 0x21 || byte.charCodeAt(0) >= 0x7f) {
      return { ok: false, reason: "encoded control or non-ASCII byte in path" };
    }
    // Unreserved characters are decoded; every other encoded byte stays encoded, upper-cased (RFC 3986 6.2.2.1).
    decoded += UNRESERVED.test(byte) ? byte : `%${hex.toUpperCase()}`;
    i += 2;
  }
  const segments: string[] = [];
  for (const segment of decoded.split("/").slice(1)) {
    if (segment === "..") segments.pop();
    else if (segment !== "." && segment !== "") segments.push(segment);
  }
  const trailing = decoded.endsWith("/") || decoded.endsWith("/.") || decoded.endsWith("/..");
  const path = `/${segments.join("/")}${trailing && segments.length > 0 ? "/" : ""}`;
  return { ok: true, path };
}
