// Bindings that exist only under test (see local/src/test-stack.ts and this project's vitest.config.ts).
declare namespace Cloudflare {
  interface Env {
    UPSTASH_REDIS_REST_TOKEN: string;
    SERVICE_TOKEN: string;
    TEST_SIGNING_JWK: string;
    EVENTS_INGEST_SECRET: string;
  }
}
