/**
 * The ads worker: the ad-decision endpoint (VAST 4.2 audio) with pacing, frequency caps and tracking beacons.
 */

import type { AuthVariables } from "@cadence/shared/auth/middleware";
import { createWorkerApp } from "@cadence/shared/worker-app";
import type { Env } from "./context";

const app = createWorkerApp<Env, Partial<AuthVariables>>("ads");

export default app;
