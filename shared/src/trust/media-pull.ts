/**
 * The media-pull credential: what a CDN (and the playback worker's Cloudflare pathway) presents when it pulls packaged
 * audio from the origin. It is a secret of its own, in a header of its own, and the origin honours it on `/media/...`
 * only, so a CDN configuration that leaks (a distribution's custom origin header, an Akamai property) reads audio and
 * nothing else; internal and ops endpoints still need the service token (service-call.ts).
 */
import { type ServiceFetchInit, type ServiceTarget, sameSecret, serviceFetch } from "./service-call";

export const MEDIA_PULL_TOKEN_HEADER = "x-media-pull-token";

/** Whether a request carries the media-pull secret. */
export function hasMediaPullToken(headers: Headers, expected: string | undefined): boolean {
  return sameSecret(headers.get(MEDIA_PULL_TOKEN_HEADER), expected);
}

/**
 * Pulls `/media/<path>` from the origin with the media-pull secret. `path` must already be a canonical media path
 * (letters, digits, `.`, `_`, `-` segments, no dot segments): it is appended as is.
 */
export function mediaPullFetch(
  target: Omit<ServiceTarget, "header">,
  path: string,
  init: ServiceFetchInit = {},
): Promise<Response> {
  if (!/^(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)+$/.test(path) || path.split("/").some((s) => s === "." || s === "..")) {
    throw new Error(`refusing to pull a non-canonical media path: ${path}`);
  }
  return serviceFetch({ ...target, header: MEDIA_PULL_TOKEN_HEADER }, `/media${path}`, init);
}
