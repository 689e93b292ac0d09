/**
 * Access to edge state (Redis), the playback worker's only state. When it cannot answer, a play cannot be decided:
 * `fromEdgeState` says so with a 503 `edge-state-unavailable` and Retry-After rather than a 500, so players retry and
 * the error is not mistaken for a bug. Routes that cannot answer without Redis wrap their reads in it.
 */
import { Problem } from "@cadence/shared/problem";

export async function fromEdgeState<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    throw new Problem("edge-state-unavailable", "Playback state is unreachable; retry shortly.", {
      headers: { "retry-after": "2" },
      cause: err,
    });
  }
}
