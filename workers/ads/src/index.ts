/**
 * The ads worker: the ad-decision endpoint (VAST 4.2 audio) with targeting, priority tiers, eCPM, pacing, frequency
 * caps and competitive separation; signed tracking beacons that book spend and feed the events pipeline; the
 * creatives' media; and the internal break endpoint the playback worker splices from.
 */

import type { AuthVariables } from "@cadence/shared/auth/middleware";
import { createWorkerApp } from "@cadence/shared/worker-app";
import { beaconRoutes } from "./beacon-routes";
import { breakRoutes } from "./break-routes";
import type { Env } from "./context";
import { mediaRoutes } from "./media-routes";
import { vastRoutes } from "./vast-routes";

const app = createWorkerApp<Env, Partial<AuthVariables>>("ads");
app.route("/", vastRoutes());
app.route("/", beaconRoutes());
app.route("/", mediaRoutes());
app.route("/", breakRoutes());

export default app;
