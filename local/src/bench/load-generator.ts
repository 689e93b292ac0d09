/**
 * The load generator of the `npm run bench:*` scripts, forked into its own process so its CPU is not counted as the
 * workers' (the benchmarks measure the CPU each worker burns per request). Receives runs over IPC and answers
 * autocannon's figures. Each request takes the next path and the next Authorization header, round robin.
 */
import autocannon from "autocannon";
import { type BenchSession, eventBodies } from "./event-bodies";

export interface LoadRun {
  url: string;
  paths: string[];
  authorizations: string[];
  connections: number;
  seconds: number;
  /** POST a fresh JSON body of player events per request (made here, in the generator's process). */
  events?: { sessions: BenchSession[]; perRequest: number };
}

export interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

process.on("message", async (run: LoadRun) => {
  let i = 0;
  const body = run.events ? eventBodies(run.events.sessions, run.events.perRequest) : undefined;
  const result = await autocannon({
    url: run.url,
    method: body ? "POST" : "GET",
    connections: run.connections,
    duration: run.seconds,
    requests: [
      {
        setupRequest: (req) => {
          const n = i++;
          const path = run.paths[n % run.paths.length]!;
          const authorization = run.authorizations.length
            ? run.authorizations[n % run.authorizations.length]
            : undefined;
          const headers: Record<string, string> = authorization ? { authorization } : {};
          if (!body) return { ...req, path, headers };
          return { ...req, path, headers: { ...headers, "content-type": "application/json" }, body: body() };
        },
      },
    ],
  });
  const answer: LoadResult = {
    requests: result.requests.total,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
  };
  process.send?.(answer);
});

/** Path to fork: `fork(LOAD_GENERATOR, [], { execArgv: ["--import", "tsx"] })`. */
export const LOAD_GENERATOR = new URL(import.meta.url).pathname;
