/**
 * The ops console (`/ops`, ops scope): per region, the measured latency, throughput and availability of each CDN
 * over time, cost per GB and commit use, the current shares and scores with their reasons; forms to change weights,
 * prices, commits and overrides (validation messages next to the fields); the audit log; the events pipeline's
 * counts; and, in local development, the CDN stand-ins' knobs.
 */
import { AuthSession, type Me, scopesOf } from "../common/auth";
import { webConfig } from "../common/config";
import { byId, h, render } from "../common/dom";
import { loginForm } from "../common/login";
import { renderEventsStats } from "./events-stats";
import { knobsPanel } from "./knobs";
import { steeringPanel } from "./steering";

const auth = new AuthSession("cadence.auth.ops");
const REFRESH_MS = 5_000;

const needsOps = (me: Me) =>
  scopesOf(me).includes("ops") ? null : "This account has no ops scope. Sign in as ops@demo.test.";

async function main(): Promise<void> {
  const config = await webConfig();
  const me = await auth.restore();
  if (me && !needsOps(me)) signedIn(me);
  else showLogin();

  function showLogin(): void {
    byId("app").hidden = true;
    render(byId("account"));
    render(
      byId("login-area"),
      loginForm({
        auth,
        heading: "Sign in to the ops console",
        demoAccounts: [{ email: "ops@demo.test", label: "Ops" }],
        refuse: needsOps,
        onSignedIn: signedIn,
      }),
    );
  }

  function signedIn(account: Me): void {
    render(byId("login-area"));
    byId("app").hidden = false;
    render(
      byId("account"),
      h("span", { class: "account-email" }, account.email ?? account.sub),
      h(
        "button",
        {
          type: "button",
          class: "secondary",
          onclick: async () => {
            await auth.logout();
            location.reload();
          },
        },
        "Sign out",
      ),
    );
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
}

void main();
