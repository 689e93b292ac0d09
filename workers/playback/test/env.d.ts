// Bindings that exist only under test (see local/src/test-stack.ts).
declare namespace Cloudflare {
  interface Env {
    UPSTASH_REDIS_REST_TOKEN: string;
    SERVICE_TOKEN: string;
    TEST_SIGNING_JWK: string;
    PLAYBACK_TOKEN_SECRET: string;
    CLOUDFLARE_CDN_TOKEN_SECRET: string;
    CLOUDFRONT_PRIVATE_KEY: string;
    CLOUDFRONT_KEY_PAIR_ID: string;
    AKAMAI_EDGEAUTH_KEY: string;
    MEDIA_PULL_TOKEN: string;
    LICENSE_WRAP_KEY: string;
  }
}
