/** Where the test EVENTS binding (vitest.config.ts) records what the ads worker sends into the events pipeline. */
export const RECORDED_EVENTS_KEY = "test:ads-worker:events-sent";
