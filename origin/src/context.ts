/**
 * The origin's hono context: the services every route uses, resolved once at start-up, plus per-request values.
 */
import type { BaseVariables } from "@cadence/shared/http";
import type { Redis } from "@upstash/redis";
import type { Catalog } from "./catalog/service";
import type { OriginConfig } from "./config";
import type { Database } from "./db/client";
import type { KeyStore } from "./identity/keystore";
import type { LoginThrottle } from "./identity/login-throttle";
import type { SessionService } from "./identity/sessions";

export interface OriginServices {
  config: OriginConfig;
  db: Database;
  redis: Redis;
  keys: KeyStore;
  sessions: SessionService;
  throttle: LoginThrottle;
  catalog: Catalog;
}

export interface OriginEnv {
  Variables: BaseVariables & {
    services: OriginServices;
    /** The end user's IP: from `x-client-ip` when a worker forwards with the service token, else the socket. */
    clientIp: string;
    /** True when the request carries the workers' service token. */
    fromEdge: boolean;
  };
}
