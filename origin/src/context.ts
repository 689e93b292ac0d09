/**
 * The origin's hono context: what every request carries, set once per request by app.ts. Services are not here:
 * each capability's routes are built with the services they use (see services.ts and app.ts), so this module sits at
 * the bottom of the origin's layers and imports none of them.
 */
import type { BaseVariables } from "@cadence/shared/http";
import type { EdgeCallerVariables } from "@cadence/shared/trust/edge-only";

export interface OriginEnv {
  Variables: BaseVariables &
    EdgeCallerVariables & {
      /** The end user's IP: from `x-client-ip` when a worker forwards with the service token, else the socket. */
      clientIp: string;
      /** Set once per request by app.ts: the request carries the media-pull secret (reads `/media/...` only). */
      mediaPull: boolean;
    };
}
