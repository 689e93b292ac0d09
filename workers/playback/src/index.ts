/**
 * The playback worker: the hot path of every play (playlists, signed segment URLs, steering manifests).
 */

import type { AuthVariables } from "@cadence/shared/auth/middleware";
import { createWorkerApp } from "@cadence/shared/worker-app";
import type { Env } from "./context";

const app = createWorkerApp<Env, Partial<AuthVariables>>("playback");

export default app;
