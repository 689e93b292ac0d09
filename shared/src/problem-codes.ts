/**
 * Every problem code Cadence answers with, its HTTP status and what it means: the closed set behind `Problem`.
 * One code per meaning; a client switches on `code` (or the `type` URI built from it). `docs/problems.md` is rendered
 * from this table (`npm run docs:problems`), and a test keeps the two in step.
 *
 * To add a code: add one entry here (keep the groups), then run `npm run docs:problems`.
 */
export const PROBLEM_CODES = {
  // Requests in general
  "bad-request": { status: 400, meaning: "The request is malformed; the detail says which part and how to fix it." },
  "validation-failed": { status: 400, meaning: "One or more fields are invalid; `errors` lists each field with why." },
  "route-not-found": { status: 404, meaning: "No route answers this method and path." },
  "not-found": { status: 404, meaning: "The thing the path names does not exist (or is not yours to see)." },
  "payload-too-large": { status: 413, meaning: "The body exceeds the route's size limit, named in the detail." },
  "unsupported-media-type": { status: 415, meaning: "The body's content type is not one this route accepts." },
  "rate-limited": { status: 429, meaning: "Too many requests; retry after `Retry-After` seconds." },
  "client-closed-request": { status: 499, meaning: "The caller went away before the answer; its work was cancelled." },
  internal: { status: 500, meaning: "Our mistake; it was logged with the request id." },
  "injected-fault": { status: 500, meaning: "A fault injected on purpose by a test or ops knob (development only)." },

  // Identity and access
  "token-missing": { status: 401, meaning: "No access token; send `Authorization: Bearer <token>`." },
  "token-malformed": { status: 401, meaning: "The access token is not a compact JWS." },
  "token-algorithm-rejected": { status: 401, meaning: "The token is not signed with the pinned algorithm (ES256)." },
  "token-unknown-key": { status: 401, meaning: "The token's key id is not in the published key set." },
  "token-signature-invalid": { status: 401, meaning: "The token's signature does not verify." },
  "token-expired": { status: 401, meaning: "The access token has expired; refresh it." },
  "token-not-yet-valid": { status: 401, meaning: "The token's `nbf`/`iat` lies in the future." },
  "token-wrong-issuer": { status: 401, meaning: "The token was issued by someone else." },
  "token-wrong-audience": { status: 401, meaning: "The token is for another audience." },
  "token-claims-invalid": { status: 401, meaning: "A required claim is missing or malformed." },
  "token-revoked": { status: 401, meaning: "The token's sign-in was ended (logout or refresh-token reuse)." },
  "jwks-unavailable": { status: 503, meaning: "The key set could not be fetched to verify the token; retry." },
  "invalid-credentials": { status: 401, meaning: "Email or password is wrong." },
  "refresh-token-invalid": { status: 401, meaning: "The refresh token is unknown, expired or already used." },
  "insufficient-scope": { status: 403, meaning: "The token lacks the scope this route needs." },
  "service-token-invalid": { status: 401, meaning: "An internal endpoint was called without the service credential." },
  "edge-only": { status: 403, meaning: "This origin endpoint serves Cadence's edge only." },
  "events-signature-invalid": {
    status: 401,
    meaning: "A landing request to the origin is not signed by the consumer.",
  },

  // Playback
  "playback-token-missing": { status: 401, meaning: "The URL lacks the playback token it was issued with." },
  "playback-token-invalid": { status: 403, meaning: "The playback token is forged, tampered or for something else." },
  "playback-token-expired": {
    status: 410,
    meaning: "The playback token has expired; fetch the master playlist again.",
  },
  "token-wrong-session": {
    status: 403,
    meaning: "The playback token was issued for another listener, track, device or session; `mismatch` says which.",
  },
  "session-not-found": { status: 404, meaning: "No playback session with this id." },
  "session-ended": { status: 410, meaning: "The playback session ended (expired, or displaced by a newer one)." },
  "segment-token-invalid": { status: 403, meaning: "A segment URL's signature does not verify." },
  "segment-token-expired": { status: 410, meaning: "A segment URL has expired." },
  "rendition-not-entitled": { status: 403, meaning: "The listener's tier does not include this rendition." },
  "no-playable-rendition": { status: 406, meaning: "None of the track's renditions can be played by this client." },
  "not-available-in-territory": { status: 451, meaning: "The track is not licensed in the listener's territory." },
  "not-available-on-tier": { status: 403, meaning: "The track is not licensed for the listener's tier." },
  "not-yet-released": { status: 451, meaning: "The track's release date has not come; `available_from` says when." },
  "taken-down": { status: 410, meaning: "The track was taken down." },
  "unknown-track": { status: 404, meaning: "No track with this id is published to the edge." },
  // Licences (content keys; docs/drm.md)
  "license-token-expired": {
    status: 401,
    meaning: "The playback token of a licence request has expired; fetch the master playlist again.",
  },
  "license-session-ended": { status: 403, meaning: "The playback session ended; its keys are no longer delivered." },
  "license-key-not-in-session": { status: 403, meaning: "The key asked for does not protect this session's track." },
  "license-track-unavailable": {
    status: 403,
    meaning: "The session's track may no longer be played here (taken down, territory, window); `reason` says which.",
  },
  "offline-not-entitled": { status: 403, meaning: "Offline downloads need a premium or hifi plan." },
  "offline-device-limit": {
    status: 403,
    meaning: "The account already has the most offline devices; `devices` lists them, remove one to add another.",
  },
  "offline-track-limit": { status: 403, meaning: "This device already holds the most offline tracks; remove some." },
  "offline-not-encrypted": {
    status: 409,
    meaning: "The track's media is not encrypted yet, so it cannot be downloaded.",
  },
  "edge-state-unavailable": { status: 503, meaning: "Edge state (Redis) did not answer in time; retry." },
  "steering-state-unavailable": { status: 503, meaning: "Steering state did not answer in time; retry." },
  "media-unavailable": { status: 503, meaning: "The media store did not answer; retry." },
  "invalid-media-path": { status: 400, meaning: "A media path is not `<folder>/<file>` of safe segments (no `..`)." },

  // Ads
  "advertiser-forbidden": { status: 403, meaning: "The campaign or creative belongs to another advertiser." },
  "unknown-beacon-event": { status: 400, meaning: "A tracking beacon names an event VAST does not define." },
  "malformed-beacon": { status: 400, meaning: "A tracking beacon lacks the parameters it was issued with." },
  "beacon-signature-invalid": { status: 403, meaning: "A tracking beacon's signature does not verify." },
  "beacon-expired": { status: 410, meaning: "A tracking beacon has expired." },
  "ad-serving-expired": { status: 410, meaning: "The ad decision this request refers to has expired." },
  "ad-media-unavailable": { status: 503, meaning: "The ad creative's media could not be fetched; retry." },
  "creative-too-large": { status: 413, meaning: "The uploaded creative exceeds the size limit." },
  "creative-not-audio": { status: 422, meaning: "The uploaded creative is not audio ffmpeg can decode." },
  "creative-duration": { status: 422, meaning: "The uploaded creative is not a 15 or 30 second spot." },
  "tracking-unavailable": { status: 503, meaning: "Tracking could not be recorded now; retry the beacon." },
  "reports-unavailable": { status: 503, meaning: "Reports could not be computed now; retry." },
  "transcoder-unavailable": { status: 503, meaning: "The transcoder (ffmpeg) is not available at the origin." },

  // Catalog
  "unknown-release": { status: 404, meaning: "No release with this id." },
  "delivery-not-found": { status: 404, meaning: "No DDEX delivery with this id." },
  "delivery-too-large": { status: 413, meaning: "The DDEX delivery exceeds the size limit." },
  "delivery-rejected": { status: 422, meaning: "The DDEX delivery failed validation; `errors` lists every problem." },
  "stale-delivery": { status: 409, meaning: "A newer message for this release was already ingested." },

  // Operations and dependencies
  "precondition-failed": { status: 412, meaning: "The `If-Match` version is stale; re-read and retry." },
  conflict: { status: 409, meaning: "The change conflicts with the current state, named in the detail." },
  "faults-disabled": { status: 403, meaning: "Fault injection is available in development and test only." },
  "audit-log-unavailable": { status: 503, meaning: "The audit log could not be written, so the change was not made." },
  "settings-missing": {
    status: 503,
    meaning: "This deployment lacks settings or secrets it needs (named in the detail), so it serves nothing.",
  },
  "lifecycle-not-configured": {
    status: 503,
    meaning: "Lifecycle webhooks need BRAZE_USERS_TRACK_URL, BRAZE_API_KEY and LIFECYCLE_WEBHOOK_SECRET.",
  },
  "warehouse-unavailable": { status: 503, meaning: "The events warehouse did not answer; the batch is retried later." },
  "origin-unavailable": { status: 503, meaning: "The origin did not answer in time; retry." },
  "origin-failed": { status: 502, meaning: "The origin answered with an error." },
  "edge-publish-failed": {
    status: 503,
    meaning: "The change was saved at the origin but edge state is unreachable; it reaches the edge later.",
  },
  "events-ingest-not-configured": {
    status: 503,
    meaning: "The origin has no EVENTS_INGEST_SECRET, so the events pipeline cannot land anything.",
  },
  "events-in-flight": {
    status: 503,
    meaning: "An earlier request with the same event ids is still queueing them; resend those answered `retry` later.",
  },
  "events-queue-unavailable": {
    status: 503,
    meaning: "The events queue refused some events; resend those answered `retry` after `Retry-After`.",
  },
  "stand-in-refused": { status: 502, meaning: "A local CDN stand-in refused the knob request." },
  "stand-in-unreachable": { status: 502, meaning: "A local CDN stand-in did not answer the knob request." },
} as const satisfies Record<string, { status: number; meaning: string }>;

export type ProblemCode = keyof typeof PROBLEM_CODES;

export function problemStatus(code: ProblemCode): number {
  return PROBLEM_CODES[code].status;
}

export function isProblemCode(value: string): value is ProblemCode {
  return Object.hasOwn(PROBLEM_CODES, value);
}
