/**
 * The playback worker: the hot path of every play (playlists, signed segment URLs, steering manifests, ad breaks).
 *
 * Layers: `core/` (session store, playback token, playlist rendering, settings, edge-state access, player CORS) is the
 * ground every feature folder stands on and imports none of them. Feature folders import `core/` and shared, and
 * each other only one way: `play/` uses `ads/`, `steering/` and `signing/`; `cdn/` uses `signing/`; `license/` (the
 * content-key licence path, docs/drm.md) and `offline/` (download licences) use `play/`'s ladder and track cache.
 */

import type { AuthVariables } from "@cadence/shared/auth/middleware";
import { createWorkerApp } from "@cadence/shared/worker-app";
import { adRoutes } from "./ads/routes";
import { cdnRoutes } from "./cdn/routes";
import type { Env } from "./context";
import { licenseRoutes } from "./license/routes";
import { offlineRoutes } from "./offline/routes";
import { playRoutes } from "./play/routes";
import { steeringRoutes } from "./steering/manifest-route";
import { scheduled } from "./steering/scheduled";

const app = createWorkerApp<Env, Partial<AuthVariables>>("playback");
app.route("/", adRoutes());
app.route("/", playRoutes());
app.route("/", cdnRoutes());
app.route("/", licenseRoutes());
app.route("/", offlineRoutes());
app.route("/", steeringRoutes());

export default { fetch: app.fetch, scheduled } satisfies ExportedHandler<Env>;
