// Bindings that exist only under test (see local/src/test-stack.ts and local/src/test-bindings.ts).
declare namespace Cloudflare {
  interface Env {
    UPSTASH_REDIS_REST_TOKEN: string;
    SERVICE_TOKEN: string;
    TEST_SIGNING_JWK: string;
    ADS_BEACON_SECRET: string;
  }
}
