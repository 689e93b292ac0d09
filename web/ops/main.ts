/**
 * The ops console (`/ops`, ops scope): per region, the measured latency, throughput and availability of each CDN
 * over time, cost per GB and commit use, the current shares and scores with their reasons; forms to change weights,
 * prices, commits and overrides (validation messages next to the fields); the audit log; the events pipeline's
 * counts; and, in local development, the CDN stand-ins' knobs.
 */
import { AuthSession, type Me, scopesOf } from "../common/auth";
import type { WebConfig } from "../common/config";
import { startConsole } from "../common/console";
import { byId } from "../common/dom";
import { renderEventsStats } from "./events-stats";
import { knobsPanel } from "./knobs";
import { steeringPanel } from "./steering";

const auth = new AuthSession("cadence.auth.ops");
const REFRESH_MS = 5_000;

const needsOps = (me: Me) =>
  scopesOf(me).includes("ops") ? null : "This account has no ops scope. Sign in as ops@demo.test.";

/** Steering, the stand-ins' knobs (where they exist) and the events pipeline, refreshed while the tab is visible. */
function signedIn(_me: Me, config: WebConfig): void {
  const steering = steeringPanel(auth);
  const knobs = config.cdn_stand_ins.length > 0 ? knobsPanel(auth, byId("knobs"), config.cdn_stand_ins) : null;
  byId("knobs-section").hidden = !knobs;
  const tick = async () => {
    await Promise.all([steering.refresh(), knobs?.refresh(), renderEventsStats(auth, byId("events-stats"))]);
  };
  void tick();
  setInterval(() => {
    if (document.visibilityState === "visible") void tick();
  }, REFRESH_MS);
}

void startConsole({
  auth,
  heading: "Sign in to the ops console",
  demoAccounts: [{ email: "ops@demo.test", label: "Ops" }],
  refuse: needsOps,
  onSignedIn: signedIn,
});
