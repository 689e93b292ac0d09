/**
 * The load generator of `npm run bench:ads`, in its own process so its CPU does not compete inside the runner.
 * Receives runs over IPC and answers autocannon's figures; each request takes the next path and Authorization header.
 */
import autocannon from "autocannon";

export interface LoadRun {
  url: string;
  paths: string[];
  authorizations: string[];
  connections: number;
  seconds: number;
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
  const result = await autocannon({
    url: run.url,
    connections: run.connections,
    duration: run.seconds,
    requests: [
      {
        setupRequest: (req) => {
          const n = i++;
          return {
            ...req,
            path: run.paths[n % run.paths.length],
            headers: { authorization: run.authorizations[n % run.authorizations.length] ?? "" },
          };
        },
      },
    ],
  });
  process.send?.({
    requests: result.requests.total,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
  } satisfies LoadResult);
});
