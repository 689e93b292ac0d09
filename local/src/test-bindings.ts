/**
 * What the test stack (test-stack.ts) provides to test projects, and the bindings a worker under test gets from it.
 * Kept free of imports so worker vitest configs can load it without pulling in the origin.
 */
export interface TestStackInfo {
  originUrl: string;
  jwksUrl: string;
  issuer: string;
  audience: string;
  redisUrl: string;
  redisRestUrl: string;
  redisRestToken: string;
  serviceToken: string;
  /** The origin's current private signing key (JWK JSON), so tests can mint edge cases the origin never would. */
  signingJwk: string;
  dataDir: string;
}

/** The bindings a worker under test gets, pointing at the test stack. */
export function workerBindings(info: TestStackInfo): Record<string, string> {
  return {
    ENVIRONMENT: "test",
    ORIGIN_URL: info.originUrl,
    JWKS_URL: info.jwksUrl,
    AUTH_ISSUER: info.issuer,
    AUTH_AUDIENCE: info.audience,
    UPSTASH_REDIS_REST_URL: info.redisRestUrl,
    UPSTASH_REDIS_REST_TOKEN: info.redisRestToken,
    SERVICE_TOKEN: info.serviceToken,
    TEST_SIGNING_JWK: info.signingJwk,
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    stack: TestStackInfo;
  }
}
