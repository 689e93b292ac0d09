/**
 * The playback worker: the hot path of every play (playlists, signed segment URLs, steering manifests).
 */

import type { AuthVariables } from "@cadence/shared/auth/middleware";
import { createWorkerApp } from "@cadence/shared/worker-app";
import { adRoutes } from "./ads/routes";
import type { Env } from "./context";
import { playRoutes } from "./play/routes";
import { steeringRoutes } from "./steering/manifest-route";
import { scheduled } from "./steering/scheduled";

const app = createWorkerApp<Env, Partial<AuthVariables>>("playback");
app.route("/", adRoutes());
app.route("/", playRoutes());
app.route("/", steeringRoutes());

export default { fetch: app.fetch, scheduled } satisfies ExportedHandler<Env>;
